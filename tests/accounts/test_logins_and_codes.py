"""Readable logins, one-time codes, the first password, password reset and change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts import services
from nastavnik.accounts.logins import login_base, transliterate, unique_logins
from nastavnik.accounts.models import AccessCode, AccessCodeKind, User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Zvezda-po-imeni-7"


def test_names_are_transliterated_by_the_passport_rules():
    assert transliterate("Щёкин") == "shchekin"
    assert transliterate("Цой") == "tsoi"
    assert transliterate("Подъячев") == "podieiachev"
    assert transliterate("Васильев") == "vasilev"
    assert transliterate("Ильюшин") == "iliushin"
    assert transliterate("Хрущёва") == "khrushcheva"
    assert transliterate("Юлия") == "iuliia"


def test_a_login_is_the_surname_and_initials():
    assert login_base("Иванов", "Иван", "Иванович") == "ivanov.ii"
    assert login_base("Жукова", "Юлия", "") == "zhukova.iu"
    assert login_base("Петрова-Водкина", "Анна", "Сергеевна") == "petrova-vodkina.as"
    assert login_base("Мамедов Оглы", "Эльдар", "") == "mamedov-ogly.e"


def test_a_taken_login_gets_the_next_free_number():
    taken = {"ivanov.ii", "ivanov.ii2"}
    assert unique_logins(["ivanov.ii", "ivanov.ii", "petrov.pp"], taken) == [
        "ivanov.ii3",
        "ivanov.ii4",
        "petrov.pp",
    ]


def _new_account(db, **fields) -> User:
    curator = UserFactory()
    spec = services.NewAccount(
        username=fields.pop("username", "orlova.ni"), last_name="Орлова", first_name="Нина", **fields
    )
    [user] = services.accounts_create(acting_user=curator, accounts=[spec])
    return user


def test_a_slip_code_opens_the_account_once(db):
    user = _new_account(db)
    code = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.SLIP)[user.pk]
    assert AccessCode.objects.get().secret_hash != code  # only a keyed hash is stored
    client = Client()
    response = client.post(reverse("slip_login"), {"username": "orlova.ni", "code": code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_setup")
    again = Client().post(reverse("slip_login"), {"username": "orlova.ni", "code": code})
    assert "Неверный логин или код" in again.content.decode()


def test_an_expired_slip_code_does_not_open_the_account(db):
    user = _new_account(db)
    code = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.SLIP)[user.pk]
    AccessCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Client().post(reverse("slip_login"), {"username": "orlova.ni", "code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_a_new_account_must_set_its_password_before_anything_else(db):
    user = _new_account(db)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_setup"))
    weak = client.post(reverse("password_setup"), {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200  # Django's validators refuse it
    user.refresh_from_db()
    assert user.must_set_password
    client.post(reverse("password_setup"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert not user.must_set_password and user.check_password(NEW_PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_an_invitation_link_works_once(db):
    user = _new_account(db, email="orlova@example.org")
    token = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.INVITATION)[
        user.pk
    ]
    url = reverse("invitation", args=[token])
    client = Client()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # opening the link (a mail scanner) spends nothing
    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.must_set_password
    assert Client().get(url).status_code == 410
    assert "Ссылка недействительна" in Client().get(url).content.decode()


def test_an_invitation_link_expires(db, settings):
    user = _new_account(db, email="orlova@example.org")
    token = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.INVITATION)[
        user.pk
    ]
    code = AccessCode.objects.get()
    lifetime = code.expires_at - code.created_at
    assert abs(lifetime - dt.timedelta(days=settings.ACCOUNT_INVITATION_DAYS)) < dt.timedelta(seconds=5)
    AccessCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(reverse("invitation", args=[token])).status_code == 410


def test_a_newer_code_replaces_the_older_one(db):
    user = _new_account(db)
    first = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.SLIP)[user.pk]
    second = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.SLIP)[user.pk]
    assert services.slip_code_redeem(username="orlova.ni", code=first) is None
    assert services.slip_code_redeem(username="orlova.ni", code=second) == user


def test_a_deactivated_account_cannot_use_its_code(db):
    user = _new_account(db)
    code = services.access_codes_issue(acting_user=user, users=[user], kind=AccessCodeKind.SLIP)[user.pk]
    services.account_deactivate(acting_user=None, user=user)
    assert services.slip_code_redeem(username="orlova.ni", code=code) is None


def test_password_reset_by_email_works_end_to_end(db):
    user = UserFactory(email="mentor@example.org")
    client = Client()
    page = client.get(reverse("login"))
    assert "Забыли пароль?" in page.content.decode()
    form = client.get(reverse("password_reset"))
    assert "Забыли пароль?" in form.content.decode()
    response = client.post(reverse("password_reset"), {"email": "MENTOR@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert "Новый пароль" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/reset/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    assert "Новый пароль" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("password_reset_complete")
    assert "Пароль изменён" in client.get(reverse("password_reset_complete")).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert Client().login(username=user.username, password=NEW_PASSWORD)


def test_a_user_changes_their_own_password(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("password_change"))
    assert "Смена пароля" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("username", ["admin", "curator1"])
def test_accounts_made_by_hand_are_not_asked_for_a_password(db, username):
    user = User.objects.create_user(username=username, password=PASSWORD)
    assert not user.must_set_password
