"""What recognition shows below it, through the extension points of monitoring and the registry:
the indicator «участников региональных и всероссийских конкурсов», the annual report's section
«Признание наставников» and the panel on a mentor's card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse

from nastavnik.base.text import count_ru, quoted, russian_date
from nastavnik.monitoring.extensions import ProgramCount, ReportSection
from nastavnik.monitoring.scopes import REGION, Scope
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.extensions import CardPanel
from nastavnik.registry.models import ParticipationRole, Person

from .access import can_see_recognition_of
from .figures import number
from .models import Procedure, amount_text
from .ranking import build_ranking, procedure_for
from .selectors import competition_participant_count, scope_awards, scope_competitions

BEST_IN_REPORT = 3


def _target(scope: Scope) -> int | None:
    if scope.level == REGION:
        return None
    condition = Q(**{scope.level: scope.pk})
    if scope.level == "organisation":  # its own procedure, else its municipality's: one query
        condition |= Q(municipality_id=scope.obj.municipality_id)  # type: ignore[union-attr]
    procedures = Procedure.objects.filter(condition).only("organisation_id", "competition_target")
    procedure = min(procedures, key=lambda p: (p.organisation_id is None, p.pk), default=None)
    return procedure.competition_target if procedure is not None else None


def competition_count(*, user: Any, scope: Scope, day: dt.date, **_: Any) -> ProgramCount | None:
    """The indicator, where there is something to count or a target to reach."""
    year = academic_year_of(day)
    value = competition_participant_count(scope, year)
    target = _target(scope)
    if not value and target is None:
        return None
    url = ""
    if scope.level != REGION:
        url = reverse("recognition:competitions", args=[scope.level, scope.pk]) + f"?year={year}"
    return ProgramCount(
        code="competition_participants",
        title="Участников региональных и всероссийских конкурсов",
        value=value,
        unit="участник,участника,участников",
        target=target,
        url=url,
    )


def _best_paragraph(user: Any, scope: Scope, year: int) -> str:
    if scope.level == REGION:
        return ""
    ranking = build_ranking(user, scope, year)
    if ranking.procedure is None:
        return "Порядок выбора лучшего наставника не утверждён."
    best = [e for e in ranking.entries if e.place <= BEST_IN_REPORT and e.total > 0]
    if not best:
        return f"Рейтинг наставников ({ranking.procedure.title.lower()}): нет наставников с баллами."
    names = "; ".join(
        f"{e.place}. {e.person.full_name} — {number(e.total)} из {ranking.max_total}" for e in best
    )
    return f"Лучшие наставники {ranking.year_label} учебного года по рейтингу: {names}."


def recognition_section(*, user: Any, scope: Scope, day: dt.date, **_: Any) -> ReportSection | None:
    """Awards, competitions and the best mentors of the year; nothing where recognition is not
    set up (no procedure, no awards, no competitions)."""
    year = academic_year_of(day)
    awards = list(scope_awards(user, scope, year))
    competitions = list(scope_competitions(user, scope, year))
    if not awards and not competitions and (scope.level == REGION or procedure_for(scope) is None):
        return None
    rows: list[tuple[str, ...]] = []
    for award in awards:
        amount = f", {amount_text(award.amount)} руб." if award.amount is not None else ""
        order = f"приказ № {award.order.number or '—'} от {russian_date(award.order.signed_on)}"
        rows.append((award.person.full_name, f"{award.kind.name}{amount}", order))
    for entry in competitions:
        rows.append(
            (
                entry.mentor.full_name,
                f"Конкурс {quoted(entry.title)}: {entry.get_level_display().lower()} уровень, {entry.get_result_display().lower()}",
                russian_date(entry.held_on),
            )
        )
    paragraphs = [
        f"Поощрено наставников: {len({a.person_id for a in awards})}; поощрений — {count_ru(len(awards), 'запись,записи,записей')}.",
        f"Участие в конкурсах: {count_ru(len(competitions), 'запись,записи,записей')}, участников региональных "
        f"и всероссийских конкурсов — {competition_participant_count(scope, year)}.",
    ]
    best = _best_paragraph(user, scope, year)
    if best:
        paragraphs.insert(0, best)
    return ReportSection(
        order=40,
        title="Признание наставников",
        paragraphs=tuple(paragraphs),
        header=("Наставник", "Поощрение или конкурс", "Основание, дата"),
        rows=tuple(rows),
        empty_text="Поощрений и участия в конкурсах за этот учебный год нет.",
    )


def recognition_panel(*, user: Any, person: Person, **_: Any) -> CardPanel | None:
    if not can_see_recognition_of(user, person):
        return None
    if not person.participations.filter(role=ParticipationRole.MENTOR).exists():
        return None
    return CardPanel(
        key="recognition",
        title="Признание: поощрения, конкурсы, рейтинг",
        url=reverse("recognition:person_panel", args=[person.pk]),
        order=60,
    )
