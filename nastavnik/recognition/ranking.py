"""The best-mentor ranking of an organisation or a municipality for an academic year.

A mentor is ranked when they mentor a pair or group of a program of that year in the scope. For
each criterion of the procedure the mentor's raw figure (`figures.py`) is normalised to a share
from 0 to 1 and multiplied by the criterion's weight:

- a scale criterion (satisfaction 1–10, the curator's score 0–10): share = figure / 10;
- any other criterion: share = figure / the best figure among the ranked mentors (the best gets
  the whole weight; nobody gets anything when the best is zero); a negative figure (growth that
  went down) counts as zero.

Points are rounded to hundredths (half up) from the figures as shown, so the explanation can be
checked by hand; the total is their sum; places follow the total, equal totals share a place,
and within a place mentors go by name. Nothing else enters the ranking: the same data gives the
same ranking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet

from nastavnik.mentoring.models import MentoringGroup
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.orgs.models import Organisation, academic_year_label
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person

from .figures import LOADERS, Figure, number
from .models import Criterion, CriterionCode, Procedure

HUNDREDTH = Decimal("0.01")
SCALE_MAX = {CriterionCode.SATISFACTION: Decimal(10), CriterionCode.CURATOR_SCORE: Decimal(10)}
ZERO = Decimal(0)

SOURCES = {
    CriterionCode.PAIRS_COMPLETED: "пары и группы наставника в программах учебного года со статусом «Завершена» "
    "или «Продолжена на следующий год»",
    CriterionCode.PLANS_FULFILLED: "утверждённые индивидуальные планы его пар, выполненные не менее чем на 90 % "
    "задач (как в мониторинге, этап 1)",
    CriterionCode.SATISFACTION: "средняя оценка (1–10) в анкетах удовлетворённости его наставляемых за учебный "
    "год (как в мониторинге, этап 1)",
    CriterionCode.GROWTH: "среднее изменение параметров входной и итоговой диагностики его наставляемых "
    "(мониторинг, этап 2)",
    CriterionCode.TRAINING: "часы курсов обучения наставников, завершённых в учебном году",
    CriterionCode.CURATOR_SCORE: "оценка куратора от 0 до 10 с обоснованием",
    CriterionCode.NOMINATIONS: "число выдвижений наставника участниками программы и коллегами",
    CriterionCode.COMPETITIONS: "сумма баллов конкурсов учебного года: уровень (школьный 1, муниципальный 2, "
    "региональный 3, всероссийский 4) × результат (участник 1, призёр 2, победитель 3)",
}


def normalisation_rule(code: str) -> str:
    if code in SCALE_MAX:
        return f"доля от наибольшего значения шкалы ({number(SCALE_MAX[CriterionCode(code)])})"
    return "доля от лучшего значения среди наставников рейтинга"


@dataclass(frozen=True)
class Score:
    code: str
    title: str
    weight: int
    figure: Figure
    base: Decimal  # what the figure is divided by: the scale's maximum or the best figure
    base_is_best: bool
    points: Decimal

    @property
    def explanation(self) -> str:
        value = max(self.figure.value, ZERO)
        if self.base <= 0:
            return f"лучшее значение 0 → 0 баллов из {self.weight}"
        clipped = " (отрицательное считается за 0)" if self.figure.value < 0 else ""
        base = f"лучшее {number(self.base)}" if self.base_is_best else f"шкала до {number(self.base)}"
        return (
            f"{number(value)}{clipped} / {number(self.base)} ({base}) × {self.weight} = {number(self.points)}"
        )


@dataclass
class Entry:
    person: Person
    scores: list[Score]
    total: Decimal
    place: int = 0


@dataclass
class Ranking:
    scope: Scope
    procedure: Procedure | None
    year: int
    day: dt.date
    criteria: list[Criterion] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def max_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    def entry_of(self, person_id: int) -> Entry | None:
        return next((e for e in self.entries if e.person.pk == person_id), None)


def procedure_for(scope: Scope) -> Procedure | None:
    """The organisation's own procedure, or its municipality's; a municipality's own."""
    procedures = Procedure.objects.select_related("organisation", "municipality").prefetch_related("criteria")
    if scope.level == ORGANISATION:
        assert isinstance(scope.obj, Organisation)
        own = list(
            procedures.filter(Q(organisation_id=scope.pk) | Q(municipality_id=scope.obj.municipality_id))
        )
        own.sort(key=lambda p: p.organisation_id is None)
        return own[0] if own else None
    if scope.level == MUNICIPALITY:
        return procedures.filter(municipality_id=scope.pk).first()
    return None


def year_groups(scope: Scope, year: int) -> QuerySet[MentoringGroup]:
    return MentoringGroup.objects.filter(
        scope.organisation_condition("program__"), program__academic_year=year
    )


def ranking_day(scope: Scope, year: int) -> dt.date:
    """The last day of the academic year, or today while it lasts."""
    return min(dt.date(year + 1, 8, 31), scope.today())


def _points(weight: int, value: Decimal, base: Decimal) -> Decimal:
    if base <= 0:
        return ZERO.quantize(HUNDREDTH)
    share_points = Decimal(weight) * max(value, ZERO) / base
    return share_points.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def score_mentors(
    criteria: list[Criterion], person_ids: list[int], figures: dict[str, dict[int, Figure]]
) -> dict[int, list[Score]]:
    """The scores of each mentor from the raw figures: pure arithmetic, no database."""
    empty = Figure(ZERO, "нет данных")
    scores: dict[int, list[Score]] = {pk: [] for pk in person_ids}
    for criterion in criteria:
        by_person = figures.get(criterion.code, {})
        code = CriterionCode(criterion.code)
        is_best = code not in SCALE_MAX
        if is_best:
            values = [by_person[pk].value for pk in person_ids if pk in by_person]
            base = max([ZERO, *values])
        else:
            base = SCALE_MAX[code]
        for pk in person_ids:
            figure = by_person.get(pk, empty)
            scores[pk].append(
                Score(
                    code=code,
                    title=code.label,
                    weight=criterion.weight,
                    figure=figure,
                    base=base,
                    base_is_best=is_best,
                    points=_points(criterion.weight, figure.value, base),
                )
            )
    return scores


def place_entries(entries: list[Entry]) -> list[Entry]:
    """By total (highest first), then by name; equal totals share a place (1, 2, 2, 4)."""
    entries.sort(
        key=lambda e: (-e.total, e.person.last_name, e.person.first_name, e.person.middle_name, e.person.pk)
    )
    previous: Decimal | None = None
    for index, entry in enumerate(entries, start=1):
        if entry.total != previous:
            entry.place = index
            previous = entry.total
        else:
            entry.place = entries[index - 2].place
    return entries


def build_ranking(user: Any, scope: Scope, year: int) -> Ranking:
    """The ranking of the mentors of the scope the user may read (the caller checked the scope)."""
    procedure = procedure_for(scope)
    day = ranking_day(scope, year)
    ranking = Ranking(scope=scope, procedure=procedure, year=year, day=day)
    if procedure is None:
        return ranking
    ranking.criteria = sorted(
        procedure.criteria.all(), key=lambda c: list(CriterionCode.values).index(c.code)
    )
    groups = year_groups(scope, year)
    people = list(
        visible_people_for(user)
        .filter(pk__in=groups.values("mentor__person_id"))
        .select_related("organisation")
        .order_by("pk")
    )
    person_ids = [p.pk for p in people]
    if not person_ids:
        return ranking
    figures = {
        c.code: LOADERS[c.code](groups=groups, person_ids=person_ids, year=year, day=day)
        for c in ranking.criteria
    }
    scores = score_mentors(ranking.criteria, person_ids, figures)
    ranking.entries = place_entries(
        [
            Entry(person=p, scores=scores[p.pk], total=sum((s.points for s in scores[p.pk]), ZERO))
            for p in people
        ]
    )
    return ranking
