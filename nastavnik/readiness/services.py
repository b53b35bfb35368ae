"""Writes: ticking (or unticking) an item that the data cannot tell."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.models import Organisation

from .access import require_tick
from .items import MANUAL_CODES
from .models import ManualTick


def readiness_tick(
    *, acting_user: User, organisation: Organisation, code: str, done: bool, note: str = ""
) -> ManualTick:
    require_tick(acting_user, organisation)
    if code not in MANUAL_CODES:
        raise ValidationError({"code": "Этот пункт считается по данным, отметить его вручную нельзя."})
    if done and not note.strip():
        raise ValidationError(
            {"note": "Укажите основание: документ, номер и дату (например, «приказ № 45 от 01.09»)."}
        )
    with transaction.atomic(), acting_as(acting_user):
        tick, _ = ManualTick.objects.update_or_create(
            organisation=organisation,
            code=code,
            defaults={"done": done, "note": note.strip()[:300], "ticked_by": acting_user},
        )
    return tick
