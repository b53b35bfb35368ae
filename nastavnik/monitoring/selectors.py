"""Reads for dashboards, drill-downs and reports. Every count runs in the database over people
that the access layer lets the user read; the number of queries does not depend on how many
organisations or people there are."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from nastavnik.mentoring.models import ProgramEvent
from nastavnik.mentoring.services.events import Attendance, attendance_for_events
from nastavnik.orgs.models import MentoringForm, Municipality, Organisation, academic_year_of
from nastavnik.registry.models import (
    Category,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Person,
    PersonKind,
)

from . import indicators as engine
from . import rollups
from .engagement import MENTEE, MENTOR, engaged_condition, groups_on, in_organisation_on, memberships_on
from .indicators import Measure
from .models import Indicator, IndicatorTarget
from .scopes import MUNICIPALITY, ORGANISATION, Scope, drill_url, drill_urls, scope_people
from .snapshots import StoredStatistics, active_indicators, fresh_since, scope_measures, stored_statistics
from .targets import BEHIND, MET, NO_DATA, NO_TARGET, SOURCE_LABELS, STATUS_LABELS, Target, Targets, status_of

__all__ = [  # defined with the stored values and with the targets, read from here too
    "BEHIND",
    "MET",
    "NO_DATA",
    "NO_TARGET",
    "SOURCE_LABELS",
    "STATUS_LABELS",
    "Target",
    "Targets",
    "active_indicators",
    "status_of",
]


def values_as_of(computed_at: dt.datetime | None, scope: Scope) -> str:
    """«02.12.2026 09:15»: when the stored values shown were computed, in the scope's time zone
    ("" when everything was counted for this request)."""
    if computed_at is None:
        return ""
    return f"{computed_at.astimezone(ZoneInfo(scope.timezone)):%d.%m.%Y %H:%M}"


@dataclass
class IndicatorCell:
    indicator: Indicator
    measure: Measure
    target: Target | None
    numerator_url: str = ""
    denominator_url: str = ""
    organisations_behind: int | None = None  # on a region's table: its organisations behind

    @functools.cached_property
    def status(self) -> str:  # read several times per cell by the templates
        return status_of(self.measure, self.target)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def target_for_bar(self) -> int | None:
        if self.target is None or not self.indicator.is_share:
            return None
        return min(100, int(self.target.value))


class _DrilledCell(IndicatorCell):
    """A cell whose links are made when first read: an overview of a region makes some 600
    cells, and its page shows the links of a few columns (the others load on demand)."""

    def __init__(
        self,
        indicator: Indicator,
        measure: Measure,
        target: Target | None,
        urls: Callable[..., str],
        where: dict[str, Any],
    ) -> None:
        self.indicator, self.measure, self.target = indicator, measure, target
        self.organisations_behind = None
        self._urls, self._where = urls, where

    @functools.cached_property
    def numerator_url(self) -> str:  # type: ignore[override]
        return self._urls(indicator=self.indicator.code, part="numerator", **self._where)

    @functools.cached_property
    def denominator_url(self) -> str:  # type: ignore[override]
        if not self.indicator.is_share:
            return ""
        return self._urls(indicator=self.indicator.code, part="denominator", **self._where)


def _cell(
    scope: Scope,
    day: dt.date,
    indicator: Indicator,
    measure: Measure,
    target: Target | None,
    urls: Callable[..., str] | None = None,
    **where: Any,
) -> IndicatorCell:
    """`urls`: `drill_urls(scope, day)` when the caller makes many cells of one scope."""
    return _DrilledCell(indicator, measure, target, urls or drill_urls(scope, day), where)


# --- participants by role, form and target group ----------------------------------------------------


@dataclass
class Breakdown:
    """Engaged people on a date by role and by a second dimension (distinct people)."""

    key: Any
    label: str
    mentees: int = 0
    mentors: int = 0
    mentees_url: str = ""
    mentors_url: str = ""

    @property
    def total(self) -> int:
        return self.mentees + self.mentors


class ParticipantStatistics:
    """Engaged mentees and mentors on a day, in all and by kind, form and category, from grouped
    rows ({"key", "mentees", "mentors"}) and the labels of their keys. The breakdowns and their
    links are made when first read: a dashboard whose rendering of them is kept (`key_parts`)
    does not make them again."""

    def __init__(
        self,
        scope: Scope,
        day: dt.date,
        rows: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]],
        labels: tuple[dict[Any, str], dict[Any, str]],
    ) -> None:
        self.scope, self.day = scope, day
        self.kind_rows, self.form_rows, self.category_rows = rows
        self.form_labels, self.category_labels = labels

    @property
    def key_parts(self) -> tuple[Any, ...]:
        """Everything the statistics show (with the scope and day of their links)."""
        return (
            [sorted(row.items()) for row in self.kind_rows],
            [sorted(row.items()) for row in self.form_rows],
            [sorted(row.items()) for row in self.category_rows],
            list(self.form_labels.items()),
            list(self.category_labels.items()),
        )

    @property
    def mentees(self) -> int:  # every person has one kind: the totals are the kinds' sums
        return sum(row["mentees"] for row in self.kind_rows)

    @property
    def mentors(self) -> int:
        return sum(row["mentors"] for row in self.kind_rows)

    @functools.cached_property
    def mentees_url(self) -> str:
        return drill_url(self.scope, self.day, role=MENTEE)

    @functools.cached_property
    def mentors_url(self) -> str:
        return drill_url(self.scope, self.day, role=MENTOR)

    @functools.cached_property
    def by_kind(self) -> list[Breakdown]:
        return self._breakdowns(self.kind_rows, dict(PersonKind.choices), "kind")

    @functools.cached_property
    def by_form(self) -> list[Breakdown]:
        return self._breakdowns(self.form_rows, self.form_labels, "form")

    @functools.cached_property
    def by_category(self) -> list[Breakdown]:
        return self._breakdowns(self.category_rows, self.category_labels, "category")

    def _breakdowns(
        self, rows: Iterable[dict[str, Any]], labels: dict[Any, str], param: str
    ) -> list[Breakdown]:
        scope, day = self.scope, self.day
        items = [
            Breakdown(
                key=row["key"],
                label=labels.get(row["key"], "—"),
                mentees=row["mentees"],
                mentors=row["mentors"],
                mentees_url=drill_url(scope, day, role=MENTEE, **{param: row["key"]}),
                mentors_url=drill_url(scope, day, role=MENTOR, **{param: row["key"]}),
            )
            for row in rows
            if row["mentees"] or row["mentors"]
        ]
        order = list(labels)
        return sorted(items, key=lambda b: order.index(b.key) if b.key in labels else len(order))

    @property
    def tables(self) -> list[tuple[str, list[Breakdown]]]:
        return [
            ("По категориям участников", self.by_kind),
            ("По формам наставничества", self.by_form),
            ("По целевым группам", self.by_category),
        ]

    @property
    def largest(self) -> int:
        """The widest bar of the tables (the scale of the bars)."""
        return max([max(b.mentees, b.mentors) for _, items in self.tables for b in items] + [1])


def participant_statistics(user: Any, scope: Scope, day: dt.date) -> ParticipantStatistics:
    """Mentors and mentees on `day`: in all, by kind of person, by form and by category, each a
    grouped count of distinct people in the database (seven queries whatever the data), or the
    sums of the values stored for today (`snapshots`, three queries)."""
    return _participant_statistics(user, scope, day, stored_statistics(scope, day))


def _participant_statistics(
    user: Any, scope: Scope, day: dt.date, stored: StoredStatistics | None
) -> ParticipantStatistics:
    """`participant_statistics` from today's stored statistics as read (None: counted)."""
    if stored is not None:
        return _statistics(scope, day, stored.kind_rows(), stored.form_rows(), stored.category_rows())
    people = scope_people(user, scope).filter(in_organisation_on(day)).order_by()
    person_ids = people.values("pk")
    is_mentee = engaged_condition(day, MENTEE, within=scope)
    is_mentor = engaged_condition(day, MENTOR, within=scope)
    # one row per person (per person and category for the categories): no DISTINCT needed
    counts = {"mentees": Count("pk", filter=is_mentee), "mentors": Count("pk", filter=is_mentor)}
    kind_rows = list(people.values(key=F("kind")).annotate(**counts))
    category_rows = list(
        people.filter(categories__isnull=False).values(key=F("categories")).annotate(**counts)
    )
    form = Coalesce("group__form__parent_id", "group__form_id")
    mentee_forms = list(
        memberships_on(day)
        .filter(scope.narrowing("mentee__person__"), mentee__person_id__in=person_ids)
        .order_by()
        .values(key=form)
        .annotate(n=Count("mentee__person_id", distinct=True))
    )
    mentor_forms = list(
        groups_on(day)
        .filter(scope.narrowing("mentor__person__"), mentor__person_id__in=person_ids)
        .order_by()
        .values(key=Coalesce("form__parent_id", "form_id"))
        .annotate(n=Count("mentor__person_id", distinct=True))
    )
    form_rows: dict[Any, dict[str, Any]] = {}
    for rows, name in ((mentee_forms, "mentees"), (mentor_forms, "mentors")):
        for row in rows:
            form_rows.setdefault(row["key"], {"key": row["key"], "mentees": 0, "mentors": 0})[name] = row["n"]
    return _statistics(scope, day, kind_rows, list(form_rows.values()), category_rows)


def _statistics(
    scope: Scope,
    day: dt.date,
    kind_rows: list[dict[str, Any]],
    form_rows: list[dict[str, Any]],
    category_rows: list[dict[str, Any]],
) -> ParticipantStatistics:
    """The statistics of grouped rows ({"key", "mentees", "mentors"}), with the labels of the
    forms and categories (two queries)."""
    # the built-in forms always (the same number of queries whatever the data), and own forms in use
    in_use = [row["key"] for row in form_rows if row["key"]]
    forms = dict(
        MentoringForm.objects.filter(Q(pk__in=in_use) | Q(organisation__isnull=True, parent__isnull=True))
        .order_by("program_kind", "sort_order", "name")
        .values_list("pk", "name")
    )
    categories = dict(Category.objects.order_by("sort_order", "name").values_list("pk", "short_name"))
    return ParticipantStatistics(scope, day, (kind_rows, form_rows, category_rows), (forms, categories))


# --- stage 1: the program's process ------------------------------------------------------------------


@dataclass
class ProgressRow:
    role: str
    label: str
    by_status: list[tuple[str, str, int, str]] = field(default_factory=list)  # status, label, n, url

    @property
    def total(self) -> int:
        return sum(n for _, _, n, _ in self.by_status)


def _progress_counts(
    user: Any, scope: Scope, day: dt.date, stored: StoredStatistics | None
) -> dict[tuple[str, str], int]:
    """{(role, status): participants} of the academic year's programs: today's stored
    statistics as read, or (None) one query."""
    if stored is not None:
        return stored.progress_counts()
    participations = Participation.objects.filter(
        program__academic_year=academic_year_of(day),
        added_on__lte=day,
        person_id__in=scope_people(user, scope).filter(in_organisation_on(day)).values("pk"),
    )
    return {
        (row["role"], row["status"]): row["n"]
        for row in participations.order_by()
        .values("role", "status")
        .annotate(n=Count("person_id", distinct=True))
    }


def progress_rows(scope: Scope, day: dt.date, counts: dict[tuple[str, str], int]) -> list[ProgressRow]:
    rows = []
    for role, role_label in ParticipationRole.choices:
        row = ProgressRow(role=role, label=role_label)
        for status, status_label in ParticipationStatus.choices:
            n = counts.get((role, status), 0)
            row.by_status.append((status, status_label, n, drill_url(scope, day, role=role, status=status)))
        rows.append(row)
    return rows


@dataclass
class EventAttendance:
    event: ProgramEvent
    attendance: Attendance


def program_events(scope: Scope, day: dt.date) -> list[EventAttendance]:
    """Events of the scope's programs of the academic year held by the end of `day` in the scope's
    time zone, with the program's participants invited and present (two queries; one when there
    are no events)."""
    before = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(scope.timezone))
    events = list(
        ProgramEvent.objects.filter(
            scope.organisation_condition("program__"),
            program__academic_year=academic_year_of(day),
            starts_at__lt=before,
            cancelled_at__isnull=True,
        ).order_by("starts_at", "pk")
    )
    attendance = attendance_for_events(e.pk for e in events)
    return [EventAttendance(e, attendance.get(e.pk, Attendance(0, 0, 0))) for e in events]


# --- dashboards --------------------------------------------------------------------------------------


@dataclass
class _Sections:
    """What a dashboard shows under its indicators, made when first read: the participant
    statistics and the programs' progress, and the digest of both (`statistics_key`) under
    which their rendering is kept (`_statistics_and_progress.html`)."""

    scope: Scope
    day: dt.date
    statistics: ParticipantStatistics
    progress_counts: dict[tuple[str, str], int]

    @functools.cached_property
    def progress(self) -> list[ProgressRow]:
        return progress_rows(self.scope, self.day, self.progress_counts)

    @functools.cached_property
    def statistics_key(self) -> str:
        return _digest(
            self.scope,
            self.day,
            self.statistics.key_parts,
            sorted(self.progress_counts.items()),
            list(ParticipationRole.choices),
            list(ParticipationStatus.choices),
            list(PersonKind.choices),
        )


def _sections(user: Any, scope: Scope, day: dt.date, stored: StoredStatistics | None) -> dict[str, Any]:
    """The fields of `_Sections` from today's stored statistics as read (None: counted), read
    once for both."""
    return {
        "scope": scope,
        "day": day,
        "statistics": _participant_statistics(user, scope, day, stored),
        "progress_counts": _progress_counts(user, scope, day, stored),
    }


@dataclass
class OrganisationDashboard(_Sections):
    """An organisation's indicators, made when first read (`table_key`: the digest of what they
    show, under which their rendering is kept, see `organisation.html`)."""

    build_cells: Callable[[], list[IndicatorCell]] = list
    table_key: str = ""
    computed_at: dt.datetime | None = None  # of the stored indicator values (None: counted now)

    @functools.cached_property
    def cells(self) -> list[IndicatorCell]:
        return self.build_cells()

    @functools.cached_property
    def behind(self) -> list[IndicatorCell]:  # read several times by the template
        return [c for c in self.cells if c.status == BEHIND]

    @property
    def values_as_of(self) -> str:
        return values_as_of(self.computed_at, self.scope)


def organisation_dashboard(user: Any, scope: Scope, day: dt.date) -> OrganisationDashboard:
    organisation = scope.obj
    assert isinstance(organisation, Organisation)
    indicators = active_indicators()
    counted = scope_measures(user, scope, indicators, day)
    measures = counted.by_organisation.get(organisation.pk, {})
    targets = Targets.load(scope, day.year)
    region_id = organisation.municipality.region_id

    def cells() -> list[IndicatorCell]:
        return [
            _cell(
                scope,
                day,
                indicator,
                measures.get(indicator.code, engine.empty_measure(indicator)),
                targets.for_organisation(indicator, organisation.pk, organisation.municipality_id, region_id),
            )
            for indicator in indicators
        ]

    return OrganisationDashboard(
        **_sections(user, scope, day, stored_statistics(scope, day)),
        build_cells=cells,
        table_key=_table_key(
            scope, day, indicators, targets, units=(), values=[_values_of(indicators, measures)]
        ),
        computed_at=counted.computed_at,
    )


@dataclass
class UnitRow:
    """One organisation (or municipality) of an overview table."""

    obj: Organisation | Municipality
    cells: list[IndicatorCell]
    dashboard_url: str

    @functools.cached_property
    def behind(self) -> list[IndicatorCell]:  # read several times per row by the templates
        return [c for c in self.cells if c.status == BEHIND]


@dataclass
class OverviewTable:
    """The units' cells of an overview, its total, and the organisations behind per indicator."""

    rows: list[UnitRow]
    total: list[IndicatorCell]
    behind_counts: list[tuple[Indicator, int]]  # organisations behind on each indicator


@dataclass
class OverviewDashboard(_Sections):
    """A municipality (organisations side by side) or a region (municipalities side by side).

    The table is built when first read: a page whose rendering of it is kept (`table_key`, see
    `overview.html`) does not build its hundreds of cells again."""

    indicators: list[Indicator] = field(default_factory=list)
    build_table: Callable[[], OverviewTable] = lambda: OverviewTable([], [], [])
    computed_at: dt.datetime | None = None  # of the stored indicator values (None: counted now)
    units: Sequence[Organisation | Municipality] = ()  # the table's organisations or municipalities
    # A digest of everything the table shows (units, indicators, values, targets, day, the URL
    # prefix): its rendering is kept under it, so a change of any of them is a new key.
    table_key: str = ""

    @functools.cached_property
    def table(self) -> OverviewTable:
        return self.build_table()

    @property
    def rows(self) -> list[UnitRow]:
        return self.table.rows

    @property
    def total(self) -> list[IndicatorCell]:
        return self.table.total

    @property
    def behind_counts(self) -> list[tuple[Indicator, int]]:
        return self.table.behind_counts

    @property
    def behind_rows(self) -> list[UnitRow]:
        return [r for r in self.rows if r.behind]

    @property
    def values_as_of(self) -> str:
        return values_as_of(self.computed_at, self.scope)


def _measures_or_empty(
    indicators: Sequence[Indicator], measures: dict[str, Measure] | None
) -> dict[str, Measure]:
    if not measures:
        return {i.code: engine.empty_measure(i) for i in indicators}
    # the empty one only where a value is missing (not built for every cell to be thrown away)
    return {i.code: measures.get(i.code) or engine.empty_measure(i) for i in indicators}


def _overview(
    user: Any,
    scope: Scope,
    day: dt.date,
    indicators: list[Indicator],
    build_table: Callable[[], OverviewTable],
    *,
    table_key: str,
    computed_at: dt.datetime | None,
    units: Sequence[Organisation | Municipality],
    stored: StoredStatistics | None = None,
) -> OverviewDashboard:
    """The units side by side, with the participant statistics and program progress of the scope
    (`stored`: today's stored statistics summed, when the caller has them)."""
    return OverviewDashboard(
        **_sections(user, scope, day, stored or stored_statistics(scope, day)),
        indicators=indicators,
        build_table=build_table,
        computed_at=computed_at,
        units=units,
        table_key=table_key,
    )


def _table_key(
    scope: Scope,
    day: dt.date,
    indicators: Sequence[Indicator],
    targets: Targets,
    units: Iterable[Any],
    values: Iterable[Any],
) -> str:
    """The digest of what an indicators' table shows: every field of the indicators, the units
    (id and names), their values and the targets read (`Targets.fingerprint`)."""
    indicator_fields = [f.attname for f in Indicator._meta.concrete_fields]
    return _digest(
        scope,
        day,
        [tuple(getattr(i, name) for name in indicator_fields) for i in indicators],
        targets.fingerprint,
        list(units),
        list(values),
    )


def _digest(scope: Scope, day: dt.date, *parts: Any) -> str:
    """A key of a kept rendering: `parts` with the scope and day, and what else shapes the HTML
    of a dashboard's section (its links' URL prefix, the language and the numbers' format)."""
    from django.conf import settings
    from django.urls import get_script_prefix
    from django.utils.translation import get_language

    shaped_by = (
        scope.level,
        scope.pk,
        scope.name,
        day.isoformat(),
        get_script_prefix(),
        get_language(),
        settings.USE_THOUSAND_SEPARATOR,
    )
    return hashlib.blake2b(repr((shaped_by, parts)).encode(), digest_size=20).hexdigest()


def _values_of(indicators: Sequence[Indicator], measures: dict[str, Measure] | None) -> tuple[Any, ...]:
    measures = measures or {}
    return tuple(
        (m.numerator, m.denominator) if (m := measures.get(i.code)) is not None else None for i in indicators
    )


def municipality_dashboard(user: Any, scope: Scope, day: dt.date) -> OverviewDashboard:
    municipality = scope.obj
    assert isinstance(municipality, Municipality)
    indicators = active_indicators()
    organisations = list(scope.organisations().order_by("short_name"))
    scope.known_organisations(organisations)
    # Today's statistics and the oldest value's time as added up ahead: one row, not one per organisation
    added_up = None
    if day == scope.today():
        added_up = rollups.municipality_rollup(scope.pk, [o.pk for o in organisations], day, fresh_since())
    counted = scope_measures(user, scope, indicators, day, oldest=added_up.computed_at if added_up else None)
    by_org = counted.by_organisation
    targets = Targets.load(scope, day.year)
    key = _table_key(
        scope,
        day,
        indicators,
        targets,
        units=((o.pk, o.short_name) for o in organisations),
        values=(_values_of(indicators, by_org.get(o.pk)) for o in organisations),
    )
    return _overview(
        user,
        scope,
        day,
        indicators,
        lambda: _municipality_table(scope, day, indicators, organisations, by_org, targets),
        table_key=key,
        computed_at=counted.computed_at,
        units=organisations,
        stored=StoredStatistics.of(added_up.statistics) if added_up else None,
    )


def _municipality_table(
    scope: Scope,
    day: dt.date,
    indicators: list[Indicator],
    organisations: list[Organisation],
    by_org: dict[int, dict[str, Measure]],
    targets: Targets,
) -> OverviewTable:
    from django.urls import reverse

    municipality = scope.obj
    assert isinstance(municipality, Municipality)
    # An organisation without its own target is held to the municipality's: looked up once, not
    # per cell (a municipality of 300 schools has 4,500 cells).
    municipal = [
        (i, targets.for_municipality(i, municipality.pk, municipality.region_id)) for i in indicators
    ]
    rows = []
    per_org = []
    for organisation in organisations:
        measures = _measures_or_empty(indicators, by_org.get(organisation.pk))
        per_org.append(measures)
        org_scope = Scope(ORGANISATION, organisation, organisation.timezone)
        urls = drill_urls(org_scope, day)
        rows.append(
            UnitRow(
                obj=organisation,
                cells=[
                    _cell(
                        org_scope,
                        day,
                        i,
                        measures[i.code],
                        targets.own_of_organisation_by_pk(i.pk, organisation.pk) or held_to,
                        urls,
                    )
                    for i, held_to in municipal
                ],
                dashboard_url=reverse("monitoring:organisation", args=[organisation.pk]) + f"?date={day}",
            )
        )
    total_measures = engine.sum_measures(indicators, per_org)
    total = [_cell(scope, day, i, total_measures[i.code], held_to) for i, held_to in municipal]
    return OverviewTable(rows, total, _behind_counts(indicators, rows))


def _behind_counts(indicators: Sequence[Indicator], rows: Iterable[UnitRow]) -> list[tuple[Indicator, int]]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        for cell in row.behind:
            counts[cell.indicator.code] += 1
    return [(i, counts[i.code]) for i in indicators]


def region_dashboard(user: Any, scope: Scope, day: dt.date) -> OverviewDashboard:
    """Municipalities side by side; how many organisations of each are behind, per indicator.
    Today's values are read as added up per municipality ahead (`rollups`) where they still
    describe the region, else added up here from the organisations' values."""
    indicators = active_indicators()
    municipalities = list(Municipality.objects.filter(region_id=scope.pk).order_by("name"))
    targets = Targets.load(scope, day.year)
    added_up = None
    if day == scope.today():
        ids = [m.pk for m in municipalities]
        added_up = rollups.region_rollup(ids, indicators, targets, day, fresh_since())
    if added_up is None:
        added_up = _region_added_up(user, scope, indicators, targets, day)
    key = _table_key(
        scope,
        day,
        indicators,
        targets,
        units=((m.pk, m.name) for m in municipalities),
        values=(
            (
                _values_of(indicators, added_up.measures.get(m.pk)),
                sorted(added_up.behind.get(m.pk, {}).items()),
            )
            for m in municipalities
        ),
    )
    stored = None if added_up.statistics is None else StoredStatistics.of(added_up.statistics)
    return _overview(
        user,
        scope,
        day,
        indicators,
        lambda: _region_table(scope, day, indicators, municipalities, added_up, targets),
        table_key=key,
        computed_at=added_up.computed_at,
        units=municipalities,
        stored=stored,
    )


def _region_table(
    scope: Scope,
    day: dt.date,
    indicators: list[Indicator],
    municipalities: list[Municipality],
    added_up: rollups.RegionRollup,
    targets: Targets,
) -> OverviewTable:
    from django.urls import reverse

    rows = []
    municipality_measures = []
    for municipality in municipalities:
        measures = _measures_or_empty(indicators, added_up.measures.get(municipality.pk))
        municipality_measures.append(measures)
        behind = added_up.behind.get(municipality.pk, {})
        mun_scope = Scope(MUNICIPALITY, municipality, scope.timezone)
        urls = drill_urls(mun_scope, day)
        cells = []
        for i in indicators:
            cell = _cell(
                mun_scope,
                day,
                i,
                measures[i.code],
                targets.for_municipality(i, municipality.pk, scope.pk),
                urls,
            )
            cell.organisations_behind = behind.get(i.code, 0)
            cells.append(cell)
        rows.append(
            UnitRow(
                obj=municipality,
                cells=cells,
                dashboard_url=reverse("monitoring:municipality", args=[municipality.pk]) + f"?date={day}",
            )
        )
    total_measures = engine.sum_measures(indicators, municipality_measures)  # every organisation is in one
    total = [
        _cell(scope, day, i, total_measures[i.code], targets.for_region(i, scope.pk)) for i in indicators
    ]
    behind_counts = [(i, sum(b.get(i.code, 0) for b in added_up.behind.values())) for i in indicators]
    return OverviewTable(rows, total, behind_counts)


def _region_added_up(
    user: Any, scope: Scope, indicators: Sequence[Indicator], targets: Targets, day: dt.date
) -> rollups.RegionRollup:
    """The region's organisations' values (stored or counted) added up per municipality here."""
    organisation_municipality = dict(scope.organisations().values_list("pk", "municipality_id"))
    counted = scope_measures(user, scope, indicators, day)
    by_org = counted.by_organisation
    # Some 15,000 values: added up once over plain integers, with the lookups per indicator and
    # municipality hoisted (the same sums and statuses as `sum_measures` and `status_of` over
    # the organisations' Measures, which this loop took most of the page's time).
    keys = [(i.code, i.pk, engine.empty_measure(i)) for i in indicators]
    own_targets = targets.organisations_with_own_targets()
    municipality_ids = set(organisation_municipality.values())
    municipality_targets = {
        (m, i.pk): targets.for_municipality(i, m, scope.pk) for m in municipality_ids for i in indicators
    }
    # {municipality: {code: [numerator, denominator or None]}}, started as `sum_measures` starts
    sums: dict[int, dict[str, list[Any]]] = {}
    org_behind: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for org_id, municipality_id in organisation_municipality.items():
        measures = by_org.get(org_id) or {}
        parts = sums.get(municipality_id)
        if parts is None:
            parts = sums[municipality_id] = {code: [0, empty.denominator] for code, _, empty in keys}
        for code, indicator_pk, empty in keys:
            measure = measures.get(code) or empty
            part = parts[code]
            part[0] += measure.numerator
            if part[1] is not None:
                part[1] = None if measure.denominator is None else part[1] + measure.denominator
            # as targets.for_organisation, with the municipality's part looked up once
            target = municipality_targets[(municipality_id, indicator_pk)]
            if org_id in own_targets:
                target = targets.own_of_organisation_by_pk(indicator_pk, org_id) or target
            if target is not None and measure.denominator != 0 and not measure.reaches(target.value):
                org_behind[municipality_id][code] += 1
    return rollups.RegionRollup(
        measures={
            municipality_id: {
                code: Measure(numerator, denominator) for code, (numerator, denominator) in parts.items()
            }
            for municipality_id, parts in sums.items()
        },
        behind={municipality_id: dict(counts) for municipality_id, counts in org_behind.items()},
        statistics=None,
        computed_at=counted.computed_at,
    )


# --- drill-down ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillFilters:
    indicator: str = ""
    part: str = "numerator"
    role: str = ""
    kind: str = ""
    form: str = ""
    category: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, data: Any) -> DrillFilters:
        def pick(name: str, allowed: Iterable[str] | None = None) -> str:
            value = (data.get(name) or "").strip()[:60]
            if allowed is not None and value not in allowed:
                return ""
            return value

        return cls(
            indicator=pick("indicator"),
            part=pick("part", {"numerator", "denominator"}) or "numerator",
            role=pick("role", set(ParticipationRole.values)),
            kind=pick("kind", set(PersonKind.values)),
            form=pick("form"),
            category=pick("category"),
            status=pick("status", set(ParticipationStatus.values)),
        )


@dataclass
class DrillDown:
    title: str
    people: QuerySet[Person]


def drill_down(user: Any, scope: Scope, day: dt.date, filters: DrillFilters) -> DrillDown:
    """The people behind a number of a dashboard, read through `visible_people_for`."""
    people = scope_people(user, scope)
    if filters.indicator:
        indicator = Indicator.objects.filter(code=filters.indicator).select_related("category").first()
        if indicator is None:
            return DrillDown("Показатель не найден", people.none())
        part = "знаменатель" if filters.part == "denominator" else "числитель"
        return DrillDown(
            f"{indicator.short_name}: {part}",
            engine.counted_people(people, indicator, day, filters.part, scope),
        )
    people = people.filter(in_organisation_on(day))
    role_label = dict(ParticipationRole.choices).get(filters.role, "Участники")
    if filters.status:
        participations = Participation.objects.filter(
            program__academic_year=academic_year_of(day), added_on__lte=day, status=filters.status
        )
        if filters.role:
            participations = participations.filter(role=filters.role)
        people = people.filter(pk__in=participations.values("person_id"))
        title = f"{role_label}: {ParticipationStatus(filters.status).label.lower()}"
    else:
        form_id = int(filters.form) if filters.form.isdigit() else None
        people = people.filter(engaged_condition(day, filters.role or None, form_id, within=scope))
        title = f"{role_label} на {day:%d.%m.%Y}"
        if form_id is not None:
            name = MentoringForm.objects.filter(pk=form_id).values_list("name", flat=True).first()
            title += f", форма: {name or '—'}"
    if filters.kind:
        people = people.filter(kind=filters.kind)
        title += f", {PersonKind(filters.kind).label.lower()}"
    if filters.category.isdigit():
        people = people.filter(categories__pk=int(filters.category))
        title += f", категория: {Category.objects.filter(pk=int(filters.category)).values_list('short_name', flat=True).first() or '—'}"
    return DrillDown(title, people)


def years_with_targets(scope: Scope) -> list[int]:
    return sorted(
        set(IndicatorTarget.objects.filter(**{scope.level: scope.obj}).values_list("year", flat=True))
    )


def scope_targets(scope: Scope) -> QuerySet[IndicatorTarget]:
    """The targets set for the scope itself, by indicator and year (the targets page)."""
    return (
        IndicatorTarget.objects.filter(**{scope.level: scope.obj})
        .select_related("indicator")
        .order_by("indicator__sort_order", "year")
    )
