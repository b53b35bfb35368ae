"""Reads: the readiness of organisations, computed item by item for all of them at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from nastavnik.orgs.models import Organisation, Program, academic_year_of

from .items import ITEMS, Context, Item, State
from .models import ManualTick


@dataclass(frozen=True)
class Line:
    item: Item
    state: State
    link: str
    tick: ManualTick | None

    @property
    def done(self) -> bool:
        return self.state.done


@dataclass(frozen=True)
class Readiness:
    organisation: Organisation
    lines: list[Line]

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if not line.done]


def _ticks(org_ids: Sequence[int]) -> dict[tuple[int, str], ManualTick]:
    return {(t.organisation_id, t.code): t for t in ManualTick.objects.filter(organisation_id__in=org_ids)}


def _state(item: Item, computed: dict[int, State] | None, org_id: int, tick: ManualTick | None) -> State:
    if computed is not None and computed.get(org_id, State(False)).done:
        return computed[org_id]
    if tick is not None and tick.done:
        return State(True, tick.note or "отмечено вручную")
    return computed.get(org_id, State(False)) if computed is not None else State(False)


def readiness_of(
    organisations: Sequence[Organisation], day: dt.date, contexts: dict[int, Context] | None = None
) -> list[Readiness]:
    """The check of each organisation; `contexts` (per organisation) decide the next-step links —
    without them no link is shown (the municipality's side-by-side table)."""
    ids = [o.pk for o in organisations]
    computed = {item.code: item.compute(ids, day) for item in ITEMS}
    ticks = _ticks(ids)
    result = []
    for organisation in organisations:
        context = (contexts or {}).get(organisation.pk)
        lines = []
        for item in ITEMS:
            tick = ticks.get((organisation.pk, item.code))
            state = _state(item, computed[item.code], organisation.pk, tick)
            link = item.link(context) if context is not None and not state.done else ""
            lines.append(Line(item, state, link, tick))
        result.append(Readiness(organisation, lines))
    return result


def current_program_id(organisation: Organisation, day: dt.date) -> int | None:
    program = (
        Program.objects.filter(organisation=organisation, academic_year=academic_year_of(day))
        .order_by("pk")
        .first()
    )
    return program.pk if program else None
