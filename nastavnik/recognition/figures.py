"""The raw figures of the best-mentor criteria, read from what the product already knows.

Each loader takes the mentors' pairs and groups of the academic year in the scope (`groups`), the
mentors (`person_ids`), the year and the day, and returns {person id: Figure} in one grouped query
(growth: two), whatever the number of mentors. A mentor absent from the result has nothing for
that criterion (a figure of zero).

- pairs completed — the mentor's pairs and groups of the year with the status «Завершена» or
  «Продолжена на следующий год»;
- plans fulfilled — current approved plans of those pairs carried out by the day on at least 90 %
  of their tasks (`monitoring.plans`, the same rule as the stage 1 indicator);
- satisfaction — the average 1–10 item of the satisfaction questionnaires their mentees submitted
  in the year (`monitoring.satisfaction`, the same items as the indicator);
- growth — the mean change of their mentees' diagnostics, entry to exit (`monitoring.growth`);
- training — hours of the courses the mentor completed in the year (`training`);
- curator's score, nominations, competitions — the records of this app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from nastavnik.base.text import count_ru
from nastavnik.mentoring.models import GroupMembership, GroupStatus, IndividualPlan, MentoringGroup
from nastavnik.monitoring.growth import Growth, grouped, measurements
from nastavnik.monitoring.plans import PLAN_FULFILLED_FROM, approved_plans_on, fulfilled_plans_on
from nastavnik.monitoring.satisfaction import INDEX_CODES, year_responses_condition
from nastavnik.surveys.models import Answer
from nastavnik.training.models import Enrolment

from .models import (
    LEVEL_POINTS,
    RESULT_FACTORS,
    CompetitionEntry,
    CompetitionLevel,
    CompetitionResult,
    CriterionCode,
    CuratorAssessment,
    Nomination,
)

HUNDREDTH = Decimal("0.01")
COMPLETED_STATUSES = (GroupStatus.COMPLETED, GroupStatus.CONTINUED)


@dataclass(frozen=True)
class Figure:
    """A raw figure and where it comes from, in words («2 из 3 пар завершены»)."""

    value: Decimal
    text: str


def number(value: Decimal | int | float) -> str:
    """A figure as Russian writes it: 7,85; 12; −0,5."""
    if isinstance(value, float):
        value = Decimal(str(value))
    value = Decimal(value)
    text = f"{value.normalize():f}"  # 7.60 → 7,6; 36.0 → 36
    return text.replace(".", ",").replace("-", "−")


def _hundredths(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def pairs_completed(groups: QuerySet[MentoringGroup], **_: Any) -> dict[int, Figure]:
    rows = (
        groups.order_by()
        .values(person=F("mentor__person_id"))
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status__in=COMPLETED_STATUSES)))
    )
    return {
        row["person"]: Figure(
            Decimal(row["done"]),
            f"завершено: {row['done']}; всего {count_ru(row['total'], 'пара (группа),пары (группы),пар (групп)')}",
        )
        for row in rows
    }


def plans_fulfilled(groups: QuerySet[MentoringGroup], day: dt.date, **_: Any) -> dict[int, Figure]:
    approved = approved_plans_on(day).filter(group__in=groups).values("pk")
    fulfilled = fulfilled_plans_on(day).filter(group__in=groups).values("pk")
    rows = (
        IndividualPlan.objects.filter(pk__in=approved)
        .order_by()
        .values(person=F("group__mentor__person_id"))
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(pk__in=fulfilled)))
    )
    return {
        row["person"]: Figure(
            Decimal(row["done"]),
            f"выполнено не менее чем на {PLAN_FULFILLED_FROM} %: {row['done']}; всего "
            f"{count_ru(row['total'], 'утверждённый план,утверждённых плана,утверждённых планов')}",
        )
        for row in rows
    }


def satisfaction(groups: QuerySet[MentoringGroup], day: dt.date, **_: Any) -> dict[int, Figure]:
    path = "response__respondent__participations__memberships__group"
    rows = (
        Answer.objects.filter(
            year_responses_condition(day, "response__"),
            question__code__in=INDEX_CODES,
            number__isnull=False,
            **{f"{path}__in": groups},
        )
        .order_by()
        .values(person=F(f"{path}__mentor__person_id"))
        .annotate(
            total=Sum("number"), answers=Count("pk"), people=Count("response__respondent_id", distinct=True)
        )
    )
    result = {}
    for row in rows:
        mean = _hundredths(Decimal(row["total"]) / Decimal(row["answers"]))
        result[row["person"]] = Figure(
            mean,
            f"средняя оценка {number(mean)} из 10 (ответов — {row['answers']}, наставляемых — {row['people']})",
        )
    return result


def growth(groups: QuerySet[MentoringGroup], day: dt.date, **_: Any) -> dict[int, Figure]:
    mentees = GroupMembership.objects.filter(group__in=groups).values("mentee__person_id")
    by_group = grouped(measurements(mentees, day), "pair")
    mentor_of = dict(groups.filter(pk__in=list(by_group)).values_list("pk", "mentor__person_id"))
    totals: dict[int, Growth] = {}
    for group_id, part in by_group.items():
        person = mentor_of.get(group_id)
        if person is not None:
            totals[person] = totals[person] + part if person in totals else part
    result = {}
    for person, total in totals.items():
        change = _hundredths(Decimal(total.sum_after - total.sum_before) / Decimal(total.measurements))
        sign = "+" if change > 0 else ""
        result[person] = Figure(
            change,
            f"среднее изменение {sign}{number(change)} (измерений — {total.measurements}, "
            f"наставляемых — {total.participants}, с ростом — {total.improved})",
        )
    return result


def training(person_ids: Sequence[int], year: int, day: dt.date, **_: Any) -> dict[int, Figure]:
    rows = (
        Enrolment.objects.filter(
            person_id__in=person_ids, completed_on__gte=dt.date(year, 9, 1), completed_on__lte=day
        )
        .order_by()
        .values("person_id")
        .annotate(hours=Sum("course__hours"), courses=Count("pk"), documents=Count("certificate"))
    )
    return {
        row["person_id"]: Figure(
            Decimal(row["hours"] or 0),
            f"{number(row['hours'] or 0)} ч: {count_ru(row['courses'], 'курс завершён,курса завершено,курсов завершено')}, "
            f"{count_ru(row['documents'], 'документ,документа,документов')} об обучении",
        )
        for row in rows
    }


def curator_score(person_ids: Sequence[int], year: int, **_: Any) -> dict[int, Figure]:
    rows = CuratorAssessment.objects.filter(person_id__in=person_ids, academic_year=year).values(
        "person_id", "score", "comment"
    )
    return {
        row["person_id"]: Figure(Decimal(row["score"]), f"оценка {row['score']} из 10: {row['comment']}")
        for row in rows
    }


def nominations(person_ids: Sequence[int], year: int, **_: Any) -> dict[int, Figure]:
    rows = (
        Nomination.objects.filter(person_id__in=person_ids, academic_year=year)
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"), people=Count("nominator_name", distinct=True))
    )
    return {
        row["person_id"]: Figure(
            Decimal(row["n"]),
            count_ru(row["n"], "выдвижение,выдвижения,выдвижений") + " участниками и коллегами",
        )
        for row in rows
    }


def competitions(person_ids: Sequence[int], year: int, **_: Any) -> dict[int, Figure]:
    rows = (
        CompetitionEntry.objects.filter(mentor_id__in=person_ids, academic_year=year)
        .order_by("mentor_id", "-level", "-result")
        .values("mentor_id", "level", "result")
        .annotate(n=Count("pk"))
    )
    parts: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        level, result = CompetitionLevel(row["level"]), CompetitionResult(row["result"])
        each = LEVEL_POINTS[level] * RESULT_FACTORS[result]
        times = f" × {row['n']}" if row["n"] > 1 else ""
        words = f"{level.label.lower()} — {result.label.lower()} ({LEVEL_POINTS[level]} × {RESULT_FACTORS[result]}{times})"
        parts[row["mentor_id"]].append((each * row["n"], words))
    return {
        person: Figure(Decimal(sum(p for p, _ in items)), "; ".join(w for _, w in items))
        for person, items in parts.items()
    }


LOADERS: dict[str, Callable[..., dict[int, Figure]]] = {
    CriterionCode.PAIRS_COMPLETED: pairs_completed,
    CriterionCode.PLANS_FULFILLED: plans_fulfilled,
    CriterionCode.SATISFACTION: satisfaction,
    CriterionCode.GROWTH: growth,
    CriterionCode.TRAINING: training,
    CriterionCode.CURATOR_SCORE: curator_score,
    CriterionCode.NOMINATIONS: nominations,
    CriterionCode.COMPETITIONS: competitions,
}
