from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nastavnik.notifications.access import bot_configured
from nastavnik.notifications.bot import poll_once
from nastavnik.notifications.channels import DeliveryError


class Command(BaseCommand):
    help = (
        "Получает сообщения бота Telegram через getUpdates (вместо вебхука: для сети без входящих "
        "соединений) и привязывает чаты по одноразовым кодам. --once — один раз и выйти."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="обработать накопившееся и выйти")
        parser.add_argument("--timeout", type=int, default=25, help="ожидание новых сообщений, с (25)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not bot_configured():
            raise CommandError("Бот не настроен: задайте TELEGRAM_BOT_TOKEN и TELEGRAM_BOT_NAME.")
        while True:
            try:
                handled = poll_once(0 if options["once"] else options["timeout"])
            except DeliveryError as exc:
                if options["once"]:
                    raise CommandError(str(exc)) from exc
                self.stderr.write(str(exc))
                time.sleep(5)
                continue
            if options["once"]:
                self.stdout.write(f"Обработано сообщений бота: {handled}.")
                return
