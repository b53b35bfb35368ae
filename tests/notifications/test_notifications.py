"""The notification layer against a local fake of the Telegram Bot API: linking with a one-time
code (webhook and getUpdates), delivery by the user's choice, retries, unlinking, and the
consent rule for minors."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import Role
from nastavnik.mentoring.services import meetings
from nastavnik.notifications import bot, services
from nastavnik.notifications.models import Channel, Kind, LinkCode, Message, Status, TelegramLink
from nastavnik.registry.models import Consent
from tests.mentoring.conftest import account_for

from .fake_bot import FakeBotApi

pytestmark = pytest.mark.django_db
SECRET = "webhook-secret-123"


@pytest.fixture
def fake_bot(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with FakeBotApi() as fake:
        settings.TELEGRAM_API_BASE = fake.base_url
        settings.TELEGRAM_BOT_TOKEN = "123456:test-token"
        settings.TELEGRAM_BOT_NAME = "nastavnik_test_bot"
        settings.TELEGRAM_WEBHOOK_SECRET = SECRET
        yield fake


def start_update(code: str, chat_id: int, update_id: int = 1) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "chat": {"id": chat_id, "type": "private"},
            "from": {"username": "mentor_tg"},
            "text": f"/start {code}",
        },
    }


def link_by_webhook(client, user, chat_id: int) -> None:
    response = client.post(reverse("notifications:telegram_action", args=["link"]))
    assert response.status_code == 302
    assert response["Location"].startswith("https://t.me/nastavnik_test_bot?start=")
    code = response["Location"].split("start=", 1)[1]
    answer = client.post(
        reverse("notifications:telegram_webhook"),
        data=start_update(code, chat_id),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert answer.json()["result"] == "linked"


def plan_soon(group, user):
    return meetings.meeting_create(
        acting_user=user,
        group=group,
        kind="regular",
        starts_at=timezone.now() + dt.timedelta(hours=5),
        topic="Разбор олимпиадных задач",
    )


def remind() -> None:
    call_command("send_meeting_reminders", stdout=io.StringIO())


def test_a_one_time_code_links_the_chat_and_cannot_be_used_twice(client_for, fake_bot, pair, mentor_user):
    client = client_for(mentor_user)
    link_by_webhook(client, mentor_user, 555)
    link = TelegramLink.objects.get(user=mentor_user)
    assert link.chat_id == "555" and link.username == "mentor_tg"
    assert "Готово" in fake_bot.sent_to("555")[-1]
    code = LinkCode.objects.get(user=mentor_user).code
    assert bot.handle_update(start_update(code, 777)) == "refused"
    assert not TelegramLink.objects.filter(chat_id="777").exists()


def test_the_poll_command_links_through_get_updates(fake_bot, pair, mentor_user):
    code = services.telegram_link_code(acting_user=mentor_user).code
    fake_bot.updates = [start_update(code, 901, update_id=10)]
    call_command("telegram_poll", "--once", stdout=io.StringIO())
    assert TelegramLink.objects.get(user=mentor_user).chat_id == "901"
    call_command("telegram_poll", "--once", stdout=io.StringIO())  # the offset moved past update 10
    assert [m for m, p in fake_bot.calls if m == "getUpdates"][-1] and fake_bot.calls[-1][1]["offset"] == 11


def test_the_webhook_refuses_a_wrong_secret(client, fake_bot, pair, mentor_user):
    code = services.telegram_link_code(acting_user=mentor_user).code
    answer = client.post(
        reverse("notifications:telegram_webhook"),
        data=start_update(code, 555),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
    )
    assert answer.status_code == 403
    assert not TelegramLink.objects.exists()


def test_a_reminder_goes_by_telegram_or_by_email_as_the_user_chose(
    client_for, fake_bot, pair, mentor_user, school_x_curator
):
    pair.mentor.person.email = "mentor@example.org"
    pair.mentor.person.save()
    client = client_for(mentor_user)
    link_by_webhook(client, mentor_user, 555)
    client.post(reverse("notifications:settings"), {f"{Kind.MEETING_REMINDER}:{Channel.TELEGRAM}": "on"})
    meeting = plan_soon(pair, school_x_curator)
    remind()
    assert any("Разбор олимпиадных задач" in text for text in fake_bot.sent_to("555"))
    assert "mentor@example.org" not in [m.to[0] for m in mail.outbox]

    client.post(reverse("notifications:settings"), {f"{Kind.MEETING_REMINDER}:{Channel.EMAIL}": "on"})
    before = len(fake_bot.sent_to("555"))
    meeting.starts_at += dt.timedelta(hours=1)  # rescheduled: reminded again
    meeting.save()
    remind()
    assert "mentor@example.org" in [m.to[0] for m in mail.outbox]
    assert len(fake_bot.sent_to("555")) == before
    sent = Message.objects.filter(recipient=mentor_user, status=Status.SENT)
    assert {m.channel for m in sent} == {Channel.TELEGRAM, Channel.EMAIL}


def test_a_failed_send_is_retried_with_backoff(fake_bot, pair, mentor_user):
    TelegramLink.objects.create(user=mentor_user, chat_id="555")
    fake_bot.fail_next = 1
    result = services.notify(
        recipients=[services.Recipient(user=mentor_user)],
        kind=Kind.PAIR_CONFIRMED,
        subject="Пара сформирована",
        body="Текст",
    )
    message = next(m for m in result.queued if m.channel == Channel.TELEGRAM)
    now = timezone.now()
    services.deliver_due(now)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "500" in message.last_error
    assert message.next_attempt_at > now
    assert services.deliver_due(now) == 0, "not due again yet"
    services.deliver_due(now + dt.timedelta(minutes=2))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert len(fake_bot.sent_to("555")) == 2, "one answered 500, the retry answered 200"
    services.deliver_due(now + dt.timedelta(days=1))
    assert len(fake_bot.sent_to("555")) == 2, "a sent message is never sent again"


def test_a_message_is_given_up_after_the_last_attempt(fake_bot, pair, mentor_user):
    TelegramLink.objects.create(user=mentor_user, chat_id="555")
    fake_bot.fail_next = 100
    services.notify(
        recipients=[services.Recipient(user=mentor_user)],
        kind=Kind.PAIR_CONFIRMED,
        subject="Тема",
        body="Текст",
    )
    moment = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver_due(moment)
        moment += dt.timedelta(days=1)
    message = Message.objects.get(channel=Channel.TELEGRAM)
    assert (message.status, message.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)


def test_after_unlinking_nothing_goes_to_telegram(client_for, fake_bot, pair, mentor_user, school_x_curator):
    client = client_for(mentor_user)
    link_by_webhook(client, mentor_user, 555)
    client.post(reverse("notifications:telegram_action", args=["unlink"]))
    assert not TelegramLink.objects.filter(user=mentor_user).exists()
    plan_soon(pair, school_x_curator)
    remind()
    assert not any("Разбор" in text for text in fake_bot.sent_to("555"))


def test_a_minor_without_valid_consent_gets_nothing_on_any_channel(fake_bot, pair, school_x_curator):
    child = pair.memberships.get().mentee.person
    child.email = "child@example.org"
    child.save()
    user = account_for(child, Role.MENTEE)
    TelegramLink.objects.create(user=user, chat_id="321")
    Consent.objects.filter(subject=child).update(revoked_on=timezone.localdate() - dt.timedelta(days=1))
    plan_soon(pair, school_x_curator)
    remind()
    assert "child@example.org" not in [m.to[0] for m in mail.outbox]
    assert fake_bot.sent_to("321") == []
    assert not Message.objects.filter(recipient=user).exists()


def test_a_minor_with_valid_consent_is_reminded(fake_bot, pair, school_x_curator):
    child = pair.memberships.get().mentee.person
    user = account_for(child, Role.MENTEE)
    TelegramLink.objects.create(user=user, chat_id="321")
    plan_soon(pair, school_x_curator)
    remind()
    assert any("Разбор" in text for text in fake_bot.sent_to("321"))


def test_without_a_bot_the_link_button_is_hidden_and_email_still_works(
    client_for, settings, pair, mentor_user
):
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = client_for(mentor_user).get(reverse("notifications:settings")).content.decode()
    assert "Привязать Telegram" not in page and "Telegram</th>" not in page
    assert client_for(mentor_user).get(reverse("mentoring:my")).status_code == 200
    result = services.notify(
        recipients=[services.Recipient(user=mentor_user, email="m@example.org")],
        kind=Kind.PAIR_CONFIRMED,
        subject="Тема",
        body="Текст",
    )
    assert [m.channel for m in result.queued] == [Channel.EMAIL]
    services.deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["m@example.org"]


def test_a_user_sees_only_their_own_settings_and_messages(
    client_for, fake_bot, pair, mentor_user, school_x_curator
):
    services.notify(
        recipients=[services.Recipient(user=school_x_curator, email="c@example.org")],
        kind=Kind.ROADMAP_OVERDUE,
        subject="Секретная тема куратора",
        body="Текст",
    )
    page = client_for(mentor_user).get(reverse("notifications:settings")).content.decode()
    assert "Секретная тема куратора" not in page
    assert (
        "Секретная тема куратора"
        in client_for(school_x_curator).get(reverse("notifications:settings")).content.decode()
    )


def test_the_cron_command_sends_what_is_due(settings, pair, mentor_user):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TELEGRAM_BOT_TOKEN = ""
    services.notify(
        recipients=[services.Recipient(user=mentor_user, email="m@example.org")],
        kind=Kind.PLAN_DECISION,
        subject="План утверждён",
        body="Текст",
    )
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert "Отправлено уведомлений: 1." in out.getvalue()
    assert [m.to[0] for m in mail.outbox] == ["m@example.org"]


def test_the_webhook_is_closed_without_a_bot(client, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    response = client.post(
        reverse("notifications:telegram_webhook"),
        data=start_update("x", 1),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 403


def test_a_queued_message_is_sent_by_the_task_runner_once_the_transaction_commits(
    settings, pair, mentor_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TELEGRAM_BOT_TOKEN = ""
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[services.Recipient(user=mentor_user, email="m@example.org")],
            kind=Kind.PLAN_DECISION,
            subject="План утверждён",
            body="Текст",
        )
        assert mail.outbox == [], "nothing leaves before the commit"
    assert [m.to[0] for m in mail.outbox] == ["m@example.org"]
    assert Message.objects.get().status == Status.SENT
