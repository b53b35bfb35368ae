"""Reads: the indicator values of schools (monitoring's measuring code), the recommendations of a
municipality or region with whether each indicator moved since, and a school's open ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from nastavnik.accounts.access import AnyUser, scopes_of
from nastavnik.monitoring.indicators import empty_measure, measure_people
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import MUNICIPALITY, Scope
from nastavnik.registry.access import visible_people_for
from nastavnik.roadmaps.access import visible_roadmaps_for
from nastavnik.roadmaps.models import RoadmapEvent

from .access import issued_by_condition, visible_addressees_for, visible_recommendations_for
from .models import Addressee, AddresseeStatus, Baseline, Recommendation

Values = dict[int, dict[str, Decimal | None]]


def indicator_values(
    user: AnyUser, organisation_ids: Iterable[int], indicators: Sequence[Indicator], day: dt.date
) -> Values:
    """{organisation id: {indicator code: value}} in one grouped query, over the people the user
    may read (a municipal curator: all of the municipality's schools)."""
    ids = list(organisation_ids)
    people = visible_people_for(user).filter(organisation_id__in=ids)
    measured = measure_people(people, list(indicators), day, "organisation_id")
    return {
        org_id: {i.code: measured.get(org_id, {}).get(i.code, empty_measure(i)).value for i in indicators}
        for org_id in ids
    }


@dataclass
class Move:
    indicator: Indicator
    before: Decimal | None
    now: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.now is None:
            return None
        return self.now - self.before

    @property
    def state(self) -> str:
        """ "up", "down", "same" or "unknown" (higher is better for every indicator of the catalogue)."""
        delta = self.delta
        if delta is None:
            return "unknown"
        return "up" if delta > 0 else "down" if delta < 0 else "same"

    @property
    def label(self) -> str:
        return {"up": "вырос", "down": "снизился", "same": "не изменился", "unknown": "нет данных"}[
            self.state
        ]


@dataclass
class AddresseeRow:
    addressee: Addressee
    moves: list[Move] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return any(m.state == "up" for m in self.moves)


def _with_parts(
    recommendations: QuerySet[Recommendation], addressees: QuerySet[Addressee]
) -> QuerySet[Recommendation]:
    return recommendations.select_related("municipality__region", "region").prefetch_related(
        "indicators",
        Prefetch(
            "addressees",
            queryset=addressees.select_related("organisation").prefetch_related(
                Prefetch("baselines", queryset=Baseline.objects.select_related("indicator"))
            ),
            to_attr="shown_addressees",
        ),
    )


def rows_of(
    user: AnyUser, recommendations: Sequence[Recommendation], day: dt.date
) -> dict[int, list[AddresseeRow]]:
    """Per recommendation, its addressees the user may see with the moves of its indicators."""
    indicators = {i.pk: i for r in recommendations for i in r.indicators.all()}
    org_ids = {a.organisation_id for r in recommendations for a in r.shown_addressees}  # type: ignore[attr-defined]
    values = indicator_values(user, org_ids, list(indicators.values()), day) if indicators else {}
    result: dict[int, list[AddresseeRow]] = {}
    for recommendation in recommendations:
        rows = []
        for addressee in recommendation.shown_addressees:  # type: ignore[attr-defined]
            before = {b.indicator_id: b.value for b in addressee.baselines.all()}
            moves = [
                Move(i, before.get(i.pk), values.get(addressee.organisation_id, {}).get(i.code))
                for i in recommendation.indicators.all()
            ]
            rows.append(AddresseeRow(addressee, moves))
        result[recommendation.pk] = rows
    return result


def scope_recommendations(user: AnyUser, scope: Scope) -> list[Recommendation]:
    found = visible_recommendations_for(user).filter(issued_by_condition(scope)).distinct()
    return list(_with_parts(found, visible_addressees_for(user)).order_by("-created_at", "-pk"))


def recommendation_with_parts(user: AnyUser, recommendation: Recommendation) -> Recommendation:
    return _with_parts(
        Recommendation.objects.filter(pk=recommendation.pk), visible_addressees_for(user)
    ).get()


def open_for_school(user: AnyUser) -> list[Addressee]:
    """What the schools the user manages were recommended and have not done yet (home page)."""
    ids = scopes_of(user).staff_organisation_ids
    return list(
        visible_addressees_for(user)
        .filter(organisation_id__in=ids)
        .exclude(status=AddresseeStatus.DONE)
        .select_related("recommendation__municipality", "recommendation__region", "organisation")
        .order_by("recommendation__due_on", "pk")
    )


def for_organisation(organisation_id: int, since: dt.date, until: dt.date) -> list[Addressee]:
    """The annual report of an organisation: what it was recommended in the period, and what it did."""
    return list(
        Addressee.objects.filter(
            organisation_id=organisation_id,
            recommendation__created_at__date__gte=since,
            recommendation__created_at__date__lte=until,
        )
        .select_related("recommendation__municipality", "recommendation__region")
        .order_by("recommendation__created_at", "pk")
    )


def municipal_roadmap_events(user: AnyUser, scope: Scope, limit: int = 80) -> list[RoadmapEvent]:
    """Events of the municipality's roadmaps a recommendation may be about (none for a region)."""
    if scope.level != MUNICIPALITY:
        return []
    roadmaps = visible_roadmaps_for(user).filter(municipality_id=scope.pk)
    return list(RoadmapEvent.objects.filter(roadmap__in=roadmaps).order_by("roadmap_id", "position")[:limit])
