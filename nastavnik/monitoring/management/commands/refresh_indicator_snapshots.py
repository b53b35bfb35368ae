"""Count and store the indicators of every organisation (or of some) for today, each in its own
time zone: the dashboards of today read these (cron, e.g. every 15 minutes; after imports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nastavnik.monitoring.snapshots import snapshots_refresh
from nastavnik.orgs.models import Organisation


class Command(BaseCommand):
    help = "Пересчитать и сохранить показатели организаций на сегодня (для панелей мониторинга)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", type=int, action="append", help="id организации (можно несколько)"
        )
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="дата (по умолчанию сегодня)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.all()
        if options["organisation"]:
            organisations = organisations.filter(pk__in=options["organisation"])
        stored = snapshots_refresh(organisations, options["date"])
        self.stdout.write(f"Сохранено значений показателей: {stored}.")
