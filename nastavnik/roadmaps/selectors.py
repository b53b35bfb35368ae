"""Reads: the control of deadlines of roadmaps (overdue, upcoming, on time). Which roadmaps a user
sees is `access.py`."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from .deadlines import expand_occurrences
from .models import EventCompletion, EventResponsible, EventStatus, Recurrence, Roadmap, RoadmapEvent

UPCOMING_DAYS = 14


def roadmap_events(roadmap: Roadmap | Iterable[int]) -> list[RoadmapEvent]:
    """Events with their responsibles and completions, in three queries."""
    roadmap_ids = [roadmap.pk] if isinstance(roadmap, Roadmap) else list(roadmap)
    return list(
        RoadmapEvent.objects.filter(roadmap_id__in=roadmap_ids)
        .select_related("section")
        .prefetch_related(
            Prefetch("responsibles", queryset=EventResponsible.objects.select_related("person")),
            Prefetch("completions", queryset=EventCompletion.objects.order_by("due_on")),
        )
        .order_by("roadmap_id", "position")
    )


# --- control ---------------------------------------------------------------------------------------


@dataclass
class Occurrence:
    starts_on: dt.date
    due_on: dt.date
    done_on: dt.date | None = None

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass
class EventState:
    event: RoadmapEvent
    status: str
    occurrences: list[Occurrence]
    overdue: list[Occurrence]
    upcoming: list[Occurrence]
    past_due: int = 0
    done_on_time: int = 0

    @property
    def status_label(self) -> str:
        return EventStatus(self.status).label

    @property
    def next_due(self) -> dt.date | None:
        open_ = [o.due_on for o in self.occurrences if not o.done]
        return min(open_) if open_ else None

    @property
    def open_due(self) -> dt.date | None:
        """The due date a «выполнено» click closes: the earliest overdue, else the next one."""
        if self.overdue:
            return self.overdue[0].due_on
        return self.next_due


def _window(event: RoadmapEvent, roadmap: Roadmap) -> tuple[dt.date, dt.date]:
    dates = [d for d in (event.starts_on, event.ends_on, event.repeat_until) if d]
    return min([roadmap.period_start, *dates]), max([roadmap.period_end, *dates])


def event_state(
    event: RoadmapEvent, roadmap: Roadmap, today: dt.date, horizon: int = UPCOMING_DAYS
) -> EventState:
    """Effective status and occurrences of an event as of `today` (the organisation's local date)."""
    completions = {c.due_on: c.done_on for c in event.completions.all()}
    start, end = _window(event, roadmap)
    occurrences = [
        Occurrence(s, due, completions.get(due))
        for s, due in expand_occurrences(event.parsed_deadline, start, end)
    ]
    if event.status == EventStatus.DONE and not event.is_recurring:
        done_on = event.done_on or today
        occurrences = [Occurrence(o.starts_on, o.due_on, o.done_on or done_on) for o in occurrences]
    if event.status == EventStatus.CANCELLED:
        return EventState(event, EventStatus.CANCELLED, occurrences, [], [])
    overdue = [o for o in occurrences if not o.done and o.due_on < today]
    upcoming = [
        o for o in occurrences if not o.done and today <= o.due_on <= today + dt.timedelta(days=horizon)
    ]
    past = [o for o in occurrences if o.due_on < today or o.done]
    on_time = [o for o in past if o.done_on is not None and o.done_on <= o.due_on]
    status: str
    if (
        event.status == EventStatus.DONE
        or event.is_recurring
        and occurrences
        and all(o.done for o in occurrences)
    ):
        status = EventStatus.DONE
    elif overdue:
        status = EventStatus.OVERDUE
    else:
        status = event.status
    return EventState(event, status, occurrences, overdue, upcoming, len(past), len(on_time))


@dataclass
class ResponsibleLoad:
    name: str
    total: int = 0
    done: int = 0
    overdue: int = 0
    upcoming: int = 0


@dataclass
class Control:
    states: list[EventState]
    today: dt.date
    total: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: list[EventState] = field(default_factory=list)
    upcoming: list[EventState] = field(default_factory=list)
    past_due: int = 0
    done_on_time: int = 0
    not_understood: int = 0
    by_responsible: list[ResponsibleLoad] = field(default_factory=list)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.done_on_time / self.past_due) if self.past_due else None

    @property
    def done_percent(self) -> int:
        active = self.total - self.cancelled
        return round(100 * self.done / active) if active else 0


def control_for(
    events: Iterable[RoadmapEvent], roadmaps: dict[int, Roadmap], today: dt.date, horizon: int = UPCOMING_DAYS
) -> Control:
    states = [event_state(e, roadmaps[e.roadmap_id], today, horizon) for e in events]
    control = Control(states=states, today=today, total=len(states))
    loads: dict[str, ResponsibleLoad] = {}
    for state in states:
        control.done += state.status == EventStatus.DONE
        control.cancelled += state.status == EventStatus.CANCELLED
        control.past_due += state.past_due
        control.done_on_time += state.done_on_time
        control.not_understood += not state.event.deadline_understood
        if state.overdue:
            control.overdue.append(state)
        if state.upcoming:
            control.upcoming.append(state)
        names = [r.person.short_name if r.person else r.text for r in state.event.responsibles.all()] or [
            "Ответственный не указан"
        ]
        for name in names:
            load = loads.setdefault(name, ResponsibleLoad(name))
            load.total += 1
            load.done += state.status == EventStatus.DONE
            load.overdue += bool(state.overdue)
            load.upcoming += bool(state.upcoming)
    control.overdue.sort(key=lambda s: s.overdue[0].due_on)
    control.upcoming.sort(key=lambda s: s.upcoming[0].due_on)
    control.by_responsible = sorted(loads.values(), key=lambda x: (-x.overdue, -x.total, x.name))
    return control


def roadmap_control(roadmap: Roadmap, today: dt.date) -> Control:
    return control_for(roadmap_events(roadmap), {roadmap.pk: roadmap}, today)


@dataclass
class RoadmapSummaryRow:
    roadmap: Roadmap
    control: Control


def summary_for(roadmaps: QuerySet[Roadmap], today: dt.date) -> tuple[Control, list[RoadmapSummaryRow]]:
    """The organisation's or municipality's summary over several roadmaps, in a fixed number of queries."""
    by_id = {r.pk: r for r in roadmaps.select_related("organisation", "program", "municipality")}
    events = roadmap_events(by_id.keys())
    grouped: dict[int, list[RoadmapEvent]] = defaultdict(list)
    for event in events:
        grouped[event.roadmap_id].append(event)
    rows = [RoadmapSummaryRow(r, control_for(grouped[r.pk], by_id, today)) for r in by_id.values()]
    return control_for(events, by_id, today), rows


# --- calendar --------------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    items: list[tuple[EventState, Occurrence]] = field(default_factory=list)


def month_calendar(
    states: list[EventState], year: int, month: int
) -> tuple[list[list[CalendarDay]], list[EventState]]:
    """Weeks (Monday first) with the occurrences due each day, and the continuous events of the month."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = last + dt.timedelta(days=6 - last.weekday())
    days: dict[dt.date, CalendarDay] = {}
    day = grid_start
    while day <= grid_end:
        days[day] = CalendarDay(day, day.month == month)
        day += dt.timedelta(days=1)
    ongoing = []
    for state in states:
        if state.event.recurrence == Recurrence.CONTINUOUS:
            if any(o.starts_on <= last and o.due_on >= first for o in state.occurrences):
                ongoing.append(state)
            continue
        for occurrence in state.occurrences:
            if occurrence.due_on in days:
                days[occurrence.due_on].items.append((state, occurrence))
    ordered = list(days.values())
    return [ordered[i : i + 7] for i in range(0, len(ordered), 7)], ongoing
