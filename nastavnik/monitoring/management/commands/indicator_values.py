"""Print the indicators of an organisation, a municipality or a region on a date, as JSON lines
(one per indicator): for a scheduled snapshot or a quick check from the console."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nastavnik.monitoring import selectors
from nastavnik.monitoring.management.scope_options import add_scope_arguments, user_and_scope
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION


class Command(BaseCommand):
    help = "Показатели организации, муниципалитета или региона на дату (JSON по строке на показатель)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        user, scope = user_and_scope(options)
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
