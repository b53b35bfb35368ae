"""Every `require_manage_*` of the access layer refuses a user of another school (school Y's
curator, about school X's things) with a Russian PermissionDenied, and lets school X's curator
through."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

import nastavnik
from nastavnik.cases.access import require_manage_cases
from nastavnik.cases.models import Case
from nastavnik.matching.access import require_manage_matching
from nastavnik.mentoring.access import require_manage_groups, require_manage_program_events
from nastavnik.mentors.access import require_manage_candidacy
from nastavnik.mentors.models import Candidacy
from nastavnik.monitoring.access import require_manage_targets
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.orgs.access import require_manage_organisation, require_manage_program
from nastavnik.partners.access import require_manage_partner
from nastavnik.partners.models import Partner
from nastavnik.programdocs.access import require_manage_documents
from nastavnik.publication.access import require_manage_publications
from nastavnik.recognition.access import require_manage_recognition
from nastavnik.registry.access import require_manage_person
from nastavnik.registry.models import Participation
from nastavnik.roadmaps.access import require_manage_roadmap
from nastavnik.roadmaps.models import Roadmap
from nastavnik.surveys.access import require_manage_surveys
from nastavnik.training.access import require_manage_course
from nastavnik.training.models import Course
from tests.factories import PersonFactory, ProgramFactory

# What each check is about, built for school X.
SUBJECTS: dict[Callable[..., Any], Callable[[Any], Any]] = {
    require_manage_organisation: lambda school: school,
    require_manage_program: lambda school: ProgramFactory(organisation=school),
    require_manage_person: lambda school: PersonFactory(organisation=school),
    require_manage_roadmap: lambda school: Roadmap(organisation=school),
    require_manage_groups: lambda school: ProgramFactory(organisation=school),
    require_manage_program_events: lambda school: ProgramFactory(organisation=school),
    require_manage_surveys: lambda school: ProgramFactory(organisation=school),
    require_manage_matching: lambda school: ProgramFactory(organisation=school),
    require_manage_targets: lambda school: Scope(ORGANISATION, school, school.timezone),
    require_manage_course: lambda school: Course(organisation=school),
    require_manage_candidacy: lambda school: Candidacy(
        participation=Participation(program=ProgramFactory(organisation=school))
    ),
    require_manage_recognition: lambda school: Scope(ORGANISATION, school, school.timezone),
    require_manage_partner: lambda school: Partner(owner_organisation=school, kind="ngo", name="НКО"),
    require_manage_documents: lambda school: school,
    require_manage_cases: lambda school: Case(organisation=school),
    require_manage_publications: lambda school: school,
}


def all_require_manage_functions() -> set[Callable[..., Any]]:
    found = set()
    for app in pkgutil.iter_modules(nastavnik.__path__):
        try:
            module = importlib.import_module(f"nastavnik.{app.name}.access")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("require_manage_") and function.__module__ == module.__name__:
                found.add(function)
    return found


def test_every_require_manage_function_of_the_access_layer_is_checked_here():
    assert all_require_manage_functions() == set(SUBJECTS)


@pytest.mark.parametrize("check", list(SUBJECTS), ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_a_user_of_another_school_is_refused_in_russian(check, school_x, school_y_curator, school_x_curator):
    subject = SUBJECTS[check](school_x)
    with pytest.raises(PermissionDenied) as refusal:
        check(school_y_curator, subject)
    assert any("а" <= letter <= "я" for letter in str(refusal.value).lower())
    check(school_x_curator, subject)
