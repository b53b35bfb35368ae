"""Import of an existing roadmap from .docx, .xlsx or text copied out of Word.

    draft = read_roadmap(data, "roadmap.docx", period=Period.parse("2023-2024"))

The result is a `RoadmapDraft` of neutral dataclasses: nothing is saved here. A file that cannot
be read as a roadmap raises `RoadmapImportError` with a Russian message for the user.
"""

from __future__ import annotations

from pathlib import Path

from nastavnik.roadmaps.deadlines import Period

from .assemble import assemble, column_role
from .draft import (
    Approval,
    Column,
    DraftEvent,
    DraftSection,
    Problem,
    RoadmapDraft,
    RoadmapImportError,
    TargetIndicator,
)
from .responsibles import split_person, split_responsibles
from .sources import SUPPORTED, read_source

__all__ = [
    "SUPPORTED",
    "Approval",
    "Column",
    "DraftEvent",
    "DraftSection",
    "Problem",
    "RoadmapDraft",
    "RoadmapImportError",
    "TargetIndicator",
    "column_role",
    "read_roadmap",
    "read_roadmap_file",
    "split_person",
    "split_responsibles",
]


def read_roadmap(data: bytes, filename: str, *, period: Period | None = None) -> RoadmapDraft:
    """Read a roadmap file's bytes; `filename` decides the format by its extension."""
    return assemble(read_source(data, filename), filename=Path(filename).name, period=period)


def read_roadmap_file(path: str | Path, *, period: Period | None = None) -> RoadmapDraft:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RoadmapImportError(f"Не удалось прочитать файл «{path.name}»: {exc.strerror or exc}.") from exc
    return read_roadmap(data, path.name, period=period)
