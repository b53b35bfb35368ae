"""Each user reads and changes only their own choices, link and messages."""

from __future__ import annotations

from django.db.models import QuerySet

from nastavnik.accounts.access import AnyUser

from .channels import CHANNELS
from .models import Channel, Message, Preference, TelegramLink


def bot_configured() -> bool:
    return CHANNELS[Channel.TELEGRAM].is_configured()


def own_messages_for(user: AnyUser) -> QuerySet[Message]:
    if not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(recipient=user)


def own_link_of(user: AnyUser) -> TelegramLink | None:
    if not user.is_authenticated:
        return None
    return TelegramLink.objects.filter(user=user).first()


def own_choices_of(user: AnyUser) -> dict[tuple[str, str], bool]:
    if not user.is_authenticated:
        return {}
    return {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(user=user)}
