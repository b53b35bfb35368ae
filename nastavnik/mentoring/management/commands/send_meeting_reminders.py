"""python manage.py send_meeting_reminders [--hours 24] [--dry-run]

E-mails the mentor, the mentees (and legal representatives of minor mentees) about meetings
planned within the next hours, and the invited about program events. Idempotent: run it from
cron as often as you like; nobody gets the same reminder twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nastavnik.mentoring.reminders import send_meeting_reminders


class Command(BaseCommand):
    help = "Напоминания о встречах пар (групп) и мероприятиях программ наставничества."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=int, default=24, help="за сколько часов напоминать (по умолчанию 24)"
        )
        parser.add_argument("--dry-run", action="store_true", help="показать, кому ушли бы письма")

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_meeting_reminders(hours=options["hours"], dry_run=options["dry_run"])
        for line in report.lines:
            self.stdout.write(line)
        verb = "было бы отправлено" if options["dry_run"] else "отправлено"
        self.stdout.write(f"Напоминаний {verb}: {report.sent}.")
