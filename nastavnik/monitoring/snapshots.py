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

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nastavnik.base.time import today_in
from nastavnik.orgs.models import Organisation
from nastavnik.registry.models import Person

from . import indicators as engine
from .indicators import Measure
from .models import Indicator, IndicatorSnapshot
from .scopes import Scope, scope_people

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
    stored = 0
    for when, ids in by_day.items():
        for start in range(0, len(ids), BATCH):
            stored += _store(indicators, ids[start : start + BATCH], when)
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
    with transaction.atomic():
        IndicatorSnapshot.objects.filter(day=day, organisation_id__in=organisation_ids).delete()
        IndicatorSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def snapshots_discard(organisation_ids: Iterable[int]) -> None:
    """Forget the stored values of organisations whose data changed: they are counted on demand
    until the next refresh."""
    IndicatorSnapshot.objects.filter(organisation_id__in=list(organisation_ids)).delete()


def refresh_after_import(sender: Any, organisation: Organisation, created: int, **kwargs: Any) -> None:
    """The registry's `people_imported`: recount the organisation if it had stored values."""
    if created and IndicatorSnapshot.objects.filter(organisation=organisation).exists():
        snapshots_refresh([organisation])


@dataclass
class ScopeMeasures:
    """The indicators of a scope's organisations on a day: {organisation id: {code: Measure}},
    and when the oldest stored value among them was computed (None: all counted now)."""

    by_organisation: dict[int, dict[str, Measure]]
    computed_at: dt.datetime | None


def scope_measures(user: Any, scope: Scope, indicators: Sequence[Indicator], day: dt.date) -> ScopeMeasures:
    """Today's stored values where there are some, the rest counted on demand (a past date:
    everything). Two or three queries whatever the size of the scope."""
    if day != scope.today():
        return ScopeMeasures(_count(scope_people(user, scope), indicators, day, scope), None)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    stored: dict[int, dict[str, Measure]] = defaultdict(dict)
    oldest: dt.datetime | None = None
    rows = IndicatorSnapshot.objects.filter(
        scope.organisation_condition(), day=day, indicator_id__in=list(codes)
    )
    for organisation_id, indicator_id, numerator, denominator, computed_at in rows.values_list(
        "organisation_id", "indicator_id", "numerator", "denominator", "computed_at"
    ):
        stored[organisation_id][codes[indicator_id]] = Measure(numerator, denominator)
        oldest = computed_at if oldest is None else min(oldest, computed_at)
    organisation_ids = list(scope.organisations().values_list("pk", flat=True))
    missing = [pk for pk in organisation_ids if len(stored.get(pk, ())) != len(codes)]
    result = {pk: stored[pk] for pk in organisation_ids if pk not in missing}
    if missing:
        people = scope_people(user, scope).filter(organisation_id__in=missing)
        result.update(_count(people, indicators, day, scope))
    return ScopeMeasures(result, oldest if result.keys() - set(missing) else None)


def _count(
    people: QuerySet[Person], indicators: Sequence[Indicator], day: dt.date, scope: Scope
) -> dict[int, dict[str, Measure]]:
    return engine.measure_people(people, indicators, day, "organisation_id", scope)
