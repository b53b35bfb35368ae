from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nastavnik.base.backup import BackupError, backup_create, backup_prune


class Command(BaseCommand):
    help = (
        "Резервная копия: база данных и все папки загруженных файлов в одном архиве .tar.gz "
        "(восстановление — manage.py restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", nargs="?", type=Path, help="файл архива (или --dir)")
        parser.add_argument("--dir", type=Path, help="папка: архив nastavnik-ГГГГММДД-ЧЧММСС.tar.gz в ней")
        parser.add_argument("--keep", type=int, help="с --dir: оставить столько последних архивов")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="база в формате Django (XML): восстанавливается на другой СУБД (переезд с SQLite на PostgreSQL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path | None = options["archive"]
        directory: Path | None = options["dir"]
        if (archive is None) == (directory is None):
            raise CommandError("Укажите файл архива или --dir ПАПКА.")
        if directory is not None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - the server's own clock names the file
            archive = directory / f"nastavnik-{stamp}.tar.gz"
        assert archive is not None
        try:
            manifest = backup_create(archive, portable=options["portable"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        files = sum(manifest["folders"].values())
        self.stdout.write(f"{archive}: {manifest['engine']}, строк {rows}, файлов {files}")
        if directory is not None and options["keep"]:
            for old in backup_prune(directory, options["keep"]):
                self.stdout.write(f"удалён старый архив {old}")
