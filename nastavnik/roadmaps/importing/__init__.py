"""Import of an existing roadmap from .docx, .xlsx or text copied out of Word.

    draft = read_roadmap(data, "roadmap.docx", period=Period.parse("2023-2024"))

The result is a `RoadmapDraft` of neutral dataclasses (all of them in `.draft`): nothing is saved
here. A file that cannot be read as a roadmap raises `RoadmapImportError` with a Russian message
for the user.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from django.conf import settings

from nastavnik.base.guards import MB, UploadRefused, check_size, check_upload
from nastavnik.roadmaps.deadlines import Period

from .assemble import assemble, column_role
from .draft import RoadmapDraft, RoadmapImportError
from .responsibles import split_person, split_responsibles
from .sources import SUPPORTED, read_source

logger = logging.getLogger(__name__)

__all__ = [
    "SUPPORTED",
    "RoadmapDraft",
    "RoadmapImportError",
    "column_role",
    "read_roadmap",
    "read_roadmap_file",
    "split_person",
    "split_responsibles",
]


def read_roadmap(
    data: bytes,
    filename: str,
    *,
    period: Period | None = None,
    list_choices: dict[str, str] | None = None,
    shift_years: int = 0,
) -> RoadmapDraft:
    """Read a roadmap file's bytes; `filename` decides the format by its extension.

    Whatever the file holds, the only exception is `RoadmapImportError` with a Russian message.
    """
    name = Path(filename).name
    try:  # size, the ZIP's directory, rows, columns, cells and text: before any parser sees the file
        check_upload(data, "roadmap", name)
    except UploadRefused as exc:
        raise RoadmapImportError(f"Файл «{name}» не принят. {exc.message}") from None
    try:
        return assemble(
            read_source(data, filename),
            filename=name,
            period=period,
            list_choices=list_choices,
            shift_years=shift_years,
        )
    except RoadmapImportError:
        raise
    except RecursionError as exc:
        raise RoadmapImportError(
            f"Файл «{name}» устроен слишком сложно: таблицы вложены слишком глубоко."
        ) from exc
    except Exception as exc:  # a layout nobody foresaw must still give the user a message, not a crash
        logger.info("Unexpected failure importing the roadmap %r", name, exc_info=True)
        raise RoadmapImportError(
            f"Не удалось разобрать дорожную карту в файле «{name}» ({type(exc).__name__}). "
            "Проверьте, что в файле есть таблица со строкой заголовков («Мероприятие», «Сроки», "
            "«Ответственные»), или сохраните таблицу в новый документ .docx или .xlsx."
        ) from exc


_OS_ERRORS = {
    errno.ENOENT: "файл не найден",
    errno.EACCES: "нет прав на чтение файла",
    errno.EISDIR: "это папка, а не файл",
}


def read_roadmap_file(
    path: str | Path,
    *,
    period: Period | None = None,
    list_choices: dict[str, str] | None = None,
    shift_years: int = 0,
) -> RoadmapDraft:
    path = Path(path)
    try:
        check_size(path.stat().st_size, settings.ROADMAP_UPLOAD_MAX_MB * MB)
        data = path.read_bytes()
    except UploadRefused as exc:
        raise RoadmapImportError(f"Файл «{path.name}» не принят. {exc.message}") from None
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))
        raise RoadmapImportError(f"Не удалось прочитать файл «{path}»: {reason}.") from exc
    return read_roadmap(data, path.name, period=period, list_choices=list_choices, shift_years=shift_years)
