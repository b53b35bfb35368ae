"""Who sees and runs training: the calendar of a level shows the courses it offers, those of the
levels above it and (for a region or municipality) those of its schools; the people on a course are
shown only to those who may read those people in the registry."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.orgs.access import (
    can_manage_organisation,
    overseen_organisations_for,
    visible_organisations_for,
)
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person

from .models import Certificate, Course, Enrolment


def visible_courses_for(user: AnyUser) -> QuerySet[Course]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Course.objects.all()
    if not user.is_authenticated:
        return Course.objects.none()
    organisations = visible_organisations_for(user)
    return Course.objects.filter(
        Q(region_id__in=scopes.region_ids)
        | Q(municipality__region_id__in=scopes.region_ids)
        | Q(municipality_id__in=scopes.municipality_ids)
        | Q(organisation__in=organisations)
        | Q(region__municipalities__organisations__in=organisations)
        | Q(municipality__organisations__in=organisations)
        | Q(region__municipalities__in=scopes.municipality_ids)
    ).distinct()


def get_course_for_user(user: AnyUser, pk: int) -> Course:
    try:
        return visible_courses_for(user).select_related("region", "municipality", "organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Курс не найден") from exc


def can_manage_course(user: AnyUser, course: Course) -> bool:
    """The level that offers the course runs it: the regional centre, the municipal curator, or
    the administration and curators of the school."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if course.region_id:
        return course.region_id in scopes.region_ids
    if course.municipality_id:
        return course.municipality_id in scopes.municipality_ids
    return can_manage_organisation(user, course.organisation_id or 0)


def require_manage_course(user: AnyUser, course: Course) -> None:
    require(can_manage_course(user, course), "Вести курс может только уровень, который его проводит.")


def can_create_courses(user: AnyUser) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(
        scopes.region_ids or scopes.municipality_ids or scopes.staff_organisation_ids
    )


def visible_enrolments_for(user: AnyUser) -> QuerySet[Enrolment]:
    """Enrolments of people the user may read in the registry (a school sees its own people on a
    regional course, the region sees everyone of its schools, a mentor sees themself)."""
    return Enrolment.objects.filter(person__in=visible_people_for(user))


def can_enrol(user: AnyUser, course: Course, person: Person) -> bool:
    """The course's level enrols anyone it oversees; a school enrols its own people on a course
    it sees (a regional or municipal one)."""
    if can_manage_course(user, course):
        return visible_people_for(user).filter(pk=person.pk).exists()
    return can_manage_organisation(user, person.organisation_id)


def can_record_completion(user: AnyUser, enrolment: Enrolment) -> bool:
    """Completion and the certificate: the course's level, or the person's school (it files the
    certificate its teacher brought from the regional centre)."""
    return can_manage_course(user, enrolment.course) or can_manage_organisation(
        user, enrolment.person.organisation_id
    )


def get_enrolment_for_user(user: AnyUser, pk: int) -> Enrolment:
    try:
        return visible_enrolments_for(user).select_related("course", "person__organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Запись на курс не найдена") from exc


def get_certificate_scan_for_user(user: AnyUser, pk: int) -> Certificate:
    """A certificate whose scan the user may open: the person themself, the administration and
    curators of the person's school and the levels that oversee it, and the course's level."""
    try:
        certificate = Certificate.objects.select_related(
            "enrolment__course", "enrolment__person__organisation"
        ).get(pk=pk, enrolment__person__in=visible_people_for(user))
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Документ не найден") from exc
    person = certificate.enrolment.person
    scopes = scopes_of(user)
    if not (
        scopes.superuser
        or person.user_id == getattr(user, "pk", None)
        or person.organisation_id in scopes.staff_organisation_ids
        or can_manage_course(user, certificate.enrolment.course)
        or _oversees(user, person.organisation_id)
    ):
        raise Http404("Документ не найден")
    return certificate


def _oversees(user: AnyUser, organisation_id: int) -> bool:
    scopes = scopes_of(user)
    if not (scopes.municipality_ids or scopes.region_ids):
        return False
    return overseen_organisations_for(user).filter(pk=organisation_id).exists()


def enrollable_people_for(user: AnyUser, course: Course) -> QuerySet[Person]:
    """Whom the user may put on the course: mentors (any participation as a mentor) and curators
    of the schools the user manages, or — for the course's own level — of everyone it oversees."""
    scopes = scopes_of(user)
    people = visible_people_for(user)
    if not can_manage_course(user, course):
        people = people.filter(organisation_id__in=scopes.staff_organisation_ids)
    return (
        people.filter(
            Q(participations__role="mentor")
            | Q(user__role_assignments__role__in=["program_curator", "org_admin"])
        )
        .distinct()
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
