"""Who opens which dashboard and sets which targets: a scope (an organisation, a municipality,
a region) is opened by whoever oversees it, through the access layer of the organisations;
targets are set by the administration of that very level."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.orgs.access import (
    can_manage_organisation,
    overseen_organisations_for,
    overseen_regions_for,
    visible_municipalities_for,
)

from .scopes import MUNICIPALITY, ORGANISATION, REGION, Scope


def get_scope_for_user(user: AnyUser, level: str, pk: Any) -> Scope:
    """The scope if the user oversees it (staff of the organisation, its municipality or region),
    else 404: a school's curator does not learn that another school's dashboard exists."""
    try:
        pk = int(pk)
        if level == ORGANISATION:
            organisation = overseen_organisations_for(user).select_related("municipality__region").get(pk=pk)
            return Scope(ORGANISATION, organisation, organisation.timezone)
        if level == MUNICIPALITY:
            municipality = visible_municipalities_for(user).select_related("region").get(pk=pk)
            return Scope(MUNICIPALITY, municipality, municipality.region.timezone)
        if level == REGION:
            region = overseen_regions_for(user).get(pk=pk)
            return Scope(REGION, region, region.timezone)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Раздел мониторинга не найден") from exc
    raise Http404("Раздел мониторинга не найден")


def can_set_targets(user: AnyUser, scope: Scope) -> bool:
    """An organisation's administration and curators set its targets; the municipal curator
    the municipality's; the regional centre the region's."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if scope.level == ORGANISATION:
        return can_manage_organisation(user, scope.pk)
    if scope.level == MUNICIPALITY:
        return scope.pk in scopes.municipality_ids
    return scope.pk in scopes.region_ids


def require_manage_targets(user: AnyUser, scope: Scope) -> None:
    require(can_set_targets(user, scope), "Целевые значения задаёт администрация этого уровня.")
