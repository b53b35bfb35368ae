"""Writes: target values of indicators. Each takes the acting user, checks the permission and
writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from nastavnik.base.audit import acting_as

from .access import require_manage_targets
from .models import Indicator, IndicatorTarget
from .scopes import Scope
from .targets_paste import PastedTable


def target_set(
    *, acting_user: Any, scope: Scope, indicator: Indicator, year: int, value: Decimal | None
) -> IndicatorTarget | None:
    """Set (or, with value None, remove) the target of an indicator for a year."""
    require_manage_targets(acting_user, scope)
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
    require_manage_targets(acting_user, scope)
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
