"""How a person is named in a list to choose from: the name and what tells namesakes apart.

A student cannot tell a teacher from a 10th-grader by «ФИО (наставник)»; every picker of people
(forms' choice fields, the board's move form, «choose and rank people» questions) names them
with `person_label`: a student's class («10Б»), an employee's position («учитель математики»),
and the organisation where people of several organisations can appear.
"""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Person, PersonKind

_KIND_WORDS = {
    PersonKind.STUDENT: "обучающийся",
    PersonKind.COLLEGE_STUDENT: "студент СПО",
    PersonKind.TEACHER: "педагог",
    PersonKind.STAFF: "сотрудник",
    PersonKind.PARENT: "родитель",
    PersonKind.GRADUATE: "выпускник",
    PersonKind.PARTNER_EMPLOYEE: "сотрудник партнёра",
}


def _lower_first(text: str) -> str:
    """«Учитель математики» → «учитель математики», but «ИТ-специалист» stays as written."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def person_distinction(person: Person) -> str:
    """What tells this person apart from a namesake: class, group, position or kind."""
    if person.kind == PersonKind.STUDENT and person.grade:
        return f"{person.school_class} класс"
    if person.kind in (PersonKind.STUDENT, PersonKind.COLLEGE_STUDENT) and person.study_group:
        return person.study_group
    if person.kind == PersonKind.GRADUATE and person.graduation_year:
        return f"выпускник {person.graduation_year} г."
    if person.position:
        return _lower_first(person.position.strip())
    return _KIND_WORDS.get(PersonKind(person.kind), "") if person.kind in PersonKind.values else ""


def person_label(person: Person, *, role: str = "", organisation: bool = False) -> str:
    """«Иванова Мария Петровна (наставник, учитель математики, МБОУ «СОШ № 1»)».

    `role` (a participation's role, «наставник») comes first; `organisation` adds the
    organisation (or a partner's employer) for lists that mix organisations. The caller loads
    `organisation` with the person when it asks for it."""
    parts = [_lower_first(role)] if role else []
    parts.append(person_distinction(person))
    if organisation:
        employer = person.employer if person.kind == PersonKind.PARTNER_EMPLOYEE else ""
        parts.append(employer or person.organisation.short_name)
    details = ", ".join(part for part in parts if part)
    return f"{person.full_name} ({details})" if details else person.full_name


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of one person, each named by `person_label`; `organisation=True` for lists
    that mix organisations (the queryset then selects `organisation` with the person)."""

    def __init__(self, *args: Any, organisation: bool = False, **kwargs: Any) -> None:
        self.show_organisation = organisation
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj, organisation=self.show_organisation)
