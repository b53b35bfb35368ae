"""Target values of indicators in force in a year, and a value's status against its target.
Apart from the dashboards' reads because the values rolled up ahead (`rollups`) count the
organisations behind their targets too."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from nastavnik.orgs.models import Municipality, Organisation

from .indicators import Measure
from .models import Indicator, IndicatorTarget
from .scopes import MUNICIPALITY, ORGANISATION, REGION, Scope

MET = "met"
BEHIND = "behind"
NO_TARGET = "no_target"
NO_DATA = "no_data"
STATUS_LABELS = {MET: "достигнуто", BEHIND: "отставание", NO_TARGET: "цель не задана", NO_DATA: "нет данных"}
SOURCE_LABELS = {
    ORGANISATION: "цель организации",
    MUNICIPALITY: "цель муниципалитета",
    REGION: "цель региона",
}


@dataclass(frozen=True)
class Target:
    value: Decimal
    year: int
    source: str  # ORGANISATION / MUNICIPALITY / REGION

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]


class Targets:
    """Target values in force in a year: a target set for year Y holds from Y until the next
    one (a roadmap's «2021 год — 12,5 %, 2024 год — 15 %» means 12,5 % in 2021–2023). An
    organisation without its own target is held to its municipality's, then its region's."""

    def __init__(self, rows: Iterable[IndicatorTarget]) -> None:
        self._latest: dict[tuple[str, int, int], Target] = {}
        digest = hashlib.sha256()
        for row in rows:  # ordered by year: later years overwrite earlier ones
            digest.update(
                f"{row.indicator_id} {row.year} {row.value} {row.organisation_id} "
                f"{row.municipality_id} {row.region_id};".encode()
            )
            if row.organisation_id:
                key = (ORGANISATION, row.organisation_id, row.indicator_id)
                source = ORGANISATION
            elif row.municipality_id:
                key = (MUNICIPALITY, row.municipality_id, row.indicator_id)
                source = MUNICIPALITY
            else:
                assert row.region_id is not None
                key = (REGION, row.region_id, row.indicator_id)
                source = REGION
            self._latest[key] = Target(row.value, row.year, source)
        # Which targets were read, in order: the values rolled up ahead (`rollups`) counted the
        # organisations behind against these, and are not used once they differ.
        self.fingerprint = digest.hexdigest()[:32]

    @classmethod
    def load(cls, scope: Scope, year: int) -> Targets:
        """All targets a scope's dashboard may need, in one query."""
        if scope.level == ORGANISATION:
            organisation = scope.obj
            assert isinstance(organisation, Organisation)
            condition = (
                Q(organisation_id=organisation.pk)
                | Q(municipality_id=organisation.municipality_id)
                | Q(region_id=organisation.municipality.region_id)
            )
        elif scope.level == MUNICIPALITY:
            municipality = scope.obj
            assert isinstance(municipality, Municipality)
            condition = (
                Q(organisation__municipality_id=municipality.pk)
                | Q(municipality_id=municipality.pk)
                | Q(region_id=municipality.region_id)
            )
        else:
            condition = (
                Q(organisation__municipality__region_id=scope.pk)
                | Q(municipality__region_id=scope.pk)
                | Q(region_id=scope.pk)
            )
        rows = (
            IndicatorTarget.objects.filter(condition, year__lte=year)
            .order_by("year", "pk")
            .only("indicator_id", "year", "value", "organisation_id", "municipality_id", "region_id")
        )
        return cls(rows)

    def for_region(self, indicator: Indicator, region_id: int) -> Target | None:
        return self._latest.get((REGION, region_id, indicator.pk))

    def for_municipality(self, indicator: Indicator, municipality_id: int, region_id: int) -> Target | None:
        return self._latest.get((MUNICIPALITY, municipality_id, indicator.pk)) or self.for_region(
            indicator, region_id
        )

    def own_of_organisation(self, indicator: Indicator, organisation_id: int) -> Target | None:
        """The organisation's own target (not its municipality's or region's)."""
        return self.own_of_organisation_by_pk(indicator.pk, organisation_id)

    def own_of_organisation_by_pk(self, indicator_pk: int, organisation_id: int) -> Target | None:
        return self._latest.get((ORGANISATION, organisation_id, indicator_pk))

    def organisations_with_own_targets(self) -> set[int]:
        return {pk for level, pk, _ in self._latest if level == ORGANISATION}

    def for_organisation(
        self, indicator: Indicator, organisation_id: int, municipality_id: int, region_id: int
    ) -> Target | None:
        return self._latest.get((ORGANISATION, organisation_id, indicator.pk)) or self.for_municipality(
            indicator, municipality_id, region_id
        )


def status_of(measure: Measure, target: Target | None) -> str:
    if measure.value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    return MET if measure.reaches(target.value) else BEHIND
