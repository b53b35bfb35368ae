"""Writes: target values of indicators. Each takes the acting user, checks the permission and
writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from nastavnik.accounts.access import can_manage_organisation, scopes_of
from nastavnik.base.audit import acting_as

from .models import Indicator, IndicatorTarget
from .scopes import MUNICIPALITY, ORGANISATION, Scope
from .targets_paste import PastedTable


def can_set_targets(user: Any, scope: Scope) -> bool:
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


def _require(user: Any, scope: Scope) -> None:
    if not can_set_targets(user, scope):
        raise PermissionDenied("Целевые значения задаёт администрация этого уровня.")


def target_set(
    *, acting_user: Any, scope: Scope, indicator: Indicator, year: int, value: Decimal | None
) -> IndicatorTarget | None:
    """Set (or, with value None, remove) the target of an indicator for a year."""
    _require(acting_user, scope)
    lookup = {"indicator": indicator, "year": year, scope.level: scope.obj}
    with transaction.atomic(), acting_as(acting_user):
        existing = IndicatorTarget.objects.filter(**lookup).first()
        if value is None:
            if existing is not None:
                existing.delete()
            return None
        target = existing or IndicatorTarget(**lookup)
        target.value = value
        target.updated_by = acting_user
        target.full_clean()
        target.save()
        return target


def targets_import(*, acting_user: Any, scope: Scope, table: PastedTable) -> int:
    """Save the recognised rows of a pasted table; returns how many values were written."""
    _require(acting_user, scope)
    written = 0
    with transaction.atomic():
        for row in table.matched:
            assert row.indicator is not None
            for year, value in row.values.items():
                target_set(
                    acting_user=acting_user, scope=scope, indicator=row.indicator, year=year, value=value
                )
                written += 1
    return written
