"""Import target values from a roadmap file (the table «Целевые показатели …») or a
`показатель;2021;2024` text. Idempotent: the same file twice leaves the same targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.accounts.models import User
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import LEVELS
from nastavnik.monitoring.services import targets_import
from nastavnik.monitoring.targets_paste import parse_targets


class Command(BaseCommand):
    help = "Загрузить целевые значения показателей из таблицы дорожной карты (TXT/TSV/CSV с «;»)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="от чьего имени (журнал изменений, права)")
        for level in LEVELS:
            parser.add_argument(f"--{level}", type=int, help=f"id: {level}")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = [(level, options[level]) for level in LEVELS if options.get(level)]
        if len(chosen) != 1:
            raise CommandError("Укажите ровно одно из --organisation, --municipality, --region.")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Нет пользователя {options['user']}.")
        level, pk = chosen[0]
        try:
            scope = get_scope_for_user(user, level, pk)
        except Exception as exc:
            raise CommandError(f"{user} не видит этот уровень: {level} {pk}.") from exc
        table = parse_targets(options["path"].read_text(encoding="utf-8"), list(Indicator.objects.all()))
        for row in table.rows:
            if row.error:
                self.stderr.write(f"строка {row.line}: {row.error} ({row.text[:80]})")
        try:
            written = targets_import(acting_user=user, scope=scope, table=table)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{scope.name}: записано целевых значений — {written}.")
