"""notify_each queues what notify would queue for each message (consent rule, choices, channels,
addresses), in a number of queries that does not grow with the recipients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nastavnik.accounts.models import Role
from nastavnik.notifications import services
from nastavnik.notifications.models import Channel, Kind, Message, Preference, TelegramLink
from nastavnik.registry.models import Consent, Person
from tests.mentoring.conftest import account_for, make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def telegram_configured(settings):
    settings.TELEGRAM_BOT_TOKEN = "123456:test-token"
    settings.TELEGRAM_BOT_NAME = "nastavnik_test_bot"


def _recipients(program, curator) -> list[services.Recipient]:
    """People of every case: telegram and e-mail, e-mail switched off, no account, a minor
    without consent, a bare address."""
    group = make_pair(program, curator, n_mentees=3)
    mentor = group.mentor.person
    mentor.email = "mentor@example.org"
    mentor.save()
    mentor_user = account_for(mentor, Role.MENTOR)
    TelegramLink.objects.create(user=mentor_user, chat_id="555")
    children = [m.mentee.person for m in group.memberships.order_by("pk")]
    with_telegram_only = children[0]
    user = account_for(with_telegram_only, Role.MENTEE)
    TelegramLink.objects.create(user=user, chat_id="777")
    Preference.objects.create(user=user, kind=Kind.PAIR_CONFIRMED, channel=Channel.EMAIL, enabled=False)
    without_account = children[1]
    without_account.email = "child@example.org"
    without_account.save()
    without_consent = children[2]
    without_consent.email = "minor@example.org"
    without_consent.save()
    Consent.objects.filter(subject=without_consent).update(
        revoked_on=timezone.localdate() - dt.timedelta(days=1)
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in=[mentor.pk, *(c.pk for c in children)])}
    return [
        services.Recipient(person=people[mentor.pk], email=mentor.email),
        services.Recipient(person=people[with_telegram_only.pk]),
        services.Recipient(person=people[without_account.pk], email=without_account.email),
        services.Recipient(person=people[without_consent.pk], email=without_consent.email),
        services.Recipient(email="curator@example.org"),
    ]


def _rows(messages) -> list[tuple]:
    return [(m.recipient_id, m.address, m.channel, m.kind, m.subject, m.body) for m in messages]


def test_notify_each_queues_what_notify_queues_for_each_message(program, school_x_curator):
    recipients = _recipients(program, school_x_curator)
    texts = [(f"Тема {k}", f"Текст {k}") for k in range(len(recipients))]
    one_by_one = []
    without_consent = 0
    for recipient, (subject, body) in zip(recipients, texts, strict=True):
        result = services.notify(recipients=[recipient], kind=Kind.PAIR_CONFIRMED, subject=subject, body=body)
        one_by_one += _rows(result.queued)
        without_consent += result.without_consent
    Message.objects.all().delete()

    result = services.notify_each(
        kind=Kind.PAIR_CONFIRMED,
        messages=[(r, s, b) for r, (s, b) in zip(recipients, texts, strict=True)],
    )

    assert _rows(result.queued) == one_by_one
    assert _rows(Message.objects.order_by("pk")) == one_by_one
    assert result.without_consent == without_consent == 1
    assert ("555", Channel.TELEGRAM) in [(row[1], row[2]) for row in one_by_one]
    assert "child@example.org" in [row[1] for row in one_by_one]
    assert "minor@example.org" not in [row[1] for row in one_by_one]
    assert ("777", Channel.TELEGRAM) in [(row[1], row[2]) for row in one_by_one]
    assert not [row for row in one_by_one if row[1] == "" or (row[1] == "777" and row[2] == Channel.EMAIL)]


def test_notify_each_runs_as_many_queries_for_one_recipient_as_for_many(program, school_x_curator):
    recipients = _recipients(program, school_x_curator)

    def queries_for(chosen) -> int:
        fresh = [
            services.Recipient(
                person=Person.objects.get(pk=r.person.pk) if r.person else None, user=r.user, email=r.email
            )
            for r in chosen
        ]
        with CaptureQueriesContext(connection) as queries:
            services.notify_each(kind=Kind.PAIR_CONFIRMED, messages=[(r, "Тема", "Текст") for r in fresh])
        return len(queries)

    assert queries_for(recipients[:1]) == queries_for(recipients)


@pytest.mark.django_db
def test_notify_each_queues_three_hundred_messages_with_the_queries_of_one():
    """The messages are written by create_many: bulk_create sent one INSERT per hundred of them
    on SQLite (a confirmed matching of a region queues thousands)."""

    def queries_for(count: int) -> int:
        messages = [
            (services.Recipient(email=f"person{n}@example.org"), "Тема", "Текст") for n in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            result = services.notify_each(kind=Kind.PAIR_CONFIRMED, messages=messages)
        assert len(result.queued) == count and all(m.pk for m in result.queued)
        return len(queries)

    assert queries_for(1) == queries_for(300)
