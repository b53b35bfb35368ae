"""Import target values from a roadmap file (the table «Целевые показатели …») or a
`показатель;2021;2024` text. Idempotent: the same file twice leaves the same targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.monitoring.management.scope_options import add_scope_arguments, user_and_scope
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.services import targets_import
from nastavnik.monitoring.targets_paste import parse_targets


class Command(BaseCommand):
    help = "Загрузить целевые значения показателей из таблицы дорожной карты (TXT/TSV/CSV с «;»)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        add_scope_arguments(parser, user_help="от чьего имени (журнал изменений, права)")

    def handle(self, *args: Any, **options: Any) -> None:
        user, scope = user_and_scope(options)
        table = parse_targets(options["path"].read_text(encoding="utf-8"), list(Indicator.objects.all()))
        for row in table.rows:
            if row.error:
                self.stderr.write(f"строка {row.line}: {row.error} ({row.text[:80]})")
        try:
            written = targets_import(acting_user=user, scope=scope, table=table)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{scope.name}: записано целевых значений — {written}.")
