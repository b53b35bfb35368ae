"""Counted indicators of partners on the dashboards and in the annual report: «доля
организаций-партнёров, предоставивших наставников» and «соглашений с партнёрами» (in force on the
day). Monitoring stands above partners, so it reads partners' selectors and connects itself to its
own `program_counts` extension point (in `MonitoringConfig.ready`). A scope without partners gets
no rows (a share of nothing says nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from nastavnik.orgs.models import Municipality
from nastavnik.partners.selectors import partner_figures, partners_within

from .extensions import ProgramCount
from .scopes import MUNICIPALITY, ORGANISATION, Scope


def _municipality_ids(scope: Scope) -> Any:
    if scope.level == ORGANISATION:
        return Municipality.objects.none().values("pk")
    if scope.level == MUNICIPALITY:
        return Municipality.objects.filter(pk=scope.pk).values("pk")
    return Municipality.objects.filter(region_id=scope.pk).values("pk")


def partner_program_counts(
    sender: Any, *, user: Any, scope: Scope, day: dt.date, **kwargs: Any
) -> list[ProgramCount]:
    figures = partner_figures(
        partners_within(scope.organisations().values("pk"), _municipality_ids(scope)), day
    )
    if not figures.partners:
        return []  # a scope without partners has nothing to report here
    url = reverse("partners:list")
    return [
        ProgramCount(
            code="partners_with_mentors",
            title=(
                "Доля организаций-партнёров, предоставивших наставников "
                f"({figures.with_mentors} из {figures.partners})"
            ),
            value=figures.share_with_mentors,
            unit="процент,процента,процентов",
            url=url,
        ),
        ProgramCount(
            code="partner_agreements",
            title="Соглашений с организациями-партнёрами (действующих)",
            value=figures.agreements,
            unit="соглашение,соглашения,соглашений",
            url=reverse("partners:agreements"),
        ),
    ]
