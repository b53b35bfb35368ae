"""Writes on accounts: granting and revoking roles (audited through django-auditlog)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from nastavnik.base.audit import acting_as

from .grants import RoleTarget, require_grant_role
from .models import Role, RoleAssignment, User


@transaction.atomic
def role_grant(*, acting_user: User, user: User, role: Role | str, target: RoleTarget) -> RoleAssignment:
    """Give `user` the `role` at `target`; PermissionDenied if `acting_user` may not."""
    role = Role(role)
    require_grant_role(acting_user, role, target)
    if not user.is_active:
        raise ValidationError("Учётная запись отключена: роль назначить нельзя.")
    fields = target.scope_fields()
    existing = RoleAssignment.objects.filter(user=user, role=role, **fields).first()
    if existing is not None:
        raise ValidationError("Эта роль уже назначена.")
    assignment = RoleAssignment(user=user, role=role, **fields)
    assignment.full_clean()
    with acting_as(acting_user):
        assignment.save()
    return assignment


@transaction.atomic
def role_revoke(*, acting_user: User, assignment: RoleAssignment, target: RoleTarget) -> None:
    """Take a role away; `target` is the assignment's scope with the levels above it."""
    if target.scope_fields() != {
        "region_id": assignment.region_id,
        "municipality_id": assignment.municipality_id,
        "organisation_id": assignment.organisation_id,
    }:
        raise ValidationError("Роль назначена в другом месте.")
    require_grant_role(acting_user, assignment.role, target)
    with acting_as(acting_user):
        assignment.delete()
