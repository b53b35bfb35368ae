"""The core of the permission layer: whose scope reaches where, with nothing of the apps above.

Scopes come from the user's role assignments: a region, a municipality or an organisation.
Each app builds its own permission reads and checks on this core in its `access.py`
(`visible_<things>_for(user)`, `get_<thing>_for_user(user, pk)` raising 404,
`can_<verb>_<thing>(user, obj)`, `require_manage_<thing>(user, obj)` raising PermissionDenied).
Objects outside the scope are invisible (404), not forbidden, so that their existence does
not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import MANAGER_ROLES, STAFF_ROLES, Role, RoleAssignment, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


@dataclass(frozen=True)
class Scopes:
    """The ids a user's roles reach, by level; computed once per user object."""

    superuser: bool
    region_ids: frozenset[int]
    municipality_ids: frozenset[int]
    staff_organisation_ids: frozenset[int]  # org admin / program curator
    specialist_organisation_ids: frozenset[int]
    member_organisation_ids: frozenset[int]  # any role in the organisation
    roles: frozenset[str]

    @property
    def is_staff_anywhere(self) -> bool:
        return self.superuser or bool(self.roles & STAFF_ROLES)


_EMPTY = Scopes(False, frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def scopes_of(user: AnyUser) -> Scopes:
    if not user.is_authenticated:
        return _EMPTY
    cached: Scopes | None = getattr(user, "_nastavnik_scopes", None)
    if cached is not None:
        return cached
    assignments: Iterable[RoleAssignment] = RoleAssignment.objects.filter(user=user).only(
        "role", "region_id", "municipality_id", "organisation_id"
    )
    region_ids, municipality_ids, staff_orgs, specialist_orgs, member_orgs, roles = (
        set(),
        set(),
        set(),
        set(),
        set(),
        set(),
    )
    for assignment in assignments:
        roles.add(assignment.role)
        if assignment.role == Role.REGIONAL_CENTRE and assignment.region_id:
            region_ids.add(assignment.region_id)
        elif assignment.role == Role.MUNICIPAL_CURATOR and assignment.municipality_id:
            municipality_ids.add(assignment.municipality_id)
        elif assignment.organisation_id:
            member_orgs.add(assignment.organisation_id)
            if assignment.role in MANAGER_ROLES:
                staff_orgs.add(assignment.organisation_id)
            elif assignment.role == Role.SPECIALIST:
                specialist_orgs.add(assignment.organisation_id)
    scopes = Scopes(
        superuser=user.is_superuser,
        region_ids=frozenset(region_ids),
        municipality_ids=frozenset(municipality_ids),
        staff_organisation_ids=frozenset(staff_orgs),
        specialist_organisation_ids=frozenset(specialist_orgs),
        member_organisation_ids=frozenset(member_orgs),
        roles=frozenset(roles),
    )
    user._nastavnik_scopes = scopes  # type: ignore[attr-defined]
    return scopes


def has_role(user: AnyUser, *roles: Role) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(scopes.roles & set(roles))


def _scopes(user_or_scopes: AnyUser | Scopes) -> Scopes:
    return user_or_scopes if isinstance(user_or_scopes, Scopes) else scopes_of(user_or_scopes)


def staff_organisation_q(user_or_scopes: AnyUser | Scopes, prefix: str = "") -> Q:
    """Organisations whose registry the user reads as staff (region, municipality, org staff), as
    a condition on any relation: `prefix` is "" for organisations, "organisation__" for a model
    with an organisation. A superuser's scope is not a condition: check `superuser` first."""
    scopes = _scopes(user_or_scopes)
    return (
        Q(**{f"{prefix}pk__in": scopes.staff_organisation_ids})
        | Q(**{f"{prefix}municipality_id__in": scopes.municipality_ids})
        | Q(**{f"{prefix}municipality__region_id__in": scopes.region_ids})
    )


def member_organisation_q(user_or_scopes: AnyUser | Scopes, prefix: str = "") -> Q:
    """Organisations the user works in (any role there) or oversees as staff."""
    scopes = _scopes(user_or_scopes)
    return staff_organisation_q(scopes, prefix) | Q(**{f"{prefix}pk__in": scopes.member_organisation_ids})


def require(condition: bool, refusal: str) -> None:
    """Raise PermissionDenied with the Russian `refusal` unless `condition` holds."""
    if not condition:
        raise PermissionDenied(refusal)
