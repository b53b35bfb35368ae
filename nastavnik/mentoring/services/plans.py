"""The individual plan: writes (drafted by the mentor, approved by the curator, revised by a
new revision) and its fulfilment, which is computed from tasks and never typed in.

Fulfilment, precisely (`PlanProgress`):
- overall % = ⌊100 × done tasks / all tasks⌋ of the plan (None without tasks);
- % due by a date D = ⌊100 × done tasks with due_on ≤ D / tasks with due_on ≤ D⌋ (None if
  nothing is due by D): what should have been done by D and was;
- overdue on D = tasks not done whose due_on < D (a task due today is not overdue yet).
A task counts as done whatever the day it was ticked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today

from ..access import require_curate_group, require_work_on_group
from ..models import GroupStatus, IndividualPlan, MentoringGroup, PlanGoal, PlanStatus, PlanTask
from ..notices import notify_plan_decision
from ..plan_templates import TEMPLATES, template_for_form

# --- fulfilment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanProgress:
    total: int = 0
    done: int = 0
    due: int = 0
    due_done: int = 0
    overdue: int = 0

    @property
    def overall_percent(self) -> int | None:
        return 100 * self.done // self.total if self.total else None

    @property
    def due_percent(self) -> int | None:
        return 100 * self.due_done // self.due if self.due else None


def progress_for_plans(plan_ids: Iterable[int], on_date: dt.date) -> dict[int, PlanProgress]:
    """Fulfilment of many plans on a date, in one query."""
    rows = (
        PlanTask.objects.filter(plan_id__in=list(plan_ids))
        .values("plan_id")
        .annotate(
            # Names apart from the model's fields: an annotation called `done` would shadow
            # the field in the filters of the ones after it.
            n_total=Count("pk"),
            n_done=Count("pk", filter=Q(done=True)),
            n_due=Count("pk", filter=Q(due_on__lte=on_date)),
            n_due_done=Count("pk", filter=Q(due_on__lte=on_date, done=True)),
            n_overdue=Count("pk", filter=Q(due_on__lt=on_date, done=False)),
        )
        .order_by()
    )
    return {
        row["plan_id"]: PlanProgress(
            row["n_total"], row["n_done"], row["n_due"], row["n_due_done"], row["n_overdue"]
        )
        for row in rows
    }


def plan_progress(plan: IndividualPlan, on_date: dt.date) -> PlanProgress:
    return progress_for_plans([plan.pk], on_date).get(plan.pk, PlanProgress())


# --- who may write ----------------------------------------------------------------------------

_EDIT_PLAN = "Изменять план может наставник пары (группы) или куратор программы."
_APPROVE_PLAN = "Утверждать планы могут администрация и кураторы организации."


def _require_draft(plan: IndividualPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"План «{plan.get_status_display().lower()}»: менять его можно только новой редакцией."
            if plan.status == PlanStatus.APPROVED
            else f"План «{plan.get_status_display().lower()}»: менять его нельзя."
        )


# --- writes -----------------------------------------------------------------------------------


def plan_create(
    *,
    acting_user: User,
    group: MentoringGroup,
    template_key: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> IndividualPlan:
    """The first plan of a pair, drafted from a template (the form's own by default)."""
    require_work_on_group(acting_user, group, _EDIT_PLAN)
    if group.status != GroupStatus.ACTIVE:
        raise ValidationError("Пара (группа) завершила работу: план не составляется.")
    if group.plans.exists():
        raise ValidationError("У пары (группы) уже есть план: измените его или создайте новую редакцию.")
    template = TEMPLATES.get(template_key or "") or template_for_form(group.form)
    start = starts_on or max(group.started_on, local_today(group.program.organisation))
    end = ends_on or group.program.ends_on or start + dt.timedelta(weeks=template.weeks)
    if end < start:
        end = start + dt.timedelta(weeks=template.weeks)
    plan = IndividualPlan(
        group=group,
        revision=1,
        is_current=True,
        title=template.title,
        template_key=template.key,
        starts_on=start,
        ends_on=end,
        created_by=acting_user,
    )
    plan.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        plan.save()
        task_number = 0
        for goal_number, goal_template in enumerate(template.goals, start=1):
            goal = PlanGoal.objects.create(plan=plan, number=goal_number, title=goal_template.title)
            for task_template in goal_template.tasks:
                task_number += 1
                due = min(start + dt.timedelta(weeks=task_template.week), end)
                PlanTask.objects.create(
                    plan=plan,
                    goal=goal,
                    number=task_number,
                    title=task_template.title,
                    due_on=due,
                    expected_result=task_template.expected_result,
                )
    return plan


def plan_update(
    *,
    acting_user: User,
    plan: IndividualPlan,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    change_note: str = "",
) -> IndividualPlan:
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    _require_draft(plan)
    plan.title, plan.starts_on, plan.ends_on = title.strip(), starts_on, ends_on
    plan.change_note = change_note.strip()
    plan.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        plan.save(update_fields=["title", "starts_on", "ends_on", "change_note"])
    return plan


def goal_add(*, acting_user: User, plan: IndividualPlan, title: str) -> PlanGoal:
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    _require_draft(plan)
    number = (plan.goals.aggregate(n=Max("number"))["n"] or 0) + 1
    goal = PlanGoal(plan=plan, number=number, title=title.strip())
    goal.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        goal.save()
    return goal


def goal_delete(*, acting_user: User, goal: PlanGoal) -> None:
    require_work_on_group(acting_user, goal.plan.group, _EDIT_PLAN)
    _require_draft(goal.plan)
    with transaction.atomic(), acting_as(acting_user):
        goal.delete()


def _check_task(plan: IndividualPlan, goal: PlanGoal | None, due_on: dt.date) -> None:
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": "Цель из другого плана."})
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise ValidationError(
            {"due_on": f"Срок задачи — в пределах плана: {plan.starts_on:%d.%m.%Y}–{plan.ends_on:%d.%m.%Y}."}
        )


def task_add(
    *,
    acting_user: User,
    plan: IndividualPlan,
    title: str,
    due_on: dt.date,
    goal: PlanGoal | None = None,
    expected_result: str = "",
) -> PlanTask:
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    _require_draft(plan)
    _check_task(plan, goal, due_on)
    number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    task = PlanTask(
        plan=plan,
        goal=goal,
        number=number,
        title=title.strip(),
        due_on=due_on,
        expected_result=expected_result.strip(),
    )
    task.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        task.save()
    return task


def task_update(
    *,
    acting_user: User,
    task: PlanTask,
    title: str,
    due_on: dt.date,
    goal: PlanGoal | None,
    expected_result: str = "",
) -> PlanTask:
    plan = task.plan
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    _require_draft(plan)
    _check_task(plan, goal, due_on)
    task.title, task.due_on, task.goal, task.expected_result = (
        title.strip(),
        due_on,
        goal,
        expected_result.strip(),
    )
    task.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        task.save(update_fields=["title", "due_on", "goal", "expected_result"])
    return task


def task_delete(*, acting_user: User, task: PlanTask) -> None:
    require_work_on_group(acting_user, task.plan.group, _EDIT_PLAN)
    _require_draft(task.plan)
    with transaction.atomic(), acting_as(acting_user):
        task.delete()


def plan_submit(*, acting_user: User, plan: IndividualPlan) -> IndividualPlan:
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    _require_draft(plan)
    if not plan.tasks.exists():
        raise ValidationError("В плане нет ни одной задачи.")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    with transaction.atomic(), acting_as(acting_user):
        plan.save(update_fields=["status", "submitted_at"])
    return plan


def plan_return(*, acting_user: User, plan: IndividualPlan, comment: str) -> IndividualPlan:
    """The curator sends a submitted plan back to the mentor with remarks."""
    require_curate_group(acting_user, plan.group, _APPROVE_PLAN)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("Вернуть на доработку можно только план, отправленный на утверждение.")
    if not comment.strip():
        raise ValidationError({"comment": "Напишите, что нужно исправить."})
    plan.status = PlanStatus.DRAFT
    plan.curator_comment = comment.strip()
    with transaction.atomic(), acting_as(acting_user):
        plan.save(update_fields=["status", "curator_comment"])
        notify_plan_decision(plan)
    return plan


def plan_approve(*, acting_user: User, plan: IndividualPlan) -> IndividualPlan:
    """Approve a submitted revision. It becomes the current one; the revision it replaces is
    superseded, and the ticks made on it meanwhile carry over to the copied tasks."""
    require_curate_group(acting_user, plan.group, _APPROVE_PLAN)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("Утвердить можно только план, отправленный на утверждение.")
    previous = plan.group.plans.filter(is_current=True).exclude(pk=plan.pk).first()
    with transaction.atomic(), acting_as(acting_user):
        if previous is not None:
            previous.status = PlanStatus.SUPERSEDED
            previous.is_current = False
            previous.save(update_fields=["status", "is_current"])
            for task in plan.tasks.filter(done=False, origin__done=True).select_related("origin"):
                assert task.origin is not None
                task.done, task.done_on, task.done_by = True, task.origin.done_on, task.origin.done_by
                task.result_note = task.result_note or task.origin.result_note
                task.save(update_fields=["done", "done_on", "done_by", "result_note"])
        plan.status = PlanStatus.APPROVED
        plan.is_current = True
        plan.approved_by = acting_user
        plan.approved_at = timezone.now()
        plan.curator_comment = ""
        plan.save(update_fields=["status", "is_current", "approved_by", "approved_at", "curator_comment"])
        notify_plan_decision(plan)
    return plan


def plan_new_revision(*, acting_user: User, plan: IndividualPlan, change_note: str = "") -> IndividualPlan:
    """A draft copy of the approved plan to change goals, tasks or deadlines."""
    group = plan.group
    require_work_on_group(acting_user, group, _EDIT_PLAN)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError("Новая редакция создаётся из утверждённого плана.")
    if group.status != GroupStatus.ACTIVE:
        raise ValidationError("Пара (группа) завершила работу: план больше не меняется.")
    if group.plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.SUBMITTED]).exists():
        raise ValidationError("Новая редакция уже готовится: сначала утвердите или измените её.")
    latest = group.plans.aggregate(n=Max("revision"))["n"] or plan.revision
    draft = IndividualPlan(
        group=group,
        revision=latest + 1,
        status=PlanStatus.DRAFT,
        is_current=False,
        title=plan.title,
        template_key=plan.template_key,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        change_note=change_note.strip(),
        created_by=acting_user,
    )
    draft.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        draft.save()
        goals = {}
        for goal in plan.goals.all():
            goals[goal.pk] = PlanGoal.objects.create(plan=draft, number=goal.number, title=goal.title)
        for task in plan.tasks.all():
            PlanTask.objects.create(
                plan=draft,
                goal=goals.get(task.goal_id) if task.goal_id else None,
                number=task.number,
                title=task.title,
                due_on=task.due_on,
                expected_result=task.expected_result,
                done=task.done,
                done_on=task.done_on,
                done_by=task.done_by,
                result_note=task.result_note,
                origin=task,
            )
    return draft


def task_set_done(
    *,
    acting_user: User,
    task: PlanTask,
    done: bool,
    done_on: dt.date | None = None,
    result_note: str | None = None,
) -> PlanTask:
    """Tick (or untick) a task: the one change an approved plan takes without a new revision."""
    plan = task.plan
    require_work_on_group(acting_user, plan.group, _EDIT_PLAN)
    if plan.status == PlanStatus.SUPERSEDED:
        raise ValidationError("Это старая редакция плана: отмечайте задачи в действующей.")
    if plan.group.status != GroupStatus.ACTIVE:
        raise ValidationError("Пара (группа) завершила работу: план больше не меняется.")
    today = local_today(plan.group.program.organisation)
    day = done_on or today
    if done and day > today:
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    task.done = done
    task.done_on = day if done else None
    task.done_by = acting_user if done else None
    if result_note is not None:
        task.result_note = result_note.strip()
    task.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        task.save(update_fields=["done", "done_on", "done_by", "result_note"])
    return task
