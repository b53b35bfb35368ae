"""The personal iCal feed and the «в календарь» files: they parse back, hold exactly the user's
own meetings and events, follow changes and cancellations, and a revoked address is 404."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from nastavnik.base.time import today_in
from nastavnik.calendars import services
from nastavnik.calendars.models import CalendarFeed
from nastavnik.mentoring.models import EventInvitation, ProgramEventKind
from nastavnik.mentoring.services import events as event_services
from nastavnik.mentoring.services import meetings
from tests.mentoring.conftest import account_for, at, make_pair

pytestmark = pytest.mark.django_db


def soon() -> dt.date:
    return today_in() + dt.timedelta(days=5)


def plan(group, user, day=None, topic="Разбор задач"):
    day = day or soon()
    return meetings.meeting_create(
        acting_user=user, group=group, kind="regular", starts_at=at(day), topic=topic
    )


def read_feed(client, user):
    feed = services.feed_renew(acting_user=user)
    response = client.get(reverse("calendars:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def uids(calendar):
    return {str(item["UID"]) for item in calendar.walk("VEVENT")}


def by_uid(calendar, uid):
    return next(item for item in calendar.walk("VEVENT") if str(item["UID"]) == uid)


def test_the_feed_parses_back_with_times_in_the_organisation_zone(
    client, pair, mentor_user, school_x_curator
):
    meeting = plan(pair, school_x_curator)
    calendar = read_feed(client, mentor_user)
    item = by_uid(calendar, f"meeting-{meeting.pk}@nastavnik")
    assert item.decoded("DTSTART") == meeting.starts_at
    assert str(item["DTSTART"].params["TZID"]) == pair.program.organisation.timezone
    assert calendar.walk("VTIMEZONE"), "the zone is described inside the file"
    assert "Разбор задач" in str(item["SUMMARY"])


def test_each_participant_sees_exactly_the_meetings_of_their_own_pair(
    client, pair, other_pair, mentor_user, mentee_user, parent_user, school_x_curator
):
    own = plan(pair, school_x_curator)
    foreign = plan(other_pair, school_x_curator, topic="Чужая пара")
    for user in (mentor_user, mentee_user, parent_user):
        assert uids(read_feed(client, user)) == {f"meeting-{own.pk}@nastavnik"}, user
    other_mentor = account_for(other_pair.mentor.person)
    assert uids(read_feed(client, other_mentor)) == {f"meeting-{foreign.pk}@nastavnik"}


def test_a_school_y_pair_never_reaches_a_school_x_feed(
    client, pair, mentor_user, school_x_curator, school_y, school_y_curator
):
    from tests.builders import student_program

    program_y = student_program(school_y, "student-student")
    program_y.starts_on = pair.program.starts_on
    program_y.ends_on = pair.program.ends_on
    program_y.save()
    pair_y = make_pair(program_y, school_y_curator, started_on=pair.started_on)
    plan(pair_y, school_y_curator)
    own = plan(pair, school_x_curator)
    assert uids(read_feed(client, mentor_user)) == {f"meeting-{own.pk}@nastavnik"}
    assert uids(read_feed(client, school_y_curator)) == set(), "staff get deadlines, not others' meetings"


def test_a_parent_sees_no_meeting_of_the_time_before_the_child_joined(client, program, school_x_curator):
    from nastavnik.accounts.models import Role
    from nastavnik.mentoring.services import groups as group_services
    from nastavnik.registry.models import GuardianLink
    from tests.builders import mentee

    group = make_pair(program, school_x_curator)
    first = plan(group, school_x_curator, soon())
    newcomer = mentee(program)
    group_services.group_add_mentee(
        acting_user=school_x_curator, group=group, mentee=newcomer, joined_on=soon() + dt.timedelta(days=1)
    )
    later = plan(group, school_x_curator, soon() + dt.timedelta(days=3))
    parent = account_for(GuardianLink.objects.filter(child=newcomer.person).first().guardian, Role.PARENT)
    assert uids(read_feed(client, parent)) == {f"meeting-{later.pk}@nastavnik"}
    assert first.pk


def test_program_events_reach_only_the_invited(client, pair, mentor_user, other_pair, school_x_curator):
    event = event_services.event_create(
        acting_user=school_x_curator,
        program=pair.program,
        kind=ProgramEventKind.OTHER,
        title="Фестиваль наставников",
        starts_at=at(soon(), 12),
    )
    EventInvitation.objects.create(event=event, person=pair.mentor.person)
    assert f"event-{event.pk}@nastavnik" in uids(read_feed(client, mentor_user))
    other_mentor = account_for(other_pair.mentor.person)
    assert f"event-{event.pk}@nastavnik" not in uids(read_feed(client, other_mentor))


def test_a_rescheduled_then_cancelled_meeting_keeps_its_uid_and_grows_its_sequence(
    client, pair, mentor_user, school_x_curator
):
    meeting = plan(pair, school_x_curator)
    uid = f"meeting-{meeting.pk}@nastavnik"
    assert int(by_uid(read_feed(client, mentor_user), uid)["SEQUENCE"]) == 0
    meetings.meeting_update(
        acting_user=school_x_curator,
        meeting=meeting,
        kind="regular",
        starts_at=at(soon(), 17),
        topic=meeting.topic,
        duration_minutes=45,
        format="in_person",
        place="каб. 12",
    )
    moved = by_uid(read_feed(client, mentor_user), uid)
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART").hour == 17
    meetings.meeting_cancel(acting_user=school_x_curator, meeting=meeting, reason="болезнь")
    cancelled = by_uid(read_feed(client, mentor_user), uid)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 2


def test_a_revoked_or_replaced_address_is_404(client, pair, mentor_user):
    old = services.feed_renew(acting_user=mentor_user).token
    new = services.feed_renew(acting_user=mentor_user).token
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200
    services.feed_revoke(acting_user=mentor_user)
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 404


def test_the_user_renews_and_revokes_from_my_page(client_for, pair, mentor_user):
    client = client_for(mentor_user)
    page = client.get(reverse("mentoring:my")).content.decode()
    assert "Получить ссылку календаря" in page
    assert client.post(reverse("calendars:feed_action", args=["renew"])).status_code == 302
    token = CalendarFeed.objects.get(user=mentor_user).token
    assert token in client.get(reverse("mentoring:my")).content.decode()
    client.post(reverse("calendars:feed_action", args=["revoke"]))
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404


def test_a_single_meeting_downloads_for_its_pair_and_is_404_for_a_stranger(
    client_for, pair, mentor_user, school_x_curator, school_y_curator
):
    meeting = plan(pair, school_x_curator)
    url = reverse("calendars:meeting_ics", args=[pair.pk, meeting.pk])
    page = client_for(mentor_user).get(reverse("mentoring:meeting_detail", args=[pair.pk, meeting.pk]))
    assert url in page.content.decode()
    response = client_for(mentor_user).get(url)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert uids(calendar) == {f"meeting-{meeting.pk}@nastavnik"}
    assert client_for(school_y_curator).get(url).status_code == 404


def test_a_single_event_downloads_for_the_invited_only(
    client_for, pair, mentor_user, other_pair, school_x_curator
):
    event = event_services.event_create(
        acting_user=school_x_curator,
        program=pair.program,
        kind=ProgramEventKind.OTHER,
        title="Фестиваль",
        starts_at=at(soon(), 12),
    )
    EventInvitation.objects.create(event=event, person=pair.mentor.person)
    url = reverse("calendars:event_ics", args=[event.pk])
    assert client_for(mentor_user).get(url).status_code == 200
    assert client_for(account_for(other_pair.mentor.person)).get(url).status_code == 404


def test_curators_get_the_deadlines_of_their_own_roadmaps_only(
    client, school_x, school_x_curator, school_y_curator
):
    from nastavnik.orgs.models import academic_year_of
    from nastavnik.roadmaps.services import roadmap_create_from_template

    roadmap = roadmap_create_from_template(
        acting_user=school_x_curator,
        template_key="students",
        academic_year=academic_year_of(today_in()),
        organisation=school_x,
    )
    feed = read_feed(client, school_x_curator)
    deadlines = {uid for uid in uids(feed) if uid.startswith("roadmap-")}
    assert deadlines, "the curator's feed holds the roadmap's open deadlines"
    event_ids = set(roadmap.events.values_list("pk", flat=True))
    assert {int(uid.split("-")[1]) for uid in deadlines} <= event_ids
    item = next(i for i in feed.walk("VEVENT") if str(i["UID"]) in deadlines)
    assert isinstance(item.decoded("DTSTART"), dt.date) and "Срок:" in str(item["SUMMARY"])
    assert not any(uid.startswith("roadmap-") for uid in uids(read_feed(client, school_y_curator)))
