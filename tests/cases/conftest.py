"""A completed pair of school X with named people (so anonymisation can be checked), its case,
helpers to give or revoke the consent to dissemination, and users of the mentor and of the
levels above."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik.base.time import today_in
from nastavnik.cases import services as case_services
from nastavnik.mentoring.models import GroupStatus
from nastavnik.mentoring.services import completion
from nastavnik.mentoring.services import groups as group_services
from nastavnik.registry.consents import age_group
from nastavnik.registry.models import Consent, ConsentKind, GuardianLink, Person
from tests.builders import builtin_form, student, student_program, take_part
from tests.factories import give_consent, guardian_for
from tests.mentoring.conftest import account_for, hold


def started() -> dt.date:
    return today_in() - dt.timedelta(days=150)


def ended() -> dt.date:
    return today_in() - dt.timedelta(days=3)


def allow_distribution(person: Person) -> None:
    """The consent to dissemination as the age rule needs it (a minor's representative, a teen too)."""
    group = age_group(person, today_in())
    if group in {"teen", "child"}:
        link = GuardianLink.objects.filter(child=person).select_related("guardian").first()
        guardian = link.guardian if link else guardian_for(person)
        give_consent(
            person, by=guardian, kind=ConsentKind.DISTRIBUTION, signed_on=today_in() - dt.timedelta(days=30)
        )
    if group in {"teen", "adult"}:
        give_consent(person, kind=ConsentKind.DISTRIBUTION, signed_on=today_in() - dt.timedelta(days=30))


def revoke_distribution(person: Person) -> None:
    Consent.objects.filter(subject=person, kind=ConsentKind.DISTRIBUTION).update(revoked_on=today_in())


def completed_pair(
    program,
    curator,
    *,
    mentor_name=("Соколов", "Артём", "Игоревич"),
    mentee_name=("Белова", "Мария", "Андреевна"),
):
    organisation = program.organisation
    last, first, middle = mentor_name
    mentor = take_part(
        program,
        student(organisation, 10, last_name=last, first_name=first, middle_name=middle),
        "mentor",
        capacity=3,
    )
    last, first, middle = mentee_name
    mentee = take_part(
        program,
        student(organisation, 6, last_name=last, first_name=first, middle_name=middle),
        "mentee",
        details=f"{first} {last} отстаёт по математике и стесняется отвечать у доски.",
        tags=("успеваемость",),
    )
    group = group_services.group_create(
        acting_user=curator,
        program=program,
        form=builtin_form("student-student"),
        mentor=mentor,
        mentees=[mentee],
        started_on=started(),
    )
    hold(group, curator, started() + dt.timedelta(days=7), kind="intro")
    completion.group_complete(
        acting_user=curator,
        group=group,
        decision=GroupStatus.COMPLETED,
        result_summary=f"{last} {first} исправила оценку по математике; {mentor.person.first_name} помогал ей каждую неделю.",
        ended_on=ended(),
    )
    return group


@pytest.fixture
def program(school_x):
    return student_program(school_x)


@pytest.fixture
def pair(program, school_x_curator):
    return completed_pair(program, school_x_curator)


@pytest.fixture
def mentor_user(pair):
    return account_for(pair.mentor.person)


@pytest.fixture
def case(pair, school_x_curator):
    return case_services.case_create(acting_user=school_x_curator, group=pair, topic="успеваемость")


def people_of(group):
    return [group.mentor.person, *[m.mentee.person for m in group.memberships.all()]]


def accepted_by_school(case, curator):
    case_services.case_submit(acting_user=curator, case=case)
    return case_services.case_accept(acting_user=curator, case=case)
