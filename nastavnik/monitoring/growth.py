"""Stage 2 of monitoring: growth of the participants — the same diagnostic parameters measured at
entry and at exit, compared.

A **measurement** is one participant's one parameter: a scale question of a diagnostic
questionnaire (built-in template «Диагностика участника»), matched by its stable `code` between
the participant's **first** and **last** diagnostic about themselves submitted in the academic
year of the date (by the date). A participant with only one submitted diagnostic has no change:
they are counted apart as «нет итоговой диагностики».

For any group of participants (a pair, a form of mentoring, an organisation):
- mean before / after — the average of its measurements at entry / at exit (1–10 or 1–5);
- mean change — the average of (after − before) over its measurements;
- improved — the share of its participants whose average change is above zero.

The pair (and so the form) of a participant is their latest pair or group of the academic year:
as a mentee (membership) or, failing that, as a mentor. Every figure is a grouped query in the
database over the measurements: the number of queries does not depend on the number of people.
Sums and counts are kept rather than averages, so a municipality is exactly the sum of its
organisations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from nastavnik.base.time import until_end_of
from nastavnik.mentoring.models import GroupMembership, MentoringGroup
from nastavnik.orgs.models import academic_year_of
from nastavnik.surveys.builtin import TEMPLATES
from nastavnik.surveys.models import SCALE_KINDS, Answer, Response, ResponseStatus, TemplateKind

ONE_DECIMAL = Decimal("0.1")
RESPONDENT = "response__respondent_id"


def parameter_labels() -> dict[str, str]:
    """code → wording of the scale questions of the built-in diagnostic template (template order)."""
    return {
        question["code"]: question["text"]
        for template in TEMPLATES
        if template["kind"] == TemplateKind.DIAGNOSTIC
        for section in template["sections"]
        for question in section["questions"]
        if question["kind"] in SCALE_KINDS
    }


def diagnostic_responses(day: dt.date) -> QuerySet[Response]:
    """Submitted diagnostics about oneself of the academic year of `day`, by `day`."""
    return Response.objects.filter(
        status=ResponseStatus.SUBMITTED,
        about_person__isnull=True,
        campaign__questionnaire__kind=TemplateKind.DIAGNOSTIC,
        campaign__program__academic_year=academic_year_of(day),
        submitted_at__lt=until_end_of(day),
    )


def measurements(person_ids: QuerySet[Any, Any], day: dt.date, *, pairs: bool = True) -> QuerySet[Answer]:
    """One row per participant and parameter with both rounds: the entry answer, annotated with
    `after` (the exit answer to the question of the same code), `change`, and unless `pairs` is
    False `pair` and `form` (two correlated subqueries each grouped query would carry, and build,
    for nothing when it groups by neither)."""
    year = academic_year_of(day)
    responses = diagnostic_responses(day)
    own = responses.filter(respondent_id=OuterRef(RESPONDENT))
    first = Subquery(own.order_by("submitted_at", "pk").values("pk")[:1])
    last = Subquery(own.order_by("-submitted_at", "-pk").values("pk")[:1])
    after = Subquery(
        Answer.objects.filter(
            response_id=OuterRef("last_response"),
            question__code=OuterRef("question__code"),
            number__isnull=False,
        ).values("number")[:1]
    )
    as_mentee = Subquery(
        GroupMembership.objects.filter(
            mentee__person_id=OuterRef(RESPONDENT), group__program__academic_year=year
        )
        .order_by("-joined_on", "-pk")
        .values("group_id")[:1]
    )
    as_mentor = Subquery(
        MentoringGroup.objects.filter(mentor__person_id=OuterRef(RESPONDENT), program__academic_year=year)
        .order_by("-started_on", "-pk")
        .values("pk")[:1]
    )
    form = Subquery(
        MentoringGroup.objects.filter(pk=OuterRef("pair")).values(
            root=Coalesce("form__parent_id", "form_id")
        )[:1]
    )
    rows = (
        Answer.objects.filter(
            response__in=responses,
            response__respondent_id__in=person_ids,
            question__kind__in=SCALE_KINDS,
            number__isnull=False,
        )
        .annotate(first_response=first, last_response=last)
        .filter(response_id=F("first_response"))
        .exclude(last_response=F("first_response"))
        .annotate(after=after)
        .filter(after__isnull=False)
        .annotate(change=F("after") - F("number"))
    )
    if pairs:
        rows = rows.annotate(pair=Coalesce(as_mentee, as_mentor, output_field=IntegerField())).annotate(
            form=form
        )
    return rows.order_by()


@dataclass
class Growth:
    """Sums and counts of a group's measurements."""

    key: Any = None
    label: str = ""
    url: str = ""
    measurements: int = 0
    sum_before: int = 0
    sum_after: int = 0
    participants: int = 0
    improved: int = 0  # participants whose average change is above zero
    improved_measurements: int = 0
    without_exit: int = 0  # «нет итоговой диагностики» (only where computed)

    def _mean(self, total: int) -> Decimal | None:
        if not self.measurements:
            return None
        return (Decimal(total) / Decimal(self.measurements)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)

    @property
    def mean_before(self) -> Decimal | None:
        return self._mean(self.sum_before)

    @property
    def mean_after(self) -> Decimal | None:
        return self._mean(self.sum_after)

    @property
    def mean_change(self) -> Decimal | None:
        return self._mean(self.sum_after - self.sum_before)

    @property
    def improved_percent(self) -> Decimal | None:
        if not self.participants:
            return None
        return (Decimal(100 * self.improved) / Decimal(self.participants)).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )

    @property
    def before_for_bar(self) -> int:
        return round(10 * self.sum_before / self.measurements) if self.measurements else 0

    @property
    def after_for_bar(self) -> int:
        return round(10 * self.sum_after / self.measurements) if self.measurements else 0

    @property
    def improved_for_bar(self) -> int:
        return round(100 * self.improved / self.participants) if self.participants else 0

    def __add__(self, other: Growth) -> Growth:
        return Growth(
            key=self.key,
            label=self.label,
            url=self.url,
            measurements=self.measurements + other.measurements,
            sum_before=self.sum_before + other.sum_before,
            sum_after=self.sum_after + other.sum_after,
            participants=self.participants + other.participants,
            improved=self.improved + other.improved,
            improved_measurements=self.improved_measurements + other.improved_measurements,
            without_exit=self.without_exit + other.without_exit,
        )


def grouped(rows: QuerySet[Answer], by: str | None, per_measurement: bool = False) -> dict[Any, Growth]:
    """{key: Growth} of the measurements `rows` grouped by `by` (None: one total under None).
    `per_measurement` (the parameters' table): «improved» are the participants whose answer to
    that parameter grew, not those whose average did."""
    improved_ids = (
        rows.values(RESPONDENT).annotate(delta=Sum("change")).filter(delta__gt=0).values(RESPONDENT)
    )
    aggregates = {
        "n": Count("pk"),
        "before": Sum("number"),
        "after_total": Sum("after"),
        "people": Count(RESPONDENT, distinct=True),
        "better_people": Count(RESPONDENT, distinct=True, filter=Q(**{f"{RESPONDENT}__in": improved_ids})),
        "better": Count("pk", filter=Q(after__gt=F("number"))),
    }
    if by is None:
        result = [{"key": None, **rows.aggregate(**aggregates)}]
    else:
        result = list(rows.values(key=F(by)).annotate(**aggregates))
    return {
        row["key"]: Growth(
            key=row["key"],
            measurements=row["n"] or 0,
            sum_before=row["before"] or 0,
            sum_after=row["after_total"] or 0,
            participants=row["people"] or 0,
            improved=(row["better"] if per_measurement else row["better_people"]) or 0,
            improved_measurements=row["better"] or 0,
        )
        for row in result
        if row["n"]
    }


def without_exit_person_ids(person_ids: QuerySet[Any, Any], day: dt.date) -> QuerySet[Response, Any]:
    """Participants with exactly one submitted diagnostic in the year: no change to compute."""
    return (
        diagnostic_responses(day)
        .filter(respondent_id__in=person_ids)
        .order_by()
        .values("respondent_id")
        .annotate(rounds=Count("pk"))
        .filter(rounds=1)
        .values("respondent_id")
    )


MEASURED_FIELDS = (RESPONDENT, "question__code", "number", "after", "pair", "form")


def measured(rows: QuerySet[Answer]) -> list[dict[str, Any]]:
    """The measurements of `rows` as plain rows (one query). An organisation's stage 2 groups
    them five ways: grouping these rows in Python costs less than compiling the measurement
    query (nested subqueries, twice in each aggregate) five times over. A municipality's and a
    region's rows are too many to fetch, so they keep `grouped`."""
    return list(rows.values(*MEASURED_FIELDS))


def grouped_measured(
    rows: list[dict[str, Any]], by: str | None, per_measurement: bool = False
) -> dict[Any, Growth]:
    """`grouped` over rows fetched by `measured`, with the same figures: «improved» participants
    are those whose changes over all `rows` add up above zero (or, `per_measurement`, the
    measurements that grew)."""
    change_by_person: dict[Any, int] = {}
    for row in rows:
        person = row[RESPONDENT]
        change_by_person[person] = change_by_person.get(person, 0) + row["after"] - row["number"]
    groups: dict[Any, Growth] = {}
    people: dict[Any, set[Any]] = {}
    for row in rows:
        key = None if by is None else row[by]
        item = groups.get(key)
        if item is None:
            item = groups[key] = Growth(key=key)
            people[key] = set()
        item.measurements += 1
        item.sum_before += row["number"]
        item.sum_after += row["after"]
        people[key].add(row[RESPONDENT])
        if row["after"] > row["number"]:
            item.improved_measurements += 1
    for key, item in groups.items():
        item.participants = len(people[key])
        item.improved = (
            item.improved_measurements
            if per_measurement
            else sum(1 for person in people[key] if change_by_person[person] > 0)
        )
    return groups
