"""Writes: target values of indicators. Each takes the acting user, checks the permission and
writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from nastavnik.base.audit import acting_as
from nastavnik.base.time import today_in
from nastavnik.orgs.models import Municipality, Region

from . import rollups
from .access import require_manage_targets
from .models import Indicator, IndicatorTarget, MunicipalitySnapshot
from .scopes import Scope
from .snapshots import active_indicators
from .targets_paste import PastedTable


def target_set(
    *,
    acting_user: Any,
    scope: Scope,
    indicator: Indicator,
    year: int,
    value: Decimal | None,
    roll_up: bool = True,
) -> IndicatorTarget | None:
    """Set (or, with value None, remove) the target of an indicator for a year; the region's
    values added up ahead count the organisations behind again (`roll_up=False`: the caller
    does it once after several)."""
    require_manage_targets(acting_user, scope)
    lookup = {"indicator": indicator, "year": year, scope.level: scope.obj}
    with transaction.atomic(), acting_as(acting_user):
        existing = IndicatorTarget.objects.filter(**lookup).first()
        target = None
        if value is None:
            if existing is not None:
                existing.delete()
        else:
            target = existing or IndicatorTarget(**lookup)
            target.value = value
            target.updated_by = acting_user
            target.full_clean()
            target.save()
        if roll_up:
            _roll_up_region_of(scope)
        return target


def _region_of(scope: Scope) -> Region:
    obj = scope.obj
    if isinstance(obj, Region):
        return obj
    if isinstance(obj, Municipality):
        return obj.region
    return obj.municipality.region


def _roll_up_region_of(scope: Scope) -> None:
    """Count the organisations behind again in today's added-up values of the scope's region."""
    region = _region_of(scope)
    day = today_in(region.timezone)
    if MunicipalitySnapshot.objects.filter(municipality__region=region, day=day).exists():
        rollups.roll_up_region(active_indicators(), region.pk, day)


def targets_import(*, acting_user: Any, scope: Scope, table: PastedTable) -> int:
    """Save the recognised rows of a pasted table; returns how many values were written."""
    require_manage_targets(acting_user, scope)
    written = 0
    with transaction.atomic():
        for row in table.matched:
            assert row.indicator is not None
            for year, value in row.values.items():
                target_set(
                    acting_user=acting_user,
                    scope=scope,
                    indicator=row.indicator,
                    year=year,
                    value=value,
                    roll_up=False,
                )
                written += 1
        _roll_up_region_of(scope)
    return written
