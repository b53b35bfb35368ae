"""Where a role is granted, as the accounts layer needs it: a scope with the levels above it."""

from __future__ import annotations

from nastavnik.accounts.grants import RoleTarget
from nastavnik.accounts.models import RoleAssignment

from .models import Municipality, Organisation, Region


def role_target(scope: Region | Municipality | Organisation) -> RoleTarget:
    if isinstance(scope, Organisation):
        return RoleTarget(
            region_id=scope.municipality.region_id,
            municipality_id=scope.municipality_id,
            organisation_id=scope.pk,
        )
    if isinstance(scope, Municipality):
        return RoleTarget(region_id=scope.region_id, municipality_id=scope.pk)
    return RoleTarget(region_id=scope.pk)


def assignment_target(assignment: RoleAssignment) -> RoleTarget:
    """The target of an existing assignment (its scope loaded with the levels above)."""
    scope = assignment.organisation or assignment.municipality or assignment.region
    assert scope is not None  # a check constraint makes exactly one scope set
    return role_target(scope)
