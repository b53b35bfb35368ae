"""Extension points for the apps that stand above monitoring.

Dashboards and the annual report live here, but some of what they must show is kept by apps higher
up the map (publications, competitions, cases, recommendations…): monitoring may not import them.
Those apps connect receivers to the two signals below in their `AppConfig.ready()`, as pretalx's
plugins do; monitoring only collects and renders. A receiver gets the acting user, the scope and
the day, and returns what it wants shown there (or nothing): it decides itself what the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from .scopes import Scope

# kwargs: user, scope (Scope), day (date) → a ProgramCount, a list of them, or None.
program_counts = Signal()
# kwargs: user, scope (Scope), day (date) → a ReportSection, a list of them, or None.
report_sections = Signal()


@dataclass(frozen=True)
class ProgramCount:
    """A counted indicator of the program that is not a share of people: «публикаций»,
    «соглашений с партнёрами», «участников конкурсов». `unit` holds the three Russian forms
    («публикация,публикации,публикаций») so the number agrees with its noun."""

    code: str
    title: str
    value: int
    unit: str
    target: int | None = None
    url: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target


@dataclass(frozen=True)
class ReportSection:
    """A section of the annual report: a title, paragraphs and at most one table. `order` places it
    among the other extra sections (they come after the built-in ones, numbered on from them)."""

    order: int
    title: str
    paragraphs: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    empty_text: str = "Нет данных за этот период."


def _flatten(responses: Iterable[tuple[Any, Any]]) -> list[Any]:
    items: list[Any] = []
    for _receiver, result in responses:
        if result is None:
            continue
        items.extend(result if isinstance(result, list | tuple) else [result])
    return items


def collect_program_counts(user: Any, scope: Scope, day: dt.date) -> list[ProgramCount]:
    counts = _flatten(program_counts.send(sender=Scope, user=user, scope=scope, day=day))
    return sorted(counts, key=lambda c: c.title)


def collect_report_sections(user: Any, scope: Scope, day: dt.date) -> list[ReportSection]:
    sections = _flatten(report_sections.send(sender=Scope, user=user, scope=scope, day=day))
    return sorted(sections, key=lambda s: (s.order, s.title))
