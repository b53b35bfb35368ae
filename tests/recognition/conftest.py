"""A school with mentors whose figures are known: the ranking must follow from them by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
from nastavnik.recognition.models import (
    AwardKind,
    CompetitionEntry,
    CompetitionLevel,
    CompetitionResult,
    Criterion,
    CuratorAssessment,
    Nomination,
    NominatorRole,
    Procedure,
)
from tests.builders import builtin_form, mentee, student_program, take_part, teacher

YEAR = 2026


def make_pair(program, mentor_person, *, status=GroupStatus.ACTIVE):
    participation = take_part(program, mentor_person, "mentor")
    group = MentoringGroup.objects.create(
        program=program,
        form=builtin_form("student-student"),
        mentor=participation,
        status=status,
        started_on=dt.date(YEAR, 9, 15),
    )
    GroupMembership.objects.create(group=group, mentee=mentee(program), joined_on=dt.date(YEAR, 9, 15))
    return group


def procedure_for_school(school, **weights):
    procedure = Procedure.objects.create(organisation=school, order_number="7")
    for code, weight in weights.items():
        Criterion.objects.create(procedure=procedure, code=code, weight=weight)
    return procedure


def assess(person, score):
    return CuratorAssessment.objects.create(
        person=person, academic_year=YEAR, score=score, comment="оценка", assessed_on=dt.date(YEAR, 12, 1)
    )


def nominate(person, times):
    for n in range(times):
        Nomination.objects.create(
            person=person,
            academic_year=YEAR,
            nominator_name=f"Выдвигающий {n}",
            nominator_role=NominatorRole.COLLEAGUE,
            reason="за работу",
            nominated_on=dt.date(YEAR, 11, 1),
        )


def compete(person, level, result, organisation=None, group=None):
    return CompetitionEntry.objects.create(
        organisation=organisation or person.organisation,
        mentor=person,
        group=group,
        title="Наставник года",
        level=level,
        result=result,
        held_on=dt.date(YEAR, 11, 10),
        academic_year=YEAR,
    )


@pytest.fixture
def award_kinds(db):
    """The built-in forms (a transactional test flushes the data migration's rows)."""
    rows = [
        ("Благодарность", "Объявить благодарность {ФИО}", "datv", False, "letter"),
        ("Почётная грамота", "Наградить почётной грамотой {ФИО}", "accs", False, "diploma"),
        ("Премия", "Выплатить премию {ФИО} в размере {сумма} руб.", "datv", True, "none"),
    ]
    for name, clause, case, material, certificate in rows:
        AwardKind.objects.get_or_create(
            organisation=None,
            name=name,
            defaults={
                "clause": clause,
                "name_case": case,
                "is_material": material,
                "certificate": certificate,
            },
        )
    return {k.name: k for k in AwardKind.objects.filter(organisation__isnull=True)}


@pytest.fixture
def ranked_school(school_x):
    """Three mentors of school X with hand-countable figures:

    Иванова: 2 pairs, both completed; score 9; 1 nomination; regional prize (3 × 2 = 6).
    Петров:  1 pair, completed;     score 6; 3 nominations; no competitions.
    Сидоров: 1 pair, active;        no score; no nominations; school winner (1 × 3 = 3).
    """
    program = student_program(school_x)
    program.academic_year = YEAR
    program.save()
    ivanova = teacher(
        school_x, experience=12, last_name="Иванова", first_name="Мария", middle_name="Петровна"
    )
    petrov = teacher(school_x, experience=8, last_name="Петров", first_name="Олег", middle_name="Ильич")
    sidorov = teacher(school_x, experience=5, last_name="Сидоров", first_name="Антон", middle_name="Юрьевич")
    first = make_pair(program, ivanova, status=GroupStatus.COMPLETED)
    group = MentoringGroup.objects.create(
        program=program,
        form=builtin_form("student-student"),
        mentor=first.mentor,
        status=GroupStatus.COMPLETED,
        started_on=dt.date(YEAR, 9, 20),
    )
    GroupMembership.objects.create(group=group, mentee=mentee(program), joined_on=dt.date(YEAR, 9, 20))
    make_pair(program, petrov, status=GroupStatus.COMPLETED)
    make_pair(program, sidorov)
    procedure_for_school(school_x, pairs_completed=30, curator_score=40, nominations=20, competitions=10)
    assess(ivanova, 9)
    assess(petrov, 6)
    nominate(ivanova, 1)
    nominate(petrov, 3)
    compete(ivanova, CompetitionLevel.REGIONAL, CompetitionResult.PRIZE, group=group)
    compete(sidorov, CompetitionLevel.SCHOOL, CompetitionResult.WINNER)
    return {"program": program, "ivanova": ivanova, "petrov": petrov, "sidorov": sidorov}
