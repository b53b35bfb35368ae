"""Reads of training for pages, indicators and other apps (recognition, mentors)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.models import Role
from nastavnik.orgs.access import overseen_organisations_for
from nastavnik.orgs.models import Organisation, academic_year_of
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person

from .access import visible_courses_for, visible_enrolments_for
from .models import Course, Enrolment, TrainingSession


def trained_people(person_ids: Iterable[int], until_day: dt.date) -> dict[int, list[Enrolment]]:
    """Completed courses of each person by `until_day` (inclusive), newest first, with the course
    and the certificate (`enrolment.certificate`, when one was issued) loaded: one query. People
    with no completed course are absent from the result."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    result: dict[int, list[Enrolment]] = defaultdict(list)
    enrolments = (
        Enrolment.objects.filter(person_id__in=ids, completed_on__isnull=False, completed_on__lte=until_day)
        .select_related("course", "certificate")
        .order_by("person_id", "-completed_on", "-pk")
    )
    for enrolment in enrolments:
        result[enrolment.person_id].append(enrolment)
    return dict(result)


def calendar_courses(user: AnyUser) -> QuerySet[Course]:
    """The training calendar of the user's levels: courses with their sessions counted and the
    people on them the user may see, in a constant number of queries."""
    visible = visible_enrolments_for(user)
    return (
        visible_courses_for(user)
        .select_related("region", "municipality", "organisation")
        .annotate(
            session_count=Count("sessions", distinct=True),
            enrolled=Coalesce(Subquery(_count_of(visible.filter(course=OuterRef("pk")))), 0),
            completed=Coalesce(
                Subquery(_count_of(visible.filter(course=OuterRef("pk"), completed_on__isnull=False))), 0
            ),
        )
        .order_by("-starts_on", "title", "pk")
    )


def _count_of(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment, Any]:
    return enrolments.order_by().values("course").annotate(n=Count("pk")).values("n")


def upcoming_sessions(user: AnyUser, since: dt.date, limit: int = 10) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(course__in=visible_courses_for(user), held_on__gte=since)
        .select_related("course")
        .order_by("held_on", "pk")[:limit]
    )


def course_enrolments(user: AnyUser, course: Course) -> list[Enrolment]:
    """The people on a course the user may see, each with the session ids they attended."""
    enrolments = list(
        visible_enrolments_for(user)
        .filter(course=course)
        .select_related("person__organisation", "certificate")
        .prefetch_related("attendances")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    for enrolment in enrolments:
        enrolment.session_ids = {a.session_id for a in enrolment.attendances.all()}  # type: ignore[attr-defined]
    return enrolments


def trained_list(user: AnyUser, organisation_ids: Iterable[int] | None = None) -> QuerySet[Enrolment]:
    """Who is trained across the user's schools: completed enrolments of people they may read."""
    enrolments = visible_enrolments_for(user).filter(completed_on__isnull=False)
    if organisation_ids is not None:
        enrolments = enrolments.filter(person__organisation_id__in=list(organisation_ids))
    return enrolments.select_related("person__organisation", "course", "certificate").order_by(
        "person__organisation__short_name", "person__last_name", "person__first_name", "-completed_on", "pk"
    )


@dataclass(frozen=True)
class TrainedShare:
    organisation: Organisation
    mentors: int
    mentors_trained: int
    curators: int
    curators_trained: int


def trained_shares(user: AnyUser, day: dt.date) -> list[TrainedShare]:
    """Per school the user oversees: mentors of the academic year's programs and curators, and how
    many of each completed a course by `day` — three queries whatever the number of schools."""
    organisations = list(overseen_organisations_for(user).order_by("short_name"))
    ids = [o.pk for o in organisations]
    trained = Enrolment.objects.filter(completed_on__isnull=False, completed_on__lte=day).values("person_id")
    mentors = (
        Participation.objects.filter(
            program__organisation_id__in=ids,
            program__academic_year=academic_year_of(day),
            role=ParticipationRole.MENTOR,
        )
        .exclude(status=ParticipationStatus.WITHDRAWN)
        .order_by()
        .values("program__organisation_id")
        .annotate(
            total=Count("person", distinct=True),
            done=Count("person", distinct=True, filter=Q(person__in=trained)),
        )
    )
    curators = (
        Person.objects.filter(
            organisation_id__in=ids,
            user__role_assignments__role=Role.PROGRAM_CURATOR,
            user__role_assignments__organisation_id=F("organisation_id"),
        )
        .order_by()
        .values("organisation_id")
        .annotate(total=Count("pk", distinct=True), done=Count("pk", distinct=True, filter=Q(pk__in=trained)))
    )
    by_mentors = {row["program__organisation_id"]: row for row in mentors}
    by_curators = {row["organisation_id"]: row for row in curators}
    empty = {"total": 0, "done": 0}
    return [
        TrainedShare(
            organisation=o,
            mentors=by_mentors.get(o.pk, empty)["total"],
            mentors_trained=by_mentors.get(o.pk, empty)["done"],
            curators=by_curators.get(o.pk, empty)["total"],
            curators_trained=by_curators.get(o.pk, empty)["done"],
        )
        for o in organisations
    ]
