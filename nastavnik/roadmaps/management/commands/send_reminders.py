"""python manage.py send_reminders [--days 7] [--today 2024-01-31] [--dry-run]

E-mails responsibles (people of the registry with an e-mail) and the roadmap's curators before
deadlines and about overdue events. Idempotent: each occurrence is reminded of once per kind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.roadmaps.reminders import send_reminders


class Command(BaseCommand):
    help = "Напоминания ответственным о сроках и просрочках мероприятий дорожных карт."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="за сколько дней напоминать (по умолчанию 7)")
        parser.add_argument("--today", help="дата вместо сегодняшней, ГГГГ-ММ-ДД (для проверки)")
        parser.add_argument("--dry-run", action="store_true", help="показать, кому ушли бы письма")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("Дата --today в формате ГГГГ-ММ-ДД.") from error
        report = send_reminders(days=options["days"], today=today, dry_run=options["dry_run"])
        for line in report.lines:
            self.stdout.write(line)
        verb = "было бы отправлено" if options["dry_run"] else "отправлено"
        self.stdout.write(f"Писем {verb}: {report.sent}; напоминаний: {report.reminders}.")
