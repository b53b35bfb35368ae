"""The data migration surveys 0006: every `NetworkingMeeting` becomes a networking program event
(or is taken into the one the curator already recorded that day) with its participants as
invitations, the campaigns after it follow, and back; run with the migration executor on the
test database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nastavnik.home.reference import ensure_reference_data
from nastavnik.matching.preferences import load_preferences
from nastavnik.mentoring.models import ProgramEvent, ProgramEventKind
from nastavnik.mentoring.services.preferences import campaigns_of
from nastavnik.surveys import selectors
from nastavnik.surveys.models import Campaign
from tests.migrations import latest_nodes, migrate, schema_at
from tests.surveys.conftest import mentee, mentor, student

# Schema changes cannot run inside the test's transaction, so this test is transactional.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0005_campaign_program_event")]
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test before this one flushed the database, data migrations' rows
    included: put the built-in reference data (forms, templates) back first."""
    ensure_reference_data()


@pytest.fixture
def old_schema():
    """The historical apps with `NetworkingMeeting` back; the latest schema again after."""
    with schema_at(BEFORE) as apps:
        yield apps


@pytest.fixture
def people(program_x, school_x):
    school_x.timezone = "Asia/Vladivostok"
    school_x.save()
    return {
        "mentee": mentee(program_x, student(school_x, last_name="Выбирающая")),
        "mentor": mentor(program_x, student(school_x, grade=10, last_name="Пришедший")),
        "absent": mentor(program_x, student(school_x, grade=10, last_name="Неявкин")),
    }


def test_networking_meetings_become_program_events_and_back(program_x, school_x_curator, people, old_schema):
    latest = latest_nodes()
    apps = old_schema
    NetworkingMeeting = apps.get_model("surveys", "NetworkingMeeting")
    MeetingParticipant = apps.get_model("surveys", "MeetingParticipant")
    OldCampaign = apps.get_model("surveys", "Campaign")
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    OldResponse = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    OldEvent = apps.get_model("mentoring", "ProgramEvent")
    OldInvitation = apps.get_model("mentoring", "EventInvitation")
    mentee_p, mentor_p, absent_p = people["mentee"], people["mentor"], people["absent"]

    # February: recorded only in the questionnaires section.
    february = NetworkingMeeting.objects.create(
        program_id=program_x.pk,
        title="Общая встреча наставников и наставляемых",
        held_on=dt.date(2026, 2, 10),
        place="Актовый зал",
        notes="Пришли родители",
        created_by_id=school_x_curator.pk,
    )
    for participation, came in ((mentee_p, True), (mentor_p, True), (absent_p, False)):
        MeetingParticipant.objects.create(
            meeting=february, person_id=participation.person_id, role=participation.role, attended=came
        )
    preference = Questionnaire.objects.get(program__isnull=True, builtin_code="preference", is_latest=True)
    campaign = OldCampaign.objects.create(
        program_id=program_x.pk,
        questionnaire=preference,
        title="Выбор после общей встречи",
        deadline=dt.datetime(2026, 2, 14, 23, 59, tzinfo=VLADIVOSTOK),
        meeting=february,
    )
    answered = OldResponse.objects.create(
        campaign=campaign, respondent_id=mentee_p.person_id, status="submitted"
    )
    Answer.objects.create(
        response=answered,
        question=preference.questions.get(code="preference_ranking"),
        value=[mentor_p.person_id],
    )

    # March: recorded twice — as a program event at 10:00 (the mentor not marked yet, the absent
    # mentor marked absent) and as a meeting where both mentors came.
    march_event = OldEvent.objects.create(
        program_id=program_x.pk,
        kind="networking",
        title="Вторая общая встреча",
        starts_at=dt.datetime(2026, 3, 3, 10, tzinfo=VLADIVOSTOK),
    )
    OldInvitation.objects.create(
        event=march_event, person_id=mentor_p.person_id, participation_id=mentor_p.pk, attended=None
    )
    OldInvitation.objects.create(
        event=march_event, person_id=absent_p.person_id, participation_id=absent_p.pk, attended=False
    )
    march = NetworkingMeeting.objects.create(
        program_id=program_x.pk, title="Общая встреча (2)", held_on=dt.date(2026, 3, 3), place="Спортзал"
    )
    for participation in (mentor_p, absent_p, mentee_p):
        MeetingParticipant.objects.create(
            meeting=march,
            person_id=participation.person_id,
            role=participation.role,
            attended=participation != mentee_p,
        )

    migrate(latest)
    events = list(ProgramEvent.objects.filter(kind=ProgramEventKind.NETWORKING).order_by("starts_at"))
    assert len(events) == 2
    converted, merged = events
    assert (converted.title, converted.place, converted.description, converted.created_by) == (
        "Общая встреча наставников и наставляемых",
        "Актовый зал",
        "Пришли родители",
        school_x_curator,
    )
    assert converted.starts_at == dt.datetime(2026, 2, 10, 15, tzinfo=VLADIVOSTOK)
    assert sorted(
        (i.person_id, i.participation_id, i.attended) for i in converted.invitations.all()
    ) == sorted(
        [
            (mentee_p.person_id, mentee_p.pk, True),
            (mentor_p.person_id, mentor_p.pk, True),
            (absent_p.person_id, absent_p.pk, False),
        ]
    )
    campaign = Campaign.objects.get()
    assert campaign.preference_of.event == converted
    # The preferences stated after the meeting still reach matching.
    assert selectors.preference_rankings(campaigns_of(converted)) == {
        mentee_p.person_id: [mentor_p.person_id]
    }
    assert dict(load_preferences(program_x).by_mentee) == {(mentee_p.person_id, mentor_p.person_id): 1}

    # The March meeting went into the event recorded that day: present if either list said so.
    assert (merged.pk, merged.title, merged.place) == (march_event.pk, "Вторая общая встреча", "Спортзал")
    assert merged.starts_at == dt.datetime(2026, 3, 3, 10, tzinfo=VLADIVOSTOK)
    assert sorted((i.person_id, i.attended) for i in merged.invitations.all()) == sorted(
        [(mentor_p.person_id, True), (absent_p.person_id, True), (mentee_p.person_id, False)]
    )

    # Backwards: a meeting per networking event again, the campaign back on its meeting.
    historical = migrate(BEFORE)
    NetworkingMeeting = historical.get_model("surveys", "NetworkingMeeting")
    back = list(NetworkingMeeting.objects.order_by("held_on"))
    assert [(m.title, m.held_on, m.place) for m in back] == [
        ("Общая встреча наставников и наставляемых", dt.date(2026, 2, 10), "Актовый зал"),
        ("Вторая общая встреча", dt.date(2026, 3, 3), "Спортзал"),
    ]
    assert sorted(back[0].participants.values_list("person_id", "role", "attended")) == sorted(
        [
            (mentee_p.person_id, "mentee", True),
            (mentor_p.person_id, "mentor", True),
            (absent_p.person_id, "mentor", False),
        ]
    )
    assert historical.get_model("surveys", "Campaign").objects.get().meeting_id == back[0].pk

    # Forwards again: each meeting goes back into its event, nothing is recorded twice.
    migrate(latest)
    assert ProgramEvent.objects.filter(kind=ProgramEventKind.NETWORKING).count() == 2
    assert Campaign.objects.get().preference_of.event == converted
    assert converted.invitations.count() == 3 and merged.invitations.count() == 3
