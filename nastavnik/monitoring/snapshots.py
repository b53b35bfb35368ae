"""Indicator values computed ahead, per organisation and day (`IndicatorSnapshot`).

Counting a dozen indicators over a region's 300,000 people takes seconds whatever the query
plan, so the dashboards of today read values computed ahead instead: `snapshots_refresh`
counts them with the same engine (`indicators.measure_people`, one grouped query per batch of
organisations) and stores one row per organisation and indicator; a municipality or a region
is the sum of its organisations' rows, exactly as when counted on demand. The values are kept
fresh by `manage.py refresh_indicator_snapshots` (cron, every 15 minutes), after `load_demo`
and after a class list import (the registry's `people_imported` signal); values older than
`INDICATOR_SNAPSHOT_MAX_AGE_MINUTES` are not used, so a change made through the pages shows
within that time whatever happens to the cron (the dashboard says when its values were
computed). A past date, or an organisation without fresh values for today, is counted on demand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from nastavnik.base.time import today_in
from nastavnik.orgs.models import Municipality, Organisation, academic_year_of
from nastavnik.registry.models import Participation, Person

from . import indicators as engine
from . import rollups
from .engagement import MENTEE, MENTOR, engaged_condition, groups_on, in_organisation_on, memberships_on
from .indicators import Measure
from .models import Indicator, IndicatorSnapshot, StatisticsSnapshot
from .scopes import ORGANISATION, REGION, Scope, scope_people

BATCH = 200  # organisations counted by one grouped query


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True).select_related("category"))


def snapshots_refresh(organisations: Iterable[Organisation] | None = None, day: dt.date | None = None) -> int:
    """Count and store the active indicators of the organisations (all by default) on `day`, or
    on each organisation's own today; returns the number of values stored."""
    indicators = active_indicators()
    chosen = list(Organisation.objects.all() if organisations is None else organisations)
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for organisation in chosen:
        by_day[day or today_in(organisation.timezone)].append(organisation.pk)
    municipality_of = {organisation.pk: organisation.municipality_id for organisation in chosen}
    stored = 0
    for when, ids in by_day.items():
        for start in range(0, len(ids), BATCH):
            stored += _store(indicators, ids[start : start + BATCH], when)
        municipality_ids = {municipality_of[pk] for pk in ids}
        if organisations is None:  # a municipality without organisations adds up to zeros
            municipality_ids |= set(Municipality.objects.values_list("pk", flat=True))
        rollups.roll_up(indicators, municipality_ids, when)
    return stored


def _store(indicators: Sequence[Indicator], organisation_ids: list[int], day: dt.date) -> int:
    people = Person.objects.filter(organisation_id__in=organisation_ids)
    measures = engine.measure_people(people, indicators, day, "organisation_id")
    now = timezone.now()
    rows = [
        IndicatorSnapshot(
            organisation_id=organisation_id,
            indicator=indicator,
            day=day,
            numerator=measure.numerator,
            denominator=measure.denominator,
            computed_at=now,
        )
        for organisation_id in organisation_ids
        for indicator in indicators
        for measure in [
            measures.get(organisation_id, {}).get(indicator.code, engine.empty_measure(indicator))
        ]
    ]
    statistics = _statistics_by_organisation(organisation_ids, day)
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(day=day, organisation_id__in=organisation_ids).delete()
        IndicatorSnapshot.objects.bulk_create(rows, batch_size=1000)
        StatisticsSnapshot.objects.filter(day=day, organisation_id__in=organisation_ids).delete()
        StatisticsSnapshot.objects.bulk_create(
            (
                StatisticsSnapshot(organisation_id=pk, day=day, data=statistics.get(pk, {}), computed_at=now)
                for pk in organisation_ids
            ),
            batch_size=1000,
        )
    return len(rows)


def _statistics_by_organisation(organisation_ids: list[int], day: dt.date) -> dict[int, dict[str, Any]]:
    """The participant statistics of `selectors.participant_statistics` and the programs'
    progress (`selectors._progress_counts`), grouped by organisation (five queries for all of
    them): {pk: {"kind": {kind: [mentees, mentors]}, "category": {id: [...]}, "form": {id:
    [...]}, "progress": {"role status": n}}}."""
    data: dict[int, dict[str, Any]] = defaultdict(lambda: defaultdict(dict))
    people = Person.objects.filter(in_organisation_on(day), organisation_id__in=organisation_ids).order_by()
    counts = {
        "mentees": Count("pk", filter=engaged_condition(day, MENTEE)),
        "mentors": Count("pk", filter=engaged_condition(day, MENTOR)),
    }
    for row in people.values("organisation_id", key=F("kind")).annotate(**counts):
        data[row["organisation_id"]]["kind"][row["key"]] = [row["mentees"], row["mentors"]]
    rows = (
        people.filter(categories__isnull=False)
        .values("organisation_id", key=F("categories"))
        .annotate(**counts)
    )
    for row in rows:
        data[row["organisation_id"]]["category"][str(row["key"])] = [row["mentees"], row["mentors"]]
    person_ids = people.values("pk")
    mentee_forms = (
        memberships_on(day)
        .filter(mentee__person_id__in=person_ids)
        .order_by()
        .values(
            organisation_id=F("mentee__person__organisation_id"),
            key=Coalesce("group__form__parent_id", "group__form_id"),
        )
        .annotate(n=Count("mentee__person_id", distinct=True))
    )
    mentor_forms = (
        groups_on(day)
        .filter(mentor__person_id__in=person_ids)
        .order_by()
        .values(
            organisation_id=F("mentor__person__organisation_id"), key=Coalesce("form__parent_id", "form_id")
        )
        .annotate(n=Count("mentor__person_id", distinct=True))
    )
    for form_rows, position in ((list(mentee_forms), 0), (list(mentor_forms), 1)):
        for row in form_rows:
            pair = data[row["organisation_id"]]["form"].setdefault(str(row["key"] or ""), [0, 0])
            pair[position] = row["n"]
    participations = (
        Participation.objects.filter(
            program__academic_year=academic_year_of(day), added_on__lte=day, person_id__in=person_ids
        )
        .order_by()
        .values("role", "status", organisation_id=F("person__organisation_id"))
        .annotate(n=Count("person_id", distinct=True))
    )
    for row in participations:
        data[row["organisation_id"]]["progress"][f"{row['role']} {row['status']}"] = row["n"]
    return {pk: dict(parts) for pk, parts in data.items()}


def fresh_since() -> dt.datetime:
    """Stored values computed before this are too old to show."""
    return timezone.now() - dt.timedelta(minutes=settings.INDICATOR_SNAPSHOT_MAX_AGE_MINUTES)


def refresh_after_import(sender: Any, organisation: Organisation, created: int, **kwargs: Any) -> None:
    """The registry's `people_imported`: recount the organisation if it had stored values."""
    if created and IndicatorSnapshot.objects.filter(organisation=organisation).exists():
        snapshots_refresh([organisation])


def _stored_of(scope: Scope) -> Q:
    """The stored rows of the scope's organisations. An organisation's or a municipality's
    organisations as a subquery, not a join: SQLite then reads their rows through the (day,
    organisation, indicator) index instead of every organisation's rows of the day (20 ms for a
    municipality of a region of 1,000 schools); a region reads most rows of the day anyway, and
    the join is quicker there."""
    if scope.level == REGION:
        return scope.organisation_condition()
    return Q(organisation_id__in=scope.organisations().order_by().values("pk"))


@dataclass
class ScopeMeasures:
    """The indicators of a scope's organisations on a day: {organisation id: {code: Measure}},
    and when the oldest stored value among them was computed (None: all counted now)."""

    by_organisation: dict[int, dict[str, Measure]]
    computed_at: dt.datetime | None


def scope_measures(
    user: Any,
    scope: Scope,
    indicators: Sequence[Indicator],
    day: dt.date,
    oldest: dt.datetime | None = None,
) -> ScopeMeasures:
    """Today's stored values where there are some, the rest counted on demand (a past date:
    everything). Three or four queries whatever the size of the scope; two when the oldest
    stored value's time is known (`oldest`: a municipality's values added up ahead) and the
    scope's organisations too."""
    if day != scope.today():
        return ScopeMeasures(_count(scope_people(user, scope), indicators, day, scope), None)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    stored: dict[int, dict[str, Measure]] = defaultdict(dict)
    rows = IndicatorSnapshot.objects.filter(
        _stored_of(scope),
        day=day,
        indicator_id__in=list(codes),
        computed_at__gte=fresh_since(),
    )
    known, oldest = oldest, None
    if scope.level != ORGANISATION:
        # A time per row would be parsed 375 times for a municipality, 13,000 for a region (each
        # a conversion of text to an aware datetime): their oldest is asked for apart.
        for organisation_id, indicator_id, numerator, denominator in rows.values_list(
            "organisation_id", "indicator_id", "numerator", "denominator"
        ):
            stored[organisation_id][codes[indicator_id]] = Measure(numerator, denominator)
    else:  # an organisation's dozen: read with its rows
        for organisation_id, indicator_id, numerator, denominator, computed_at in rows.values_list(
            "organisation_id", "indicator_id", "numerator", "denominator", "computed_at"
        ):
            stored[organisation_id][codes[indicator_id]] = Measure(numerator, denominator)
            oldest = computed_at if oldest is None or computed_at < oldest else oldest
    organisation_ids = scope.organisation_ids()
    # a set: a region whose values went stale misses all its 1,000 organisations at once
    missing = {pk for pk in organisation_ids if len(stored.get(pk, ())) != len(codes)}
    result = {pk: stored[pk] for pk in organisation_ids if pk not in missing}
    if scope.level != ORGANISATION and stored:
        # the time known ahead describes the values only when every organisation has them
        if known is not None and not missing:
            oldest = known
        else:
            oldest = rows.aggregate(oldest=Min("computed_at"))["oldest"]
    if missing:
        people = scope_people(user, scope).filter(organisation_id__in=sorted(missing))
        result.update(_count(people, indicators, day, scope))
    return ScopeMeasures(result, oldest if result.keys() - missing else None)


@dataclass
class StoredStatistics:
    """The sum of the stored statistics of a scope's organisations, as grouped rows."""

    kind: dict[str, list[int]]
    category: dict[str, list[int]]
    form: dict[str, list[int]]
    progress: dict[str, int]

    @staticmethod
    def of(total: dict[str, Any]) -> StoredStatistics:
        """From the sum of stored statistics (`rollups.add_statistics`)."""
        return StoredStatistics(
            total.get("kind", {}), total.get("category", {}), total.get("form", {}), total.get("progress", {})
        )

    @staticmethod
    def _rows(parts: dict[str, list[int]], key: Any) -> list[dict[str, Any]]:
        return [{"key": key(k), "mentees": v[0], "mentors": v[1]} for k, v in parts.items()]

    def kind_rows(self) -> list[dict[str, Any]]:
        return self._rows(self.kind, str)

    def category_rows(self) -> list[dict[str, Any]]:
        return self._rows(self.category, int)

    def form_rows(self) -> list[dict[str, Any]]:
        return self._rows(self.form, lambda k: int(k) if k else None)

    def progress_counts(self) -> dict[tuple[str, str], int]:
        return {tuple(key.split(" ", 1)): n for key, n in self.progress.items()}  # type: ignore[misc]


def stored_statistics(scope: Scope, day: dt.date) -> StoredStatistics | None:
    """Today's stored statistics of every organisation of the scope, summed; None when the day
    is not today or any organisation has no fresh values (then they are counted). Two queries."""
    if day != scope.today():
        return None
    rows = list(
        StatisticsSnapshot.objects.filter(
            _stored_of(scope),
            day=day,
            computed_at__gte=fresh_since(),
        ).values_list("data", flat=True)
    )
    if len(rows) != scope.organisation_count():
        return None
    total: dict[str, Any] = {}
    for data in rows:
        rollups.add_statistics(total, data)
    return StoredStatistics.of(total)


def _count(
    people: QuerySet[Person], indicators: Sequence[Indicator], day: dt.date, scope: Scope
) -> dict[int, dict[str, Measure]]:
    return engine.measure_people(people, indicators, day, "organisation_id", scope)
