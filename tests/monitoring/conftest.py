"""A hand-made school whose every indicator was computed by hand (see test_indicators.py).

The date is D = 15 March 2026 (academic year 2025/2026). Names tell what matters about a person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from nastavnik.orgs.models import Organisation, Program, ProgramKind
from nastavnik.registry.models import Category, Participation, Person
from tests.factories import ParentFactory, PersonFactory, TeacherFactory, give_consent

D = dt.date(2026, 3, 15)


@dataclass
class HandMade:
    school: Organisation
    people: dict[str, Person]
    program: Program
    teachers_program: Program


def take_part(program, person, role, status="in_pair", added_on=dt.date(2025, 10, 1)) -> Participation:  # type: ignore[no-untyped-def]
    return Participation.objects.create(
        program=program, person=person, role=role, status=status, added_on=added_on
    )


def build_hand_made(school: Organisation) -> HandMade:
    ovz = Category.objects.get(code="ovz")
    at_risk = Category.objects.get(code="at-risk")
    program = Program.objects.create(
        organisation=school, kind=ProgramKind.STUDENTS, title="Ученики", academic_year=2025
    )
    last_year = Program.objects.create(
        organisation=school, kind=ProgramKind.STUDENTS, title="Ученики (прошлый год)", academic_year=2024
    )
    teachers_program = Program.objects.create(
        organisation=school, kind=ProgramKind.TEACHERS, title="Педагоги", academic_year=2025
    )

    def student(name: str, born: dt.date, **fields: object) -> Person:
        return PersonFactory(organisation=school, last_name=name, birth_date=born, **fields)

    def teacher(name: str, experience: int, **fields: object) -> Person:
        return TeacherFactory(organisation=school, last_name=name, experience_years=experience, **fields)

    p = {
        # age on D in the comment
        "s1": student("Одиннадцать-сегодня", dt.date(2015, 3, 15)),  # 11: birthday on D
        "s2": student("Десять-завтра-одиннадцать", dt.date(2015, 3, 16)),  # 10
        "s3": student("Восемнадцать-завтра-девятнадцать", dt.date(2007, 3, 16)),  # 18
        "s4": student("Девятнадцать-сегодня", dt.date(2007, 3, 15)),  # 19: birthday on D
        "s5": student("ОВЗ-кандидат", dt.date(2011, 1, 1)),  # 15
        "s6": student("ОВЗ-учёт", dt.date(2011, 6, 1)),  # 14
        "s7": student("Учёт-выбыл-до-даты", dt.date(2012, 1, 1), left_on=dt.date(2026, 2, 1)),  # 14
        "s8": student("Учёт-выбудет-после", dt.date(2010, 5, 5), left_on=dt.date(2026, 4, 1)),  # 15
        "s9": student("Учёт-совершеннолетний", dt.date(2008, 1, 1)),  # 18
        "s10": student("Прошлый-год", dt.date(2013, 9, 1)),  # 12
        "s11": student("Добавлен-после-даты", dt.date(2014, 1, 1)),  # 12
        "s12": student("Пришёл-после-даты", dt.date(2013, 1, 1), joined_on=dt.date(2026, 4, 1)),  # 13
        "s13": student("Учёт-не-охвачен", dt.date(2009, 6, 1)),  # 16
        "s14": student("Девять-завтра-десять", dt.date(2016, 3, 16)),  # 9
        "t1": teacher("Молодой-наставляемый", 1),
        "t2": teacher("Молодой-специалист-по-отметке", 10, is_young_specialist=True),
        "t3": teacher("Молодой-кандидат", 2),
        "t4": teacher("Опытный-наставник", 20),
        "t5": teacher("Молодой-выбыл", 0, left_on=dt.date(2026, 1, 10)),
    }
    parent = ParentFactory(organisation=school, last_name="Родитель")
    p["parent"] = parent
    for key in ("s5", "s6"):
        p[key].categories.add(ovz)
    for key in ("s6", "s7", "s8", "s9", "s13"):
        p[key].categories.add(at_risk)

    take_part(program, p["s1"], "mentee")
    take_part(program, p["s2"], "mentee")
    take_part(program, p["s3"], "mentor")
    take_part(program, p["s4"], "mentor", status="completed")
    take_part(program, p["s5"], "mentee", status="candidate")
    take_part(program, p["s6"], "mentee")
    take_part(program, p["s7"], "mentee")
    take_part(program, p["s8"], "mentor")
    take_part(program, p["s9"], "mentee", status="withdrawn")
    take_part(last_year, p["s10"], "mentee", added_on=dt.date(2024, 10, 1))
    take_part(program, p["s11"], "mentee", added_on=dt.date(2026, 4, 1))
    take_part(program, p["s14"], "mentee")
    take_part(teachers_program, p["t1"], "mentee")
    take_part(teachers_program, p["t3"], "mentee", status="candidate")
    take_part(teachers_program, p["t4"], "mentor")
    take_part(teachers_program, p["t5"], "mentee")

    signed = dt.date(2025, 9, 10)
    give_consent(p["s1"], by=parent, signed_on=signed)  # child: representative's consent is enough
    give_consent(p["s3"], signed_on=signed)  # adult
    give_consent(p["s4"], signed_on=signed)  # adult
    give_consent(p["s5"], by=parent, signed_on=signed)  # teen without own consent: not valid
    give_consent(p["s6"], by=parent, signed_on=signed)
    give_consent(p["s6"], signed_on=signed)  # teen with both
    give_consent(p["s8"], by=parent, signed_on=signed)
    give_consent(p["s8"], signed_on=signed)
    give_consent(p["s14"], by=parent, signed_on=signed)
    give_consent(p["t1"], signed_on=signed)
    give_consent(p["t4"], signed_on=signed, revoked_on=dt.date(2026, 3, 1))  # revoked before D
    return HandMade(school=school, people=p, program=program, teachers_program=teachers_program)


@pytest.fixture
def hand_made(school_x) -> HandMade:  # type: ignore[no-untyped-def]
    return build_hand_made(school_x)
