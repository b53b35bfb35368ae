"""Channels: how a message leaves the system. Each channel knows the address of a user (or of
a person without an account, for e-mail) and delivers one message or raises `DeliveryError`.
Adding VK or another messenger is one more class here and one more `Channel` choice."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail

from nastavnik.accounts.models import User

from .models import Channel as ChannelCode
from .models import Message, TelegramLink


class DeliveryError(Exception):
    pass


class Channel(Protocol):
    code: str

    def is_configured(self) -> bool: ...

    def address_of(self, user: User | None, email: str) -> str: ...

    def deliver(self, message: Message) -> None: ...


class EmailChannel:
    code: str = ChannelCode.EMAIL

    def is_configured(self) -> bool:
        return True

    def address_of(self, user: User | None, email: str) -> str:
        return email or (user.email if user is not None else "")

    def deliver(self, message: Message) -> None:
        try:
            send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address])
        except Exception as exc:  # noqa: BLE001 - any transport error is retried later
            raise DeliveryError(str(exc) or exc.__class__.__name__) from exc


def telegram_api(method: str, payload: dict) -> dict:
    """One call of the Bot API (`TELEGRAM_API_BASE`, the real one by default; tests point it at
    a local fake)."""
    token = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise DeliveryError("Бот Telegram не настроен (TELEGRAM_BOT_TOKEN).")
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/{method}"
    request = urllib.request.Request(  # noqa: S310 - the configured https API (or the test's fake)
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.TELEGRAM_TIMEOUT) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"Telegram ответил {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise DeliveryError(f"Telegram недоступен: {exc}") from exc
    if not answer.get("ok"):
        raise DeliveryError(f"Telegram: {answer.get('description', 'ошибка')}")
    return answer


class TelegramChannel:
    code: str = ChannelCode.TELEGRAM

    def is_configured(self) -> bool:
        return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_BOT_NAME)

    def address_of(self, user: User | None, email: str) -> str:
        if user is None or not self.is_configured():
            return ""
        link = TelegramLink.objects.filter(user=user).first()
        return link.chat_id if link else ""

    def deliver(self, message: Message) -> None:
        text = f"{message.subject}\n\n{message.body}"[:4000]
        telegram_api("sendMessage", {"chat_id": message.address, "text": text})


CHANNELS: dict[str, Channel] = {ChannelCode.EMAIL: EmailChannel(), ChannelCode.TELEGRAM: TelegramChannel()}
