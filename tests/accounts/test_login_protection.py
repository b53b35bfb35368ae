"""Login protection (django-axes, on only in these tests) and the «Чужой компьютер» choice."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from nastavnik.accounts.lockout import client_ip_address, login_is_locked
from tests.factories import TeacherFactory, UserFactory

PASSWORD = "верный-пароль-2026"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    settings.AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]


@pytest.fixture
def teacher_account(school_x):
    user = UserFactory(username="smirnova", password=PASSWORD)
    TeacherFactory(organisation=school_x, user=user, last_name="Смирнова")
    return user


def fail(client, username, times, url=None):
    for _ in range(times):
        client.post(url or reverse("login"), {"username": username, "password": "неверный"})


def test_ten_wrong_passwords_lock_the_login_with_a_russian_message(axes_on, teacher_account):
    client = Client()
    fail(client, "smirnova", 9)
    assert not login_is_locked(teacher_account)
    fail(client, "smirnova", 1)
    assert login_is_locked(teacher_account)

    response = client.post(reverse("login"), {"username": "smirnova", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Вход временно заблокирован" in page and "30 минут" in page
    assert 'class="topbar"' in page  # in the site's frame, not a bare error
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_one_login_from_another_address(axes_on, teacher_account):
    fail(Client(REMOTE_ADDR="10.0.0.1"), "smirnova", 10)
    response = Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("login"), {"username": "smirnova", "password": PASSWORD}
    )
    assert response.status_code == 429


def test_the_lock_holds_for_one_address_whatever_the_login(axes_on, teacher_account):
    client = Client(REMOTE_ADDR="10.0.0.3")
    for number in range(10):
        fail(client, f"guess{number}", 1)
    response = client.post(reverse("login"), {"username": "smirnova", "password": PASSWORD})
    assert response.status_code == 429


def test_the_administration_unlocks_a_locked_login_from_the_card(
    axes_on, client_for, school_x_admin, teacher_account
):
    fail(Client(), "smirnova", 10)
    person = teacher_account.person
    admin = client_for(school_x_admin)
    card = admin.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "Разблокировать вход" in card

    assert admin.post(reverse("registry:login_unlock", args=[person.pk])).status_code == 302
    assert not login_is_locked(teacher_account)
    response = Client(REMOTE_ADDR="10.0.0.9").post(
        reverse("login"), {"username": "smirnova", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_curator_cannot_unlock_a_login(axes_on, client_for, school_x_curator, teacher_account):
    fail(Client(), "smirnova", 10)
    url = reverse("registry:login_unlock", args=[teacher_account.person.pk])
    assert client_for(school_x_curator).post(url).status_code == 403
    assert login_is_locked(teacher_account)


def test_the_admin_login_is_locked_too(axes_on, db):
    UserFactory(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    client = Client()
    url = reverse("admin:login")
    fail(client, "root", 10, url=url)
    response = client.post(url, {"username": "root", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()


def test_a_public_computer_login_ends_with_the_browser(teacher_account):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "smirnova", "password": PASSWORD, "public_computer": "on"}
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()


def test_an_ordinary_login_keeps_the_session(teacher_account):
    client = Client()
    client.post(reverse("login"), {"username": "smirnova", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert not client.session.get_expire_at_browser_close()


def test_the_login_page_offers_the_public_computer_choice(client, db):
    assert "Чужой компьютер" in client.get(reverse("login")).content.decode()


def test_axes_counts_the_client_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    behind_proxy = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 2.2.2.2")
    direct = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip_address(behind_proxy) == "2.2.2.2"
    assert client_ip_address(direct) == "10.0.0.1"
