"""The bot's side: one handler of a Telegram update, shared by the webhook view and the
`telegram_poll` command (getUpdates)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError

from .channels import DeliveryError, telegram_api
from .services import telegram_link, telegram_unlink_chat

OFFSET_KEY = "notifications:telegram-offset"

LINKED = "Готово: уведомления «Наставника» будут приходить сюда. Что получать, выбирается в «Моём кабинете»; отвязать — /stop."
UNLINKED = "Уведомления в этот чат больше не придут."
HELP = "Чтобы получать уведомления, откройте «Мой кабинет» в «Наставнике» и нажмите «Привязать Telegram»."


def _reply(chat_id: str, text: str) -> None:
    # The link is saved either way; the answer is a courtesy.
    with contextlib.suppress(DeliveryError):
        telegram_api("sendMessage", {"chat_id": chat_id, "text": text})


def handle_update(update: dict[str, Any]) -> str:
    """Returns what was done: "linked", "unlinked", "refused" or "ignored"."""
    message = update.get("message") or {}
    chat = message.get("chat") or {}
    text = str(message.get("text") or "").strip()
    if not chat.get("id") or chat.get("type", "private") != "private" or not text.startswith("/"):
        return "ignored"
    chat_id = str(chat["id"])
    command, _, argument = text.partition(" ")
    if command == "/start" and argument.strip():
        username = str((message.get("from") or {}).get("username") or "")
        try:
            telegram_link(code=argument.strip(), chat_id=chat_id, username=username)
        except ValidationError as exc:
            _reply(chat_id, exc.messages[0])
            return "refused"
        _reply(chat_id, LINKED)
        return "linked"
    if command == "/stop":
        telegram_unlink_chat(chat_id)
        _reply(chat_id, UNLINKED)
        return "unlinked"
    _reply(chat_id, HELP)
    return "ignored"


def poll_once(timeout: int = 0) -> int:
    """Read and handle the pending updates (getUpdates); returns how many were handled."""
    offset = cache.get(OFFSET_KEY, 0)
    answer = telegram_api(
        "getUpdates", {"offset": offset, "timeout": timeout, "allowed_updates": ["message"]}
    )
    updates = answer.get("result") or []
    for update in updates:
        handle_update(update)
        cache.set(OFFSET_KEY, int(update["update_id"]) + 1, None)
    return len(updates)
