"""Reading a pasted table of target values, as roadmaps print it:

    № п/п	Наименование показателя	2021 год	2024 год
    1.	Доля детей в возрасте от 11 до 18 лет, вошедших … в роли наставляемого, … %	12,5 %	15 %

or the short form `показатель;2021;2024` / `mentees-11-18;12,5;15`. Cells are split by tabs
(copied from Word or Excel) or by semicolons. A row names its indicator by code, by name or by
a wording known as an alias; names are compared without the school's own name and abbreviations.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .models import Indicator

YEAR_RE = re.compile(r"^(20\d\d)\s*(г\.?|год)?$", re.IGNORECASE)
NUMBER_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%?$")
ROW_NUMBER_RE = re.compile(r"^\d+(\.\d+)*\.?$")
QUOTED_RE = re.compile(r"«[^»]*»|\"[^\"]*\"")
ABBREVIATION_RE = re.compile(r"\b[А-ЯЁA-Z]{2,}\b")
SCHOOL_NUMBER_RE = re.compile(r"№\s*\d+")
NOT_WORD_RE = re.compile(r"[^\w]+")
FUZZY_THRESHOLD = 0.75


def normalise(text: str) -> str:
    text = QUOTED_RE.sub(" ", text)
    text = SCHOOL_NUMBER_RE.sub(" ", text)
    text = ABBREVIATION_RE.sub(" ", text)
    text = text.lower().replace("ё", "е")
    return " ".join(NOT_WORD_RE.sub(" ", text).split())


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def parse_number(cell: str) -> Decimal | None:
    match = NUMBER_RE.match(cell.strip().replace("\xa0", " "))
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:
        return None


@dataclass
class PastedRow:
    line: int
    text: str
    indicator: Indicator | None
    values: dict[int, Decimal] = field(default_factory=dict)
    error: str = ""


@dataclass
class PastedTable:
    years: list[int]
    rows: list[PastedRow]
    errors: list[str]

    @property
    def matched(self) -> list[PastedRow]:
        return [r for r in self.rows if r.indicator is not None and r.values and not r.error]

    @property
    def count(self) -> int:
        return sum(len(r.values) for r in self.matched)


def _split(line: str) -> list[str]:
    separator = "\t" if "\t" in line else ";"
    return [cell.strip() for cell in line.split(separator)]


class IndicatorMatcher:
    def __init__(self, indicators: Sequence[Indicator]) -> None:
        self.by_code = {i.code.lower(): i for i in indicators}
        self.wordings: list[tuple[str, Indicator]] = []
        for indicator in indicators:
            for wording in [indicator.name, indicator.short_name, *indicator.aliases.splitlines()]:
                if wording.strip():
                    self.wordings.append((normalise(wording), indicator))

    def match(self, text: str) -> Indicator | None:
        if text.strip().lower() in self.by_code:
            return self.by_code[text.strip().lower()]
        wanted = normalise(text)
        if not wanted:
            return None
        contained = [(len(w), i) for w, i in self.wordings if w and (w in wanted or wanted in w)]
        if contained:
            return max(contained, key=lambda pair: pair[0])[1]
        best: tuple[float, Indicator | None] = (0.0, None)
        for wording, indicator in self.wordings:
            if _numbers(wording) != _numbers(wanted):  # 11–18 is not 10–19
                continue
            ratio = difflib.SequenceMatcher(None, wording, wanted).ratio()
            if ratio > best[0]:
                best = (ratio, indicator)
        return best[1] if best[0] >= FUZZY_THRESHOLD else None


def parse_targets(text: str, indicators: Sequence[Indicator]) -> PastedTable:
    matcher = IndicatorMatcher(indicators)
    year_columns: dict[int, int] = {}
    rows: list[PastedRow] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = _split(line)
        years = {index: int(m.group(1)) for index, cell in enumerate(cells) if (m := YEAR_RE.match(cell))}
        if years and not any(parse_number(c) is not None and not YEAR_RE.match(c) for c in cells):
            year_columns = years
            continue
        values = {index: v for index, cell in enumerate(cells) if (v := parse_number(cell)) is not None}
        texts = [
            c for index, c in enumerate(cells) if index not in values and c and not ROW_NUMBER_RE.match(c)
        ]
        if not values or not texts:
            continue  # a title or a note, not a row of the table
        name = max(texts, key=len)
        row = PastedRow(line=number, text=name, indicator=matcher.match(name))
        if not year_columns:
            row.error = "Нет строки заголовка с годами (например: «показатель;2021;2024»)."
        elif row.indicator is None:
            row.error = "Показатель не распознан: укажите его код или название из справочника."
        else:
            for index, value in values.items():
                year = year_columns.get(index)
                if year is None:
                    continue
                if row.indicator.is_share and value > 100:
                    row.error = f"Доля больше 100 %: {value}."
                row.values[year] = value
            if not row.values:
                row.error = "В строке нет значений под годами заголовка."
        rows.append(row)
    if not rows:
        errors.append("Не найдено ни одной строки с показателем и значениями.")
    return PastedTable(years=sorted(set(year_columns.values())), rows=rows, errors=errors)
