"""People are named in every picker by what tells them apart: a student's class, an employee's
position, and the organisation where several organisations mix (issue #14)."""

import pytest

from nastavnik.accounts.models import Role
from nastavnik.matching.forms import ExclusionForm
from nastavnik.registry.forms.people import GuardianForm
from nastavnik.registry.forms.roles import RoleGrantForm
from nastavnik.registry.labels import person_label
from nastavnik.registry.models import Participation, Person, PersonKind
from nastavnik.registry.selectors.staff import Place
from tests.factories import OrganisationFactory, ParentFactory, PersonFactory, ProgramFactory, TeacherFactory


def choice_labels(field) -> list[str]:
    return [str(label) for value, label in field.choices if value]


def test_a_student_is_named_with_the_class_and_a_teacher_with_the_position():
    pupil = Person(
        kind=PersonKind.STUDENT, last_name="Иванова", first_name="Мария", grade=10, class_letter="Б"
    )
    teacher = Person(
        kind=PersonKind.TEACHER, last_name="Иванова", first_name="Мария", position="Учитель математики"
    )
    assert person_label(pupil) == "Иванова Мария (10Б класс)"
    assert person_label(teacher) == "Иванова Мария (учитель математики)"
    assert person_label(teacher, role="Наставник") == "Иванова Мария (наставник, учитель математики)"


def test_a_position_written_in_capitals_keeps_them_and_a_person_without_one_gets_the_kind():
    it = Person(kind=PersonKind.STAFF, last_name="Ким", first_name="Олег", position="ИТ-специалист")
    parent = Person(kind=PersonKind.PARENT, last_name="Ким", first_name="Анна")
    assert person_label(it) == "Ким Олег (ИТ-специалист)"
    assert person_label(parent) == "Ким Анна (родитель)"


@pytest.mark.django_db
def test_the_organisation_is_added_where_organisations_mix():
    school = OrganisationFactory(short_name="СОШ № 7")
    teacher = TeacherFactory(organisation=school, last_name="Орлова", first_name="Анна", middle_name="")
    partner = PersonFactory(
        organisation=school,
        kind=PersonKind.PARTNER_EMPLOYEE,
        grade=None,
        class_letter="",
        last_name="Лебедев",
        first_name="Пётр",
        middle_name="",
        position="Инженер",
        employer="АО «Завод»",
    )
    assert person_label(teacher, organisation=True) == "Орлова Анна (учитель математики, СОШ № 7)"
    assert person_label(partner, organisation=True) == "Лебедев Пётр (инженер, АО «Завод»)"


@pytest.mark.django_db
def test_the_matching_pair_pickers_show_class_and_position(school_x):
    program = ProgramFactory(organisation=school_x)
    pupil = PersonFactory(organisation=school_x, last_name="Семенова", grade=7, class_letter="В")
    older = PersonFactory(organisation=school_x, last_name="Семенов", grade=10, class_letter="Б")
    teacher = TeacherFactory(organisation=school_x, last_name="Семенова", position="Учитель физики")
    Participation.objects.create(program=program, person=pupil, role="mentee")
    Participation.objects.create(program=program, person=older, role="mentor")
    Participation.objects.create(program=program, person=teacher, role="mentor")
    form = ExclusionForm(program=program)
    assert choice_labels(form.fields["mentee"]) == ["Семенова Иван Сергеевич (7В класс)"]
    assert set(choice_labels(form.fields["mentor"])) == {
        "Семенов Иван Сергеевич (10Б класс)",
        "Семенова Иван Сергеевич (учитель физики)",
    }


@pytest.mark.django_db
def test_the_roles_picker_names_staff_with_position_and_organisation(school_x):
    teacher = TeacherFactory(organisation=school_x, last_name="Белова", first_name="Нина", middle_name="")
    place = Place(key="o", label="школа", scope=school_x, roles=(Role.PROGRAM_CURATOR,))
    form = RoleGrantForm(candidates=Person.objects.filter(pk=teacher.pk), places=[place])
    assert choice_labels(form.fields["person"]) == [
        f"Белова Нина (учитель математики, {school_x.short_name})"
    ]


@pytest.mark.django_db
def test_the_parent_picker_names_parents_as_parents(school_x):
    ParentFactory(organisation=school_x, last_name="Зайцева", first_name="Ольга", middle_name="")
    form = GuardianForm(organisation=school_x)
    assert choice_labels(form.fields["existing"]) == ["Зайцева Ольга (родитель)"]
