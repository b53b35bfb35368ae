from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from nastavnik.accounts.models import MANAGER_ROLES, RoleAssignment, User
from nastavnik.base.audit import acting_as

from .access import require_manage_organisation, require_manage_program
from .models import MentoringForm, Organisation, Program

PROGRAM_FIELDS = frozenset(
    {
        "kind",
        "title",
        "academic_year",
        "curator",
        "max_mentees_per_mentor",
        "admitted_mentors_only",
        "starts_on",
        "ends_on",
        "goals",
        "tasks",
        "expected_results",
        "target_groups",
    }
)


def _validate_program(program: Program, forms: Iterable[MentoringForm] | None) -> None:
    program.full_clean()
    if (
        program.curator_id
        and not RoleAssignment.objects.filter(
            user_id=program.curator_id, organisation_id=program.organisation_id, role__in=MANAGER_ROLES
        ).exists()
    ):
        raise ValidationError(
            {
                "curator": "Куратором может быть только сотрудник организации с ролью куратора или администрации."
            }
        )
    if forms is not None:
        wrong = [f.name for f in forms if f.program_kind != program.kind]
        if wrong:
            raise ValidationError({"forms": f"Формы не подходят к виду программы: {', '.join(wrong)}."})
        foreign = [f.name for f in forms if f.organisation_id not in (None, program.organisation_id)]
        if foreign:
            raise ValidationError({"forms": f"Формы другой организации: {', '.join(foreign)}."})


def program_create(
    *, acting_user: User, organisation: Organisation, forms: Iterable[MentoringForm] = (), **fields: Any
) -> Program:
    require_manage_organisation(
        acting_user, organisation, "Создавать программы могут администрация и кураторы организации."
    )
    unknown = set(fields) - PROGRAM_FIELDS
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    forms = list(forms)
    program = Program(organisation=organisation, **fields)
    _validate_program(program, forms)
    with transaction.atomic(), acting_as(acting_user):
        program.save()
        program.forms.set(forms)
    return program


def program_update(
    *, acting_user: User, program: Program, forms: Iterable[MentoringForm] | None = None, **fields: Any
) -> Program:
    require_manage_program(acting_user, program)
    unknown = set(fields) - PROGRAM_FIELDS
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(program, name, value)
    forms = list(forms) if forms is not None else None
    _validate_program(program, forms)
    with transaction.atomic(), acting_as(acting_user):
        program.save()
        if forms is not None:
            program.forms.set(forms)
    return program
