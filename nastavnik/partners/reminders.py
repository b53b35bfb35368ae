"""Renewal reminders for agreements: once per end date, to the administration and curators of the
school (or the municipal curators) whose partner it is, as many days before the end as the
agreement says. Idempotent: `reminded_for` holds the end date already reminded of."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from nastavnik.accounts.models import MANAGER_ROLES, Role, User
from nastavnik.base.time import today_in
from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, deliver_messages, notify

from .models import Agreement, AgreementStatus


def _today_of(agreement: Agreement) -> dt.date:
    partner = agreement.partner
    if partner.owner_organisation is not None:
        return today_in(partner.owner_organisation.timezone)
    assert partner.owner_municipality is not None
    return today_in(partner.owner_municipality.region.timezone)


def _recipients(agreement: Agreement) -> list[User]:
    partner = agreement.partner
    if partner.owner_organisation_id is not None:
        condition = Q(
            role_assignments__organisation_id=partner.owner_organisation_id,
            role_assignments__role__in=MANAGER_ROLES,
        )
    else:
        condition = Q(
            role_assignments__municipality_id=partner.owner_municipality_id,
            role_assignments__role=Role.MUNICIPAL_CURATOR,
        )
    users = User.objects.filter(condition, is_active=True).exclude(email="").distinct()
    return sorted(users, key=lambda u: (u.email, u.pk))


def _notify(agreement: Agreement, recipients: list[User]) -> list[int]:
    """Through the notification layer: e-mail or Telegram as each recipient chose."""
    assert agreement.ends_on is not None
    body = (
        f"Соглашение № {agreement.number} от {agreement.signed_on:%d.%m.%Y} с организацией-партнёром "
        f"«{agreement.partner.name}» действует по {agreement.ends_on:%d.%m.%Y}.\n"
        f"Предмет: {agreement.subject}\n\n"
        "Если сотрудничество продолжается, подготовьте продление соглашения и внесите новый срок в «Наставнике»."
    )
    result = notify(
        recipients=[Recipient(user=user, email=user.email) for user in recipients],
        kind=Kind.AGREEMENT_RENEWAL,
        subject=f"Истекает соглашение с партнёром «{agreement.partner.name}»",
        body=body,
    )
    return [m.pk for m in result.queued]


def send_agreement_reminders(on_date: dt.date | None = None) -> int:
    """Send the reminders due; returns how many agreements were reminded of."""
    candidates = (
        Agreement.objects.filter(status=AgreementStatus.ACTIVE, ends_on__isnull=False)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("ends_on")))
        .select_related("partner__owner_organisation", "partner__owner_municipality__region")
    )
    sent = 0
    queued: list[int] = []
    for agreement in candidates:
        day = on_date or _today_of(agreement)
        if not agreement.renewal_due(day):
            continue
        recipients = _recipients(agreement)
        if recipients:
            queued += _notify(agreement, recipients)
        agreement.reminded_for = agreement.ends_on
        agreement.save(update_fields=["reminded_for"])
        sent += 1
    deliver_messages(queued)
    return sent
