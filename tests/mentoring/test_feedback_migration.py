"""The data migration mentoring 0003: rows of the old `PairFeedback` table become satisfaction
questionnaires (and back), run with the migration executor on the test database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nastavnik.home.reference import ensure_reference_data
from nastavnik.mentoring.services import pair_feedback
from nastavnik.monitoring.satisfaction import satisfaction_by_organisation
from nastavnik.registry.models import Person
from nastavnik.surveys.models import Campaign, Response, TemplateKind
from tests.migrations import latest_nodes, migrate, schema_at

# Schema changes cannot run inside the test's transaction, so this test is transactional.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("mentoring", "0002_plans_meetings_events_completion")]
RATINGS = ("expected_effectiveness", "real_effectiveness", "comfort", "usefulness", "clarity", "support")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test before this one flushed the database, data migrations' rows
    included: put the built-in reference data (forms, templates) back first."""
    ensure_reference_data()


@pytest.fixture
def old_schema():
    """The historical apps with the `PairFeedback` table back; the latest schema again after."""
    with schema_at(BEFORE) as apps:
        yield apps


def test_pair_feedback_becomes_satisfaction_questionnaires_and_back(
    pair, mentee_user, school_x_curator, old_schema
):
    latest = latest_nodes()
    PairFeedback = old_schema.get_model("mentoring", "PairFeedback")
    mentee = pair.memberships.get().mentee
    october = dt.datetime(2026, 10, 5, 12, tzinfo=dt.UTC)
    rows = [
        # the mentee's own, the curator's paper entry for them, and the mentor's (account deleted)
        ("mentee", "interim", mentee.pk, mentee_user.pk, (9, 7, 10, 6, 8, 5), (True, False), " Спасибо "),
        ("mentee", "final", mentee.pk, school_x_curator.pk, (8, 8, 8, 8, 8, 8), (True, True), ""),
        ("mentor", "interim", pair.mentor_id, None, (6, 6, 6, 6, 6, 6), (False, False), "Мало времени"),
    ]
    for n, (role, stage, respondent, by, ratings, (glad, go_on), comment) in enumerate(rows):
        PairFeedback.objects.create(
            group_id=pair.pk,
            respondent_id=respondent,
            role=role,
            stage=stage,
            glad_to_take_part=glad,
            want_to_continue=go_on,
            comment=comment,
            submitted_by_id=by,
            submitted_at=october + dt.timedelta(days=n),
            **dict(zip(RATINGS, ratings, strict=True)),
        )

    migrate(latest)
    responses = list(
        Response.objects.select_related("campaign__questionnaire", "pair_feedback").order_by("submitted_at")
    )
    assert [
        (r.campaign.questionnaire.kind, r.pair_feedback.stage, r.pair_feedback.group_id) for r in responses
    ] == [
        (TemplateKind.SATISFACTION_MENTEE, "interim", pair.pk),
        (TemplateKind.SATISFACTION_MENTEE, "final", pair.pk),
        (TemplateKind.SATISFACTION_MENTOR, "interim", pair.pk),
    ]
    own, paper, mentors = responses
    assert own.respondent == paper.respondent == mentee.person and mentors.respondent == pair.mentor.person
    assert (own.entered_by, paper.entered_by, mentors.entered_by) == (None, school_x_curator, None)
    assert own.submitted_at == own.created_at == october and own.status == "submitted"
    assert dict(own.answers.values_list("question__code", "value")) == {
        "sat_expected": 9,
        "sat_real": 7,
        "sat_comfort": 10,
        "sat_meetings": 6,
        "sat_clarity": 8,
        "sat_support": 5,
        "sat_glad": "yes",
        "sat_continue": "no",
        "sat_comment": "Спасибо",
    }
    assert set(own.answers.values_list("number", flat=True)) == {9, 7, 10, 6, 8, 5, None}
    campaigns = Campaign.objects.filter(program=pair.program, in_app=True)
    assert campaigns.count() == 2 and {c.questionnaire.program_id for c in campaigns} == {None}
    # The pair's pages and stage 1 of monitoring read them like any other.
    shown = {f.response.pk: f for f in pair_feedback.group_feedback(pair)}
    assert (shown[own.pk].average, shown[own.pk].glad, shown[own.pk].wants_to_continue) == (7.5, True, False)
    people = Person.objects.filter(pk__in=[mentee.person_id, pair.mentor.person_id]).values("pk")
    stage1 = satisfaction_by_organisation(people, timezone.localdate(october) + dt.timedelta(days=5))
    counted = stage1[pair.program.organisation_id]
    assert (counted.mentees.respondents, counted.mentors.respondents, counted.respondents) == (1, 1, 2)
    # New in-app answers go to the same campaigns.
    assert pair_feedback._in_app_campaign(pair.program, own.campaign.questionnaire) == own.campaign

    # Backwards: the table is filled again from the questionnaires, which are removed.
    historical = migrate(BEFORE)
    PairFeedback = historical.get_model("mentoring", "PairFeedback")
    back = [
        (
            f.role,
            f.stage,
            f.respondent_id,
            f.submitted_by_id,
            tuple(getattr(f, name) for name in RATINGS),
            (f.glad_to_take_part, f.want_to_continue),
            f.comment,
        )
        for f in PairFeedback.objects.order_by("submitted_at")
    ]
    assert back == [
        (*rows[0][:4], rows[0][4], rows[0][5], "Спасибо"),
        rows[1],
        # the mentor had no account left: who sent it is not known
        rows[2],
    ]
    assert not Response.objects.exists() and not Campaign.objects.exists()
