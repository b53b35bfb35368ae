"""The curator's board: the health rule, the «no meeting for N weeks» list (also for a pair
re-formed mid-year), plan % and overdue tasks, and a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.base.time import today_in
from nastavnik.mentoring.board import curator_board
from nastavnik.mentoring.health import Health, HealthSignals, StaleMentee, pair_health
from nastavnik.mentoring.models import PlanTask
from nastavnik.mentoring.services import groups as group_services
from nastavnik.mentoring.services import plans
from tests.builders import mentee
from tests.mentoring.conftest import base, give_feedback, hold, make_pair

pytestmark = pytest.mark.django_db
SCALE_ITEMS = ("sat_expected", "sat_real", "sat_comfort", "sat_meetings", "sat_clarity", "sat_support")

D = dt.date(2026, 12, 1)


def signals(**kwargs):
    base = {"today": D, "weeks": 3, "working_since": D - dt.timedelta(weeks=8), "has_approved_plan": True}
    return HealthSignals(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({}, Health.OK),
        ({"working_since": D - dt.timedelta(days=20), "has_approved_plan": False}, Health.TOO_EARLY),
        ({"working_since": D - dt.timedelta(days=21), "has_approved_plan": False}, Health.ATTENTION),
        ({"stale": (StaleMentee("Иванов И.", D - dt.timedelta(weeks=3)),)}, Health.ATTENTION),
        ({"due_percent": 49}, Health.ATTENTION),
        ({"due_percent": 50}, Health.OK),
        ({"feedback_average": 5.9}, Health.ATTENTION),
        ({"feedback_average": 6.0}, Health.OK),
        ({"wants_to_continue": False}, Health.ATTENTION),
        # A problem shows even in a new pair: a low first feedback is not «too early».
        ({"working_since": D - dt.timedelta(days=5), "feedback_average": 3.0}, Health.ATTENTION),
        ({"working_since": None, "has_approved_plan": False}, Health.TOO_EARLY),
    ],
)
def test_the_health_rule(kwargs, status):
    assert pair_health(signals(**kwargs)).status == status


def test_the_health_rule_says_why():
    verdict = pair_health(signals(due_percent=20, wants_to_continue=False))
    assert verdict.reasons == [
        "выполнено 20% задач, срок которых наступил",
        "наставляемый не хочет продолжать",
    ]


def row_for(board, group):
    return next(r for r in board.rows if r.group.pk == group.pk)


def test_no_meeting_for_n_weeks_counts_from_the_last_meeting_attended(program, school_x_curator):
    met = make_pair(program, school_x_curator)
    hold(met, school_x_curator, base() + dt.timedelta(days=40))
    absent = make_pair(program, school_x_curator)
    hold(absent, school_x_curator, base() + dt.timedelta(days=10))
    hold(absent, school_x_curator, base() + dt.timedelta(days=40), present=set())  # held, mentee not there
    never = make_pair(program, school_x_curator)
    today = base() + dt.timedelta(days=40 + 21)
    board = curator_board(school_x_curator, weeks=3, today=today)
    assert [s.since for s in row_for(board, met).stale] == [base() + dt.timedelta(days=40)]
    assert [s.since for s in row_for(board, absent).stale] == [base() + dt.timedelta(days=10)]
    assert [s.since for s in row_for(board, never).stale] == [base()]
    assert row_for(board, absent).last_meeting_on == base() + dt.timedelta(days=40)
    # A day earlier the pair that met is within three weeks; and with N = 4 nobody who met is.
    assert not row_for(
        curator_board(school_x_curator, weeks=3, today=today - dt.timedelta(days=1)), met
    ).stale
    assert not row_for(curator_board(school_x_curator, weeks=9, today=today), absent).stale


def test_a_pair_reformed_mid_year_is_judged_by_the_new_mentee(program, school_x_curator):
    """Mentee A met the mentor and left; mentee B joined later. The old meetings do not count
    for B: B's «no meeting» runs from the day B joined."""
    group = make_pair(program, school_x_curator)
    hold(group, school_x_curator, base() + dt.timedelta(days=20))
    hold(group, school_x_curator, base() + dt.timedelta(days=50))
    first = group.memberships.get()
    newcomer = mentee(program)
    joined = base() + dt.timedelta(days=60)
    group_services.group_add_mentee(
        acting_user=school_x_curator, group=group, mentee=newcomer, joined_on=joined
    )
    group_services.group_remove_mentee(
        acting_user=school_x_curator,
        group=group,
        mentee=first.mentee,
        left_on=joined,
        reason="Перевёлся в другую школу",
    )
    board = curator_board(school_x_curator, weeks=3, today=joined + dt.timedelta(days=20))
    row = row_for(board, group)
    assert row.stale == () and row.health.status == Health.TOO_EARLY
    assert row.last_meeting_on == base() + dt.timedelta(days=50)  # the pair's, shown for reference
    board = curator_board(school_x_curator, weeks=3, today=joined + dt.timedelta(days=21))
    row = row_for(board, group)
    assert [(s.name, s.since) for s in row.stale] == [(newcomer.person.short_name, joined)]
    assert row.health.status == Health.ATTENTION
    # The meeting with the newcomer resets the count for them.
    hold(group, school_x_curator, joined + dt.timedelta(days=7))
    assert (
        row_for(curator_board(school_x_curator, weeks=3, today=joined + dt.timedelta(days=21)), group).stale
        == ()
    )


def test_plan_percent_overdue_tasks_and_mentee_feedback_on_the_board(program, school_x_curator):
    group = make_pair(program, school_x_curator)
    plan = plans.plan_create(
        acting_user=school_x_curator,
        group=group,
        starts_on=base(),
        ends_on=today_in() + dt.timedelta(days=60),
    )
    plan.tasks.all().delete()
    day = base() + dt.timedelta(days=50)
    for number, (due, done) in enumerate(
        [
            (day - dt.timedelta(days=9), True),
            (day - dt.timedelta(days=3), False),
            (day + dt.timedelta(days=9), False),
        ],
        1,
    ):
        PlanTask.objects.create(
            plan=plan,
            number=number,
            title=f"Задача {number}",
            due_on=due,
            done=done,
            done_on=due if done else None,
        )
    plans.plan_submit(acting_user=school_x_curator, plan=plan)
    plans.plan_approve(acting_user=school_x_curator, plan=plan)
    hold(group, school_x_curator, day - dt.timedelta(days=2))
    member = group.memberships.get().mentee
    # The curator enters the mentee's paper questionnaire: every 1–10 item 9.
    give_feedback(school_x_curator, group, member, **dict.fromkeys(SCALE_ITEMS, 9))
    row = row_for(curator_board(school_x_curator, weeks=3, today=day), group)
    assert (row.progress.overall_percent, row.progress.due_percent) == (33, 50)
    assert [t.title for t in row.overdue_tasks] == ["Задача 2"]
    assert row.feedback.average == 9 and row.health.status == Health.OK
    # A later one: (9 + 9 + 1 + 1 + 1 + 1) / 6
    low = dict.fromkeys(("sat_comfort", "sat_meetings", "sat_clarity", "sat_support"), 1)
    give_feedback(school_x_curator, group, member, **{**dict.fromkeys(SCALE_ITEMS, 9), **low})
    row = row_for(curator_board(school_x_curator, weeks=3, today=day), group)
    assert row.health.status == Health.ATTENTION
    assert row.health.reasons == ["низкая оценка наставляемого: 3.7 из 10"]


def test_the_board_reads_the_mentees_feedback_not_the_mentors(program, school_x_curator):
    group = make_pair(program, school_x_curator)
    give_feedback(school_x_curator, group, group.mentor, sat_real=1, sat_continue="no")
    row = row_for(curator_board(school_x_curator, weeks=3), group)
    assert row.feedback is None
    give_feedback(school_x_curator, group, group.memberships.get().mentee, sat_continue="no")
    row = row_for(curator_board(school_x_curator, weeks=3), group)
    assert (row.feedback.average, row.feedback.wants_to_continue) == (8, False)
    assert "наставляемый не хочет продолжать" in row.health.reasons


def test_the_board_shows_only_pairs_the_user_oversees(
    program, school_x_curator, school_y_curator, municipal_curator_a
):
    group = make_pair(program, school_x_curator)
    assert curator_board(school_y_curator, weeks=3).rows == []
    assert [r.group.pk for r in curator_board(municipal_curator_a, weeks=3).rows] == [group.pk]


def test_the_board_page_query_count_does_not_grow(program, school_x_curator, client_for):
    client = client_for(school_x_curator)

    def busy_pair(n_mentees):
        group = make_pair(program, school_x_curator, n_mentees=n_mentees)
        plan = plans.plan_create(acting_user=school_x_curator, group=group, starts_on=base())
        plans.plan_submit(acting_user=school_x_curator, plan=plan)
        hold(group, school_x_curator, base() + dt.timedelta(days=3))
        for membership in group.memberships.all():
            give_feedback(school_x_curator, group, membership.mentee, sat_comfort=3)
        give_feedback(school_x_curator, group, group.mentor, stage="final")
        return group

    busy_pair(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("mentoring:board")).status_code == 200
    for n in (1, 2, 3):
        busy_pair(n)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("mentoring:board"))
    rows = response.context["board"].rows
    assert len(rows) == 4 and all(row.feedback.average == 7.2 for row in rows)  # (5 × 8 + 3) / 6
    assert len(one) == len(four)
