"""Month calendars, server-rendered: a person's (their pairs' meetings and the program events
they or their children are invited to) and a program's (all its meetings and events). Each
item is placed on its day in its organisation's time zone."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.urls import reverse

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.models import Role, User
from nastavnik.orgs.models import Program
from nastavnik.registry.access import wards_of

from .access import participant_groups_for
from .models import Meeting, MeetingStatus, ProgramEvent


@dataclass(frozen=True)
class CalendarItem:
    local: dt.datetime  # naive, in the organisation's zone (template filters leave it as is)
    title: str
    url: str
    css: str


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    items: list[CalendarItem] = field(default_factory=list)


def month_of(value: str, today: dt.date) -> dt.date:
    """«2026-11» → 1 November 2026; anything else → this month."""
    try:
        year, month = (int(x) for x in value.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _window(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds wide enough for every Russian time zone around the month's grid."""
    start = first - dt.timedelta(days=first.weekday() + 1)
    end = first + dt.timedelta(days=45)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC),
        dt.datetime.combine(end, dt.time.min, tzinfo=dt.UTC),
    )


def _meeting_css(meeting: Meeting) -> str:
    return {MeetingStatus.HELD: "ok", MeetingStatus.CANCELLED: "bad"}.get(meeting.status, "")  # type: ignore[call-overload]


def _meeting_items(meetings: Iterable[Meeting], with_mentor: bool) -> list[CalendarItem]:
    items = []
    for m in meetings:
        zone = ZoneInfo(m.group.program.organisation.timezone)
        who = f"{m.group.mentor.person.short_name}: " if with_mentor else ""
        items.append(
            CalendarItem(
                m.starts_at.astimezone(zone).replace(tzinfo=None),
                f"{who}{m.get_kind_display()} — {m.topic}",
                reverse("mentoring:meeting_detail", args=[m.group_id, m.pk]),
                _meeting_css(m),
            )
        )
    return items


def _event_items(events: QuerySet[ProgramEvent]) -> list[CalendarItem]:
    items = []
    for e in events.select_related("program__organisation"):
        zone = ZoneInfo(e.program.organisation.timezone)
        items.append(
            CalendarItem(
                e.starts_at.astimezone(zone).replace(tzinfo=None),
                f"{e.title} (отменено)" if e.is_cancelled else e.title,
                reverse("mentoring:event_detail", args=[e.pk]),
                "event",
            )
        )
    return items


def _in_own_time(meeting: Meeting, user: User, wards: set[int]) -> bool:
    """The mentor sees every meeting of the group; a mentee or a parent those of their own (their
    child's) time in it: a re-formed pair's new mentee does not see the previous one's."""
    if meeting.group.mentor.person.user_id == user.pk:
        return True
    day = meeting.starts_at.astimezone(ZoneInfo(meeting.group.program.organisation.timezone)).date()
    return any(
        (m.mentee.person.user_id == user.pk or m.mentee.person_id in wards)
        and m.joined_on <= day
        and (m.left_on is None or day <= m.left_on)
        for m in meeting.group.memberships.all()
    )


def person_meetings(
    user: User, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[Meeting]:
    """Meetings of the pairs and groups the user takes part in (as a mentor, a mentee or a
    minor mentee's legal representative), of their own time there: the personal calendar and
    the iCal feed."""
    meetings = Meeting.objects.filter(group__in=participant_groups_for(user))
    if start is not None and end is not None:
        meetings = meetings.filter(starts_at__gte=start, starts_at__lt=end)
    meetings = meetings.select_related(
        "group__mentor__person", "group__program__organisation"
    ).prefetch_related("group__memberships__mentee__person")
    wards = set(wards_of(user).values_list("child_id", flat=True))
    return [m for m in meetings.order_by("starts_at", "pk") if _in_own_time(m, user, wards)]


def person_events(user: User) -> QuerySet[ProgramEvent]:
    """Program events the user or (for a parent) their children are invited to."""
    people = Q(invitations__person__user=user)
    if Role.PARENT in scopes_of(user).roles:
        people |= Q(invitations__person__in=wards_of(user))
    return ProgramEvent.objects.filter(people).distinct()


def person_calendar_items(user: User, first: dt.date) -> list[CalendarItem]:
    start, end = _window(first)
    meetings = person_meetings(user, start, end)
    events = person_events(user).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")
    return _meeting_items(meetings, with_mentor=False) + _event_items(events)


def program_calendar_items(program: Program, groups: QuerySet, first: dt.date) -> list[CalendarItem]:
    """`groups`: the program's groups the viewer may see (from the access layer)."""
    start, end = _window(first)
    meetings = (
        Meeting.objects.filter(group__in=groups, starts_at__gte=start, starts_at__lt=end)
        .select_related("group__mentor__person", "group__program__organisation")
        .order_by("starts_at")
    )
    events = ProgramEvent.objects.filter(program=program, starts_at__gte=start, starts_at__lt=end).order_by(
        "starts_at"
    )
    return _meeting_items(meetings, with_mentor=True) + _event_items(events)


def month_grid(first: dt.date, items: list[CalendarItem]) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month with each item on its local day."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    days: dict[dt.date, CalendarDay] = {}
    day = grid_start
    while day <= grid_end:
        days[day] = CalendarDay(day, day.month == first.month)
        day += dt.timedelta(days=1)
    for item in sorted(items, key=lambda i: i.local):
        if item.local.date() in days:
            days[item.local.date()].items.append(item)
    ordered = list(days.values())
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
