"""Who sees and ticks readiness: an organisation's staff and those who oversee it see it; its
administration and curators tick; a municipality sees its schools side by side."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.orgs.access import (
    can_manage_organisation,
    overseen_organisations_for,
    visible_municipalities_for,
)
from nastavnik.orgs.models import Municipality, Organisation


def get_organisation_for_user(user: AnyUser, pk: int) -> Organisation:
    try:
        return overseen_organisations_for(user).select_related("municipality").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Организация не найдена") from exc


def get_municipality_for_user(user: AnyUser, pk: int) -> Municipality:
    try:
        return visible_municipalities_for(user).select_related("region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Муниципалитет не найден") from exc


def can_tick(user: AnyUser, organisation: Organisation) -> bool:
    return can_manage_organisation(user, organisation.pk)


def is_org_admin(user: AnyUser, organisation: Organisation) -> bool:
    if scopes_of(user).superuser:
        return True
    if not user.is_authenticated:
        return False
    return RoleAssignment.objects.filter(user=user, organisation=organisation, role=Role.ORG_ADMIN).exists()


def require_tick(user: AnyUser, organisation: Organisation) -> None:
    require(can_tick(user, organisation), "Отмечать готовность могут администрация и кураторы организации.")


def municipality_organisations(user: AnyUser, municipality: Municipality) -> list[Organisation]:
    return list(overseen_organisations_for(user).filter(municipality=municipality).order_by("short_name"))
