"""Reads of the «Сотрудники и роли» pages: who holds which role in a region, a municipality or an
organisation, and the staff a role may be given to (people of the registry with an account)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.grants import ORGANISATION_GRANTABLE, grantable_roles
from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.orgs.models import Municipality, Organisation, Region
from nastavnik.orgs.roles import role_target

from ..access import visible_people_for
from ..models import Person, PersonKind

Scope = Region | Municipality | Organisation
STAFF_KINDS = (PersonKind.TEACHER, PersonKind.STAFF)


def organisations_under(scope: Scope) -> QuerySet[Organisation]:
    if isinstance(scope, Organisation):
        return Organisation.objects.filter(pk=scope.pk)
    if isinstance(scope, Municipality):
        return Organisation.objects.filter(municipality=scope)
    return Organisation.objects.filter(municipality__region=scope)


def scope_assignments(scope: Scope) -> QuerySet[RoleAssignment]:
    """The roles a scope's page manages: an organisation's administration, curators and
    specialists; a municipality's curators and its organisations' administrations; a region's
    centre and its municipal curators."""
    if isinstance(scope, Organisation):
        condition = Q(organisation=scope, role__in=ORGANISATION_GRANTABLE)
    elif isinstance(scope, Municipality):
        condition = Q(municipality=scope, role=Role.MUNICIPAL_CURATOR) | Q(
            organisation__municipality=scope, role=Role.ORG_ADMIN
        )
    else:
        condition = Q(region=scope, role=Role.REGIONAL_CENTRE) | Q(
            municipality__region=scope, role=Role.MUNICIPAL_CURATOR
        )
    return (
        RoleAssignment.objects.filter(condition)
        .select_related("user", "region", "municipality__region", "organisation__municipality")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )


def staff_candidates(user: AnyUser, scope: Scope) -> QuerySet[Person]:
    """Teachers and other staff with an account, still working in the scope's organisations."""
    return (
        visible_people_for(user)
        .filter(
            organisation__in=organisations_under(scope),
            kind__in=STAFF_KINDS,
            user__isnull=False,
            user__is_active=True,
            left_on__isnull=True,
        )
        .select_related("organisation", "user")
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


@dataclass(frozen=True)
class Place:
    """Where a role can be granted from a page, with the roles the user may grant there."""

    key: str  # "organisation:12"
    label: str
    scope: Scope
    roles: tuple[Role, ...]


def places_for(user: AnyUser, scope: Scope) -> list[Place]:
    """The scope itself and the level right below it (a municipality's organisations, a
    region's municipalities), where the user may grant something."""
    if isinstance(scope, Organisation):
        candidates: list[Scope] = [scope]
    elif isinstance(scope, Municipality):
        candidates = [scope, *Organisation.objects.filter(municipality=scope).select_related("municipality")]
    else:
        candidates = [scope, *Municipality.objects.filter(region=scope)]
    places = []
    for candidate in candidates:
        roles = tuple(grantable_roles(user, role_target(candidate)))
        if roles:
            key = f"{type(candidate).__name__.lower()}:{candidate.pk}"
            places.append(Place(key=key, label=str(candidate), scope=candidate, roles=roles))
    return places
