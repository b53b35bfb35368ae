from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Печатает демонстрационные учётные записи."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"  Демо-входы (пароль у всех: {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"    {username:<12} — {description}")
