"""The indicators engine: an `Indicator`'s fields → SQL conditions over people → counts.

All indicators of a dashboard are computed by ONE grouped query: a `COUNT(...) FILTER (WHERE
…)` pair per indicator over the people of the scope, grouped by organisation (or municipality).
Membership conditions (mentee on D, category, consent) are `IN (subquery)` conditions the
database evaluates once per statement. Nothing is counted in Python: the values of a
municipality or a region are sums of the grouped rows, so a municipality shows exactly the sum
of what its organisations show.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from nastavnik.registry.consents import consent_valid_condition, with_consent_state, years_before
from nastavnik.registry.models import LEARNER_KINDS, Person, PersonKind

from .engagement import MENTEE, MENTOR, engaged_condition, in_organisation_on, participant_person_ids
from .models import Denominator, Indicator, Numerator, Population
from .plans import plan_fulfilled_person_ids, plan_holder_person_ids
from .satisfaction import respondent_person_ids, satisfied_person_ids
from .trained import curator_person_ids, trained_person_ids

if TYPE_CHECKING:
    from .scopes import Scope

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Measure:
    """An indicator's value: numerator of denominator people (denominator None for a count)."""

    numerator: int
    denominator: int | None

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    @functools.cached_property
    def value(self) -> Decimal | None:
        """The percentage (one decimal) for a share, the number for a count; None if 0 of 0.
        Kept once computed (a frozen measure's value never changes): a cell reads it for its
        class, its sort key and its text."""
        if self.denominator is None:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return (Decimal(100 * self.numerator) / Decimal(self.denominator)).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )

    @property
    def percent_for_bar(self) -> int:
        if self.denominator:
            return min(100, round(100 * self.numerator / self.denominator))
        return 0

    def reaches(self, target: Decimal) -> bool:
        """Exact comparison (no rounding): numerator / denominator ≥ target %."""
        if self.denominator is None:
            return self.numerator >= target
        return bool(self.denominator) and Decimal(100 * self.numerator) >= target * self.denominator

    def __add__(self, other: Measure) -> Measure:
        if self.denominator is None or other.denominator is None:
            return Measure(self.numerator + other.numerator, None)
        return Measure(self.numerator + other.numerator, self.denominator + other.denominator)


def empty_measure(indicator: Indicator) -> Measure:
    return Measure(0, 0 if indicator.is_share else None)


# --- conditions ----------------------------------------------------------------------------------


def age_between(day: dt.date, age_min: int | None, age_max: int | None) -> Q:
    """Aged age_min..age_max (inclusive) on `day`: someone whose birthday is `day` already has
    the new age. Unknown birth dates are outside any age range."""
    condition = Q()
    if age_min is not None:
        condition &= Q(birth_date__lte=years_before(day, age_min))
    if age_max is not None:
        condition &= Q(birth_date__gt=years_before(day, age_max + 1))
    return condition


def population_condition(indicator: Indicator, day: dt.date, within: Scope | None = None) -> Q:
    base = in_organisation_on(day)
    if indicator.population == Population.LEARNERS:
        return base & Q(kind__in=LEARNER_KINDS)
    if indicator.population == Population.TEACHERS:
        return base & Q(kind=PersonKind.TEACHER)
    if indicator.population == Population.PARTICIPANTS:
        return base & Q(pk__in=participant_person_ids(day, within))
    if indicator.population == Population.SATISFACTION_RESPONDENTS:
        return base & Q(pk__in=respondent_person_ids(day, within))
    if indicator.population == Population.PLAN_HOLDERS:
        return base & Q(pk__in=plan_holder_person_ids(day, within))
    if indicator.population == Population.MENTORS:
        return base & Q(pk__in=participant_person_ids(day, within, role=MENTOR))
    if indicator.population == Population.CURATORS:
        return base & Q(pk__in=curator_person_ids(within))
    return base


def subject_condition(indicator: Indicator, day: dt.date, within: Scope | None = None) -> Q:
    """The population narrowed by the indicator's filters (age on the date, category, stage)."""
    condition = population_condition(indicator, day, within)
    if indicator.age_min is not None or indicator.age_max is not None:
        condition &= age_between(day, indicator.age_min, indicator.age_max)
    if indicator.category_id:
        through = Person.categories.through
        members = through.objects.filter(category_id=indicator.category_id)
        if within is not None:
            members = members.filter(within.narrowing("person__"))
        condition &= Q(pk__in=members.values("person_id"))
    if indicator.young_only:
        # At most N whole years of experience on the date: the career started less than N + 1
        # years before it (the start is kept, so a past date sees the experience it had then).
        started_after = years_before(day, indicator.young_max_experience + 1)
        condition &= Q(teaching_since__gt=started_after) | Q(is_young_specialist=True)
    return condition


def numerator_condition(indicator: Indicator, day: dt.date, within: Scope | None = None) -> Q:
    condition = subject_condition(indicator, day, within)
    if indicator.numerator == Numerator.MENTEES:
        return condition & engaged_condition(day, MENTEE, within=within)
    if indicator.numerator == Numerator.MENTORS:
        return condition & engaged_condition(day, MENTOR, within=within)
    if indicator.numerator == Numerator.ANY_ROLE:
        return condition & engaged_condition(day, within=within)
    if indicator.numerator == Numerator.SATISFIED:
        return condition & Q(pk__in=satisfied_person_ids(day, within))
    if indicator.numerator == Numerator.PLAN_FULFILLED:
        return condition & Q(pk__in=plan_fulfilled_person_ids(day, within))
    if indicator.numerator == Numerator.TRAINED:
        return condition & Q(pk__in=trained_person_ids(day, within))
    return condition & consent_valid_condition(day)  # needs `with_consent_state`


def denominator_condition(indicator: Indicator, day: dt.date, within: Scope | None = None) -> Q | None:
    if indicator.denominator == Denominator.FILTERED:
        return subject_condition(indicator, day, within)
    if indicator.denominator == Denominator.POPULATION:
        return population_condition(indicator, day, within)
    return None


def needs_consent_state(indicators: Iterable[Indicator]) -> bool:
    return any(i.numerator == Numerator.CONSENT for i in indicators)


def prepare(people: QuerySet[Person], indicators: Iterable[Indicator], day: dt.date) -> QuerySet[Person]:
    """Annotate what the conditions refer to (consent state), only when an indicator needs it."""
    return with_consent_state(people, day) if needs_consent_state(indicators) else people


# --- counting ------------------------------------------------------------------------------------


def measure_people(
    people: QuerySet[Person],
    indicators: Sequence[Indicator],
    day: dt.date,
    group_by: str,
    within: Scope | None = None,
) -> dict[Any, dict[str, Measure]]:
    """{group key: {indicator code: Measure}} in one grouped query over `people`.

    `group_by` is a Person field path: "organisation_id" or "organisation__municipality_id".
    `within`, the scope `people` belong to, narrows the membership subqueries to it.
    Groups without people are absent: callers fill them with `empty_measure`.
    """
    if not indicators:
        return {}
    aggregates: dict[str, Count] = {}
    for index, indicator in enumerate(indicators):
        aggregates[f"n{index}"] = Count("pk", filter=numerator_condition(indicator, day, within))
        denominator = denominator_condition(indicator, day, within)
        if denominator is not None:
            aggregates[f"d{index}"] = Count("pk", filter=denominator)
    rows = prepare(people, indicators, day).order_by().values(group_by).annotate(**aggregates)
    result: dict[Any, dict[str, Measure]] = {}
    for row in rows:
        result[row[group_by]] = {
            indicator.code: Measure(row[f"n{index}"], row.get(f"d{index}"))
            for index, indicator in enumerate(indicators)
        }
    return result


def sum_measures(indicators: Sequence[Indicator], groups: Iterable[dict[str, Measure]]) -> dict[str, Measure]:
    """The total of several groups' measures (a municipality from its organisations)."""
    # Summed as integers (a region adds up 13,000 measures): the same as adding the Measures.
    numerators = {indicator.code: 0 for indicator in indicators}
    denominators: dict[str, int | None] = {i.code: 0 if i.is_share else None for i in indicators}
    for group in groups:
        for code, measure in group.items():
            numerators[code] += measure.numerator
            denominator = denominators[code]
            if denominator is not None:
                denominators[code] = (
                    None if measure.denominator is None else denominator + measure.denominator
                )
    return {code: Measure(numerators[code], denominators[code]) for code in numerators}


def counted_people(
    people: QuerySet[Person], indicator: Indicator, day: dt.date, part: str, within: Scope | None = None
) -> QuerySet[Person]:
    """The people behind a number: `part` is "numerator" or "denominator"."""
    if part == "denominator":
        condition = denominator_condition(indicator, day, within)
        if condition is None:
            return people.none()
        return people.filter(condition)
    return prepare(people, [indicator], day).filter(numerator_condition(indicator, day, within))
