"""The individual plan: templates per form, drafting and approval, revisions, and fulfilment
computed from tasks (never typed in) on hand-made cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.base.time import today_in
from nastavnik.mentoring.models import PlanStatus, PlanTask
from nastavnik.mentoring.plan_templates import TEMPLATES, template_for_form
from nastavnik.mentoring.services import plans
from nastavnik.orgs.models import MentoringForm
from tests.builders import builtin_form
from tests.mentoring.conftest import base

pytestmark = pytest.mark.django_db


def bare_plan(pair, user, *due_and_done):
    """A plan with exactly the given tasks: (due_on, done) pairs."""
    plan = plans.plan_create(
        acting_user=user, group=pair, starts_on=base(), ends_on=today_in() + dt.timedelta(days=200)
    )
    plan.tasks.all().delete()
    for number, (due, done) in enumerate(due_and_done, start=1):
        PlanTask.objects.create(
            plan=plan,
            number=number,
            title=f"Задача {number}",
            due_on=due,
            done=done,
            done_on=due if done else None,
        )
    return plan


def test_every_builtin_form_has_a_sensible_template():
    for form in MentoringForm.objects.filter(organisation__isnull=True):
        template = template_for_form(form)
        assert template.task_count >= 5, form
        assert template.goals[0].tasks[0].week <= template.goals[-1].tasks[-1].week
    assert template_for_form(builtin_form("teacher-teacher-1")).key == "teacher-teacher"
    assert template_for_form(builtin_form("employer-pupil")).key == "employer-pupil"
    assert template_for_form(builtin_form("virtual")).key == "teachers"


def test_the_draft_comes_from_the_forms_template_with_deadlines_inside_the_plan(pair, mentor_user):
    plan = plans.plan_create(
        acting_user=mentor_user, group=pair, starts_on=base(), ends_on=base() + dt.timedelta(weeks=20)
    )
    template = TEMPLATES["student-student"]
    assert (plan.status, plan.revision, plan.is_current) == (PlanStatus.DRAFT, 1, True)
    assert plan.tasks.count() == template.task_count
    assert [g.title for g in plan.goals.all()] == [g.title for g in template.goals]
    first = plan.tasks.order_by("due_on").first()
    assert first.due_on == base() + dt.timedelta(weeks=1)
    # A deadline the template puts after the plan's end is pulled in to the end.
    assert max(plan.tasks.values_list("due_on", flat=True)) == plan.ends_on


def test_fulfilment_overall_and_due_by_a_date_on_a_hand_made_plan(pair, mentor_user):
    d = base() + dt.timedelta(days=30)
    plan = bare_plan(
        pair,
        mentor_user,
        (d - dt.timedelta(days=10), True),  # due earlier, done
        (d - dt.timedelta(days=5), False),  # due earlier, not done → overdue
        (d, False),  # due on the day: counts as due, not overdue
        (d + dt.timedelta(days=10), True),  # done ahead of time: counts overall, not in «due»
        (d + dt.timedelta(days=20), False),
    )
    progress = plans.plan_progress(plan, d)
    assert (progress.total, progress.done, progress.due, progress.due_done, progress.overdue) == (
        5,
        2,
        3,
        1,
        1,
    )
    assert progress.overall_percent == 40  # ⌊100·2/5⌋
    assert progress.due_percent == 33  # ⌊100·1/3⌋
    assert plans.plan_progress(plan, d - dt.timedelta(days=11)).due_percent is None  # nothing due yet


def test_fulfilment_of_a_plan_without_tasks_is_unknown_not_zero(pair, mentor_user):
    plan = bare_plan(pair, mentor_user)
    progress = plans.plan_progress(plan, today_in())
    assert progress.overall_percent is None and progress.due_percent is None


def test_drafted_by_the_mentor_approved_by_the_curator(pair, mentor_user, school_x_curator):
    plan = plans.plan_create(acting_user=mentor_user, group=pair)
    with pytest.raises(PermissionDenied):
        plans.plan_approve(acting_user=mentor_user, plan=plan)
    plans.plan_submit(acting_user=mentor_user, plan=plan)
    with pytest.raises(ValidationError):
        plans.task_add(acting_user=mentor_user, plan=plan, title="Ещё", due_on=plan.starts_on)
    plans.plan_return(acting_user=school_x_curator, plan=plan, comment="Уточните цель 2")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.curator_comment == "Уточните цель 2"
    plans.plan_submit(acting_user=mentor_user, plan=plan)
    plans.plan_approve(acting_user=school_x_curator, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == school_x_curator


def test_an_approved_plan_changes_only_by_ticks_or_a_new_revision(pair, mentor_user, school_x_curator):
    plan = plans.plan_create(acting_user=mentor_user, group=pair)
    plans.plan_submit(acting_user=mentor_user, plan=plan)
    plans.plan_approve(acting_user=school_x_curator, plan=plan)
    task = plan.tasks.order_by("due_on").first()
    for change in (
        lambda: plans.task_update(
            acting_user=mentor_user, task=task, title="X", due_on=task.due_on, goal=None
        ),
        lambda: plans.task_delete(acting_user=mentor_user, task=task),
        lambda: plans.goal_add(acting_user=mentor_user, plan=plan, title="Новая цель"),
    ):
        with pytest.raises(ValidationError, match="новой редакцией"):
            change()
    plans.task_set_done(acting_user=mentor_user, task=task, done=True)
    draft = plans.plan_new_revision(acting_user=mentor_user, plan=plan, change_note="Сдвинуть сроки")
    assert (draft.revision, draft.status, draft.is_current) == (2, PlanStatus.DRAFT, False)
    assert draft.tasks.filter(done=True).count() == 1
    # While the revision is drafted, work goes on in the approved one; the tick carries over.
    second = plan.tasks.order_by("due_on")[1]
    plans.task_set_done(acting_user=mentor_user, task=second, done=True)
    plans.task_delete(acting_user=mentor_user, task=draft.tasks.order_by("-due_on").first())
    plans.plan_submit(acting_user=mentor_user, plan=draft)
    plans.plan_approve(acting_user=school_x_curator, plan=draft)
    plan.refresh_from_db()
    draft.refresh_from_db()
    assert (plan.status, plan.is_current) == (PlanStatus.SUPERSEDED, False)
    assert (draft.status, draft.is_current) == (PlanStatus.APPROVED, True)
    assert set(draft.tasks.filter(done=True).values_list("origin_id", flat=True)) == {task.pk, second.pk}
    assert draft.tasks.count() == plan.tasks.count() - 1
    with pytest.raises(ValidationError, match="старая редакция"):
        plans.task_set_done(acting_user=mentor_user, task=plan.tasks.last(), done=True)


def test_a_mentee_reads_the_plan_but_cannot_change_it(pair, mentor_user, mentee_user):
    plan = plans.plan_create(acting_user=mentor_user, group=pair)
    task = plan.tasks.first()
    with pytest.raises(PermissionDenied):
        plans.task_set_done(acting_user=mentee_user, task=task, done=True)
    with pytest.raises(PermissionDenied):
        plans.plan_create(acting_user=mentee_user, group=pair)


def test_another_mentor_and_school_y_cannot_touch_the_plan(pair, other_pair, mentor_user, school_y_curator):
    from tests.mentoring.conftest import account_for

    plan = plans.plan_create(acting_user=mentor_user, group=pair)
    stranger = account_for(other_pair.mentor.person)
    for user in (stranger, school_y_curator):
        with pytest.raises(PermissionDenied):
            plans.task_set_done(acting_user=user, task=plan.tasks.first(), done=True)
        with pytest.raises(PermissionDenied):
            plans.plan_submit(acting_user=user, plan=plan)


def test_a_task_cannot_be_ticked_in_the_future(pair, mentor_user):
    plan = plans.plan_create(acting_user=mentor_user, group=pair)
    with pytest.raises(ValidationError):
        plans.task_set_done(
            acting_user=mentor_user,
            task=plan.tasks.first(),
            done=True,
            done_on=today_in() + dt.timedelta(days=2),
        )
