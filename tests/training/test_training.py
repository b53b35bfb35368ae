"""Training: courses at each level, sessions, enrolment, attendance (hours follow it), completion
with a certificate whose scan is private, the calendar and who-is-trained pages with constant
queries, and the indicators fed by it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring.services.groups import group_create
from nastavnik.monitoring.indicators import measure_people
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import ORGANISATION, REGION, Scope
from nastavnik.monitoring.trained import sessions_held
from nastavnik.registry.models import Person
from nastavnik.training import services
from nastavnik.training.models import CourseFormat, Provider, TraineeRole
from nastavnik.training.selectors import trained_people
from tests.builders import builtin_form, take_part, teacher, teacher_program
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def regional_course(user, region, *, start=None, days=10):
    start = start or today_in() - dt.timedelta(days=days)
    return services.course_create(
        acting_user=user,
        level=region,
        title="Наставник: первые шаги",
        provider=Provider.CNPPM,
        provider_name="ЦНППМ Тестовой области",
        format=CourseFormat.BLENDED,
        hours=Decimal(16),
        starts_on=start,
        ends_on=start + dt.timedelta(days=5),
    )


@pytest.fixture
def course(regional_user, region):
    return regional_course(regional_user, region)


@pytest.fixture
def mentor_x(school_x):
    return teacher(school_x, experience=12, last_name="Орлова")


def test_each_level_creates_courses_only_at_its_own_level(
    region, municipality_a, school_x, school_y_curator, municipal_curator_a, regional_user
):
    with pytest.raises(PermissionDenied):
        regional_course(municipal_curator_a, region)
    with pytest.raises(PermissionDenied):
        regional_course(school_y_curator, municipality_a)
    with pytest.raises(PermissionDenied):
        regional_course(regional_user, school_x)
    assert regional_course(municipal_curator_a, municipality_a).municipality == municipality_a


def test_a_session_must_fall_within_the_course(course, regional_user):
    with pytest.raises(ValidationError, match="в сроки курса"):
        services.session_create(
            acting_user=regional_user,
            course=course,
            held_on=course.ends_on + dt.timedelta(days=1),
            topic="Т",
            hours=Decimal(2),
        )


def test_attendance_sums_the_hours_and_completion_records_the_certificate(
    course, regional_user, school_x_curator, mentor_x
):
    first = services.session_create(
        acting_user=regional_user,
        course=course,
        held_on=course.starts_on,
        topic="Роль наставника",
        hours=Decimal(4),
    )
    second = services.session_create(
        acting_user=regional_user, course=course, held_on=course.ends_on, topic="План", hours=Decimal(6)
    )
    # The school enrols its own teacher on the regional course.
    enrolment = services.enrolment_create(
        acting_user=school_x_curator, course=course, person=mentor_x, role=TraineeRole.MENTOR
    )
    services.attendance_mark(acting_user=regional_user, session=first, present=[enrolment.pk])
    services.attendance_mark(acting_user=regional_user, session=second, present=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal(10)
    services.attendance_mark(acting_user=regional_user, session=second, present=[])
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal(4)
    with pytest.raises(PermissionDenied):
        services.attendance_mark(acting_user=school_x_curator, session=first, present=[])
    scan = SimpleUploadedFile("udostoverenie.pdf", PDF, content_type="application/pdf")
    services.enrolment_complete(
        acting_user=school_x_curator,
        enrolment=enrolment,
        completed_on=course.ends_on,
        number="ЦН-0421",
        scan=scan,
    )
    trained = trained_people([mentor_x.pk], today_in())
    assert [e.certificate.number for e in trained[mentor_x.pk]] == ["ЦН-0421"]
    assert trained_people([mentor_x.pk], course.ends_on - dt.timedelta(days=1)) == {}


def test_a_certificate_without_a_number_is_refused_in_russian(course, regional_user, mentor_x):
    enrolment = services.enrolment_create(
        acting_user=regional_user, course=course, person=mentor_x, role=TraineeRole.MENTOR
    )
    with pytest.raises(ValidationError, match="номер"):
        services.enrolment_complete(
            acting_user=regional_user,
            enrolment=enrolment,
            completed_on=course.ends_on,
            issued_on=course.ends_on,
        )


def test_another_school_cannot_enrol_or_complete_our_teacher(
    course, school_y_curator, school_x_curator, mentor_x
):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            acting_user=school_y_curator, course=course, person=mentor_x, role=TraineeRole.MENTOR
        )
    enrolment = services.enrolment_create(
        acting_user=school_x_curator, course=course, person=mentor_x, role=TraineeRole.MENTOR
    )
    with pytest.raises(PermissionDenied):
        services.enrolment_complete(
            acting_user=school_y_curator, enrolment=enrolment, completed_on=course.ends_on
        )


def test_the_certificate_scan_is_served_only_to_those_who_may_see_it(
    course, regional_user, school_x_curator, municipal_curator_a, school_y_curator, mentor_x, client_for
):
    enrolment = services.enrolment_create(
        acting_user=school_x_curator, course=course, person=mentor_x, role=TraineeRole.MENTOR
    )
    scan = SimpleUploadedFile("u.pdf", PDF, content_type="application/pdf")
    services.enrolment_complete(
        acting_user=school_x_curator, enrolment=enrolment, completed_on=course.ends_on, number="1", scan=scan
    )
    url = reverse("training:certificate_scan", args=[enrolment.certificate.pk])
    mentor_x.user = user_with_role(Role.MENTOR, organisation=mentor_x.organisation)
    mentor_x.save()
    for user in (school_x_curator, municipal_curator_a, regional_user, mentor_x.user):
        response = client_for(user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    other_mentor = user_with_role(Role.MENTOR, organisation=mentor_x.organisation)
    for user in (school_y_curator, other_mentor):
        assert client_for(user).get(url).status_code == 404


def test_the_indicators_count_trained_mentors_and_curators_and_sessions(
    course, regional_user, school_x, school_x_curator, mentor_x, region
):
    program = teacher_program(school_x)
    mentor_part = take_part(program, mentor_x, "mentor")
    young = take_part(program, teacher(school_x, experience=1), "mentee")
    group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("teacher-teacher"),
        mentor=mentor_part,
        mentees=[young],
    )
    take_part(program, teacher(school_x, experience=20), "mentor")  # a second mentor, untrained
    curator_card = teacher(school_x, experience=8, user=school_x_curator)
    session = services.session_create(
        acting_user=regional_user, course=course, held_on=course.starts_on, topic="Т", hours=Decimal(4)
    )
    for person, role in ((mentor_x, TraineeRole.MENTOR), (curator_card, TraineeRole.CURATOR)):
        enrolment = services.enrolment_create(
            acting_user=regional_user, course=course, person=person, role=role
        )
        services.attendance_mark(acting_user=regional_user, session=session, present=[enrolment.pk])
        services.enrolment_complete(
            acting_user=regional_user, enrolment=enrolment, completed_on=course.ends_on
        )
    indicators = list(Indicator.objects.filter(code__in=["mentors-trained", "curators-trained"]))
    day = today_in()
    measures = measure_people(
        Person.objects.filter(organisation=school_x), indicators, day, "organisation_id"
    )[school_x.pk]
    assert (measures["mentors-trained"].numerator, measures["mentors-trained"].denominator) == (1, 2)
    assert (measures["curators-trained"].numerator, measures["curators-trained"].denominator) == (1, 1)
    assert sessions_held(Scope(ORGANISATION, school_x, school_x.timezone), day) == 1
    assert sessions_held(Scope(REGION, region, region.timezone), day) == 1


def test_the_calendar_shows_the_courses_of_the_levels_above_and_below(
    course, school_x_curator, school_z, client_for, municipal_curator_a, municipality_a
):
    school_course = services.course_create(
        acting_user=school_x_curator,
        level=school_x_curator.role_assignments.get().organisation,
        title="Совещание наставников школы",
        provider=Provider.SCHOOL,
        format=CourseFormat.IN_PERSON,
        hours=Decimal(2),
        starts_on=today_in(),
        ends_on=today_in(),
    )
    for user in (school_x_curator, municipal_curator_a):
        text = client_for(user).get(reverse("training:calendar")).content.decode()
        assert course.title in text and school_course.title in text
    curator_z = user_with_role(Role.PROGRAM_CURATOR, organisation=school_z)
    text = client_for(curator_z).get(reverse("training:calendar")).content.decode()
    assert course.title in text and school_course.title not in text
    assert (
        client_for(curator_z).get(reverse("training:course_detail", args=[school_course.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_training_lists_run_a_constant_number_of_queries(
    count, region, regional_user, school_x, client_for, django_assert_num_queries
):
    for n in range(count):
        course = regional_course(regional_user, region)
        services.session_create(
            acting_user=regional_user, course=course, held_on=course.ends_on, topic="Т", hours=Decimal(2)
        )
        enrolment = services.enrolment_create(
            acting_user=regional_user,
            course=course,
            person=teacher(school_x, experience=9),
            role=TraineeRole.MENTOR,
        )
        services.enrolment_complete(
            acting_user=regional_user, enrolment=enrolment, completed_on=course.ends_on, number=str(n)
        )
    client = client_for(regional_user)
    for name, queries in (("training:calendar", 5), ("training:trained", 8)):
        client.get(reverse(name))
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(reverse("training:course_detail", args=[course.pk])).status_code == 200


def test_pages_refuse_strangers(course, no_role_user, client_for):
    client = client_for(no_role_user)
    assert client.get(reverse("training:course_detail", args=[course.pk])).status_code == 404
    assert client.get(reverse("training:trained")).status_code == 403
    assert client.get(reverse("training:course_create")).status_code == 403
