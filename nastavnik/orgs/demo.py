"""The demo region's organisations and programs: one region, a municipality with two schools and
a centre of additional education (the demo's work happens there), a second municipality with one
school, and the programs of the current academic year.

Called by the orchestrator, nastavnik/home/demo.py, which passes in the curators (accounts) and
gives the programs to the registry demo for their participants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nastavnik.accounts.models import User

from .models import MentoringForm, Municipality, Organisation, OrganisationKind, Program, ProgramKind, Region

DEMO_REGION = "Челябинская область"

DEMO_ORGANISATIONS: list[dict[str, str]] = [
    {
        "kind": OrganisationKind.SCHOOL,
        "name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1» "
        "г. Катав-Ивановска",
        "short_name": "МБОУ «СОШ № 1»",
        "address": "г. Катав-Ивановск, ул. Ленина, 12",
        "head_name": "Демаков Сергей Николаевич",
    },
    {
        "kind": OrganisationKind.SCHOOL,
        "name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7»",
        "short_name": "МБОУ «СОШ № 7»",
        "address": "г. Катав-Ивановск, ул. Свердлова, 5",
        "head_name": "Лагунова Елена Петровна",
    },
    {
        "kind": OrganisationKind.ADDITIONAL,
        "name": "Муниципальное бюджетное учреждение дополнительного образования «Центр детского творчества»",
        "short_name": "МБУ ДО «ЦДТ»",
        "address": "г. Катав-Ивановск, ул. Гагарина, 3",
        "head_name": "Баланюк Марина Андреевна",
    },
]


# What the demo students' program says in its documents (Положение, the program itself).
STUDENT_PROGRAM_TEXT = {
    "goals": "Максимально полное раскрытие потенциала личности наставляемого, необходимое для успешной "
    "личной и профессиональной самореализации в современных условиях неопределённости.",
    "tasks": "Адаптация обучающихся 5-х и 10-х классов к новым условиям обучения\n"
    "Повышение мотивации к учёбе и улучшение образовательных результатов\n"
    "Развитие гибких навыков, лидерских качеств и метакомпетенций\n"
    "Ранняя профессиональная ориентация с участием организаций-партнёров",
    "expected_results": "Рост успеваемости и снижение числа неуспевающих обучающихся\n"
    "Увеличение числа обучающихся, вовлечённых в проектную деятельность и конкурсы\n"
    "Осознанный выбор профессии выпускниками",
    "target_groups": "Обучающиеся с низкой учебной мотивацией\nОбучающиеся 5-х и 10-х классов\n"
    "Одарённые обучающиеся\nОбучающиеся, состоящие на профилактическом учёте",
}


@dataclass(frozen=True)
class DemoOrganisations:
    region: Region
    municipality: Municipality
    other_municipality: Municipality
    school1: Organisation
    school7: Organisation
    centre: Organisation
    other_school: Organisation


def demo_exists() -> bool:
    return Region.objects.filter(name=DEMO_REGION).exists()


def demo_organisations_create() -> DemoOrganisations:
    region = Region.objects.create(name=DEMO_REGION, code="74", timezone="Asia/Yekaterinburg")
    municipality = Municipality.objects.create(
        region=region,
        name="Катав-Ивановский муниципальный район",
        education_authority="Управление образования администрации Катав-Ивановского муниципального района",
    )
    other_municipality = Municipality.objects.create(
        region=region, name="Усть-Катавский городской округ", education_authority="Управление образования"
    )
    school1, school7, centre = (
        Organisation.objects.create(municipality=municipality, timezone=region.timezone, **fields)
        for fields in DEMO_ORGANISATIONS
    )
    other_school = Organisation.objects.create(
        municipality=other_municipality,
        kind=OrganisationKind.SCHOOL,
        short_name="МКОУ «СОШ № 4»",
        name="Муниципальное казённое общеобразовательное учреждение «Средняя общеобразовательная школа № 4»",
        timezone=region.timezone,
    )
    return DemoOrganisations(
        region=region,
        municipality=municipality,
        other_municipality=other_municipality,
        school1=school1,
        school7=school7,
        centre=centre,
        other_school=other_school,
    )


def demo_programs_create(
    organisation: Organisation,
    curator: User,
    year: int,
    *,
    teacher_program: bool,
    employer_form: bool = False,
) -> tuple[Program, Program | None]:
    """The organisation's program for students of academic year `year` and, if asked, its
    program for teachers (young specialists and their experienced colleagues)."""
    forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
    program = Program.objects.create(
        organisation=organisation,
        kind=ProgramKind.STUDENTS,
        title="Программа наставничества обучающихся",
        academic_year=year,
        curator=curator,
        max_mentees_per_mentor=3,
        starts_on=dt.date(year, 10, 1),
        ends_on=dt.date(year + 1, 5, 31),
        **STUDENT_PROGRAM_TEXT,
    )
    program.forms.set(
        [forms["student-student"], forms["teacher-student"]]
        + ([forms["employer-pupil"]] if employer_form else [])
    )
    if not teacher_program:
        return program, None
    teachers_program = Program.objects.create(
        organisation=organisation,
        kind=ProgramKind.TEACHERS,
        title="Программа наставничества педагогических работников",
        academic_year=year,
        curator=curator,
        max_mentees_per_mentor=2,
    )
    teachers_program.forms.set([forms["teacher-teacher"], forms["teacher-teacher-1"]])
    return program, teachers_program
