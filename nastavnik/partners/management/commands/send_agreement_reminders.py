"""Cron: `manage.py send_agreement_reminders` daily — reminds of agreements with partners that end
soon (each agreement's own «напомнить за N дней»), once per end date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.partners.reminders import send_agreement_reminders


class Command(BaseCommand):
    help = "Напоминания о продлении соглашений с партнёрами, срок которых скоро истекает."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_agreement_reminders()
        self.stdout.write(f"Напоминаний о соглашениях: {sent}")
