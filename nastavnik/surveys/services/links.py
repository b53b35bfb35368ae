"""Personal links of a campaign's responses: issuing them (only a hash of the token is stored),
finding the response of a token, and sending the links and their reminders by e-mail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.names import person_name_in
from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, deliver_messages, notify
from nastavnik.registry.services.people import ensure_can_take_part

from ..access import require_manage_surveys
from ..models import (
    Campaign,
    LinkChannel,
    Response,
    ResponseLink,
    ResponseStatus,
)
from .campaigns import _require_sent

# --- personal links ------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_issue(*, acting_user: User | None, response: Response, channel: str) -> str:
    """A new personal link; returns the token (shown once), stores only its hash.
    Earlier links of the same response keep working until the deadline."""
    if acting_user is not None:
        require_manage_surveys(acting_user, response.campaign.program)
    token = secrets.token_urlsafe(32)
    with transaction.atomic(), acting_as(acting_user):
        ResponseLink.objects.create(
            response=response, token_hash=hash_token(token), channel=channel, created_by=acting_user
        )
    return token


def links_issue(
    *, acting_user: User, campaign: Campaign, channel: str, responses: Iterable[Response] | None = None
) -> list[tuple[Response, str]]:
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if not campaign.is_open():
        raise ValidationError("Срок заполнения истёк: продлите его, чтобы выдать новые ссылки.")
    if responses is None:
        responses = campaign.responses.select_related("respondent", "about_person")
    issued = []
    with transaction.atomic():
        for response in responses:
            if response.campaign_id != campaign.pk:
                raise ValidationError("Анкета из другой рассылки.")
            issued.append((response, link_issue(acting_user=acting_user, response=response, channel=channel)))
    return issued


def link_url(token: str, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse("surveys_public:respond", args=[token])


def response_for_token(token: str) -> Response | None:
    if not token or len(token) > 100:
        return None
    link = (
        ResponseLink.objects.filter(token_hash=hash_token(token))
        .select_related(
            "response__campaign__questionnaire",
            "response__campaign__program__organisation",
            "response__respondent__organisation",
            "response__about_person__organisation",
        )
        .first()
    )
    return link.response if link else None


# --- e-mail: invitations and reminders ------------------------------------------------------------


def _email_of(response: Response) -> str:
    return response.respondent.email.strip()


def _send_link(response: Response, url: str, *, reminder: bool) -> None:
    campaign = response.campaign
    deadline = timezone.localtime(campaign.deadline, ZoneInfo(campaign.program.organisation.timezone))
    about = f" о {person_name_in(response.about_person, 'loct')}" if response.about_person else ""
    subject = (
        f"Напоминание: анкета «{campaign.questionnaire.title}»"
        if reminder
        else f"Анкета «{campaign.questionnaire.title}»"
    )
    body = (
        f"Здравствуйте, {response.respondent.first_name} {response.respondent.middle_name}".rstrip()
        + "!\n\n"
        + f"{campaign.program.organisation.short_name} просит вас заполнить анкету{about} "
        f"«{campaign.questionnaire.title}» (программа «{campaign.program.title}»).\n\n"
        f"Ваша личная ссылка (не пересылайте её другим):\n{url}\n\n"
        f"Заполнить можно до {deadline:%d.%m.%Y} включительно. Ответы сохраняются сразу, "
        "их можно изменить до окончания срока.\n\n"
        "Это письмо отправлено автоматически системой «Наставник»."
    )
    result = notify(
        recipients=[Recipient(person=response.respondent, email=_email_of(response))],
        kind=Kind.NEW_SURVEY,
        subject=subject,
        body=body,
    )
    deliver_messages([m.pk for m in result.queued])


@dataclass
class SendResult:
    sent: int = 0
    without_email: int = 0


def campaign_send_invitations(
    *, acting_user: User, campaign: Campaign, base_url: str | None = None
) -> SendResult:
    """E-mail a personal link to everyone who has an address and has not been invited yet."""
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if not campaign.is_open():
        raise ValidationError("Срок заполнения истёк: продлите его, чтобы разослать приглашения.")
    result = SendResult()
    pending = campaign.responses.filter(invited_at__isnull=True).exclude(status=ResponseStatus.SUBMITTED)
    for response in pending.select_related("respondent", "about_person", "campaign__program__organisation"):
        if not _email_of(response):
            result.without_email += 1
            continue
        with transaction.atomic():
            token = link_issue(acting_user=acting_user, response=response, channel=LinkChannel.EMAIL)
            _send_link(response, link_url(token, base_url), reminder=False)
            response.invited_at = timezone.now()
            with acting_as(acting_user):
                response.save(update_fields=["invited_at", "updated_at"])
        result.sent += 1
    return result


def send_due_reminders(
    *,
    now: dt.datetime | None = None,
    base_url: str | None = None,
    interval: dt.timedelta = dt.timedelta(days=3),
    max_reminders: int = 3,
    dry_run: bool = False,
    log: Callable[[str], None] | None = None,
) -> int:
    """Remind by e-mail everyone invited who has not submitted, at most once per `interval` and
    `max_reminders` times. Idempotent: a second run within the interval sends nothing. People whose
    consent lapsed since are not written to."""
    now = now or timezone.now()
    due = (
        Response.objects.filter(campaign__deadline__gt=now, invited_at__lte=now - interval)
        .exclude(status=ResponseStatus.SUBMITTED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - interval))
        .filter(reminder_count__lt=max_reminders)
        .exclude(respondent__email="")
        .select_related(
            "campaign__program__organisation",
            "campaign__questionnaire",
            "respondent__organisation",
            "about_person__organisation",
        )
        .prefetch_related("respondent__consents", "about_person__consents")
        .order_by("pk")
    )
    sent = 0
    for response in due:
        try:
            ensure_can_take_part(response.subject)
        except ValidationError:
            continue
        if log:
            log(f"{response.campaign.title}: {response.respondent.full_name}")
        if dry_run:
            sent += 1
            continue
        with transaction.atomic():
            # Claim the row first, so two overlapping runs cannot both send.
            claimed = (
                Response.objects.filter(pk=response.pk, reminder_count=response.reminder_count)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - interval))
                .update(reminded_at=now, reminder_count=response.reminder_count + 1)
            )
            if not claimed:
                continue
            token = link_issue(acting_user=None, response=response, channel=LinkChannel.REMINDER)
            _send_link(response, link_url(token, base_url), reminder=True)
        sent += 1
    return sent
