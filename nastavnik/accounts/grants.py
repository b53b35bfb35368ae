"""Who may grant which role where: the rules of the «Сотрудники и роли» pages.

The administration of an organisation appoints its curators and specialists; a municipal curator
appoints the administration (and, where a school has none yet, its curators and specialists) of
the municipality's organisations; the regional centre appoints municipal curators and anything
below them in its region. Nobody grants a role wider than their own, nor outside their scope;
revoking a role needs the same right as granting it. Participants' roles (mentor, mentee, parent)
follow from the registry and are not granted here.

This module knows users, roles and scope ids only: the caller describes where a role is granted
with a `RoleTarget` (the scope and the levels above it), built from the organisation objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .access import AnyUser, scopes_of
from .models import MUNICIPALITY_ROLES, REGION_ROLES, Role, RoleAssignment

# Roles granted in the UI, by the level they are attached to.
ORGANISATION_GRANTABLE = (Role.ORG_ADMIN, Role.PROGRAM_CURATOR, Role.SPECIALIST)
MUNICIPALITY_GRANTABLE = (Role.MUNICIPAL_CURATOR,)
REGION_GRANTABLE = (Role.REGIONAL_CENTRE,)
GRANTABLE_ROLES = frozenset(ORGANISATION_GRANTABLE + MUNICIPALITY_GRANTABLE + REGION_GRANTABLE)


@dataclass(frozen=True)
class RoleTarget:
    """Where a role is granted: a region, a municipality of it, or an organisation of that."""

    region_id: int
    municipality_id: int | None = None
    organisation_id: int | None = None

    @property
    def level(self) -> str:
        if self.organisation_id is not None:
            return "organisation"
        if self.municipality_id is not None:
            return "municipality"
        return "region"

    def roles_attached_here(self) -> tuple[Role, ...]:
        return {
            "organisation": ORGANISATION_GRANTABLE,
            "municipality": MUNICIPALITY_GRANTABLE,
            "region": REGION_GRANTABLE,
        }[self.level]

    def scope_fields(self) -> dict[str, int | None]:
        """The RoleAssignment fields of this scope (exactly one of them set)."""
        return {
            "region_id": self.region_id if self.level == "region" else None,
            "municipality_id": self.municipality_id if self.level == "municipality" else None,
            "organisation_id": self.organisation_id,
        }


def grantable_roles(user: AnyUser, target: RoleTarget) -> list[Role]:
    """The roles `user` may grant (and revoke) at `target`, in the order of `Role`."""
    scopes = scopes_of(user)
    here = target.roles_attached_here()
    if scopes.superuser:
        return list(here)
    allowed: set[Role] = set()
    if target.region_id in scopes.region_ids:
        # The regional centre: municipal curators and everything below them, not its own role.
        allowed |= set(here) - REGION_ROLES
    if target.municipality_id is not None and target.municipality_id in scopes.municipality_ids:
        allowed |= set(here) - REGION_ROLES - MUNICIPALITY_ROLES
    if target.organisation_id is not None and target.organisation_id in _admin_organisation_ids(user):
        allowed |= {Role.PROGRAM_CURATOR, Role.SPECIALIST}
    return [role for role in here if role in allowed]


def _admin_organisation_ids(user: AnyUser) -> frozenset[int]:
    """Organisations whose administration the user is (`Scopes` joins it with the curators)."""
    if not user.is_authenticated or Role.ORG_ADMIN not in scopes_of(user).roles:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_nastavnik_admin_orgs", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, role=Role.ORG_ADMIN).values_list(
                "organisation_id", flat=True
            )
        )
        user._nastavnik_admin_orgs = cached  # type: ignore[attr-defined]
    return cached


def can_grant_role(user: AnyUser, role: Role | str, target: RoleTarget) -> bool:
    return role in grantable_roles(user, target)


def can_view_staff_roles(user: AnyUser, target: RoleTarget) -> bool:
    """Who opens the «Сотрудники и роли» page of a scope: the levels above it and, for an
    organisation, its administration and curators (who read it, the administration changes it)."""
    scopes = scopes_of(user)
    return (
        scopes.superuser
        or target.region_id in scopes.region_ids
        or (target.municipality_id is not None and target.municipality_id in scopes.municipality_ids)
        or (target.organisation_id is not None and target.organisation_id in scopes.staff_organisation_ids)
    )


def can_unlock_login(user: AnyUser, target: RoleTarget) -> bool:
    """Who may lift a login lockout of a person of `target` (an organisation): its administration
    and the levels above it."""
    scopes = scopes_of(user)
    return (
        scopes.superuser
        or target.region_id in scopes.region_ids
        or target.municipality_id in scopes.municipality_ids
        or target.organisation_id in _admin_organisation_ids(user)
    )


def require_grant_role(user: AnyUser, role: Role | str, target: RoleTarget) -> None:
    if not can_grant_role(user, role, target):
        raise PermissionDenied("Назначать эту роль здесь вы не можете.")
