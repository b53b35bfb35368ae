"""Checking that an export wrote user-entered text as text, not as a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db
FORMULA = "=1+1"


def assert_written_as_text(content: bytes, value: str = FORMULA) -> None:
    """openpyxl reads every cell holding `value` back as text (data_type «s»), the value unchanged."""
    book = load_workbook(io.BytesIO(content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == value]
    assert cells, f"{value!r} is not in the file"
    assert all(cell.data_type == "s" for cell in cells)
