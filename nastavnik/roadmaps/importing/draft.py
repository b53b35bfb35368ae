"""What the importer read: neutral dataclasses, independent of Django models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nastavnik.roadmaps.deadlines import ParsedDeadline, Period


class RoadmapImportError(Exception):
    """A file that cannot be read as a roadmap. The message is Russian and meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Roles a table column can play.
NUMBER = "number"
SECTION = "section"
TITLE = "title"
CONTENT = "content"
DEADLINE = "deadline"
RESPONSIBLE = "responsible"
RESPONSIBLE_MUNICIPAL = "responsible_municipal"
RESPONSIBLE_ORG = "responsible_org"
EXPECTED_RESULT = "expected_result"
INDICATOR = "indicator"
NOTES = "notes"
TARGET_NAME = "target_name"
TARGET_VALUE = "target_value"
OTHER = "other"

ROLE_LABELS = {
    NUMBER: "№ п/п",
    SECTION: "Раздел (этап, направление)",
    TITLE: "Мероприятие",
    CONTENT: "Содержание",
    DEADLINE: "Сроки",
    RESPONSIBLE: "Ответственные",
    RESPONSIBLE_MUNICIPAL: "Ответственные (муниципальный уровень)",
    RESPONSIBLE_ORG: "Ответственные (ОО)",
    EXPECTED_RESULT: "Ожидаемый результат",
    INDICATOR: "Показатели эффективности",
    NOTES: "Примечание",
    OTHER: "Не распознан",
}


@dataclass(frozen=True)
class Approval:
    """The approval block: «УТВЕРЖДАЮ Директор … С.Н. Демаков «09» ноября 2020 г.» or an order."""

    text: str
    position: str = ""
    name: str = ""
    approved_on: date | None = None
    order: str = ""


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class DraftSection:
    number: str | None
    title: str
    deadline_text: str = ""
    source: str = ""
    units: tuple[int, ...] = ()


# What a source line became (the preview accounts for every non-empty line)
LINE_EVENT = "event"
LINE_SECTION = "section"
LINE_HEADER = "header"
LINE_NOTE = "note"
LINE_IGNORED = "ignored"
LINE_KIND_LABELS = {
    LINE_EVENT: "мероприятие",
    LINE_SECTION: "раздел",
    LINE_HEADER: "заголовок",
    LINE_NOTE: "дописано к мероприятию",
    LINE_IGNORED: "пропущено",
}


@dataclass(frozen=True)
class LineUse:
    """One non-empty line (a paragraph or a table row of Word and Excel) and what it became."""

    unit: int
    source: str
    text: str
    kind: str
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return LINE_KIND_LABELS[self.kind]


# A row whose cell holds a list: one event per item («split») or one event with the list («whole»)
SPLIT = "split"
WHOLE = "whole"


@dataclass(frozen=True)
class DraftEvent:
    number: str | None
    section: str | None
    title: str
    content: str
    deadline_text: str
    deadline: ParsedDeadline
    responsible: tuple[str, ...] = ()
    responsible_municipal: tuple[str, ...] = ()
    responsible_org: tuple[str, ...] = ()
    expected_result: str = ""
    indicator: str = ""
    notes: str = ""
    source: str = ""
    source_line: int = 0
    units: tuple[int, ...] = ()
    # a row whose title or content cell is a list: its key, and how it was read (SPLIT or WHOLE)
    list_row: str = ""
    list_choice: str = ""

    @property
    def needs_deadline(self) -> bool:
        """No deadline in the document: the curator fills it in after the import."""
        return not self.deadline_text.strip()

    @property
    def all_responsible(self) -> tuple[str, ...]:
        return (*self.responsible_municipal, *self.responsible, *self.responsible_org)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "section": self.section,
            "title": self.title,
            "content": self.content,
            "deadline_text": self.deadline_text,
            "starts_on": self.deadline.starts_on.isoformat() if self.deadline.starts_on else None,
            "ends_on": self.deadline.ends_on.isoformat() if self.deadline.ends_on else None,
            "recurrence": self.deadline.recurrence,
            "responsible": list(self.all_responsible),
            "expected_result": self.expected_result,
            "indicator": self.indicator,
        }


@dataclass(frozen=True)
class TargetIndicator:
    """A row of a «Целевые показатели» table that some roadmaps append."""

    number: str | None
    name: str
    values: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Problem:
    source: str
    message: str


@dataclass
class RoadmapDraft:
    title: str
    source_format: str
    approval: Approval | None = None
    period: Period | None = None
    period_source: str = ""
    columns: list[Column] = field(default_factory=list)
    sections: list[DraftSection] = field(default_factory=list)
    events: list[DraftEvent] = field(default_factory=list)
    targets: list[TargetIndicator] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: list[LineUse] = field(default_factory=list)
    # the years the deadlines were moved by («перенести на этот учебный год»)
    shifted_years: int = 0
    # the curator's choice per row holding a list (SPLIT or WHOLE), by the row's source
    list_choices: dict[str, str] = field(default_factory=dict)

    @property
    def lines_parsed(self) -> int:
        return sum(1 for line in self.lines if line.kind != LINE_IGNORED)

    @property
    def ignored_lines(self) -> list[LineUse]:
        return [line for line in self.lines if line.kind == LINE_IGNORED]

    @property
    def without_deadline(self) -> list[DraftEvent]:
        return [e for e in self.events if e.needs_deadline]

    @property
    def list_rows(self) -> dict[str, str]:
        """The rows holding a list, by key, with how each is read now."""
        return {e.list_row: e.list_choice for e in self.events if e.list_row}

    @property
    def has_municipal_level(self) -> bool:
        return any(c.role == RESPONSIBLE_MUNICIPAL for c in self.columns)

    @property
    def not_understood(self) -> list[DraftEvent]:
        return [e for e in self.events if not e.deadline.understood]

    def to_json_dict(self) -> dict[str, Any]:
        return {"title": self.title, "events": [e.to_json_dict() for e in self.events]}
