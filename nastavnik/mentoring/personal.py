"""«Мой кабинет»: a mentor's pairs, plans, upcoming meetings and what to fill in; a mentee's
(or a parent's child's) mentor, plan and meetings. Only the user's own pairs; a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.models import Role, User
from nastavnik.partners.access import contact_employee_people
from nastavnik.registry.access import wards_of
from nastavnik.registry.models import ParticipationRole

from .access import participant_groups_for
from .models import (
    CLOSED_STATUSES,
    EventInvitation,
    GroupMembership,
    IndividualPlan,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MentoringGroup,
    MentorReport,
    PairStage,
    PlanStatus,
)
from .services.meetings import suggest_next
from .services.pair_feedback import PairFeedback, own_feedback
from .services.plans import PlanProgress, progress_for_plans

# A mentee is asked for interim feedback once the pair has worked this long without any.
FEEDBACK_AFTER = dt.timedelta(days=30)
# The mentor's report is due this close to the end of the program (or after the final meeting).
REPORT_BEFORE_END = dt.timedelta(days=30)


@dataclass(frozen=True)
class Todo:
    text: str
    url: str


@dataclass
class PairCard:
    group: MentoringGroup
    role: str  # mentor / mentee / parent / partner (the contact of the mentor's partner organisation)
    members: list[GroupMembership]
    plan: IndividualPlan | None
    working_plan: IndividualPlan | None
    progress: PlanProgress
    upcoming: list[Meeting]
    recent: list[Meeting]
    todos: list[Todo] = field(default_factory=list)
    child_names: list[str] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.group.status not in CLOSED_STATUSES


@dataclass
class Overview:
    cards: list[PairCard]
    invitations: list[EventInvitation]

    @property
    def as_mentor(self) -> list[PairCard]:
        return [c for c in self.cards if c.role == "mentor"]

    @property
    def as_mentee(self) -> list[PairCard]:
        return [c for c in self.cards if c.role in ("mentee", "parent")]

    @property
    def as_partner(self) -> list[PairCard]:
        return [c for c in self.cards if c.role == "partner"]

    @property
    def todo_count(self) -> int:
        return sum(len(c.todos) for c in self.cards)


def _url(name: str, *args: int) -> str:
    return reverse(f"mentoring:{name}", args=args)


def personal_overview(user: User, now: dt.datetime | None = None) -> Overview:
    moment = now or timezone.now()
    groups = _participant_groups(user)
    ids = [g.pk for g in groups]
    plans = list(IndividualPlan.objects.filter(group_id__in=ids).exclude(status=PlanStatus.SUPERSEDED))
    days = {g.pk: moment.astimezone(ZoneInfo(g.program.organisation.timezone)).date() for g in groups}
    current = {p.group_id: p for p in plans if p.is_current}
    working = {p.group_id: p for p in sorted(plans, key=lambda p: p.revision)}
    progress = _progress_on_local_days(current, days)
    feedback = own_feedback(ids, user)
    reports = {r.group_id: r for r in MentorReport.objects.filter(group_id__in=ids)}
    wards: set[int] = set()
    if Role.PARENT in scopes_of(user).roles:
        wards = set(wards_of(user).values_list("child_id", flat=True))

    cards: list[PairCard] = []
    for group in groups:
        plan = current.get(group.pk)
        cards.append(
            _pair_card(
                group,
                user=user,
                wards=wards,
                plan=plan,
                working_plan=working.get(group.pk),
                progress=progress.get(plan.pk, PlanProgress()) if plan else PlanProgress(),
                report=reports.get(group.pk),
                feedback=feedback,
                moment=moment,
                today=days[group.pk],
            )
        )
    cards.sort(key=lambda c: (not c.is_active, c.role == "parent"))
    invitations = list(
        EventInvitation.objects.filter(
            Q(person__user=user) | Q(person__in=contact_employee_people(user)),
            event__starts_at__gte=moment - dt.timedelta(days=1),
        )
        .select_related("event__program__organisation")
        .order_by("event__starts_at")
    )
    return Overview(cards=cards, invitations=invitations)


def _participant_groups(user: User) -> list[MentoringGroup]:
    """The user's pairs with all their members and meetings: a fixed number of queries."""
    meetings = Meeting.objects.prefetch_related("attendance").order_by("starts_at", "pk")
    return list(
        participant_groups_for(user)
        .select_related("mentor__person", "form__parent", "program__organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("mentee__person").order_by("joined_on", "pk"),
                to_attr="all_members",
            ),
            Prefetch("meetings", queryset=meetings, to_attr="meeting_list"),
        )
        .order_by("-started_on", "-pk")
    )


def _progress_on_local_days(
    current: dict[int, IndividualPlan], days: dict[int, dt.date]
) -> dict[int, PlanProgress]:
    """Fulfilment of the current plans, each on its group's local day."""
    progress: dict[int, PlanProgress] = {}
    by_day: dict[dt.date, list[int]] = {}
    for current_plan in current.values():
        by_day.setdefault(days[current_plan.group_id], []).append(current_plan.pk)
    for day, plan_ids in by_day.items():  # one query per time zone of the user's pairs
        progress.update(progress_for_plans(plan_ids, day))
    return progress


def _pair_card(
    group: MentoringGroup,
    *,
    user: User,
    wards: set[int],
    plan: IndividualPlan | None,
    working_plan: IndividualPlan | None,
    progress: PlanProgress,
    report: MentorReport | None,
    feedback: list[PairFeedback],
    moment: dt.datetime,
    today: dt.date,
) -> PairCard:
    """One pair as the user takes part in it (mentor, mentee or a mentee's parent), with the to-dos."""
    members: list[GroupMembership] = group.all_members  # type: ignore[attr-defined]
    group_meetings: list[Meeting] = group.meeting_list  # type: ignore[attr-defined]
    is_mentor = group.mentor.person.user_id == user.pk
    mine = [m for m in members if m.mentee.person.user_id == user.pk]
    children = [m for m in members if m.mentee.person_id in wards]
    # A partner's contact follows his colleague's pair: the members and the meetings, no to-dos.
    role = "mentor" if is_mentor else "mentee" if mine else "parent" if children else "partner"
    if role == "partner":
        mine = [m for m in members if m.left_on is None]
    if not is_mentor:
        # A mentee or parent sees the meetings of their own time in the group.
        group_meetings = _meetings_within(group, group_meetings, mine or children)
    card = PairCard(
        group=group,
        role=role,
        members=[m for m in members if m.left_on is None] if is_mentor else (mine or children),
        plan=plan,
        working_plan=working_plan,
        progress=progress,
        upcoming=[m for m in group_meetings if m.status == MeetingStatus.PLANNED and m.starts_at >= moment][
            :3
        ],
        recent=[m for m in group_meetings if m.status == MeetingStatus.HELD][-3:][::-1],
        child_names=[m.mentee.person.full_name for m in children],
    )
    if card.is_active:
        if role == "mentor":
            card.todos = _mentor_todos(group, card, group_meetings, report, feedback, moment, today)
        elif role == "mentee":
            card.todos = _mentee_todos(group, mine, group_meetings, feedback, today)
    return card


def _meetings_within(
    group: MentoringGroup, meetings: list[Meeting], spans: list[GroupMembership]
) -> list[Meeting]:
    """The meetings held while one of the memberships lasted, by the organisation's local date."""
    zone = ZoneInfo(group.program.organisation.timezone)
    return [
        m
        for m in meetings
        if any(
            s.joined_on <= m.starts_at.astimezone(zone).date()
            and (s.left_on is None or m.starts_at.astimezone(zone).date() <= s.left_on)
            for s in spans
        )
    ]


def _mentor_todos(
    group: MentoringGroup,
    card: PairCard,
    meetings: list[Meeting],
    report: MentorReport | None,
    feedback: list[PairFeedback],
    moment: dt.datetime,
    today: dt.date,
) -> list[Todo]:
    todos: list[Todo] = []
    plan_url = _url("plan", group.pk)
    working = card.working_plan
    if working is None:
        todos.append(Todo("Составьте индивидуальный план по шаблону", plan_url))
    elif working.status == PlanStatus.DRAFT:
        returned = f" Замечания куратора: {working.curator_comment}" if working.curator_comment else ""
        todos.append(Todo(f"Доработайте и отправьте план на утверждение.{returned}", plan_url))
    for meeting in meetings:
        if meeting.status == MeetingStatus.PLANNED and meeting.starts_at < moment:
            todos.append(
                Todo(
                    f"Отметьте, как прошла встреча «{meeting.topic}» {meeting.starts_at:%d.%m}",
                    _url("meeting_detail", group.pk, meeting.pk),
                )
            )
        elif meeting.status == MeetingStatus.HELD and not meeting.mentor_reflection:
            todos.append(
                Todo(
                    f"Напишите рефлексию к встрече «{meeting.topic}»",
                    _url("meeting_detail", group.pk, meeting.pk),
                )
            )
    if card.progress.overdue:
        todos.append(Todo(f"Просрочено задач плана: {card.progress.overdue}", plan_url))
    if not card.upcoming and not any(
        m.status == MeetingStatus.PLANNED and m.starts_at < moment for m in meetings
    ):
        suggestion = suggest_next(group, meetings, today)
        todos.append(
            Todo(
                f"Запланируйте встречу: {suggestion.label.lower()} (не позже {suggestion.on:%d.%m})",
                _url("meeting_new", group.pk) + f"?kind={suggestion.kind.value}",
            )
        )
    final_held = any(m.kind == MeetingKind.FINAL and m.status == MeetingStatus.HELD for m in meetings)
    ends = group.program.ends_on
    near_end = final_held or (ends is not None and ends - today <= REPORT_BEFORE_END)
    if near_end and not (report and report.submitted):
        todos.append(Todo("Заполните аналитический отчёт наставника", _url("report", group.pk)))
    if final_held and not any(
        f.group_id == group.pk and f.role == ParticipationRole.MENTOR and f.stage == PairStage.FINAL
        for f in feedback
    ):
        todos.append(Todo("Заполните итоговую анкету удовлетворённости", _url("feedback", group.pk)))
    return todos


def _mentee_todos(
    group: MentoringGroup,
    mine: list[GroupMembership],
    meetings: list[Meeting],
    feedback: list[PairFeedback],
    today: dt.date,
) -> list[Todo]:
    todos: list[Todo] = []
    own = {m.mentee_id for m in mine}
    for meeting in meetings:
        if meeting.status != MeetingStatus.HELD:
            continue
        rows = [a for a in meeting.attendance.all() if a.mentee_id in own]
        if any(a.present and not a.reflection for a in rows):
            todos.append(
                Todo(
                    f"Поделитесь впечатлениями о встрече «{meeting.topic}»",
                    _url("meeting_detail", group.pk, meeting.pk),
                )
            )
    given = [f for f in feedback if f.group_id == group.pk and f.role == ParticipationRole.MENTEE]
    final_held = any(m.kind == MeetingKind.FINAL and m.status == MeetingStatus.HELD for m in meetings)
    joined = min((m.joined_on for m in mine), default=today)
    if final_held and not any(f.stage == PairStage.FINAL for f in given):
        todos.append(
            Todo("Заполните итоговую анкету: как прошла работа с наставником", _url("feedback", group.pk))
        )
    elif not given and today - joined >= FEEDBACK_AFTER:
        todos.append(
            Todo("Ответьте на несколько вопросов о работе с наставником", _url("feedback", group.pk))
        )
    return todos
