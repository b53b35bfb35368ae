"""Reads of the public «Наставничество» pages (no login): an organisation, a municipality or a
region, and what they may show on a given day — publications whose every featured person has the
consent to dissemination (checked in SQL at every render, so a revoked consent hides them), best
mentors, the programs, the published cases and the program documents. Nothing here reads on
behalf of a user: it returns only what is public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from nastavnik.cases.models import Case
from nastavnik.cases.publicity import CaseText, case_text
from nastavnik.cases.selectors import get_published_case as _get_published_case
from nastavnik.cases.selectors import published_cases
from nastavnik.orgs.models import Municipality, Organisation, Program, Region
from nastavnik.programdocs.selectors import AdoptedDocument, published_documents
from nastavnik.registry.consents import distribution_allowed_q
from nastavnik.registry.models import Person

from .models import Publication, PublicationKind


def public_organisation(pk: int) -> Organisation | None:
    return Organisation.objects.select_related("municipality__region").filter(pk=pk).first()


def public_municipality(pk: int) -> Municipality | None:
    return Municipality.objects.select_related("region").filter(pk=pk).first()


def public_region(pk: int) -> Region | None:
    return Region.objects.filter(pk=pk).first()


def organisation_only(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk=organisation.pk)


def organisations_of_municipality(municipality: Municipality) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality=municipality).order_by("short_name")


def organisations_of_region(region: Region) -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipality__region=region)


def municipalities_of_region(region: Region) -> QuerySet[Municipality]:
    return Municipality.objects.filter(region=region).order_by("name")


def without_unconsented_people(publications: QuerySet[Publication], day: dt.date) -> QuerySet[Publication]:
    """Publications none of whose featured people lacks the consent to dissemination on `day`."""
    consented = Person.objects.filter(distribution_allowed_q(day)).values("pk")
    unconsented = Publication.people.through.objects.filter(publication_id=OuterRef("pk")).exclude(
        person_id__in=consented
    )
    return publications.filter(~Exists(unconsented))


def visible_publications(organisations: QuerySet[Organisation], day: dt.date) -> QuerySet[Publication]:
    """What the public pages of the organisations show on `day`, newest first."""
    publications = Publication.objects.filter(
        organisation__in=organisations, is_published=True, published_on__lte=day
    )
    people = Person.objects.order_by("last_name", "first_name").only(
        "pk", "last_name", "first_name", "middle_name", "organisation_id"
    )
    return (
        without_unconsented_people(publications, day)
        .select_related("organisation")
        .prefetch_related(Prefetch("people", queryset=people))
        .order_by("-published_on", "-pk")
    )


def news(organisations: QuerySet[Organisation], day: dt.date) -> QuerySet[Publication]:
    return visible_publications(organisations, day).exclude(kind=PublicationKind.BEST_MENTOR)


def best_mentors(organisations: QuerySet[Organisation], day: dt.date) -> QuerySet[Publication]:
    """«Лучший наставник» publications that name someone, each shown with the person."""
    return (
        visible_publications(organisations, day)
        .filter(kind=PublicationKind.BEST_MENTOR, people__isnull=False)
        .distinct()
    )


def get_visible_publication(pk: int, day: dt.date) -> Publication | None:
    return visible_publications(Organisation.objects.all(), day).filter(pk=pk).first()


def current_programs(organisation: Organisation, year: int) -> list[Program]:
    """The organisation's programs of the academic year (or, failing that, its latest ones)."""
    programs = Program.objects.filter(organisation=organisation).prefetch_related("forms")
    this_year = list(programs.filter(academic_year=year).order_by("kind", "title"))
    if this_year:
        return this_year
    latest = programs.order_by("-academic_year").values_list("academic_year", flat=True).first()
    return list(programs.filter(academic_year=latest).order_by("kind", "title")) if latest else []


def program_documents(organisation: Organisation) -> list[AdoptedDocument]:
    """The program's adopted documents (Положение, orders, the program) the organisation chose to
    show on its public page (`nastavnik.programdocs`): their titles and orders, never the scans."""
    return published_documents(organisation)


def cases_for(organisations: QuerySet[Organisation]) -> QuerySet[Case]:
    return published_cases(organisations)


def get_published_case(pk: int) -> Case | None:
    return _get_published_case(pk)


@dataclass(frozen=True)
class PublicCase:
    case: Case
    text: CaseText


def public_cases(cases: QuerySet[Case], day: dt.date, limit: int) -> list[PublicCase]:
    return [PublicCase(case, case_text(case, day)) for case in cases[:limit]]
