"""Who sees and keeps roadmaps: those of the organisations a user works in or oversees, and
of their municipalities; an organisation's roadmap is kept by its administration and
curators, a municipality's by its municipal curator (or the regional centre)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.orgs.access import (
    can_manage_organisation,
    can_oversee_municipality,
    visible_municipalities_for,
    visible_organisations_for,
)
from nastavnik.orgs.models import Organisation

from .models import EventCompletion, Roadmap, RoadmapEvent, SchoolEventStatus


def visible_roadmaps_for(user: AnyUser) -> QuerySet[Roadmap]:
    """Roadmaps of the organisations a user works in or oversees, and of their municipalities."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Roadmap.objects.all()
    if not user.is_authenticated:
        return Roadmap.objects.none()
    organisations = visible_organisations_for(user)
    return Roadmap.objects.filter(
        Q(organisation__in=organisations.values("pk"))
        | Q(municipality__in=visible_municipalities_for(user).values("pk"))
        | Q(municipality__in=organisations.values("municipality_id"))
    )


def get_roadmap_for_user(user: AnyUser, pk: int) -> Roadmap:
    try:
        return visible_roadmaps_for(user).select_related("organisation", "program", "municipality").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Дорожная карта не найдена") from exc


def get_event_for_user(user: AnyUser, pk: int) -> RoadmapEvent:
    try:
        return (
            RoadmapEvent.objects.filter(roadmap__in=visible_roadmaps_for(user).values("pk"))
            .select_related("roadmap", "roadmap__organisation", "roadmap__municipality", "section")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Мероприятие не найдено") from exc


def get_completion_for_user(user: AnyUser, pk: int) -> EventCompletion:
    """One occurrence of a recurring event, for those who see its roadmap."""
    try:
        return EventCompletion.objects.filter(event__roadmap__in=visible_roadmaps_for(user).values("pk")).get(
            pk=pk
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Отметка о выполнении не найдена") from exc


def can_manage_roadmap(user: AnyUser, roadmap: Roadmap) -> bool:
    if roadmap.organisation_id:
        return can_manage_organisation(user, roadmap.organisation_id)
    if roadmap.municipality is not None:
        return can_oversee_municipality(user, roadmap.municipality)
    return False


def require_manage_roadmap(user: AnyUser, roadmap: Roadmap) -> None:
    require(can_manage_roadmap(user, roadmap), "Изменять дорожную карту могут её кураторы.")


# --- school duties under a municipal roadmap --------------------------------------------------------
# A school's own part of a municipal event is kept by its administration and curators and read by
# them and by those who oversee its municipality; the school's mentors, mentees and parents, and
# other schools, see none of it.


def can_mark_school_duty(user: AnyUser, organisation: Organisation | int) -> bool:
    return can_manage_organisation(user, organisation)


def require_mark_school_duty(user: AnyUser, organisation: Organisation | int) -> None:
    require(
        can_mark_school_duty(user, organisation),
        "Отмечать выполнение за школу могут её администрация и кураторы.",
    )


def can_see_school_duties(user: AnyUser, organisation: Organisation) -> bool:
    return can_mark_school_duty(user, organisation) or can_oversee_municipality(
        user, organisation.municipality
    )


def duty_schools_for(user: AnyUser) -> QuerySet[Organisation]:
    """Schools whose municipal duties the user reads: their own (as staff) and their municipality's."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(pk__in=scopes.staff_organisation_ids)
        | Q(municipality__in=visible_municipalities_for(user).values("pk"))
    )


def get_duty_school_for_user(user: AnyUser, pk: int) -> Organisation:
    try:
        return duty_schools_for(user).select_related("municipality__region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Организация не найдена") from exc


def get_school_status_for_user(user: AnyUser, pk: int) -> SchoolEventStatus:
    try:
        return SchoolEventStatus.objects.filter(organisation__in=duty_schools_for(user).values("pk")).get(
            pk=pk
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Отметка школы не найдена") from exc


def can_see_school_matrix(user: AnyUser, roadmap: Roadmap) -> bool:
    return roadmap.municipality is not None and can_oversee_municipality(user, roadmap.municipality)


def require_see_school_matrix(user: AnyUser, roadmap: Roadmap) -> None:
    require(
        can_see_school_matrix(user, roadmap),
        "Выполнение мероприятий по школам видят муниципальный куратор и РНЦ.",
    )
