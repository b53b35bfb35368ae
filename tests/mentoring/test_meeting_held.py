"""A meeting that already took place is recorded in one form: one POST creates the held meeting
with its attendance, notes and reflection (issue #14)."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring.models import Meeting, MeetingKind, MeetingStatus
from nastavnik.mentoring.services import meetings
from tests.mentoring.conftest import account_for, at, make_pair

pytestmark = pytest.mark.django_db


def test_one_post_records_a_held_meeting_with_its_attendance(program, school_x_curator, client_for):
    group = make_pair(program, school_x_curator, n_mentees=2)
    user = account_for(group.mentor.person, Role.MENTOR)
    came, missed = [m.mentee for m in group.memberships.order_by("pk")]
    client = client_for(user)
    url = reverse("mentoring:meeting_held", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Записать прошедшую встречу" in page
    assert "Встреча-знакомство" in page  # the methodology's sequence offers the first one
    day = today_in() - dt.timedelta(days=2)

    response = client.post(
        url,
        {
            "kind": MeetingKind.INTRO,
            "date": day.isoformat(),
            "time": "16:30",
            "duration_minutes": "40",
            "format": "in_person",
            "place": "каб. 12",
            "topic": "Знакомство",
            "present": [str(came.pk)],
            "mentor_present": "on",
            "notes": "Рассказали о себе",
            "mentor_reflection": "Хорошее начало",
        },
    )

    meeting = Meeting.objects.get(group=group)
    assert response.status_code == 302
    assert response.url == reverse("mentoring:meeting_detail", args=[group.pk, meeting.pk])
    assert meeting.status == MeetingStatus.HELD and meeting.kind == MeetingKind.INTRO
    # Read in the organisation's zone (Moscow in these tests).
    local = meeting.starts_at.astimezone(meetings.org_zone(group))
    assert (local.date(), local.hour, local.minute) == (day, 16, 30)
    assert (meeting.notes, meeting.mentor_reflection, meeting.mentor_present) == (
        "Рассказали о себе",
        "Хорошее начало",
        True,
    )
    assert {(a.mentee_id, a.present) for a in meeting.attendance.all()} == {
        (came.pk, True),
        (missed.pk, False),
    }
    assert all(entry.actor == user for entry in LogEntry.objects.get_for_object(meeting))


def test_a_held_meeting_in_the_future_is_refused_and_nothing_is_saved(pair, mentor_user):
    with pytest.raises(ValidationError, match="в будущем"):
        meetings.meeting_log_held(
            acting_user=mentor_user,
            group=pair,
            kind=MeetingKind.INTRO,
            starts_at=at(today_in() + dt.timedelta(days=1)),
            topic="Знакомство",
            present=[],
        )
    assert not Meeting.objects.exists()


def test_a_stranger_cannot_record_a_held_meeting(pair, school_y_curator, client_for):
    with pytest.raises(PermissionDenied):
        meetings.meeting_log_held(
            acting_user=school_y_curator,
            group=pair,
            kind=MeetingKind.INTRO,
            starts_at=at(today_in() - dt.timedelta(days=1)),
            topic="Знакомство",
            present=[],
        )
    response = client_for(school_y_curator).get(reverse("mentoring:meeting_held", args=[pair.pk]))
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_the_meetings_page_offers_both_planning_and_recording(pair, mentor_user, client_for):
    page = client_for(mentor_user).get(reverse("mentoring:meeting_list", args=[pair.pk])).content.decode()
    assert reverse("mentoring:meeting_new", args=[pair.pk]) in page
    assert reverse("mentoring:meeting_held", args=[pair.pk]) in page
