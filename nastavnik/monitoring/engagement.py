"""Who is in mentoring on a date: the one definition every indicator, table and drill-down uses.

A person is a mentee (mentor) on day D when they have a participation of that role whose status
is «в паре / группе» or «завершил(а) программу», in a program of the academic year that contains
D, added on or before D. The mentoring services set «в паре» when a pair is formed; when pairs
with their own dates exist, this module is the one place to switch to "membership active on D".

Everything here returns querysets for use as `IN (subquery)` conditions, so the database
evaluates them once per statement instead of once per person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, PersonKind

ENGAGED_STATUSES = (ParticipationStatus.IN_PAIR, ParticipationStatus.COMPLETED)


def engaged_participations(day: dt.date, role: str | None = None) -> QuerySet[Participation]:
    """Participations that make their person a mentor or mentee on `day`."""
    participations = Participation.objects.filter(
        status__in=ENGAGED_STATUSES, program__academic_year=academic_year_of(day), added_on__lte=day
    )
    if role:
        participations = participations.filter(role=role)
    return participations


def engaged_person_ids(day: dt.date, role: str | None = None) -> QuerySet[Participation, Any]:
    return engaged_participations(day, role).values("person_id")


def participant_person_ids(day: dt.date) -> QuerySet[Participation, Any]:
    """People in a program of the academic year on `day` in any status but «выбыл(а)»: those
    whose consent the program needs, paired or not yet."""
    return (
        Participation.objects.filter(program__academic_year=academic_year_of(day), added_on__lte=day)
        .exclude(status=ParticipationStatus.WITHDRAWN)
        .values("person_id")
    )


def in_organisation_on(day: dt.date) -> Q:
    """People of an organisation on `day`: joined by then (if known) and not left by then.
    Parents are in the registry as legal representatives, not as the organisation's people."""
    return (
        (Q(joined_on__isnull=True) | Q(joined_on__lte=day))
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        & ~Q(kind=PersonKind.PARENT)
    )


ROLE_LABELS = dict(ParticipationRole.choices)
