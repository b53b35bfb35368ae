"""Writes of training: courses and sessions by the level that offers them, enrolment, attendance
(the hours attended follow it), completion and certificates. Each takes the acting user, checks
the access layer, validates and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from nastavnik.accounts.access import require, scopes_of
from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.access import can_manage_organisation
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.registry.models import Person
from nastavnik.registry.services.people import ensure_can_take_part

from .access import can_enrol, can_record_completion, require_manage_course
from .models import Attendance, Certificate, Course, Enrolment, TraineeRole, TrainingSession

COURSE_FIELDS = frozenset(
    {
        "title",
        "description",
        "provider",
        "provider_name",
        "format",
        "audience",
        "hours",
        "starts_on",
        "ends_on",
    }
)


def _check_level(user: User, level: Region | Municipality | Organisation) -> dict[str, Any]:
    if isinstance(level, Region):
        require(
            user.is_superuser or level.pk in _region_ids(user), "Курс региона создаёт региональный центр."
        )
        return {"region": level}
    if isinstance(level, Municipality):
        require(
            user.is_superuser or level.pk in scopes_of(user).municipality_ids,
            "Курс муниципалитета создаёт муниципальный куратор.",
        )
        return {"municipality": level}
    require(can_manage_organisation(user, level), "Курс школы создают её администрация и кураторы.")
    return {"organisation": level}


def _region_ids(user: User) -> frozenset[int]:
    return scopes_of(user).region_ids


def course_create(*, acting_user: User, level: Region | Municipality | Organisation, **fields: Any) -> Course:
    unknown = set(fields) - COURSE_FIELDS
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    course = Course(**fields, **_check_level(acting_user, level), created_by=acting_user)
    course.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        course.save()
    return course


def course_update(*, acting_user: User, course: Course, **fields: Any) -> Course:
    require_manage_course(acting_user, course)
    unknown = set(fields) - COURSE_FIELDS
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        course.save()
    return course


def session_create(
    *, acting_user: User, course: Course, held_on: dt.date, topic: str, hours: Decimal, place: str = ""
) -> TrainingSession:
    require_manage_course(acting_user, course)
    if not course.starts_on <= held_on <= course.ends_on:
        raise ValidationError(
            {
                "held_on": f"Занятие должно быть в сроки курса: с {course.starts_on:%d.%m.%Y} "
                f"по {course.ends_on:%d.%m.%Y}."
            }
        )
    session = TrainingSession(course=course, held_on=held_on, topic=topic, hours=hours, place=place)
    session.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        session.save()
    return session


def enrolment_create(
    *, acting_user: User, course: Course, person: Person, role: str, enrolled_on: dt.date | None = None
) -> Enrolment:
    if not can_enrol(acting_user, course, person):
        raise PermissionDenied(
            "Записать на курс можно только участника своей организации (или своего уровня)."
        )
    if role not in TraineeRole.values:
        raise ValidationError({"role": "Укажите, обучается человек как наставник или как куратор."})
    if Enrolment.objects.filter(course=course, person=person).exists():
        raise ValidationError(f"{person.full_name} уже записан(а) на курс «{course.title}».")
    ensure_can_take_part(person)
    enrolment = Enrolment(
        course=course, person=person, role=role, enrolled_on=enrolled_on or local_today(person.organisation)
    )
    enrolment.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        enrolment.save()
    return enrolment


def attendance_mark(*, acting_user: User, session: TrainingSession, present: Iterable[int]) -> int:
    """Set who was present at a session (enrolment ids; the rest were absent) and recompute each
    enrolment's hours attended. Returns the number present."""
    course = session.course
    require_manage_course(acting_user, course)
    enrolments = {e.pk: e for e in Enrolment.objects.filter(course=course)}
    wanted = set(present)
    strangers = wanted - set(enrolments)
    if strangers:
        raise ValidationError("Отмечены люди, не записанные на этот курс.")
    with transaction.atomic(), acting_as(acting_user):
        existing = set(session.attendances.values_list("enrolment_id", flat=True))
        for attendance in session.attendances.filter(enrolment_id__in=existing - wanted):
            attendance.delete()  # one by one: each removal is audited
        for enrolment_id in sorted(wanted - existing):
            Attendance.objects.create(session=session, enrolment_id=enrolment_id)
        _recompute_hours(enrolments.values())
    return len(wanted)


def _recompute_hours(enrolments: Iterable[Enrolment]) -> None:
    totals = dict(
        Attendance.objects.filter(enrolment__in=[e.pk for e in enrolments])
        .values("enrolment_id")
        .annotate(total=Sum("session__hours"))
        .values_list("enrolment_id", "total")
    )
    for enrolment in enrolments:
        hours = totals.get(enrolment.pk) or Decimal(0)
        if enrolment.hours_attended != hours:
            enrolment.hours_attended = hours
            enrolment.save(update_fields=["hours_attended"])


def enrolment_complete(
    *,
    acting_user: User,
    enrolment: Enrolment,
    completed_on: dt.date,
    number: str = "",
    issued_on: dt.date | None = None,
    scan: UploadedFile | None = None,
) -> Enrolment:
    """Mark the course completed on a day and, when a number is given, record the certificate
    (its scan goes to the private storage)."""
    if not can_record_completion(acting_user, enrolment):
        raise PermissionDenied(
            "Отметить окончание курса может уровень, проводящий курс, или школа слушателя."
        )
    if completed_on < enrolment.course.starts_on:
        raise ValidationError({"completed_on": "Курс не может быть завершён раньше, чем начался."})
    if completed_on > local_today(enrolment.person.organisation):
        raise ValidationError({"completed_on": "Дата окончания курса ещё не наступила."})
    if (issued_on or scan) and not number.strip():
        raise ValidationError({"number": "Укажите номер документа об обучении."})
    with transaction.atomic(), acting_as(acting_user):
        enrolment.completed_on = completed_on
        enrolment.full_clean()
        enrolment.save(update_fields=["completed_on"])
        if number.strip():
            _save_certificate(enrolment, number.strip(), issued_on or completed_on, scan)
    return enrolment


def _save_certificate(
    enrolment: Enrolment, number: str, issued_on: dt.date, scan: UploadedFile | None
) -> None:
    certificate = Certificate.objects.filter(enrolment=enrolment).first() or Certificate(enrolment=enrolment)
    certificate.number = number
    certificate.issued_on = issued_on
    if scan is not None:
        certificate.scan = scan
    certificate.full_clean()
    certificate.save()


def enrolment_reopen(*, acting_user: User, enrolment: Enrolment) -> Enrolment:
    """Undo a completion marked by mistake (the certificate stays, if any)."""
    if not can_record_completion(acting_user, enrolment):
        raise PermissionDenied(
            "Отменить окончание курса может уровень, проводящий курс, или школа слушателя."
        )
    with transaction.atomic(), acting_as(acting_user):
        enrolment.completed_on = None
        enrolment.save(update_fields=["completed_on"])
    return enrolment
