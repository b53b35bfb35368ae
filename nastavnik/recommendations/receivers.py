"""What recommendations adds to monitoring (through `monitoring.extensions`): a counted line on
the dashboards and a section of the organisation's annual report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from nastavnik.monitoring.extensions import ProgramCount, ReportSection
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.orgs.models import academic_year_of

from .access import issued_by_condition, visible_addressees_for, visible_recommendations_for
from .selectors import for_organisation


def recommendation_count(
    sender: Any, user: Any, scope: Scope, day: dt.date, **kwargs: Any
) -> ProgramCount | None:
    if scope.level == ORGANISATION:
        count = visible_addressees_for(user).filter(organisation_id=scope.pk).count()
        if not count:
            return None
        return ProgramCount(
            "recommendations",
            "Адресных рекомендаций получено",
            count,
            "рекомендация,рекомендации,рекомендаций",
        )
    count = visible_recommendations_for(user).filter(issued_by_condition(scope)).distinct().count()
    return ProgramCount(
        "recommendations",
        "Адресных рекомендаций дано",
        count,
        "рекомендация,рекомендации,рекомендаций",
        url=reverse("recommendations:list", args=[scope.level, scope.pk]),
    )


def report_section(sender: Any, user: Any, scope: Scope, day: dt.date, **kwargs: Any) -> ReportSection | None:
    if scope.level != ORGANISATION:
        return None
    year = academic_year_of(day)
    since, until = dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    rows = tuple(
        (
            f"{a.recommendation.title} ({a.recommendation.issuer_name}, {a.recommendation.created_at:%d.%m.%Y})",
            a.recommendation.due_on.strftime("%d.%m.%Y"),
            a.get_status_display(),
            a.actions_done or a.answer or "—",
        )
        for a in for_organisation(scope.pk, since, until)
    )
    if not rows:
        return None  # a school that received none gets no empty section
    return ReportSection(
        order=30,
        title="Адресные рекомендации по результатам мониторинга и их выполнение",
        paragraphs=(f"Рекомендаций муниципалитета и региона за учебный год: {len(rows)}.",),
        header=("Рекомендация", "Срок", "Состояние", "Что сделано"),
        rows=rows,
    )
