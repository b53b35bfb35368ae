"""Demo: mentor1 linked Telegram (a made-up chat: nothing is sent from the demo) and chose what
to receive; the log holds a few messages, one of them retried after a failure."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nastavnik.accounts.models import User

from .models import Channel, Kind, Message, Preference, Status, TelegramLink


def build_notifications_demo() -> bool:
    mentor = User.objects.filter(username="mentor1").first()
    if mentor is None or TelegramLink.objects.filter(user=mentor).exists():
        return False
    TelegramLink.objects.create(user=mentor, chat_id="100000001", username="mentor1_demo")
    Preference.objects.bulk_create(
        [
            Preference(user=mentor, kind=Kind.MEETING_REMINDER, channel=Channel.EMAIL, enabled=False),
            Preference(user=mentor, kind=Kind.NEW_SURVEY, channel=Channel.TELEGRAM, enabled=False),
        ]
    )
    now = timezone.now()
    rows = [
        (Channel.TELEGRAM, Kind.PAIR_CONFIRMED, "«Наставник»: пара (группа) сформирована", 1, ""),
        (Channel.TELEGRAM, Kind.PLAN_DECISION, "«Наставник»: план утверждён", 2, "Telegram ответил 502"),
        (Channel.EMAIL, Kind.NEW_SURVEY, "Анкета «Удовлетворённость наставничеством»", 1, ""),
        (Channel.TELEGRAM, Kind.MEETING_REMINDER, "«Наставник»: напоминание о встрече", 1, ""),
    ]
    # The plan message failed once (a 502 from Telegram) and went out on the retry.
    for days, (channel, kind, subject, attempts, _error) in enumerate(rows):
        sent = now - dt.timedelta(days=len(rows) - days)
        message = Message.objects.create(
            recipient=mentor,
            address="100000001" if channel == Channel.TELEGRAM else (mentor.email or "mentor1@example.org"),
            channel=channel,
            kind=kind,
            subject=subject,
            body=subject,
            status=Status.SENT,
            attempts=attempts,
            sent_at=sent,
        )
        Message.objects.filter(pk=message.pk).update(created_at=sent - dt.timedelta(minutes=2))
    return True
