"""Print the indicators of an organisation, a municipality or a region on a date, as JSON lines
(one per indicator): for a scheduled snapshot or a quick check from the console."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.accounts.models import User
from nastavnik.monitoring import selectors
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.scopes import LEVELS, MUNICIPALITY, ORGANISATION


class Command(BaseCommand):
    help = "Показатели организации, муниципалитета или региона на дату (JSON по строке на показатель)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None)
        for level in LEVELS:
            parser.add_argument(f"--{level}", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = [(level, options[level]) for level in LEVELS if options.get(level)]
        if len(chosen) != 1:
            raise CommandError("Укажите ровно одно из --organisation, --municipality, --region.")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Нет пользователя {options['user']}.")
        try:
            scope = get_scope_for_user(user, *chosen[0])
        except Exception as exc:
            raise CommandError("Этот уровень пользователю не виден.") from exc
        day = options["date"] or scope.today()
        if scope.level == ORGANISATION:
            cells = selectors.organisation_dashboard(user, scope, day).cells
        elif scope.level == MUNICIPALITY:
            cells = selectors.municipality_dashboard(user, scope, day).total
        else:
            cells = selectors.region_dashboard(user, scope, day).total
        for cell in cells:
            value = cell.measure.value
            self.stdout.write(
                json.dumps(
                    {
                        "scope": scope.name,
                        "date": day.isoformat(),
                        "indicator": cell.indicator.code,
                        "numerator": cell.measure.numerator,
                        "denominator": cell.measure.denominator,
                        "value": str(value) if value is not None else None,
                        "target": str(cell.target.value) if cell.target else None,
                        "status": cell.status,
                    },
                    ensure_ascii=False,
                )
            )
