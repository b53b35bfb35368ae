"""Training for the indicators: who counts as trained on a date, who is a curator, and how many
training sessions were held in a scope («занятий по обучению наставников проведено»)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet

from nastavnik.accounts.models import Role
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.models import Person
from nastavnik.training.models import Enrolment, TrainingSession

if TYPE_CHECKING:
    from .scopes import Scope


def trained_person_ids(day: dt.date, within: Scope | None = None) -> QuerySet[Enrolment, Any]:
    """People who completed a course on or before `day` (any year: training does not expire)."""
    enrolments = Enrolment.objects.filter(completed_on__isnull=False, completed_on__lte=day)
    if within is not None:
        enrolments = enrolments.filter(within.narrowing("person__"))
    return enrolments.values("person_id")


def curator_person_ids(within: Scope | None = None) -> QuerySet[Person, Any]:
    """Registry cards of the users who are program curators of the card's own organisation."""
    people = Person.objects.filter(
        user__role_assignments__role=Role.PROGRAM_CURATOR,
        user__role_assignments__organisation_id=F("organisation_id"),
    )
    if within is not None:
        people = people.filter(within.narrowing(""))
    return people.values("pk")


def sessions_held(scope: Scope, day: dt.date) -> int:
    """Sessions of the academic year of `day`, held by then, of courses offered by the scope's
    level, a level above it or its schools and attended by at least one of the scope's people —
    or offered by the scope's own level (or its schools) even if nobody of it came."""
    year = academic_year_of(day)
    start = dt.date(year, 9, 1)
    offered = _offered_in(scope)
    attended = Q(attendances__enrolment__person__in=Person.objects.filter(scope.organisation_condition()))
    return (
        TrainingSession.objects.filter(held_on__gte=start, held_on__lte=day)
        .filter(offered | attended)
        .values("pk")
        .distinct()
        .count()
    )


def _offered_in(scope: Scope) -> Q:
    organisations = scope.organisations()
    condition = Q(course__organisation__in=organisations)
    if scope.level == "municipality":
        condition |= Q(course__municipality_id=scope.pk)
    elif scope.level == "region":
        condition |= Q(course__region_id=scope.pk) | Q(course__municipality__region_id=scope.pk)
    return condition


def training_sessions_count(sender: Any, *, user: Any, scope: Scope, day: dt.date, **kwargs: Any) -> Any:
    """The «занятий проведено» counted indicator on the dashboards (a `program_counts` receiver);
    nothing where no training has been held (a scope that does not train shows no empty row)."""
    from django.urls import reverse

    from .extensions import ProgramCount

    held = sessions_held(scope, day)
    if not held:
        return None
    return ProgramCount(
        code="training-sessions",
        title="Проведено занятий по обучению наставников и кураторов",
        value=held,
        unit="занятие,занятия,занятий",
        url=reverse("training:calendar"),
    )
