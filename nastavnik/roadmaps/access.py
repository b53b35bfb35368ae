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

from .models import EventCompletion, Roadmap, RoadmapEvent


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
