import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.orgs import services
from nastavnik.orgs.models import MentoringForm, Program
from tests.factories import ProgramFactory


def form(code):
    return MentoringForm.objects.get(code=code, organisation=None)


def test_builtin_forms_and_their_variants_exist(db):
    assert form("student-student").variants.count() == 4
    assert form("teacher-teacher-1").name == "Опытный педагог – молодой специалист"


def test_a_curator_creates_a_program_with_forms(school_x, school_x_curator, client_for):
    response = client_for(school_x_curator).post(
        reverse("orgs:program_create"),
        {
            "organisation": school_x.pk,
            "kind": "students",
            "title": "Наставничество обучающихся",
            "academic_year": 2026,
            "curator": school_x_curator.pk,
            "max_mentees_per_mentor": 3,
            "forms": [form("student-student").pk, form("teacher-student").pk],
        },
    )
    program = Program.objects.get()
    assert response.status_code == 302
    assert program.organisation == school_x
    assert program.academic_year_label == "2026/2027"
    assert {f.code for f in program.forms.all()} == {"student-student", "teacher-student"}


def test_forms_of_the_wrong_kind_are_refused(school_x, school_x_curator):
    with pytest.raises(ValidationError, match="не подходят"):
        services.program_create(
            acting_user=school_x_curator,
            organisation=school_x,
            kind="students",
            title="Программа",
            academic_year=2026,
            forms=[form("teacher-teacher")],
        )


def test_the_curator_must_work_in_the_organisation(school_x, school_x_curator, school_y_curator):
    with pytest.raises(ValidationError, match="Куратором"):
        services.program_create(
            acting_user=school_x_curator,
            organisation=school_x,
            kind="students",
            title="П",
            academic_year=2026,
            curator=school_y_curator,
        )


def test_a_municipal_curator_cannot_create_programs_of_a_school(school_x, municipal_curator_a):
    with pytest.raises(PermissionDenied):
        services.program_create(
            acting_user=municipal_curator_a,
            organisation=school_x,
            kind="students",
            title="П",
            academic_year=2026,
        )


def test_program_list_query_count_does_not_grow(
    school_x, school_x_curator, client_for, django_assert_max_num_queries
):
    client = client_for(school_x_curator)
    ProgramFactory(organisation=school_x)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("orgs:program_list"))
    ProgramFactory.create_batch(3, organisation=school_x)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("orgs:program_list"))
    assert len(one) == len(four)
    assert len(response.context["programs"]) == 4
