"""What a dashboard or report is about (an organisation, a municipality, a region) and the date it
is computed for. Who may open it is `access.py` (`get_scope_for_user`)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from nastavnik.base.time import today_in
from nastavnik.orgs.models import Municipality, Organisation, Region, academic_year_of
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person

ORGANISATION = "organisation"
MUNICIPALITY = "municipality"
REGION = "region"
LEVELS = (ORGANISATION, MUNICIPALITY, REGION)


@dataclass(frozen=True)
class Scope:
    level: str
    obj: Organisation | Municipality | Region
    timezone: str

    @property
    def pk(self) -> int:
        return self.obj.pk

    @property
    def name(self) -> str:
        if isinstance(self.obj, Organisation):
            return self.obj.short_name
        return self.obj.name

    @property
    def full_name(self) -> str:
        if isinstance(self.obj, Organisation):
            return self.obj.name
        return self.obj.name

    @property
    def query(self) -> dict[str, Any]:
        return {"level": self.level, "pk": self.pk}

    def organisation_condition(self, prefix: str = "") -> Q:
        """The organisations of the scope, as a condition over a model with an organisation."""
        if self.level == ORGANISATION:
            return Q(**{f"{prefix}organisation_id": self.pk})
        if self.level == MUNICIPALITY:
            return Q(**{f"{prefix}organisation__municipality_id": self.pk})
        return Q(**{f"{prefix}organisation__municipality__region_id": self.pk})

    def narrowing(self, prefix: str) -> Q:
        """`organisation_condition` for narrowing a subquery to the scope's people: worth it for
        an organisation or a municipality; for a region (most of the data) it only adds joins."""
        return Q() if self.level == REGION else self.organisation_condition(prefix)

    def organisations(self) -> QuerySet[Organisation]:
        if self.level == ORGANISATION:
            return Organisation.objects.filter(pk=self.pk)
        if self.level == MUNICIPALITY:
            return Organisation.objects.filter(municipality_id=self.pk)
        return Organisation.objects.filter(municipality__region_id=self.pk)

    def organisation_ids(self) -> list[int]:
        """The pks of `organisations()`; an organisation's own without a query, the others' once
        per scope (a scope is made for a request: a dashboard asks for them and their number)."""
        if self.level == ORGANISATION:
            return [self.pk]
        return list(self._organisation_ids)

    def known_organisations(self, organisations: Iterable[Organisation]) -> None:
        """The caller has read `organisations()` (all of them): their pks are not asked for again."""
        self.__dict__["_organisation_ids"] = tuple(o.pk for o in organisations)

    @functools.cached_property
    def _organisation_ids(self) -> tuple[int, ...]:
        return tuple(self.organisations().values_list("pk", flat=True))

    def organisation_count(self) -> int:
        """The number of `organisations()`; an organisation's one without a query."""
        return 1 if self.level == ORGANISATION else len(self._organisation_ids)

    def today(self) -> dt.date:
        return today_in(self.timezone)


def scope_people(user: Any, scope: Scope) -> QuerySet[Person]:
    """People of the scope whose data the user may read (the access layer decides)."""
    return visible_people_for(user).filter(scope.organisation_condition())


def chosen_date(data: Any, today: dt.date) -> dt.date:
    """`?date=2026-03-15`, or `?year=2025` for the academic year 2025/2026 (its last day, or
    today while it lasts). Future dates are today: indicators are facts, not forecasts."""
    raw = (data.get("date") or "").strip()
    if raw:
        try:
            return min(dt.date.fromisoformat(raw), today)
        except ValueError:
            pass
    year = (data.get("year") or "").strip()
    if year.isdigit() and 2000 <= int(year) <= 2100:
        return min(dt.date(int(year) + 1, 8, 31), today)
    return today


@functools.lru_cache(maxsize=8)
def _people_url(script_prefix: str, urlconf: str) -> str:
    from django.urls import reverse

    return reverse("monitoring:people", urlconf=urlconf)


def drill_url(scope: Scope, day: dt.date, **params: Any) -> str:
    """The drill-down behind a number (a dashboard has hundreds: the path is reversed once)."""
    return drill_urls(scope, day)(**params)


def drill_urls(scope: Scope, day: dt.date) -> Callable[..., str]:
    """`drill_url` of one scope and day, with the request's URL settings and the scope's part
    looked up once: a row of a region's table has a dozen numbers, each with two links."""
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf

    urlconf = get_urlconf() or settings.ROOT_URLCONF
    base = _drill_base(_people_url(get_script_prefix(), urlconf), scope.level, scope.pk, day)

    def url(**params: Any) -> str:
        rest = _drill_rest(tuple(params.items()))
        return f"{base}&{rest}" if rest else base

    return url


@functools.lru_cache(maxsize=1024)
def _drill_rest(params: tuple[tuple[str, Any], ...]) -> str:
    """The number's part of the query: the same few (indicator, part, role…) on every row of an
    overview, so encoded once rather than for each of its hundreds of cells."""
    return urlencode({k: v for k, v in params if v not in (None, "")})


@functools.lru_cache(maxsize=256)
def _drill_base(path: str, level: str, pk: Any, day: dt.date) -> str:
    """The path and the scope's part of the query, the same for every number of a dashboard."""
    return f"{path}?{urlencode({'level': level, 'pk': pk, 'date': day.isoformat()})}"


def academic_years_around(day: dt.date, back: int = 5) -> list[int]:
    current = academic_year_of(day)
    return list(range(current, current - back - 1, -1))
