"""Reads of the case bank: the searchable list, a case's history, the pairs a user may still write
a case about, the published cases of public pages and the region's collection of the year."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from nastavnik.accounts.access import AnyUser, scopes_of
from nastavnik.mentoring.access import visible_groups_for, with_members
from nastavnik.mentoring.models import CLOSED_STATUSES, MentoringGroup
from nastavnik.orgs.models import MentoringForm, Organisation, Region
from nastavnik.registry.models import Category, normalise_for_search

from .access import visible_cases_for
from .models import STATUSES_OF_LEVEL, Case, CaseLevel, CaseReview, CaseStatus
from .publicity import with_people


@dataclass(frozen=True)
class BankFilters:
    text: str = ""
    form: MentoringForm | None = None
    topic: str = ""
    category: Category | None = None
    year: int | None = None
    level: str = ""
    status: str = ""


def bank_cases(user: AnyUser, filters: BankFilters) -> QuerySet[Case]:
    """The cases the user sees, narrowed by the bank's filters (every word of the text search
    contained in the title, topic or text, any letter case)."""
    cases = visible_cases_for(user)
    for word in normalise_for_search(filters.text).split():
        cases = cases.filter(search_text__contains=word)
    if filters.form is not None:
        cases = cases.filter(Q(form=filters.form) | Q(form__parent=filters.form))
    if filters.topic:
        cases = cases.filter(topic=filters.topic)
    if filters.category is not None:
        cases = cases.filter(mentee_category=filters.category)
    if filters.year:
        cases = cases.filter(academic_year=filters.year)
    if filters.level:
        cases = cases.filter(status__in=STATUSES_OF_LEVEL[CaseLevel(filters.level)])
    if filters.status:
        cases = cases.filter(status=filters.status)
    return cases.select_related("organisation__municipality", "form", "mentee_category").order_by(
        "-academic_year", "-updated_at", "-pk"
    )


def case_history(case: Case) -> QuerySet[CaseReview]:
    return case.reviews.select_related("by").order_by("at", "pk")


def case_topics(user: AnyUser) -> list[str]:
    return sorted(set(visible_cases_for(user).values_list("topic", flat=True)))


def case_years(user: AnyUser) -> list[int]:
    return sorted(set(visible_cases_for(user).values_list("academic_year", flat=True)), reverse=True)


def groups_awaiting_case(user: AnyUser) -> QuerySet[MentoringGroup]:
    """Completed pairs (groups) the user works on and that have no case yet."""
    scopes = scopes_of(user)
    groups = visible_groups_for(user).filter(status__in=CLOSED_STATUSES, cases__isnull=True)
    if not scopes.superuser:
        groups = groups.filter(
            Q(mentor__person__user=user) | Q(program__organisation_id__in=scopes.staff_organisation_ids)
        )
    return with_members(groups).order_by("-ended_on", "-pk")


def published_cases(organisations: QuerySet[Organisation]) -> QuerySet[Case]:
    """Cases published on the public pages of the organisations, newest first, with the people
    they show (whose consents decide, at render, whether names appear)."""
    cases = Case.objects.filter(
        organisation__in=organisations, is_published=True, status__in=STATUSES_OF_LEVEL[CaseLevel.SCHOOL]
    )
    return with_people(cases).order_by("-published_on", "-pk")


def get_published_case(pk: int) -> Case | None:
    return published_cases(Organisation.objects.all()).filter(pk=pk).first()


def collection_cases(region: Region, year: int) -> QuerySet[Case]:
    """The region's accepted cases of the academic year: the year's collection."""
    cases = Case.objects.filter(
        organisation__municipality__region=region, academic_year=year, status=CaseStatus.REGION_ACCEPTED
    )
    return with_people(cases.select_related("organisation__municipality")).order_by(
        "organisation__municipality__name", "organisation__short_name", "title", "pk"
    )


def cases_to_review(user: AnyUser) -> QuerySet[Case]:
    """Cases waiting for the user's level to accept or return them (the home page's reminder)."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Case.objects.filter(
            status__in=[CaseStatus.SUBMITTED, CaseStatus.SCHOOL_ACCEPTED, CaseStatus.MUNICIPALITY_ACCEPTED]
        )
    return Case.objects.filter(
        Q(status=CaseStatus.SUBMITTED, organisation_id__in=scopes.staff_organisation_ids)
        | Q(status=CaseStatus.SCHOOL_ACCEPTED, organisation__municipality_id__in=scopes.municipality_ids)
        | Q(
            status=CaseStatus.MUNICIPALITY_ACCEPTED,
            organisation__municipality__region_id__in=scopes.region_ids,
        )
    )
