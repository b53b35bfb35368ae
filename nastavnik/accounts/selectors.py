"""Reads on accounts: the roles of users with who granted them and when (from the audit log)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from .models import RoleAssignment, User


@dataclass(frozen=True)
class RoleRecord:
    """A role as a card shows it: what, where, who granted it and when; revoked ones too."""

    label: str  # «Куратор программы: МБОУ «СОШ № 1»»
    granted_by: User | None
    granted_at: datetime | None
    assignment: RoleAssignment | None = None  # None once revoked
    revoked_by: User | None = None
    revoked_at: datetime | None = None


def _entries(condition: Q) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(RoleAssignment)
    return list(
        LogEntry.objects.filter(condition, content_type=content_type)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )


def grants_of(assignments: Iterable[RoleAssignment]) -> dict[int, LogEntry]:
    """The audit entry that created each assignment (missing for roles granted before the log)."""
    ids = [str(a.pk) for a in assignments]
    if not ids:
        return {}
    entries = _entries(Q(object_pk__in=ids, action=LogEntry.Action.CREATE))
    return {int(entry.object_pk): entry for entry in entries}


def role_records_of(user: User) -> list[RoleRecord]:
    """Current roles of a user (with who granted them) and the ones revoked, newest last."""
    assignments = list(
        RoleAssignment.objects.filter(user=user).select_related("region", "municipality", "organisation")
    )
    entries = _entries(
        Q(object_pk__in=[str(a.pk) for a in assignments]) | Q(additional_data__user_id=user.pk)
    )
    created = {e.object_pk: e for e in entries if e.action == LogEntry.Action.CREATE}
    records = []
    for assignment in assignments:
        entry = created.get(str(assignment.pk))
        records.append(
            RoleRecord(
                label=str(assignment),
                granted_by=entry.actor if entry else None,
                granted_at=entry.timestamp if entry else None,
                assignment=assignment,
            )
        )
    for entry in entries:
        if entry.action == LogEntry.Action.DELETE:
            grant = created.get(entry.object_pk)
            records.append(
                RoleRecord(
                    label=entry.object_repr,
                    granted_by=grant.actor if grant else None,
                    granted_at=grant.timestamp if grant else None,
                    revoked_by=entry.actor,
                    revoked_at=entry.timestamp,
                )
            )
    return records
