"""The curator's board: every working pair of the organisations the user oversees, with its
health (see `health.py`), plan fulfilment, last meeting, the mentees not met for N weeks and
the overdue plan tasks — what a curator acts on each week. A fixed number of queries for any
number of pairs. The mentees' feedback is their latest satisfaction questionnaire about the pair
(mentoring/services/pair_feedback.py)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nastavnik.accounts.access import AnyUser
from nastavnik.base.time import today_in

from .access import staff_groups_for
from .health import HealthSignals, HealthVerdict, StaleMentee, is_stale, pair_health
from .models import (
    GroupMembership,
    GroupStatus,
    IndividualPlan,
    MeetingAttendance,
    MeetingStatus,
    MentoringGroup,
    PlanStatus,
    PlanTask,
)
from .services.pair_feedback import PairFeedback, feedback_by_group, latest_mentee_feedback_id
from .services.plans import PlanProgress, progress_for_plans


@dataclass
class BoardRow:
    group: MentoringGroup
    today: dt.date
    members: list[GroupMembership]
    plan: IndividualPlan | None
    pending_plan: IndividualPlan | None  # a revision waiting for the curator's approval
    progress: PlanProgress
    last_meeting_on: dt.date | None
    stale: tuple[StaleMentee, ...]
    overdue_tasks: list[PlanTask]
    feedback: PairFeedback | None
    health: HealthVerdict


@dataclass
class Board:
    today: dt.date
    weeks: int
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def stale_rows(self) -> list[BoardRow]:
        return [r for r in self.rows if r.stale]

    @property
    def overdue(self) -> list[tuple[BoardRow, PlanTask]]:
        return [(r, t) for r in self.rows for t in r.overdue_tasks]

    @property
    def pending_plans(self) -> list[BoardRow]:
        return [r for r in self.rows if r.pending_plan is not None]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.health.status == status)


def board_groups(user: AnyUser, program_id: int | None = None) -> QuerySet[MentoringGroup]:
    groups = staff_groups_for(user).filter(status=GroupStatus.ACTIVE)
    if program_id is not None:
        groups = groups.filter(program_id=program_id)
    current = GroupMembership.objects.filter(left_on__isnull=True).select_related("mentee__person")
    return (
        groups.select_related("mentor__person", "form__parent", "program__organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=current.order_by("mentee__person__last_name", "pk"),
                to_attr="current_members",
            )
        )
        .annotate(
            last_meeting_at=Max("meetings__starts_at", filter=Q(meetings__status=MeetingStatus.HELD)),
            latest_feedback_id=latest_mentee_feedback_id(OuterRef("pk")),
        )
        .order_by("program__title", "mentor__person__last_name", "pk")
    )


def curator_board(
    user: AnyUser, *, weeks: int, program_id: int | None = None, today: dt.date | None = None
) -> Board:
    groups = list(board_groups(user, program_id))
    ids = [g.pk for g in groups]
    days = _local_days(groups, today)
    current, pending = _current_and_pending_plans(ids)
    progress = _progress_on_local_days(current, days)
    latest_day = max(days.values(), default=today or today_in())
    overdue = _overdue_tasks(current, days, latest_day)
    attended = _last_attendance(ids)
    feedback_ids = [g.latest_feedback_id for g in groups if g.latest_feedback_id]  # type: ignore[attr-defined]
    feedback = feedback_by_group(feedback_ids)

    board = Board(today=today or latest_day, weeks=weeks)
    for group in groups:
        plan = current.get(group.pk)
        board.rows.append(
            _board_row(
                group,
                day=days[group.pk],
                weeks=weeks,
                plan=plan,
                pending_plan=pending.get(group.pk),
                progress=progress.get(plan.pk, PlanProgress()) if plan else PlanProgress(),
                overdue_tasks=overdue.get(group.pk, []),
                attended=attended,
                feedback=feedback.get(group.pk),
            )
        )
    return board


def _local_days(groups: list[MentoringGroup], today: dt.date | None) -> dict[int, dt.date]:
    """Each group's «today» in its organisation's time zone (or the given day)."""
    now = timezone.now()
    return {g.pk: today or now.astimezone(ZoneInfo(g.program.organisation.timezone)).date() for g in groups}


def _current_and_pending_plans(
    ids: list[int],
) -> tuple[dict[int, IndividualPlan], dict[int, IndividualPlan]]:
    """The current plan and the revision waiting for approval, by group: one query."""
    plans = list(
        IndividualPlan.objects.filter(group_id__in=ids).filter(
            Q(is_current=True) | Q(status=PlanStatus.SUBMITTED)
        )
    )
    current = {p.group_id: p for p in plans if p.is_current}
    pending = {p.group_id: p for p in plans if p.status == PlanStatus.SUBMITTED}
    return current, pending


def _progress_on_local_days(
    current: dict[int, IndividualPlan], days: dict[int, dt.date]
) -> dict[int, PlanProgress]:
    """Fulfilment on each group's local day; one query per distinct day (at most the number of
    time zones of the organisations on the board, usually one)."""
    progress: dict[int, PlanProgress] = {}
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for current_plan in current.values():
        by_day[days[current_plan.group_id]].append(current_plan.pk)
    for day, plan_ids in by_day.items():
        progress.update(progress_for_plans(plan_ids, day))
    return progress


def _overdue_tasks(
    current: dict[int, IndividualPlan], days: dict[int, dt.date], latest_day: dt.date
) -> dict[int, list[PlanTask]]:
    """Open tasks of the current plans due before the group's local day, by group: one query."""
    overdue: dict[int, list[PlanTask]] = defaultdict(list)
    for task in PlanTask.objects.filter(
        plan__in=[p.pk for p in current.values()], done=False, due_on__lt=latest_day
    ).select_related("plan"):
        if task.due_on < days[task.plan.group_id]:
            overdue[task.plan.group_id].append(task)
    return overdue


def _last_attendance(ids: list[int]) -> dict[tuple[int, int], dt.datetime]:
    """When each mentee of the groups was last present at a held meeting: one query."""
    return {
        (row["meeting__group_id"], row["mentee_id"]): row["last"]
        for row in MeetingAttendance.objects.filter(
            meeting__group_id__in=ids, meeting__status=MeetingStatus.HELD, present=True
        )
        .values("meeting__group_id", "mentee_id")
        .annotate(last=Max("meeting__starts_at"))
        .order_by()
    }


def _board_row(
    group: MentoringGroup,
    *,
    day: dt.date,
    weeks: int,
    plan: IndividualPlan | None,
    pending_plan: IndividualPlan | None,
    progress: PlanProgress,
    overdue_tasks: list[PlanTask],
    attended: dict[tuple[int, int], dt.datetime],
    feedback: PairFeedback | None,
) -> BoardRow:
    """One pair on the board, with its health judged from the signals gathered for it."""
    zone = ZoneInfo(group.program.organisation.timezone)
    members: list[GroupMembership] = group.current_members  # type: ignore[attr-defined]
    stale = []
    for membership in members:
        last = attended.get((group.pk, membership.mentee_id))
        since = max(membership.joined_on, last.astimezone(zone).date()) if last else membership.joined_on
        if is_stale(since, day, weeks):
            stale.append(StaleMentee(membership.mentee.person.short_name, since))
    signals = HealthSignals(
        today=day,
        weeks=weeks,
        working_since=min((m.joined_on for m in members), default=None),
        stale=tuple(stale),
        has_approved_plan=plan is not None and plan.status == PlanStatus.APPROVED,
        due_percent=progress.due_percent,
        feedback_average=feedback.average if feedback else None,
        wants_to_continue=feedback.wants_to_continue if feedback else None,
    )
    last_at = group.last_meeting_at  # type: ignore[attr-defined]
    return BoardRow(
        group=group,
        today=day,
        members=members,
        plan=plan,
        pending_plan=pending_plan,
        progress=progress,
        last_meeting_on=last_at.astimezone(zone).date() if last_at else None,
        stale=tuple(stale),
        overdue_tasks=overdue_tasks,
        feedback=feedback,
        health=pair_health(signals),
    )
