"""The demo region's training: a regional course of ЦНППМ (finished, with attendance and
certificates, one with a scan), a municipal instructive meeting coming up and a school's course in
progress; the curators of the two schools get registry cards so that «кураторы обучены» counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.registry.models import Consent, ConsentGiver, Person, PersonKind

from .models import (
    Attendance,
    Audience,
    Certificate,
    Course,
    CourseFormat,
    Enrolment,
    Provider,
    TraineeRole,
    TrainingSession,
)

# A one-page PDF: the scan of a certificate in the demo.
DEMO_SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def curator_card(user: User, organisation: Organisation, today: dt.date, position: str) -> Person:
    """The registry card of a curator's account (a teacher of the school), with a consent."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person(
            organisation=organisation,
            kind=PersonKind.TEACHER,
            last_name=user.last_name,
            first_name=user.first_name,
            middle_name=user.middle_name,
            position=position,
            experience_years=17,
            user=user,
        )
        person.save()
        Consent.objects.create(
            subject=person, given_by=ConsentGiver.SELF, signed_on=today - dt.timedelta(days=90)
        )
    return person


def _course(level: dict[str, Any], **fields: Any) -> Course:
    return Course.objects.create(**level, **fields)


def _sessions(course: Course, topics: list[tuple[int, str, int]]) -> list[TrainingSession]:
    return [
        TrainingSession.objects.create(
            course=course,
            held_on=course.starts_on + dt.timedelta(days=offset),
            topic=topic,
            hours=Decimal(hours),
        )
        for offset, topic, hours in topics
    ]


def _attend(enrolment: Enrolment, sessions: list[TrainingSession]) -> None:
    for session in sessions:
        Attendance.objects.create(session=session, enrolment=enrolment)
    enrolment.hours_attended = sum((s.hours for s in sessions), Decimal(0))
    enrolment.save(update_fields=["hours_attended"])


def build_training_demo(
    *,
    today: dt.date,
    region: Region,
    municipality: Municipality,
    school: Organisation,
    mentors: list[tuple[Person, bool]],
    curators: list[Person],
    creators: dict[str, User],
) -> list[Person]:
    """Courses at the three levels. `mentors` are (person, completes the regional course); returns
    the people who completed a course (their admission may require it)."""
    regional = _course(
        {"region": region},
        title="Наставник в образовательной организации: роль, позиция, инструменты",
        provider=Provider.CNPPM,
        provider_name="ЦНППМ «Педагог 2.0» Челябинской области",
        format=CourseFormat.BLENDED,
        audience=Audience.BOTH,
        hours=Decimal(36),
        starts_on=today - dt.timedelta(days=70),
        ends_on=today - dt.timedelta(days=40),
        created_by=creators["rnc"],
        description="Целевая модель наставничества, позиция наставника, индивидуальный план, обратная связь.",
    )
    sessions = _sessions(
        regional,
        [
            (0, "Целевая модель наставничества: формы и роли", 12),
            (14, "Индивидуальный план наставляемого", 12),
            (30, "Обратная связь и оценка результатов", 12),
        ],
    )
    trained = []
    people = [(p, done, TraineeRole.MENTOR) for p, done in mentors] + [
        (c, True, TraineeRole.CURATOR) for c in curators
    ]
    for number, (person, completes, role) in enumerate(people, start=1):
        enrolment = Enrolment.objects.create(
            course=regional, person=person, role=role, enrolled_on=regional.starts_on - dt.timedelta(days=7)
        )
        _attend(enrolment, sessions if completes else sessions[:1])
        if completes:
            enrolment.completed_on = regional.ends_on
            enrolment.save(update_fields=["completed_on"])
            certificate = Certificate(
                enrolment=enrolment, number=f"742415-{number:04d}", issued_on=regional.ends_on
            )
            if number == 1:
                certificate.scan.save("udostoverenie.pdf", ContentFile(DEMO_SCAN), save=False)
            certificate.save()
            trained.append(person)
    municipal = _course(
        {"municipality": municipality},
        title="Инструктивно-методическое совещание наставников района",
        provider=Provider.MUNICIPALITY,
        format=CourseFormat.IN_PERSON,
        audience=Audience.BOTH,
        hours=Decimal(2),
        starts_on=today + dt.timedelta(days=9),
        ends_on=today + dt.timedelta(days=9),
        created_by=creators["mun"],
    )
    _sessions(municipal, [(0, "Порядок формирования муниципальной базы наставников", 2)])
    own = _course(
        {"organisation": school},
        title="Школа молодого наставника",
        provider=Provider.SCHOOL,
        format=CourseFormat.IN_PERSON,
        audience=Audience.MENTORS,
        hours=Decimal(8),
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=28),
        created_by=creators["curator1"],
    )
    held = _sessions(own, [(0, "Знакомство с наставляемым", 2), (7, "Встреча-планирование", 2)])
    _sessions(own, [(21, "Трудные ситуации в паре", 2), (35, "Итоговая встреча и рефлексия", 2)])
    for person, _ in mentors[:4]:
        if person.organisation_id == school.pk:
            enrolment = Enrolment.objects.create(
                course=own, person=person, role=TraineeRole.MENTOR, enrolled_on=own.starts_on
            )
            _attend(enrolment, held)
    return trained
