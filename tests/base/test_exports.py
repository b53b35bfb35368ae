"""The helper every XLSX and CSV export writes through: text a user typed — `=1+1`, `+7…`, `@…` —
stays text. Each export has its own test in its app (test_safe_exports.py)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from nastavnik.base.exports import append_row, safe_csv_writer


def test_the_helper_keeps_every_dangerous_start_as_text_in_normal_and_write_only_sheets():
    for write_only in (False, True):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("s")
        append_row(
            sheet, ["=1+1", "+7 900", "-2", "@SUM(A1)", "\tx", "\rx", "обычный", 5, None, "bad\x01char"]
        )
        buffer = io.BytesIO()
        book.save(buffer)
        row = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[-1].iter_rows())
        assert [c.value for c in row[:7]] == ["=1+1", "+7 900", "-2", "@SUM(A1)", "\tx", "\rx", "обычный"]
        assert all(c.data_type == "s" for c in row[:7]) and row[7].value == 5
        assert row[9].value == "badchar"


def test_the_csv_writer_prefixes_what_a_spreadsheet_would_run():
    stream = io.StringIO()
    safe_csv_writer(stream, delimiter=";").writerow(["=1+1", "Иванов", 3, "@x"])
    assert next(csv.reader(io.StringIO(stream.getvalue()), delimiter=";")) == ["'=1+1", "Иванов", "3", "'@x"]
