"""Recognition in the demo region: the municipality's procedure for choosing the best mentor and
school № 1's own, the curator's assessments and nominations, competitions at every level, and an
order «О поощрении наставников» with a letter of gratitude, a certificate of honour and a bonus.
Deterministic: the mentors are taken in a fixed order from the pairs already built."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from nastavnik.accounts.models import User
from nastavnik.mentoring.models import GroupStatus, MentoringGroup
from nastavnik.orgs.models import Municipality, Organisation
from nastavnik.registry.models import Person

from .kinds import ensure_builtin_award_kinds
from .models import (
    Award,
    AwardKind,
    AwardOrder,
    CompetitionEntry,
    CompetitionLevel,
    CompetitionResult,
    Criterion,
    CriterionCode,
    CuratorAssessment,
    Nomination,
    NominatorRole,
    Procedure,
)

MUNICIPAL_WEIGHTS = {
    CriterionCode.PAIRS_COMPLETED: 15,
    CriterionCode.PLANS_FULFILLED: 15,
    CriterionCode.SATISFACTION: 15,
    CriterionCode.GROWTH: 15,
    CriterionCode.TRAINING: 10,
    CriterionCode.CURATOR_SCORE: 10,
    CriterionCode.NOMINATIONS: 10,
    CriterionCode.COMPETITIONS: 10,
}
SCHOOL_WEIGHTS = {
    CriterionCode.PAIRS_COMPLETED: 10,
    CriterionCode.PLANS_FULFILLED: 20,
    CriterionCode.SATISFACTION: 20,
    CriterionCode.GROWTH: 15,
    CriterionCode.TRAINING: 5,
    CriterionCode.CURATOR_SCORE: 15,
    CriterionCode.NOMINATIONS: 10,
    CriterionCode.COMPETITIONS: 5,
}
ASSESSMENTS = [
    (9, "Провела цикл открытых встреч для молодых педагогов, пара работает по плану без отставаний."),
    (8, "Организовал проектную работу наставляемых, двое выступили на школьной конференции."),
    (7, "Стабильная работа группы, встречи проводятся регулярно."),
    (6, "План выполняется, но встреч меньше запланированного."),
]
NOMINATIONS = [
    (
        0,
        "Соколова Анна Дмитриевна",
        NominatorRole.MENTEE,
        "Помогла подготовиться к олимпиаде и поверить в себя.",
    ),
    (0, "Кузнецов Павел Андреевич", NominatorRole.COLLEAGUE, "Щедро делится методическими находками."),
    (1, "Морозова Елена Викторовна", NominatorRole.PARENT, "Сын стал увереннее и охотнее ходит в школу."),
    (2, "Васильев Илья Сергеевич", NominatorRole.MENTEE, "Всегда находит время объяснить непонятное."),
]
COMPETITIONS = [
    (0, "Региональный этап конкурса «Наставник года»", CompetitionLevel.REGIONAL, CompetitionResult.PRIZE, 2),
    (
        0,
        "Всероссийский конкурс «Лучшие практики наставничества»",
        CompetitionLevel.FEDERAL,
        CompetitionResult.PARTICIPANT,
        4,
    ),
    (1, "Муниципальный конкурс «Лучший наставник»", CompetitionLevel.MUNICIPAL, CompetitionResult.WINNER, 1),
    (
        1,
        "Региональный конкурс проектов наставнических пар",
        CompetitionLevel.REGIONAL,
        CompetitionResult.PARTICIPANT,
        3,
    ),
    (2, "Школьный конкурс «Наставник и ученик»", CompetitionLevel.SCHOOL, CompetitionResult.WINNER, 0),
]


def _procedure(weights: dict[CriterionCode, int], **owner: object) -> Procedure:
    procedure = Procedure.objects.create(
        approved_on=dt.date(2025, 9, 1),
        order_number="112-о",
        general_provisions=(
            "Выбор лучшего наставника проводится ежегодно по итогам учебного года.\n"
            "Лучшими признаются наставники, занявшие первые три места рейтинга."
        ),
        **owner,
    )
    Criterion.objects.bulk_create(
        Criterion(procedure=procedure, code=code, weight=w) for code, w in weights.items()
    )
    return procedure


def _mentors(organisation: Organisation, year: int) -> list[Person]:
    person_ids = (
        MentoringGroup.objects.filter(program__organisation=organisation, program__academic_year=year)
        .order_by("mentor__person_id")
        .values_list("mentor__person_id", flat=True)
        .distinct()
    )
    # The demo mentor with an account (mentor1) first, so their card shows the awards.
    people = Person.objects.filter(
        Q(pk__in=list(person_ids)) | Q(organisation=organisation, user__username="mentor1")
    )
    return sorted(people, key=lambda p: (p.user_id is None, p.pk))


def _day(year: int, month: int, day: int, today: dt.date) -> dt.date:
    date = dt.date(year if month >= 9 else year + 1, month, day)
    return min(date, today)


def build_recognition_demo(
    *,
    today: dt.date,
    year: int,
    municipality: Municipality,
    school: Organisation,
    other_school: Organisation,
    curator: User,
) -> None:
    if Procedure.objects.filter(municipality=municipality).exists():
        return
    _procedure(MUNICIPAL_WEIGHTS, municipality=municipality)
    _procedure(SCHOOL_WEIGHTS, organisation=school)
    mentors = _mentors(school, year)
    others = _mentors(other_school, year)
    if not mentors:
        return
    MentoringGroup.objects.filter(mentor__person__in=mentors[1:4], program__academic_year=year).update(
        status=GroupStatus.COMPLETED, ended_on=_day(year, 11, 28, today)
    )
    for person, (score, comment) in zip(mentors, ASSESSMENTS, strict=False):
        CuratorAssessment.objects.create(
            person=person,
            academic_year=year,
            score=score,
            comment=comment,
            assessed_by=curator,
            assessed_on=today,
        )
    for index, name, role, reason in NOMINATIONS:
        if index < len(mentors):
            Nomination.objects.create(
                person=mentors[index],
                academic_year=year,
                nominator_name=name,
                nominator_role=role,
                reason=reason,
                nominated_on=_day(year, 11, 20, today),
                recorded_by=curator,
            )
    for index, title, level, result, month_offset in COMPETITIONS:
        if index < len(mentors):
            held_on = _day(year, 9 + month_offset if month_offset < 4 else 1, 15, today)
            CompetitionEntry.objects.create(
                organisation=school,
                mentor=mentors[index],
                title=title,
                level=level,
                held_on=held_on,
                academic_year=year,
                result=result,
                recorded_by=curator,
            )
    if others:
        CompetitionEntry.objects.create(
            organisation=other_school,
            mentor=others[0],
            title="Региональный этап конкурса «Наставник года»",
            level=CompetitionLevel.REGIONAL,
            held_on=_day(year, 11, 15, today),
            academic_year=year,
            result=CompetitionResult.PARTICIPANT,
        )
    _order(today, year, school, mentors, curator)


def _order(today: dt.date, year: int, school: Organisation, mentors: list[Person], curator: User) -> None:
    ensure_builtin_award_kinds()
    kinds = {k.name: k for k in AwardKind.objects.filter(organisation__isnull=True)}
    order = AwardOrder.objects.create(
        organisation=school,
        academic_year=year,
        number="148-о",
        signed_on=_day(year, 12, 1, today),
        created_by=curator,
    )
    plan = [
        ("Благодарность", "за высокие результаты наставнической деятельности", None),
        ("Почётная грамота", "за значительный вклад в развитие наставничества в школе", None),
        ("Премия", "за подготовку призёра регионального конкурса", Decimal("5000")),
    ]
    for person, (kind, reason, amount) in zip(mentors, plan, strict=False):
        Award.objects.create(order=order, person=person, kind=kinds[kind], reason=reason, amount=amount)
