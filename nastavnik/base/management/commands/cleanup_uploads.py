"""Cron: remove uploads held between preview and import for longer than they may wait.

    manage.py cleanup_uploads              # older than HELD_UPLOAD_MAX_AGE_HOURS (24 by default)
    manage.py cleanup_uploads --hours 2

Also removes what earlier versions left where nothing reads it any more: roadmap previews in
MEDIA_ROOT/roadmap-imports/ and class lists in PRIVATE_FILE_ROOT/imports/. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from nastavnik.base.uploads import discard_stale_held


def legacy_upload_folders() -> list[Path]:
    return [Path(settings.MEDIA_ROOT) / "roadmap-imports", Path(settings.PRIVATE_FILE_ROOT) / "imports"]


def discard_legacy_uploads() -> int:
    removed = 0
    for folder in legacy_upload_folders():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


class Command(BaseCommand):
    help = "Удаляет загруженные файлы, которые ждут импорта дольше допустимого, и брошенные файлы прежних версий."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours", type=int, default=None, help="старше скольких часов (по умолчанию из настроек)"
        )

    def handle(self, *args: Any, hours: int | None = None, **options: Any) -> None:
        hours = settings.HELD_UPLOAD_MAX_AGE_HOURS if hours is None else hours
        removed = discard_stale_held(dt.timedelta(hours=hours)) + discard_legacy_uploads()
        self.stdout.write(
            f"Удалено загруженных файлов: {removed} (ждали импорта дольше {hours} ч или брошены)."
        )
