"""Writes of partners: registering a partner and its agreements, adding a partner's employee to a
school's registry (linked to the partner, optionally the partner's contact) and putting him into a
program as a mentor. Every write checks the acting user, validates and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.access import can_manage_organisation
from nastavnik.orgs.models import Municipality, Organisation, Program
from nastavnik.registry.consents import consent_state
from nastavnik.registry.models import ConsentGiver, Participation, ParticipationRole, Person, PersonKind
from nastavnik.registry.services.people import consent_record, participation_add, person_create

from .access import can_manage_partner, require_manage_partner, visible_partners_for
from .models import Agreement, Partner, PartnerEmployee

PARTNER_FIELDS = frozenset(
    {"kind", "name", "inn", "address", "contact_name", "contact_phone", "contact_email", "notes"}
)
AGREEMENT_FIELDS = frozenset(
    {"number", "signed_on", "starts_on", "ends_on", "subject", "status", "remind_days"}
)


def _only(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def partner_create(
    *,
    acting_user: User,
    owner_organisation: Organisation | None = None,
    owner_municipality: Municipality | None = None,
    **fields: Any,
) -> Partner:
    """A partner of a school (its administration or curator) or of a municipality (its curator)."""
    _only(fields, PARTNER_FIELDS)
    scopes = scopes_of(acting_user)
    if owner_organisation is not None:
        allowed = can_manage_organisation(acting_user, owner_organisation)
    else:
        allowed = owner_municipality is not None and (
            scopes.superuser or owner_municipality.pk in scopes.municipality_ids
        )
    if not allowed:
        raise PermissionDenied(
            "Вносить партнёров могут администрация и кураторы организации или муниципалитета."
        )
    partner = Partner(owner_organisation=owner_organisation, owner_municipality=owner_municipality, **fields)
    partner.inn = partner.inn.strip()
    partner.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        partner.save()
    return partner


def partner_update(*, acting_user: User, partner: Partner, **fields: Any) -> Partner:
    _only(fields, PARTNER_FIELDS)
    require_manage_partner(acting_user, partner)
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        partner.save()
    return partner


def agreement_create(
    *, acting_user: User, partner: Partner, scan: UploadedFile | None = None, **fields: Any
) -> Agreement:
    _only(fields, AGREEMENT_FIELDS)
    require_manage_partner(acting_user, partner)
    agreement = Agreement(partner=partner, created_by=acting_user, **fields)
    if scan is not None:
        agreement.scan = scan
    agreement.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        agreement.save()
    return agreement


def agreement_update(
    *, acting_user: User, agreement: Agreement, scan: UploadedFile | None = None, **fields: Any
) -> Agreement:
    _only(fields, AGREEMENT_FIELDS)
    require_manage_partner(acting_user, agreement.partner)
    old_end = agreement.ends_on
    for name, value in fields.items():
        setattr(agreement, name, value)
    if scan is not None:
        agreement.scan = scan
    if agreement.ends_on != old_end:
        agreement.reminded_for = None  # prolonged: remind again before the new end
    agreement.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        agreement.save()
    return agreement


def employee_add(
    *,
    acting_user: User,
    partner: Partner,
    organisation: Organisation,
    is_contact: bool = False,
    **person_fields: Any,
) -> PartnerEmployee:
    """Add a partner's employee to the registry of the school he will work with, linked to the partner."""
    if not visible_partners_for(acting_user).filter(pk=partner.pk).exists():
        raise PermissionDenied("Партнёр не найден.")
    if partner.owner_organisation_id not in (None, organisation.pk) or (
        partner.owner_municipality_id not in (None, organisation.municipality_id)
    ):
        raise ValidationError("Сотрудника партнёра вносят в базу организации, с которой партнёр работает.")
    with transaction.atomic():
        person = person_create(
            acting_user=acting_user,
            organisation=organisation,
            kind=PersonKind.PARTNER_EMPLOYEE,
            employer=partner.name[:300],
            **person_fields,
        )
        employee = PartnerEmployee(partner=partner, person=person, is_contact=is_contact)
        employee.full_clean()
        with acting_as(acting_user):
            employee.save()
    return employee


def employee_link(*, acting_user: User, partner: Partner, person: Person) -> PartnerEmployee:
    """Link a partner employee already in a school's registry to his partner organisation."""
    if not can_manage_organisation(acting_user, person.organisation_id):
        raise PermissionDenied(
            "Связывать сотрудника с партнёром могут администрация и кураторы его организации."
        )
    if not visible_partners_for(acting_user).filter(pk=partner.pk).exists():
        raise PermissionDenied("Партнёр не найден.")
    if person.kind != PersonKind.PARTNER_EMPLOYEE:
        raise ValidationError("С партнёром связывают только участника вида «сотрудник организации-партнёра».")
    employee = PartnerEmployee.objects.filter(person=person).first() or PartnerEmployee(person=person)
    employee.partner = partner
    employee.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        employee.save()
        if person.employer != partner.name[:300]:
            person.employer = partner.name[:300]
            person.save(update_fields=["employer"])
    return employee


def employee_set_contact(
    *, acting_user: User, employee: PartnerEmployee, is_contact: bool
) -> PartnerEmployee:
    if not (
        can_manage_partner(acting_user, employee.partner)
        or can_manage_organisation(acting_user, employee.person.organisation_id)
    ):
        raise PermissionDenied("Контактное лицо партнёра назначают те, кто ведёт партнёра.")
    employee.is_contact = is_contact
    with transaction.atomic(), acting_as(acting_user):
        employee.save(update_fields=["is_contact"])
    return employee


def employee_make_mentor(
    *,
    acting_user: User,
    employee: PartnerEmployee,
    program: Program,
    consent_signed_on: dt.date | None = None,
    capacity: int | None = None,
    details: str = "",
) -> Participation:
    """Put a partner's employee into a program as a candidate mentor; his consent to processing of
    personal data is recorded first when he has none in force (152-ФЗ)."""
    person: Person = employee.person
    with transaction.atomic():
        if not consent_state(person, local_today(person.organisation)).is_valid:
            if consent_signed_on is None:
                raise ValidationError(
                    f"У {person.full_name} нет согласия на обработку персональных данных: укажите дату, когда он его подписал."
                )
            consent_record(
                acting_user=acting_user,
                subject=person,
                given_by=ConsentGiver.SELF,
                signed_on=consent_signed_on,
            )
        return participation_add(
            acting_user=acting_user,
            program=program,
            person=person,
            role=ParticipationRole.MENTOR,
            capacity=capacity,
            details=details or f"Сотрудник организации-партнёра «{employee.partner.name}»",
        )
