"""Reads about the events of a municipal roadmap that every school carries out on its own
(«Руководители ОО», «образовательные организации»): which events they are, each school's state
(«просрочено» against the deadline in the school's time zone) and the matrix schools × events with
«выполнено X % позиций» per school and per municipality. Writes are in `services`."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from nastavnik.base.time import today_in
from nastavnik.orgs.models import Organisation, OrganisationKind

from .deadlines import expand_occurrences
from .models import (
    EventResponsible,
    ResponsibleLevel,
    Roadmap,
    RoadmapEvent,
    SchoolEventStatus,
    SchoolStatus,
)

# A responsible at the level of the organisations: their heads, curators, staff or the
# organisations themselves, in the words roadmaps use («Руководители ОО», «кураторы ОУ»,
# «образовательные организации», «администрация школ», «ПОО»). «Управление образования» or
# «органы местного самоуправления, осуществляющие управление в сфере образования» are not.
_SCHOOL_ABBREVIATIONS = re.compile(r"\b(?:П?ОО|ОУ|ДОО|ДОУ|ОДО|УДО|СОШ|ООШ)\b")
_SCHOOL_WORDS = re.compile(
    r"образовательн\w*\s+(?:организаци|учреждени)"
    r"|общеобразовательн\w*\s+(?:организаци|учреждени|школ)"
    r"|\bшкол\w*"
    r"|\bдетск\w*\s+сад"
    r"|организаци\w*\s+(?:дополнительного|профессионального|общего)\s+образования",
    re.IGNORECASE,
)
_NOT_SCHOOL = re.compile(r"управлени\w*\s+(?:в\s+сфере\s+)?образовани|комитет|департамент|министерств", re.I)


def is_school_level(responsible: EventResponsible) -> bool:
    """Whether a responsible stands for every organisation rather than for the municipality."""
    if responsible.level == ResponsibleLevel.ORGANISATION:
        return True
    if responsible.level == ResponsibleLevel.MUNICIPAL:
        return False
    text = responsible.text
    return bool(_SCHOOL_ABBREVIATIONS.search(text) or _SCHOOL_WORDS.search(text)) and not _NOT_SCHOOL.search(
        text
    )


def is_school_duty(event: RoadmapEvent, roadmap: Roadmap | None = None) -> bool:
    """An event of a municipal roadmap that each school carries out: ticked by the municipal
    curator, or (when not decided) one of its responsibles is at the organisations' level."""
    roadmap = roadmap or event.roadmap
    if not roadmap.municipality_id:
        return False
    if event.schools_carry_out is not None:
        return event.schools_carry_out
    return any(is_school_level(r) for r in event.responsibles.all())


def schools_of(municipality_ids: Iterable[int]) -> QuerySet[Organisation]:
    """The organisations that carry out a municipal roadmap: all but the partners."""
    return (
        Organisation.objects.filter(municipality_id__in=list(municipality_ids))
        .exclude(kind=OrganisationKind.PARTNER)
        .order_by("short_name", "pk")
    )


def duty_due(event: RoadmapEvent, roadmap: Roadmap) -> dt.date | None:
    """The deadline of a school's part: the last due date of the event within the roadmap."""
    dates = [d for d in (event.starts_on, event.ends_on, event.repeat_until) if d]
    start = min([roadmap.period_start, *dates])
    end = max([roadmap.period_end, *dates])
    occurrences = expand_occurrences(event.parsed_deadline, start, end)
    if occurrences:
        return max(due for _start, due in occurrences)
    return event.ends_on


@dataclass
class SchoolCell:
    """One school's part of one event."""

    event: RoadmapEvent
    organisation: Organisation
    due_on: dt.date | None
    record: SchoolEventStatus | None
    today: dt.date

    @property
    def status(self) -> str:
        return str(self.record.status if self.record else SchoolStatus.NOT_STARTED.value)

    @property
    def done(self) -> bool:
        return self.status == SchoolStatus.DONE

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_on is not None and self.due_on < self.today

    @property
    def state(self) -> str:
        """done / overdue / in_progress / not_started — what the matrix colours."""
        return "overdue" if self.overdue else self.status

    @property
    def label(self) -> str:
        return "просрочено" if self.overdue else SchoolStatus(self.status).label

    @property
    def has_file(self) -> bool:
        return bool(self.record and self.record.result_file)


@dataclass
class Progress:
    total: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, cell: SchoolCell) -> None:
        self.total += 1
        self.done += cell.done
        self.overdue += cell.overdue


@dataclass
class SchoolRow:
    organisation: Organisation
    cells: list[SchoolCell]
    progress: Progress = field(default_factory=Progress)

    @property
    def late(self) -> list[SchoolCell]:
        return [c for c in self.cells if c.overdue]


@dataclass
class Matrix:
    roadmap: Roadmap
    events: list[RoadmapEvent]
    rows: list[SchoolRow]
    progress: Progress = field(default_factory=Progress)

    @property
    def late_rows(self) -> list[SchoolRow]:
        return [r for r in self.rows if r.late]

    def event_progress(self) -> list[tuple[RoadmapEvent, Progress]]:
        by_event = {e.pk: Progress() for e in self.events}
        for row in self.rows:
            for cell in row.cells:
                by_event[cell.event.pk].add(cell)
        return [(e, by_event[e.pk]) for e in self.events]


TodayFor = Callable[[Organisation], dt.date]


def today_for_schools(today: dt.date | None = None) -> TodayFor:
    """Each school's «today» in its own time zone (or the given day, for reports and tests)."""
    cache: dict[str, dt.date] = {}

    def today_of(organisation: Organisation) -> dt.date:
        if today is not None:
            return today
        if organisation.timezone not in cache:
            cache[organisation.timezone] = today_in(organisation.timezone)
        return cache[organisation.timezone]

    return today_of


def duty_events(roadmaps: Iterable[Roadmap]) -> list[RoadmapEvent]:
    """The school duties of these municipal roadmaps, in order, in two queries."""
    by_id = {r.pk: r for r in roadmaps if r.municipality_id}
    if not by_id:  # no municipal roadmap (yet): no query to build
        return []
    events = (
        RoadmapEvent.objects.filter(roadmap_id__in=by_id.keys())
        .select_related("section")
        .prefetch_related(Prefetch("responsibles", queryset=EventResponsible.objects.order_by("position")))
        .order_by("roadmap_id", "position")
    )
    result = []
    for event in events:
        event.roadmap = by_id[event.roadmap_id]
        if is_school_duty(event):
            result.append(event)
    return result


def _records(
    events: list[RoadmapEvent], organisation_ids: Iterable[int] | None
) -> dict[tuple[int, int], SchoolEventStatus]:
    records = SchoolEventStatus.objects.filter(event__in=[e.pk for e in events])
    if organisation_ids is not None:
        records = records.filter(organisation_id__in=list(organisation_ids))
    return {(r.event_id, r.organisation_id): r for r in records}


def school_matrix(roadmap: Roadmap, today: dt.date | None = None) -> Matrix:
    """Schools × school duties of a municipal roadmap, in four queries whatever the number of schools."""
    events = duty_events([roadmap])
    schools = list(schools_of([roadmap.municipality_id or 0]))
    records = _records(events, None) if events else {}
    dues = {e.pk: duty_due(e, roadmap) for e in events}
    today_of = today_for_schools(today)
    matrix = Matrix(roadmap, events, [])
    for school in schools:
        row = SchoolRow(school, [])
        for event in events:
            cell = SchoolCell(
                event, school, dues[event.pk], records.get((event.pk, school.pk)), today_of(school)
            )
            row.cells.append(cell)
            row.progress.add(cell)
            matrix.progress.add(cell)
        matrix.rows.append(row)
    return matrix


@dataclass
class SchoolDuties:
    """One school's duties under its municipality's roadmaps, grouped by roadmap."""

    organisation: Organisation
    groups: list[tuple[Roadmap, list[SchoolCell]]]
    progress: Progress = field(default_factory=Progress)

    @property
    def late(self) -> list[SchoolCell]:
        return [c for _roadmap, cells in self.groups for c in cells if c.overdue]


def municipal_roadmaps_of(municipality_ids: Iterable[int]) -> QuerySet[Roadmap]:
    return Roadmap.objects.filter(municipality_id__in=list(municipality_ids)).select_related(
        "municipality__region"
    )


def duties_for_schools(
    organisations: list[Organisation], today: dt.date | None = None
) -> dict[int, SchoolDuties]:
    """Each school's duties and progress, in a fixed number of queries for any number of schools."""
    if not organisations:
        return {}
    roadmaps = list(municipal_roadmaps_of({o.municipality_id for o in organisations}))
    events = duty_events(roadmaps)
    records = _records(events, [o.pk for o in organisations]) if events else {}
    by_roadmap: dict[int, list[RoadmapEvent]] = defaultdict(list)
    for event in events:
        by_roadmap[event.roadmap_id].append(event)
    dues = {e.pk: duty_due(e, e.roadmap) for e in events}
    today_of = today_for_schools(today)
    result = {}
    for school in organisations:
        duties = SchoolDuties(school, [])
        for roadmap in roadmaps:
            if roadmap.municipality_id != school.municipality_id or not by_roadmap[roadmap.pk]:
                continue
            cells = [
                SchoolCell(e, school, dues[e.pk], records.get((e.pk, school.pk)), today_of(school))
                for e in by_roadmap[roadmap.pk]
            ]
            for cell in cells:
                duties.progress.add(cell)
            duties.groups.append((roadmap, cells))
        result[school.pk] = duties
    return result


def municipality_progress(
    municipality_id: int, today: dt.date | None = None, organisations: Iterable[Organisation] | None = None
) -> Progress:
    """«Выполнено X % позиций» of all the municipality's schools over its roadmaps; its
    `organisations` when the caller has read them already (the partners among them are left out)."""
    if organisations is None:
        schools = list(schools_of([municipality_id]))
    else:
        schools = [o for o in organisations if o.kind != OrganisationKind.PARTNER]
    total = Progress()
    for duties in duties_for_schools(schools, today).values():
        total.total += duties.progress.total
        total.done += duties.progress.done
        total.overdue += duties.progress.overdue
    return total
