"""A program event created with a wrong date is corrected, cancelled or deleted by the program's
managers only, every change audited; participants see a cancelled event marked (issue #14)."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring import reminders
from nastavnik.mentoring.models import EventInvitation, ProgramEvent, ProgramEventKind
from nastavnik.mentoring.services import events
from tests.mentoring.conftest import account_for, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(program, school_x_curator, pair):
    """An event «created with a wrong date» (tomorrow instead of three days ago), everyone invited."""
    created = events.event_create(
        acting_user=school_x_curator,
        program=program,
        kind=ProgramEventKind.OTHER,
        title="Общий сбор",
        starts_at=at(today_in() + dt.timedelta(days=1)),
    )
    events.event_invite_participants(acting_user=school_x_curator, event=created)
    return created


def post_edit(client, event, day, **changes):
    data = {
        "kind": event.kind,
        "title": event.title,
        "date": day.isoformat(),
        "time": "15:00",
        "duration_minutes": "60",
        "place": "Актовый зал",
        "description": "",
    }
    data.update(changes)
    return client.post(reverse("mentoring:event_edit", args=[event.pk]), data)


def test_the_curator_corrects_the_date_and_then_marks_attendance(event, school_x_curator, client_for):
    client = client_for(school_x_curator)
    assert (
        "Изменить мероприятие"
        in client.get(reverse("mentoring:event_edit", args=[event.pk])).content.decode()
    )
    response = post_edit(client, event, today_in() - dt.timedelta(days=3))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_at == at(today_in() - dt.timedelta(days=3)) and event.place == "Актовый зал"
    entry = LogEntry.objects.get_for_object(event).order_by("pk").last()
    assert entry.actor == school_x_curator and "starts_at" in entry.changes

    # Now in the past, attendance is marked from the event's page.
    page = client.get(reverse("mentoring:event_detail", args=[event.pk])).content.decode()
    assert "Сохранить отметки присутствия" in page
    invitations = list(event.invitations.all())
    response = client.post(
        reverse("mentoring:event_action", args=[event.pk, "attendance"]),
        {"present": [invitations[0].pk]},
        follow=True,
    )
    assert "Присутствовал 1 из 2 участников (50%)" in response.content.decode()


def test_a_cancelled_event_stays_marked_and_counts_nowhere(
    event, program, school_x_curator, pair, client_for, settings
):
    person = pair.memberships.get().mentee.person
    person.email = "pupil@example.org"
    person.save()
    before = reminders.send_meeting_reminders(hours=48, dry_run=True)
    assert "pupil@example.org: мероприятие" in "\n".join(before.lines)
    client = client_for(school_x_curator)
    client.post(reverse("mentoring:event_action", args=[event.pk, "cancel"]), {"reason": "Карантин"})
    event.refresh_from_db()
    assert event.is_cancelled and event.cancel_reason == "Карантин"
    entry = LogEntry.objects.get_for_object(event).order_by("pk").last()
    assert entry.actor == school_x_curator and "cancel_reason" in entry.changes

    # Participants see it marked as cancelled, with the reason.
    mentee_user = account_for(pair.memberships.get().mentee.person, Role.MENTEE)
    page = client_for(mentee_user).get(reverse("mentoring:my")).content.decode()
    assert "Общий сбор" in page and "отменено" in page and "Карантин" in page
    assert "отменено" in client.get(reverse("mentoring:event_list", args=[program.pk])).content.decode()

    # No reminder, no share present, no attendance marking.
    reminders.send_meeting_reminders(hours=48)
    assert not [m for m in mail.outbox if "Общий сбор" in m.body]
    assert events.attendance_for_events([event.pk]) == {}
    event.starts_at = timezone.now() - dt.timedelta(hours=1)
    event.save()
    with pytest.raises(ValidationError, match="отменено"):
        events.event_mark_attendance(acting_user=school_x_curator, event=event, present=[])


def test_deleting_an_event_asks_first_and_takes_its_invitations(event, program, school_x_curator, client_for):
    client = client_for(school_x_curator)
    url = reverse("mentoring:event_delete", args=[event.pk])
    page = client.get(url).content.decode()
    assert "Удалить мероприятие?" in page and "приглашения (2)" in page
    assert ProgramEvent.objects.filter(pk=event.pk).exists()
    pk = event.pk
    response = client.post(url)
    assert response.url == reverse("mentoring:event_list", args=[program.pk])
    assert not ProgramEvent.objects.filter(pk=pk).exists()
    assert not EventInvitation.objects.filter(event_id=pk).exists()
    history = LogEntry.objects.filter(content_type__model="programevent", object_id=pk).order_by("pk")
    assert [(e.actor, e.action) for e in history][-2:] == [
        (school_x_curator, LogEntry.Action.UPDATE),
        (school_x_curator, LogEntry.Action.DELETE),
    ]
    assert "приглашения удалены" in history[len(history) - 2].changes


@pytest.mark.parametrize("who", ["school_y", "mentor"])
def test_a_stranger_or_a_participant_cannot_change_an_event(who, event, pair, school_y_curator, client_for):
    user = school_y_curator if who == "school_y" else account_for(pair.mentor.person, Role.MENTOR)
    client = client_for(user)
    expected = 404 if who == "school_y" else 403
    for url in (
        reverse("mentoring:event_edit", args=[event.pk]),
        reverse("mentoring:event_delete", args=[event.pk]),
    ):
        assert client.get(url).status_code == expected
        assert client.post(url).status_code == expected
    cancel = client.post(reverse("mentoring:event_action", args=[event.pk, "cancel"]), {"reason": "x"})
    assert cancel.status_code == expected
    assert post_edit(client, event, today_in()).status_code == expected
    event.refresh_from_db()
    assert not event.is_cancelled and event.starts_at == at(today_in() + dt.timedelta(days=1))
    for change in (
        lambda: events.event_update(
            acting_user=user,
            event=event,
            kind=event.kind,
            title="x",
            starts_at=event.starts_at,
            duration_minutes=60,
        ),
        lambda: events.event_cancel(acting_user=user, event=event, reason="x"),
        lambda: events.event_delete(acting_user=user, event=event),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert ProgramEvent.objects.filter(pk=event.pk).exists()
