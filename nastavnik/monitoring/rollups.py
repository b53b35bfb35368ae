"""A municipality's stored values of a day, added up ahead (`MunicipalitySnapshot`).

A region of 1,000 schools has some 15,000 stored indicator values and 1,000 stored statistics
a day; adding them up and counting the schools behind their targets per request was most of
the region dashboard's time. They are added up per municipality whenever the organisations'
values are stored (`snapshots.snapshots_refresh`) and when targets change
(`services.target_set`), so the region's dashboard reads one row per municipality.

A row is used only while it still describes what it added up: the same organisations (their
number and the sum of their ids), the same targets (`Targets.fingerprint`), every active
indicator, and organisations' values fresh enough to show; otherwise the dashboard adds up the
organisations' values as before. The sums and the statuses are those of `sum_measures` and
`status_of` over the organisations' `Measure`s (tests compare the two ways).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from nastavnik.orgs.models import Municipality, Organisation

from . import indicators as engine
from .indicators import Measure
from .models import Indicator, IndicatorSnapshot, MunicipalitySnapshot, StatisticsSnapshot
from .scopes import REGION, Scope
from .targets import Targets


def add_statistics(total: dict[str, Any], data: dict[str, Any]) -> None:
    """Add one stored statistics (`StatisticsSnapshot.data` or a sum of them) into `total`."""
    for part in ("kind", "category", "form"):
        sums = total.setdefault(part, {})
        for key, (mentees, mentors) in data.get(part, {}).items():
            pair = sums.setdefault(key, [0, 0])
            pair[0] += mentees
            pair[1] += mentors
    progress = total.setdefault("progress", {})
    for key, n in data.get("progress", {}).items():
        progress[key] = progress.get(key, 0) + n


def _organisations_of(municipality_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """{municipality: (number of organisations, sum of their ids)}: what a row added up."""
    rows = (
        Organisation.objects.filter(municipality_id__in=municipality_ids)
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("pk"), ids=Sum("pk"))
    )
    # int(): PostgreSQL sums bigints as numeric (a Decimal), SQLite as an integer
    return {row["municipality_id"]: (row["n"], int(row["ids"])) for row in rows}


def roll_up(indicators: Sequence[Indicator], municipality_ids: Collection[int], day: dt.date) -> int:
    """Add up the stored values of `day` of the municipalities' organisations; a municipality
    some of whose organisations have no stored values for the day gets no row. Returns the
    number of rows stored."""
    municipalities = list(Municipality.objects.filter(pk__in=municipality_ids).select_related("region"))
    organisation_municipality = dict(
        Organisation.objects.filter(municipality_id__in=municipality_ids).values_list("pk", "municipality_id")
    )
    codes = {indicator.pk: indicator.code for indicator in indicators}
    values: dict[int, dict[str, Measure]] = defaultdict(dict)
    oldest: dict[int, dt.datetime] = {}
    stored = IndicatorSnapshot.objects.filter(
        day=day, organisation_id__in=list(organisation_municipality), indicator_id__in=list(codes)
    )
    for organisation_id, indicator_id, numerator, denominator, computed_at in stored.values_list(
        "organisation_id", "indicator_id", "numerator", "denominator", "computed_at"
    ):
        values[organisation_id][codes[indicator_id]] = Measure(numerator, denominator)
        if organisation_id not in oldest or computed_at < oldest[organisation_id]:
            oldest[organisation_id] = computed_at
    statistics = dict(
        StatisticsSnapshot.objects.filter(
            day=day, organisation_id__in=list(organisation_municipality)
        ).values_list("organisation_id", "data")
    )
    # the targets the region's dashboard reads (the same rows: the same fingerprint)
    regions = {m.region_id: m.region for m in municipalities}  # loaded once per region, not per municipality
    targets_of_region = {
        pk: Targets.load(Scope(REGION, region, region.timezone), day.year) for pk, region in regions.items()
    }
    members: dict[int, list[int]] = defaultdict(list)
    for organisation_id, municipality_id in organisation_municipality.items():
        members[municipality_id].append(organisation_id)
    rows = []
    now = timezone.now()
    for municipality in municipalities:
        organisation_ids = members.get(municipality.pk, [])
        complete = all(len(values.get(pk, ())) == len(codes) and pk in statistics for pk in organisation_ids)
        if not complete:
            continue
        targets = targets_of_region[municipality.region_id]
        data = _added_up(indicators, municipality, organisation_ids, values, statistics, targets)
        # what `_organisations_of` finds when the row is read, from the organisations read here
        data["organisations"] = [len(organisation_ids), sum(organisation_ids)]
        rows.append(
            MunicipalitySnapshot(
                municipality=municipality,
                day=day,
                data=data,
                # an empty municipality's (nothing to add up) is now
                computed_at=min((oldest[pk] for pk in organisation_ids), default=now),
            )
        )
    with transaction.atomic():
        MunicipalitySnapshot.objects.filter(day=day, municipality_id__in=municipality_ids).delete()
        MunicipalitySnapshot.objects.bulk_create(rows)
    return len(rows)


def _added_up(
    indicators: Sequence[Indicator],
    municipality: Municipality,
    organisation_ids: list[int],
    values: dict[int, dict[str, Measure]],
    statistics: dict[int, dict[str, Any]],
    targets: Targets,
) -> dict[str, Any]:
    """One municipality's row: its measures, its organisations behind per indicator (against each
    one's target in force: its own, else the municipality's, else the region's), its statistics."""
    behind: dict[str, int] = {}
    for indicator in indicators:
        behind[indicator.code] = sum(
            1
            for pk in organisation_ids
            for measure in [values[pk][indicator.code]]
            for target in [targets.for_organisation(indicator, pk, municipality.pk, municipality.region_id)]
            if target is not None and measure.denominator != 0 and not measure.reaches(target.value)
        )
    measures = engine.sum_measures(indicators, [values[pk] for pk in organisation_ids])
    total: dict[str, Any] = {}
    for pk in organisation_ids:
        add_statistics(total, statistics[pk])
    return {
        "targets": targets.fingerprint,
        "measures": {code: [m.numerator, m.denominator] for code, m in measures.items()},
        "behind": behind,
        "statistics": total,
    }


def roll_up_region(indicators: Sequence[Indicator], region_id: int, day: dt.date) -> int:
    """Add up again every municipality of a region (its targets changed)."""
    ids = list(Municipality.objects.filter(region_id=region_id).values_list("pk", flat=True))
    return roll_up(indicators, ids, day)


@dataclass
class RegionRollup:
    """A region's municipalities added up: {municipality: {code: Measure}}, {municipality:
    {code: organisations behind}}, their statistics summed, and the oldest value's time."""

    measures: dict[int, dict[str, Measure]]
    behind: dict[int, dict[str, int]]
    statistics: dict[str, Any] | None  # None: not added up (the dashboard reads them)
    computed_at: dt.datetime | None


def region_rollup(
    municipality_ids: Collection[int],
    indicators: Sequence[Indicator],
    targets: Targets,
    day: dt.date,
    fresh_since: dt.datetime,
) -> RegionRollup | None:
    """The stored rows of `day` of a region's municipalities when every one has a row that still
    describes it (see the module's docstring); None otherwise. Two queries."""
    rows = MunicipalitySnapshot.objects.filter(
        municipality_id__in=municipality_ids, day=day, computed_at__gte=fresh_since
    ).values_list("municipality_id", "data", "computed_at")
    stored = {municipality_id: (data, computed_at) for municipality_id, data, computed_at in rows}
    if stored.keys() != set(municipality_ids):
        return None
    identities = _organisations_of(municipality_ids)
    codes = [indicator.code for indicator in indicators]
    statistics: dict[str, Any] = {}
    result = RegionRollup({}, {}, statistics, None)
    for municipality_id, (data, computed_at) in stored.items():
        if (
            data["targets"] != targets.fingerprint
            or tuple(data["organisations"]) != identities.get(municipality_id, (0, 0))
            or any(code not in data["measures"] for code in codes)
        ):
            return None
        result.measures[municipality_id] = {code: Measure(*data["measures"][code]) for code in codes}
        result.behind[municipality_id] = data["behind"]
        add_statistics(statistics, data["statistics"])
        if data["organisations"][0] and (result.computed_at is None or computed_at < result.computed_at):
            result.computed_at = computed_at
    return result


@dataclass
class MunicipalityRollup:
    """A municipality's statistics summed ahead, and the oldest of its organisations' values."""

    statistics: dict[str, Any]
    computed_at: dt.datetime


def municipality_rollup(
    municipality_id: int, organisation_ids: Collection[int], day: dt.date, fresh_since: dt.datetime
) -> MunicipalityRollup | None:
    """The stored row of `day` of a municipality when it added up these organisations (given:
    its dashboard has read them) and its values are fresh enough to show; None otherwise. One
    query: the municipality's dashboard reads its statistics here, not from every organisation."""
    row = (
        MunicipalitySnapshot.objects.filter(
            municipality_id=municipality_id, day=day, computed_at__gte=fresh_since
        )
        .values_list("data", "computed_at")
        .first()
    )
    if row is None:
        return None
    data, computed_at = row
    if tuple(data.get("organisations", ())) != (len(organisation_ids), sum(organisation_ids)):
        return None
    return MunicipalityRollup(data["statistics"], computed_at)
