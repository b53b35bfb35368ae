"""The data migration mentoring 0006: the links the surveys app held to mentoring (a campaign's
networking meeting, a response's pair and stage) become mentoring's `PreferenceCampaign` and
`PairFeedbackResponse`, the campaign offers those present at the meeting, the pair members'
answers are marked as given in «Мой кабинет»; and back. Run with the migration executor on the
test database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nastavnik.home.reference import ensure_reference_data
from nastavnik.matching.preferences import load_preferences
from nastavnik.mentoring.models import PairFeedbackResponse, PreferenceCampaign
from nastavnik.mentoring.services import pair_feedback
from nastavnik.registry.models import GuardianLink
from nastavnik.surveys.models import Campaign, Response
from nastavnik.surveys.services.responses import allowed_people_for
from tests.builders import mentor
from tests.migrations import latest_nodes, migrate, schema_at

# Schema changes cannot run inside the test's transaction, so this test is transactional.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0007_remove_networking_meeting"), ("mentoring", "0004_remove_pair_feedback")]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test before this one flushed the database, data migrations' rows
    included: put the built-in reference data (forms, templates) back first."""
    ensure_reference_data()


@pytest.fixture
def old_schema():
    """The historical apps with `Campaign.meeting` and `Response.group`/`pair_stage` back; the
    latest schema again after."""
    with schema_at(BEFORE) as apps:
        yield apps


def test_meeting_and_pair_links_move_to_mentoring_and_back(pair, school_x_curator, old_schema):
    latest = latest_nodes()
    apps = old_schema
    OldEvent = apps.get_model("mentoring", "ProgramEvent")
    OldInvitation = apps.get_model("mentoring", "EventInvitation")
    OldCampaign = apps.get_model("surveys", "Campaign")
    OldResponse = apps.get_model("surveys", "Response")
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Answer = apps.get_model("surveys", "Answer")
    program = pair.program
    mentee_p = pair.memberships.get().mentee
    mentor_p = pair.mentor
    absent_p = mentor(program)
    guardian = GuardianLink.objects.filter(child=mentee_p.person).first().guardian
    deadline = timezone.now() + dt.timedelta(days=3)

    # The networking meeting: mentee and mentor came, the other mentor did not, a parent came as a guest.
    meeting = OldEvent.objects.create(
        program_id=program.pk, kind="networking", title="Общая встреча", starts_at=timezone.now()
    )
    for participation, came in ((mentee_p, True), (mentor_p, True), (absent_p, False)):
        OldInvitation.objects.create(
            event=meeting, person_id=participation.person_id, participation_id=participation.pk, attended=came
        )
    OldInvitation.objects.create(event=meeting, person_id=guardian.pk, attended=True)
    preference = Questionnaire.objects.get(program__isnull=True, builtin_code="preference", is_latest=True)
    after_meeting = OldCampaign.objects.create(
        program_id=program.pk, questionnaire=preference, title="Выбор", deadline=deadline, meeting=meeting
    )
    ranked = OldResponse.objects.create(
        campaign=after_meeting, respondent_id=mentee_p.person_id, status="submitted"
    )
    Answer.objects.create(
        response=ranked,
        question=preference.questions.get(code="preference_ranking"),
        value=[mentor_p.person_id],
    )
    # A campaign of no meeting, and the pair's in-app questionnaires: the mentee's interim and
    # final ones (the same person twice in one campaign) and the mentor's interim one.
    plain = OldCampaign.objects.create(
        program_id=program.pk, questionnaire=preference, title="Без встречи", deadline=deadline
    )
    OldResponse.objects.create(campaign=plain, respondent_id=mentee_p.person_id)
    satisfaction = Questionnaire.objects.get(
        program__isnull=True, kind="satisfaction_mentee", is_latest=True, builtin_code__gt=""
    )
    in_app = OldCampaign.objects.create(
        program_id=program.pk, questionnaire=satisfaction, title="В кабинете", deadline=deadline, in_app=True
    )
    now = timezone.now()
    feedback = [
        OldResponse.objects.create(
            campaign=in_app,
            respondent_id=person_id,
            group_id=pair.pk,
            pair_stage=stage,
            status="submitted",
            submitted_at=now + dt.timedelta(minutes=n),
        )
        for n, (person_id, stage) in enumerate(
            [(mentee_p.person_id, "interim"), (mentee_p.person_id, "final"), (mentor_p.person_id, "interim")]
        )
    ]

    migrate(latest)
    link = PreferenceCampaign.objects.get()
    assert (link.campaign_id, link.event_id) == (after_meeting.pk, meeting.pk)
    # The campaign offers the program's people present at the meeting: not the absent, not the guest.
    campaign = Campaign.objects.get(pk=after_meeting.pk)
    assert set(campaign.rank_candidates.all()) == {mentee_p, mentor_p}
    question = campaign.questionnaire.questions.get(code="preference_ranking")
    offered = allowed_people_for(question, Response.objects.get(pk=ranked.pk))
    assert [c.person_id for c in offered] == [mentor_p.person_id]
    assert not Campaign.objects.get(pk=plain.pk).rank_candidates.exists()
    # The ranking still reaches matching.
    assert dict(load_preferences(program).by_mentee) == {(mentee_p.person_id, mentor_p.person_id): 1}
    assert sorted(PairFeedbackResponse.objects.values_list("response_id", "group_id", "stage")) == sorted(
        [
            (feedback[0].pk, pair.pk, "interim"),
            (feedback[1].pk, pair.pk, "final"),
            (feedback[2].pk, pair.pk, "interim"),
        ]
    )
    assert set(Response.objects.filter(in_app=True).values_list("pk", flat=True)) == {f.pk for f in feedback}
    # The pair's pages read them as before.
    assert [(f.response.pk, f.stage) for f in pair_feedback.group_feedback(pair)] == [
        (feedback[2].pk, "interim"),
        (feedback[1].pk, "final"),
        (feedback[0].pk, "interim"),
    ]

    # Backwards: the surveys app's fields hold the links again.
    historical = migrate(BEFORE)
    assert (
        historical.get_model("surveys", "Campaign").objects.get(pk=after_meeting.pk).meeting_id == meeting.pk
    )
    assert historical.get_model("surveys", "Campaign").objects.get(pk=plain.pk).meeting_id is None
    back = historical.get_model("surveys", "Response").objects
    assert sorted(back.filter(group__isnull=False).values_list("pk", "group_id", "pair_stage")) == sorted(
        [
            (feedback[0].pk, pair.pk, "interim"),
            (feedback[1].pk, pair.pk, "final"),
            (feedback[2].pk, pair.pk, "interim"),
        ]
    )
    assert back.get(pk=ranked.pk).group_id is None

    # Forwards again: nothing is linked twice.
    migrate(latest)
    assert PreferenceCampaign.objects.count() == 1 and PairFeedbackResponse.objects.count() == 3
    assert set(Campaign.objects.get(pk=after_meeting.pk).rank_candidates.all()) == {mentee_p, mentor_p}
