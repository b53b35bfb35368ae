from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from nastavnik.surveys.services.links import send_due_reminders


class Command(BaseCommand):
    help = (
        "Напоминает по e-mail тем, кто получил приглашение, но ещё не отправил анкету. "
        "Повторный запуск в течение интервала ничего не отправляет (можно ставить в cron ежечасно)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval-days", type=int, default=3, help="не чаще, чем раз в N дней (3)")
        parser.add_argument(
            "--max", type=int, default=3, dest="max_reminders", help="не больше N напоминаний (3)"
        )
        parser.add_argument("--base-url", default=None, help="адрес сайта для ссылок (по умолчанию SITE_URL)")
        parser.add_argument("--dry-run", action="store_true", help="только показать, кому будет отправлено")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders(
            base_url=options["base_url"],
            interval=dt.timedelta(days=options["interval_days"]),
            max_reminders=options["max_reminders"],
            dry_run=options["dry_run"],
            log=self.stdout.write if options["verbosity"] > 1 or options["dry_run"] else None,
        )
        verb = "Будет отправлено" if options["dry_run"] else "Отправлено"
        self.stdout.write(f"{verb} напоминаний: {sent}.")
