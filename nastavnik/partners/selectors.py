"""Reads of partners for the pages and for the apps above (monitoring's counted indicators, the
school's home page): lists with their counts in a fixed number of queries, agreements due for
renewal, and the figures «доля партнёров, предоставивших наставников» and «число соглашений»."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from nastavnik.accounts.access import AnyUser
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.models import Participation, ParticipationRole

from .access import visible_agreements_for, visible_partners_for
from .models import Agreement, AgreementStatus, Partner, PartnerEmployee


def partner_list(user: AnyUser) -> QuerySet[Partner]:
    return (
        visible_partners_for(user)
        .select_related("owner_organisation", "owner_municipality")
        .annotate(
            employee_count=Count("employees", distinct=True),
            agreement_count=Count("agreements", distinct=True),
        )
        .order_by("name", "pk")
    )


def agreement_list(user: AnyUser) -> QuerySet[Agreement]:
    return visible_agreements_for(user).select_related("partner").order_by("-signed_on", "-pk")


def partner_agreements(partner: Partner) -> list[Agreement]:
    return list(partner.agreements.order_by("-signed_on", "-pk"))


def partner_employees(partner: Partner) -> list[PartnerEmployee]:
    return list(
        partner.employees.select_related("person__organisation").order_by(
            "person__last_name", "person__first_name"
        )
    )


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": AgreementStatus.ACTIVE, f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


def renewal_due_agreements(agreements: QuerySet[Agreement], day: dt.date) -> list[Agreement]:
    """Active agreements ending within their reminder period (from `day` on), soonest first."""
    rows = agreements.filter(
        status=AgreementStatus.ACTIVE, ends_on__isnull=False, ends_on__gte=day
    ).select_related("partner__owner_organisation", "partner__owner_municipality")
    return sorted((a for a in rows if a.renewal_due(day)), key=lambda a: (a.ends_on, a.pk))


def renewal_due_for(user: AnyUser, day: dt.date) -> list[Agreement]:
    return renewal_due_agreements(visible_agreements_for(user), day)


@dataclass(frozen=True)
class PartnerFigures:
    partners: int
    with_mentors: int
    agreements: int

    @property
    def share_with_mentors(self) -> int:
        return round(100 * self.with_mentors / self.partners) if self.partners else 0


def partners_within(organisation_ids: QuerySet, municipality_ids: QuerySet) -> QuerySet[Partner]:
    return Partner.objects.filter(
        Q(owner_organisation_id__in=organisation_ids) | Q(owner_municipality_id__in=municipality_ids)
    )


def partner_figures(partners: QuerySet[Partner], day: dt.date) -> PartnerFigures:
    """How many partners, how many gave mentors to a program of the academic year of `day`, and
    how many agreements with them are in force on `day`: two queries."""
    year = academic_year_of(day)
    mentors = Participation.objects.filter(
        role=ParticipationRole.MENTOR,
        program__academic_year=year,
        person__partner_employment__partner=OuterRef("pk"),
    )
    counted = partners.order_by().aggregate(
        partners=Count("pk"), with_mentors=Count("pk", filter=Exists(mentors))
    )
    return PartnerFigures(
        partners=counted["partners"],
        with_mentors=counted["with_mentors"],
        agreements=Agreement.objects.filter(in_force_q(day), partner__in=partners).count(),
    )


def programs_for_employee(organisations: QuerySet) -> QuerySet:
    """Programs a partner's employee may mentor in: those of the schools the user adds him to."""
    from nastavnik.orgs.models import Program

    return (
        Program.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("-academic_year", "title")
    )


def employment_of(person: Any) -> PartnerEmployee | None:
    return PartnerEmployee.objects.filter(person=person).select_related("partner").first()
