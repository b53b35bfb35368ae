from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.base.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Восстановление из архива manage.py backup в новый, пустой экземпляр: база данных и папки "
        "файлов. Остановите сервер на время восстановления."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="заменить данные непустого экземпляра (они будут потеряны)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        self.stdout.write(
            f"Восстановлено из {options['archive']} (версия {manifest['version']}, {manifest['created_at']}): "
            f"строк {sum(report.counts.values())}, файлов {sum(report.folders.values())}"
        )
        for label, (expected, found) in sorted(report.differences.items()):
            self.stderr.write(f"{label}: в архиве {expected}, в базе {found}")
        if report.differences:
            raise CommandError("Число строк после восстановления не совпадает с архивом.")
