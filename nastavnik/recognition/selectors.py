"""Reads of recognition for pages, the card panel, the indicator and the annual report (on top
of `access`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from nastavnik.mentoring.models import GroupMembership
from nastavnik.monitoring.scopes import Scope
from nastavnik.orgs.models import Organisation
from nastavnik.registry.models import Person

from .access import (
    mentors_of_organisation,
    visible_award_orders_for,
    visible_awards_for,
    visible_competitions_for,
)
from .models import COUNTED_LEVELS, Award, AwardOrder, CompetitionEntry, CuratorAssessment, Nomination


def scope_competitions(user: Any, scope: Scope, year: int) -> QuerySet[CompetitionEntry]:
    return (
        visible_competitions_for(user)
        .filter(scope.organisation_condition(), academic_year=year)
        .select_related("mentor", "organisation", "group__form")
        .order_by("-held_on", "-pk")
    )


def competition_participant_count(scope: Scope, year: int) -> int:
    """«Участников региональных и всероссийских конкурсов»: distinct mentors of the entries of
    those levels in the year, and the mentees of the pairs that took part with them."""
    entries = CompetitionEntry.objects.filter(
        scope.organisation_condition(), academic_year=year, level__in=COUNTED_LEVELS
    )
    mentors = entries.order_by().values_list("mentor_id", flat=True)
    mentees = (
        GroupMembership.objects.filter(group__competition_entries__in=entries)
        .order_by()
        .values_list("mentee__person_id", flat=True)
    )
    return mentors.union(mentees).count()  # UNION: a person counted once, in one query


def organisation_orders(user: Any, organisation: Organisation) -> QuerySet[AwardOrder]:
    return (
        visible_award_orders_for(user)
        .filter(organisation=organisation)
        .annotate(n_awards=Count("awards"))
        .order_by("-signed_on", "-pk")
    )


def order_awards(order: AwardOrder) -> list[Award]:
    return list(
        order.awards.select_related("person", "kind").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )


def scope_awards(user: Any, scope: Scope, year: int) -> QuerySet[Award]:
    return (
        visible_awards_for(user)
        .filter(scope.organisation_condition("order__"), order__academic_year=year)
        .select_related("person__organisation", "kind", "order")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def person_awards(user: Any, person: Person) -> QuerySet[Award]:
    return (
        visible_awards_for(user)
        .filter(person=person)
        .select_related("kind", "order")
        .order_by("-order__signed_on")
    )


def person_competitions(user: Any, person: Person) -> QuerySet[CompetitionEntry]:
    return visible_competitions_for(user).filter(mentor=person).order_by("-held_on", "-pk")


def mentor_sheet(user: Any, organisation: Organisation, year: int) -> list[Person]:
    """The organisation's mentors with the year's assessment (`assessment`) and nominations."""
    people = mentors_of_organisation(user, organisation).prefetch_related(
        Prefetch(
            "curator_assessments",
            queryset=CuratorAssessment.objects.filter(academic_year=year),
            to_attr="year_assessments",
        ),
        Prefetch(
            "nominations", queryset=Nomination.objects.filter(academic_year=year), to_attr="year_nominations"
        ),
    )
    result: list[Person] = list(people)
    for person in result:
        person.assessment = person.year_assessments[0] if person.year_assessments else None  # type: ignore[attr-defined]
    return result
