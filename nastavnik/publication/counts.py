"""The counted indicator «публикаций о наставничестве» on the monitoring dashboards and in the
annual report (the roadmaps' «не менее N публикаций»): publications and cases published on the
organisations' public pages in the academic year of the day, up to the day. Connected to
`monitoring.extensions.program_counts` in `PublicationConfig.ready`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from nastavnik.cases.models import Case
from nastavnik.monitoring.extensions import ProgramCount
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION, Scope
from nastavnik.orgs.models import academic_year_of

from .models import Publication

PUBLIC_PAGE = {
    ORGANISATION: "publication:organisation",
    MUNICIPALITY: "publication:municipality",
    REGION: "publication:region",
}


def year_start(day: dt.date) -> dt.date:
    return dt.date(academic_year_of(day), 9, 1)


def publications_count(sender: Any, *, user: Any, scope: Scope, day: dt.date, **kwargs: Any) -> ProgramCount:
    period = {"published_on__gte": year_start(day), "published_on__lte": day, "is_published": True}
    condition = scope.organisation_condition()
    value = (
        Publication.objects.filter(condition, **period).count()
        + Case.objects.filter(condition, **period).count()
    )
    target = int(settings.PUBLICATIONS_TARGET) if scope.level == ORGANISATION else None
    return ProgramCount(
        code="publications",
        title="Публикации на странице «Наставничество»",
        value=value,
        unit="публикация,публикации,публикаций",
        target=target,
        url=reverse(PUBLIC_PAGE[scope.level], args=[scope.pk]),
    )
