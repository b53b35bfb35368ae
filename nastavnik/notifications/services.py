"""Writes: putting messages into the outbox (`notify`), sending and retrying them (`deliver_due`),
the user's choices, and linking and unlinking Telegram.

The consent rule: a message to a minor (or to a learner whose age is unknown) goes out only
while the 152-ФЗ consent to processing is valid (`registry.consents`); without it nothing is
queued on any channel. A parent's message about their child is the parent's, not the child's."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as, create_many
from nastavnik.base.time import today_in
from nastavnik.registry.consents import age_group, consent_state
from nastavnik.registry.models import Person

from .channels import CHANNELS, DeliveryError
from .models import Channel, Kind, LinkCode, Message, Preference, Status, TelegramLink
from .tasks import deliver_task

# Minutes to wait after the 1st, 2nd, … failed attempt; after the last the message is given up.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
LINK_CODE_MINUTES = 30


@dataclass(frozen=True)
class Recipient:
    """Who a message is for: a user, a person of the registry (maybe without an account), or
    just an e-mail address (a curator's address from a roadmap)."""

    user: User | None = None
    person: Person | None = None
    email: str = ""

    @property
    def account(self) -> User | None:
        if self.user is not None:
            return self.user
        return self.person.user if self.person is not None else None

    @property
    def address(self) -> str:
        if self.email:
            return self.email
        if self.person is not None and self.person.email:
            return self.person.email
        account = self.account
        return account.email if account is not None else ""


@dataclass
class NotifyResult:
    queued: list[Message] = field(default_factory=list)
    without_consent: int = 0


def may_receive(person: Person | None, on_date: dt.date | None = None) -> bool:
    """The same consent rule as everything else: a minor needs a valid processing consent."""
    if person is None:
        return True
    day = on_date or today_in(person.organisation.timezone if person.organisation_id else None)
    if age_group(person, day) == "adult":
        return True
    return consent_state(person, day).is_valid


def schedule_delivery(message_ids: list[int]) -> None:
    """Send soon: a task of the project's runner once the transaction commits (the worker sends;
    retries are the `send_notifications` cron's)."""
    if message_ids:
        transaction.on_commit(partial(deliver_task.enqueue, message_ids))


def notify(*, recipients: Iterable[Recipient], kind: str, subject: str, body: str) -> NotifyResult:
    """Queue one message per recipient on every channel they chose and have an address for."""
    return notify_each(kind=kind, messages=[(recipient, subject, body) for recipient in recipients])


def notify_each(*, kind: str, messages: Sequence[tuple[Recipient, str, str]]) -> NotifyResult:
    """Queue messages, each a (recipient, subject, body) of its own (e.g. one per person of a
    confirmed matching), on every channel the recipient chose and has an address for. The consent
    rule, choices and addresses are read for all recipients together, so the number of queries
    does not grow with them; one delivery task for all the messages queued."""
    result = NotifyResult()
    now = timezone.now()
    people = [r.person for r, _, _ in messages if r.person is not None]
    # What may_receive and Recipient.account read per person (skipped where already loaded).
    prefetch_related_objects(people, "organisation", "consents", "user")
    accounts = {a.pk: a for a in (r.account for r, _, _ in messages) if a is not None}
    chosen: dict[tuple[int, str], bool] = {}
    for user_id, channel_code, enabled in (
        Preference.objects.filter(user__in=list(accounts), kind=kind)
        .order_by("pk")
        .values_list("user_id", "channel", "enabled")
    ):
        chosen.setdefault((user_id, channel_code), enabled)  # the first row decides
    configured = {code: channel for code, channel in CHANNELS.items() if channel.is_configured()}
    chat_ids: dict[int, str] = {}
    if Channel.TELEGRAM in configured:  # TelegramChannel.address_of for every account at once
        chat_ids = dict(
            TelegramLink.objects.filter(user__in=list(accounts))
            .order_by("pk")
            .values_list("user_id", "chat_id")
        )
    for recipient, subject, body in messages:
        if not may_receive(recipient.person):
            result.without_consent += 1
            continue
        account = recipient.account
        for code, channel in configured.items():
            if account is None:
                if code != Channel.EMAIL:  # without an account: e-mail only
                    continue
            elif not chosen.get((account.pk, code), True):
                continue
            if code == Channel.EMAIL:
                address = recipient.address
            elif code == Channel.TELEGRAM:
                address = chat_ids.get(account.pk, "") if account is not None else ""
            else:
                address = channel.address_of(account, "")
            if address:
                result.queued.append(
                    Message(
                        recipient=account,
                        address=address,
                        channel=code,
                        kind=kind,
                        subject=subject[:300],
                        body=body,
                        next_attempt_at=now,
                    )
                )
    # create_many: the ids for the delivery task in one statement on PostgreSQL and a few on
    # SQLite, where bulk_create sends one per hundred messages (a confirmed matching queues thousands).
    create_many(result.queued)
    schedule_delivery([m.pk for m in result.queued if m.pk])
    return result


def _attempt(message: Message, now: dt.datetime) -> None:
    try:
        CHANNELS[message.channel].deliver(message)
    except DeliveryError as exc:
        message.attempts += 1
        message.last_error = str(exc)[:500]
        if message.attempts >= MAX_ATTEMPTS:
            message.status, message.next_attempt_at = Status.FAILED, None
        else:
            message.next_attempt_at = now + dt.timedelta(minutes=BACKOFF_MINUTES[message.attempts - 1])
    else:
        message.attempts += 1
        message.status, message.sent_at, message.next_attempt_at = Status.SENT, now, None
        message.last_error = ""
    message.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])


def deliver_messages(message_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Try the given pending messages that are due; returns how many went out."""
    moment = now or timezone.now()
    due = Message.objects.filter(pk__in=list(message_ids), status=Status.PENDING, next_attempt_at__lte=moment)
    return _deliver(due, moment)


def deliver_due(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send what is due (new messages and retries); the `send_notifications` command."""
    moment = now or timezone.now()
    due = Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=moment)
    return _deliver(due.order_by("next_attempt_at", "pk")[:limit], moment)


def _deliver(due: Iterable[Message], moment: dt.datetime) -> int:
    sent = 0
    for message in due:
        # Claim the row, so two overlapping runs never send one message twice.
        claimed = Message.objects.filter(
            pk=message.pk, status=Status.PENDING, attempts=message.attempts
        ).update(next_attempt_at=moment + dt.timedelta(minutes=BACKOFF_MINUTES[0]))
        if not claimed:
            continue
        _attempt(message, moment)
        sent += message.status == Status.SENT
    return sent


# --- choices ----------------------------------------------------------------------------------------


def preferences_set(*, acting_user: User, chosen: set[tuple[str, str]]) -> None:
    """`chosen`: the (kind, channel) pairs the user wants; every other pair is switched off."""
    with transaction.atomic(), acting_as(acting_user):
        for kind in Kind.values:
            for channel in Channel.values:
                enabled = (kind, channel) in chosen
                Preference.objects.update_or_create(
                    user=acting_user, kind=kind, channel=channel, defaults={"enabled": enabled}
                )


# --- Telegram -----------------------------------------------------------------------------------------


def telegram_link_code(*, acting_user: User) -> LinkCode:
    """A fresh one-time code for the bot's deep link; the user's earlier unused codes stop working."""
    now = timezone.now()
    with transaction.atomic(), acting_as(acting_user):
        LinkCode.objects.filter(user=acting_user, used_at__isnull=True).delete()
        return LinkCode.objects.create(
            user=acting_user,
            code=secrets.token_urlsafe(24),
            expires_at=now + dt.timedelta(minutes=LINK_CODE_MINUTES),
        )


def telegram_link(*, code: str, chat_id: str, username: str = "") -> TelegramLink:
    """The bot received `/start <code>` from a chat: link that chat to the code's user."""
    now = timezone.now()
    with transaction.atomic():
        row = LinkCode.objects.select_for_update().filter(code=code).select_related("user").first()
        if row is None or row.used_at is not None or row.expires_at < now or not row.user.is_active:
            raise ValidationError("Код привязки не найден или устарел: получите новый в «Моём кабинете».")
        row.used_at = now
        row.save(update_fields=["used_at"])
        with acting_as(row.user):
            TelegramLink.objects.filter(chat_id=chat_id).exclude(user=row.user).delete()
            link, _ = TelegramLink.objects.update_or_create(
                user=row.user, defaults={"chat_id": chat_id, "username": username[:100]}
            )
    return link


def telegram_unlink(*, acting_user: User) -> bool:
    with transaction.atomic(), acting_as(acting_user):
        links = list(TelegramLink.objects.filter(user=acting_user))
        for link in links:
            link.delete()
        Message.objects.filter(recipient=acting_user, channel=Channel.TELEGRAM, status=Status.PENDING).update(
            status=Status.FAILED, next_attempt_at=None, last_error="Telegram отвязан"
        )
    return bool(links)


def telegram_unlink_chat(chat_id: str) -> bool:
    """The person wrote /stop to the bot."""
    link = TelegramLink.objects.filter(chat_id=chat_id).select_related("user").first()
    return telegram_unlink(acting_user=link.user) if link else False
