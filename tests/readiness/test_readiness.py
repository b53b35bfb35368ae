"""The readiness check: computed from the data where it can be, ticked by hand where it cannot,
with a next step linked only where the user may open it; a municipality sees its schools."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import local_today
from nastavnik.orgs.models import academic_year_of
from nastavnik.readiness import services
from nastavnik.readiness.selectors import readiness_of
from nastavnik.roadmaps.models import Roadmap
from tests.builders import mentee, mentor, student_program
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


def states(organisation):
    (readiness,) = readiness_of([organisation], local_today(organisation))
    return {line.item.code: line.done for line in readiness.lines}


def test_a_fresh_organisation_lacks_everything(municipality_a):
    fresh = OrganisationFactory(municipality=municipality_a)
    assert not any(states(fresh).values())


def test_the_check_follows_the_data_as_it_arrives(municipality_a):
    school = OrganisationFactory(municipality=municipality_a)
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    assert states(school)["curator"] is True
    program = student_program(school, "student-student")
    program.academic_year = academic_year_of(local_today(school))
    program.save()
    now = states(school)
    assert now["program"] and now["forms"] and not now["mentees"]
    mentee(program)
    mentor(program)
    now = states(school)
    assert now["mentees"] and now["mentors"] and now["consents"], "builders give valid consents"
    mentee(program, consent=False)
    assert states(school)["consents"] is False
    day = local_today(school)
    Roadmap.objects.create(
        organisation=school,
        title="Дорожная карта",
        period_start=day - dt.timedelta(days=30),
        period_end=day + dt.timedelta(days=300),
        approval_date=day,
    )
    assert states(school)["roadmap"] is True
    assert curator


def test_hand_ticks_need_a_reason_and_the_right_to_tick(
    municipality_a, school_x, school_x_curator, school_y_curator
):
    with pytest.raises(ValidationError):
        services.readiness_tick(
            acting_user=school_x_curator, organisation=school_x, code="regulation", done=True
        )
    with pytest.raises(PermissionDenied):
        services.readiness_tick(
            acting_user=school_y_curator, organisation=school_x, code="regulation", done=True, note="x"
        )
    with pytest.raises(ValidationError):
        services.readiness_tick(
            acting_user=school_x_curator, organisation=school_x, code="mentees", done=True, note="x"
        )
    services.readiness_tick(
        acting_user=school_x_curator,
        organisation=school_x,
        code="regulation",
        done=True,
        note="приказ № 45 от 01.09",
    )
    assert states(school_x)["regulation"] is True


def test_the_page_links_next_steps_only_for_who_may_open_them(
    client_for, school_x, school_x_curator, municipal_curator_a
):
    url = reverse("readiness:organisation", args=[school_x.pk])
    curator_page = client_for(school_x_curator).get(url).content.decode()
    assert reverse("registry_import:upload") in curator_page
    assert "Отметить выполненным" in curator_page
    municipal_page = client_for(municipal_curator_a).get(url).content.decode()
    assert "Сформирована база наставляемых" in municipal_page
    assert reverse("registry_import:upload") not in municipal_page
    assert "Отметить выполненным" not in municipal_page


def test_strangers_get_404(client_for, school_x, school_y_curator, municipality_a, municipality_b):
    assert (
        client_for(school_y_curator).get(reverse("readiness:organisation", args=[school_x.pk])).status_code
        == 404
    )
    curator_b = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_b)
    assert (
        client_for(curator_b).get(reverse("readiness:municipality", args=[municipality_a.pk])).status_code
        == 404
    )
    assert (
        client_for(school_y_curator)
        .post(reverse("readiness:tick", args=[school_x.pk, "regulation"]))
        .status_code
        == 404
    )


def test_the_municipality_sees_its_schools_side_by_side_in_constant_queries(
    client_for, municipal_curator_a, municipality_a, school_x, school_y
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(municipal_curator_a)
    url = reverse("readiness:municipality", args=[municipality_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert "Школа X" in page and "Школа Y" in page
    for _ in range(3):
        OrganisationFactory(municipality=municipality_a)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five.captured_queries) == len(two.captured_queries)


def test_mentors_trained_is_counted_from_completed_courses(municipality_a, regional_user, region):
    from nastavnik.training.models import Enrolment, TraineeRole
    from tests.training.test_training import regional_course

    school = OrganisationFactory(municipality=municipality_a)
    program = student_program(school, "student-student")
    program.academic_year = academic_year_of(local_today(school))
    program.save()
    first, second = mentor(program), mentor(program)
    assert states(school)["training"] is False
    course = regional_course(regional_user, region)
    day = local_today(school)
    Enrolment.objects.create(
        course=course, person=first.person, role=TraineeRole.MENTOR, enrolled_on=day, completed_on=day
    )
    (readiness,) = readiness_of([school], day)
    line = next(line for line in readiness.lines if line.item.code == "training")
    assert not line.done and line.state.detail == "обучено 1 из 2"
    Enrolment.objects.create(
        course=course, person=second.person, role=TraineeRole.MENTOR, enrolled_on=day, completed_on=day
    )
    assert states(school)["training"] is True


def test_the_regulation_is_counted_from_the_adopted_document(municipality_a):
    from nastavnik.programdocs.models import Adoption, DocumentKind

    school = OrganisationFactory(municipality=municipality_a)
    assert states(school)["regulation"] is False
    Adoption.objects.create(
        organisation=school, kind=DocumentKind.REGULATION, adopted_on=local_today(school), order_number="45"
    )
    (readiness,) = readiness_of([school], local_today(school))
    line = next(line for line in readiness.lines if line.item.code == "regulation")
    assert line.done and line.state.detail.startswith("приказ № 45 от")
