from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.notifications.services import deliver_due


class Command(BaseCommand):
    help = (
        "Отправляет уведомления из очереди (почта, Telegram) и повторяет неудавшиеся с нарастающей "
        "паузой. Идемпотентна: ставьте в cron каждые несколько минут."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Отправлено уведомлений: {deliver_due()}.")
