"""Who sees and manages partners and their agreements.

A school's administration and curators manage the school's own partners and read their
municipality's; a municipal curator manages the municipality's partners and reads those of its
schools; the regional centre reads all of its region. A partner's contact (an employee of the
partner marked as its contact, signed in with his own account) reads only his partner."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.orgs.models import Municipality, Organisation
from nastavnik.registry.models import Person

from .models import Agreement, Partner, PartnerEmployee


def _scope_condition(user: AnyUser, prefix: str = "") -> Q:
    scopes = scopes_of(user)
    staff = scopes.staff_organisation_ids
    municipalities = Organisation.objects.filter(pk__in=staff).values("municipality_id")
    return (
        Q(**{f"{prefix}owner_organisation_id__in": staff})
        | Q(**{f"{prefix}owner_municipality_id__in": municipalities})
        | Q(**{f"{prefix}owner_organisation__municipality_id__in": scopes.municipality_ids})
        | Q(**{f"{prefix}owner_municipality_id__in": scopes.municipality_ids})
        | Q(**{f"{prefix}owner_organisation__municipality__region_id__in": scopes.region_ids})
        | Q(**{f"{prefix}owner_municipality__region_id__in": scopes.region_ids})
    )


def visible_partners_for(user: AnyUser) -> QuerySet[Partner]:
    if not user.is_authenticated:
        return Partner.objects.none()
    if scopes_of(user).superuser:
        return Partner.objects.all()
    return Partner.objects.filter(
        _scope_condition(user) | Q(employees__is_contact=True, employees__person__user=user)
    ).distinct()


def get_partner_for_user(user: AnyUser, pk: int) -> Partner:
    try:
        return (
            visible_partners_for(user).select_related("owner_organisation", "owner_municipality").get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Партнёр не найден") from exc


def can_manage_partner(user: AnyUser, partner: Partner) -> bool:
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if partner.owner_organisation_id is not None:
        return partner.owner_organisation_id in scopes.staff_organisation_ids
    return partner.owner_municipality_id in scopes.municipality_ids


def require_manage_partner(user: AnyUser, partner: Partner) -> None:
    require(
        can_manage_partner(user, partner), "Партнёра ведёт организация или муниципалитет, которые его внесли."
    )


def can_register_partners(user: AnyUser) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(scopes.staff_organisation_ids or scopes.municipality_ids)


def visible_agreements_for(user: AnyUser) -> QuerySet[Agreement]:
    return Agreement.objects.filter(partner__in=visible_partners_for(user))


def get_agreement_for_user(user: AnyUser, pk: int) -> Agreement:
    try:
        return visible_agreements_for(user).select_related("partner").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Соглашение не найдено") from exc


def contact_employee_people(user: AnyUser) -> QuerySet[Person]:
    """The employees of the partners whose contact the user is (himself included); none otherwise."""
    if not user.is_authenticated:
        return Person.objects.none()
    return Person.objects.filter(
        partner_employment__partner__employees__is_contact=True,
        partner_employment__partner__employees__person__user=user,
    )


def is_partner_contact(user: AnyUser) -> bool:
    return (
        user.is_authenticated
        and Partner.objects.filter(employees__is_contact=True, employees__person__user=user).exists()
    )


def get_employee_for_user(user: AnyUser, partner: Partner, pk: int) -> PartnerEmployee:
    try:
        return PartnerEmployee.objects.select_related("person__organisation", "partner").get(
            pk=pk, partner=partner
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Сотрудник не найден") from exc


def employee_organisations_for(user: AnyUser, partner: Partner) -> QuerySet[Organisation]:
    """Schools into whose registry the user may add this partner's employees."""
    scopes = scopes_of(user)
    managed = (
        Organisation.objects.all()
        if scopes.superuser
        else Organisation.objects.filter(pk__in=scopes.staff_organisation_ids)
    )
    if partner.owner_organisation_id is not None:
        return managed.filter(pk=partner.owner_organisation_id)
    return managed.filter(municipality_id=partner.owner_municipality_id or 0)


def owner_choices_for(user: AnyUser) -> tuple[QuerySet[Organisation], QuerySet[Municipality]]:
    """Where the user may register a partner: schools he manages, municipalities he curates."""
    from nastavnik.orgs.access import curated_municipalities_for, managed_organisations_for

    return managed_organisations_for(user), curated_municipalities_for(user)


def user_today(user: AnyUser) -> dt.date:
    """«Today» in the time zone of the user's own organisation (or municipality, region)."""
    from nastavnik.base.time import today_in

    scopes = scopes_of(user)
    organisation = Organisation.objects.filter(pk__in=scopes.member_organisation_ids).only("timezone").first()
    if organisation is not None:
        return today_in(organisation.timezone)
    municipality = (
        Municipality.objects.filter(Q(pk__in=scopes.municipality_ids) | Q(region_id__in=scopes.region_ids))
        .select_related("region")
        .first()
    )
    return today_in(municipality.region.timezone if municipality else "Europe/Moscow")
