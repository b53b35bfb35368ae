"""Small builders for programs with candidate mentors and mentees (matching and pairs tests)."""

from __future__ import annotations

import datetime as dt

from nastavnik.base.time import today_in
from nastavnik.orgs.models import MentoringForm, Organisation, Program, ProgramKind
from nastavnik.registry.consents import age_group
from nastavnik.registry.models import Participation, Person, Tag, TagVocabulary
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    give_consent,
    guardian_for,
    years_ago,
)


def builtin_form(code: str) -> MentoringForm:
    return MentoringForm.objects.get(code=code, organisation__isnull=True)


def student_program(organisation: Organisation, *codes: str, max_mentees: int = 3) -> Program:
    program = ProgramFactory(organisation=organisation, max_mentees_per_mentor=max_mentees)
    program.forms.set([builtin_form(code) for code in codes or ("student-student",)])
    return program


def teacher_program(organisation: Organisation) -> Program:
    program = ProgramFactory(organisation=organisation, kind=ProgramKind.TEACHERS, max_mentees_per_mentor=2)
    program.forms.set([builtin_form("teacher-teacher")])
    return program


def consent_for(person: Person) -> None:
    """A valid consent as the 152-ФЗ rule requires for the person's age."""
    group = age_group(person, today_in())
    if group in {"teen", "child"}:
        give_consent(person, by=guardian_for(person), signed_on=dt.date(2025, 9, 1))
    if group in {"teen", "adult"}:
        give_consent(person, signed_on=dt.date(2025, 9, 1))


def student(
    organisation: Organisation, grade: int, *, age: int | None = None, consent: bool = True, **fields: object
) -> Person:
    person = PersonFactory(
        organisation=organisation,
        grade=grade,
        birth_date=years_ago(age if age is not None else grade + 7),
        **fields,
    )
    if consent:
        consent_for(person)
    return person


def teacher(organisation: Organisation, *, experience: int, consent: bool = True, **fields: object) -> Person:
    person = TeacherFactory(
        organisation=organisation,
        experience_years=experience,
        is_young_specialist=experience <= 3,
        **fields,
    )
    if consent:
        consent_for(person)
    return person


def tag(name: str, vocabulary: str = TagVocabulary.REQUEST) -> Tag:
    return Tag.objects.get_or_create(vocabulary=vocabulary, name=name)[0]


def take_part(
    program: Program,
    person: Person,
    role: str,
    *,
    tags: tuple[str, ...] = (),
    details: str = "",
    capacity: int | None = None,
    preferred_form: MentoringForm | None = None,
) -> Participation:
    participation = Participation.objects.create(
        program=program,
        person=person,
        role=role,
        details=details,
        capacity=capacity,
        preferred_form=preferred_form,
    )
    vocabulary = TagVocabulary.REQUEST if role == "mentee" else TagVocabulary.COMPETENCY
    participation.tags.set([tag(name, vocabulary) for name in tags])
    return participation


def mentee(program: Program, grade: int = 6, **kwargs: object) -> Participation:
    take = {k: kwargs.pop(k) for k in ("tags", "details", "capacity", "preferred_form") if k in kwargs}
    return take_part(program, student(program.organisation, grade, **kwargs), "mentee", **take)  # type: ignore[arg-type]


def mentor(program: Program, grade: int = 10, **kwargs: object) -> Participation:
    take = {k: kwargs.pop(k) for k in ("tags", "details", "capacity", "preferred_form") if k in kwargs}
    return take_part(program, student(program.organisation, grade, **kwargs), "mentor", **take)  # type: ignore[arg-type]
