"""Readers of .docx, .xlsx and text files into paragraphs and tables of plain strings."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .cleaning import clean_cell, unquote
from .draft import RoadmapImportError


@dataclass
class RawRow:
    cells: list[str]
    source: str
    line: int = 0


@dataclass
class RawTable:
    rows: list[RawRow]
    # Text sources: rows may be fragments of one table row that the assembler glues back.
    fragments: bool = False
    # Text sources: a line that begins with lower case may continue the row above it.
    may_wrap: bool = False


@dataclass
class RawParagraph:
    text: str
    source: str


@dataclass
class RawDocument:
    format: str
    blocks: list[RawParagraph | RawTable] = field(default_factory=list)


SUPPORTED = (".docx", ".xlsx", ".txt", ".tsv")


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return ""


def read_source(data: bytes, filename: str) -> RawDocument:
    """Read by content where it is clear (a .docx saved as .xlsx still reads), else by extension."""
    name = filename.lower()
    if not data or not data.strip():
        raise RoadmapImportError("Файл пустой: в нём нет ни одной строки дорожной карты.")
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind == "docx":
            return read_docx(data)
        if kind == "xlsx":
            return read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RoadmapImportError(
            "Формат Word 97–2003 (.doc) или Excel 97–2003 (.xls) не поддерживается: "
            "сохраните файл как .docx или .xlsx."
        )
    if name.endswith(".docx"):
        return read_docx(data)
    if name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data)
    if name.endswith(".doc"):
        raise RoadmapImportError("Формат .doc (Word 97–2003) не поддерживается: сохраните файл как .docx.")
    if name.endswith(".xls"):
        raise RoadmapImportError("Формат .xls (Excel 97–2003) не поддерживается: сохраните файл как .xlsx.")
    if name.endswith((".txt", ".tsv", ".csv", ".text")) or "." not in name.rsplit("/", 1)[-1]:
        return read_text(decode_text(data))
    suffix = name.rsplit(".", 1)[-1]
    raise RoadmapImportError(
        f"Файл «.{suffix}» не поддерживается: загрузите дорожную карту в формате .docx, .xlsx, .txt или .tsv."
    )


def decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise RoadmapImportError(
            "Файл не похож на текст: возможно, это документ Word или Excel с неверным расширением."
        )
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1251" and not re.search("[а-яА-Я]", text):
            break
        return text
    raise RoadmapImportError("Не удалось прочитать текст: сохраните файл в кодировке UTF-8 или Windows-1251.")


# --- text copied out of Word -----------------------------------------------------------------------


def read_text(text: str) -> RawDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    inner_tabs = sum(1 for line in lines if re.search(r"[^\t]\t", line))
    leading_tabs = sum(1 for line in lines if line.startswith("\t"))
    if inner_tabs >= 1:
        return _read_rows_per_line(lines)
    if leading_tabs >= 2:
        return _read_cells_per_line(lines)
    doc = RawDocument("txt")
    for number, line in enumerate(lines, 1):
        if line.strip():
            doc.blocks.append(RawParagraph(clean_cell(line), f"строка {number}"))
    return doc


def _read_cells_per_line(lines: list[str]) -> RawDocument:
    """Word's text with one cell per line: each cell starts with a tab, rows end with a blank line.

    A line without a leading tab continues the cell above it; after a blank line it is a paragraph
    outside the table.
    """
    doc = RawDocument("txt")
    table: RawTable | None = None
    block: list[list[str]] = []
    block_line = 0
    prev_blank = True

    def flush() -> None:
        nonlocal block
        if table is not None and block:
            table.rows.append(RawRow(["\n".join(c) for c in block], f"строка {block_line}", block_line))
        block = []

    for number, line in enumerate(lines, 1):
        if line.startswith("\t"):
            if table is None:
                table = RawTable([], fragments=True, may_wrap=False)
                doc.blocks.append(table)
            if prev_blank:
                flush()
            if not block:
                block_line = number
            for cell in line[1:].split("\t"):
                block.append([cell])
            prev_blank = False
        elif not line.strip():
            prev_blank = True
        elif table is not None and block and not prev_blank:
            block[-1].append(line)
        else:
            flush()
            table = None
            doc.blocks.append(RawParagraph(clean_cell(line), f"строка {number}"))
            prev_blank = False
    flush()
    for t in doc.blocks:
        if isinstance(t, RawTable):
            for row in t.rows:
                row.cells = [clean_cell(c) for c in row.cells]
    return doc


def _read_rows_per_line(lines: list[str]) -> RawDocument:
    """Tab-separated rows, one per line; a cell with line breaks continues on the next line."""
    doc = RawDocument("txt")
    table: RawTable | None = None
    width = 0
    pending: list[str] | None = None
    pending_line = 0
    blank_before = False

    def flush() -> None:
        nonlocal pending
        if table is not None and pending is not None:
            cells = [clean_cell(unquote(c.strip())) for c in pending]
            table.rows.append(RawRow(cells, f"строка {pending_line}", pending_line))
        pending = None

    def incomplete() -> bool:
        return pending is not None and (len(pending) < width or _open_quote(pending[-1]))

    for number, line in enumerate(lines, 1):
        if "\t" in line:
            cells = line.split("\t")
            if table is None:
                table = RawTable([], fragments=False, may_wrap=True)
                doc.blocks.append(table)
                width = len(cells)
            if pending is not None and incomplete() and (not blank_before or _open_quote(pending[-1])):
                pending[-1] += "\n" + cells[0]
                pending.extend(cells[1:])
            else:
                flush()
                pending = cells
                pending_line = number
            blank_before = False
        elif not line.strip():
            if pending is not None and _open_quote(pending[-1]):
                pending[-1] += "\n"
            else:
                blank_before = True
        elif pending is not None and incomplete() and (not blank_before or _open_quote(pending[-1])):
            pending[-1] += "\n" + line
        else:
            flush()
            table = None
            doc.blocks.append(RawParagraph(clean_cell(line), f"строка {number}"))
            blank_before = False
    flush()
    return doc


def _open_quote(cell: str) -> bool:
    """A spreadsheet cell «"первая строка» whose closing quote is on a later line."""
    stripped = cell.lstrip()
    return stripped.startswith('"') and stripped.count('"') % 2 == 1


# --- Word ------------------------------------------------------------------------------------------


def read_docx(data: bytes) -> RawDocument:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RoadmapImportError(
            "Не удалось открыть файл как документ Word (.docx): файл повреждён или это другой формат."
        ) from exc
    except Exception as exc:  # python-docx raises several kinds on a broken package
        raise RoadmapImportError(
            "Не удалось открыть файл как документ Word (.docx): файл повреждён или это другой формат."
        ) from exc

    doc = RawDocument("docx")

    def paragraph_text(p: Any) -> str:
        return str(Paragraph(p, None).text)  # type: ignore[arg-type]  # text needs no story part

    def cell_text(tc: Any) -> str:
        return "\n".join(paragraph_text(p) for p in tc.iter(qn("w:p")))

    def int_attr(element: Any, path: str) -> int:
        found = element.find(path)
        if found is None:
            return 0
        try:
            return int(found.get(qn("w:val")))
        except (TypeError, ValueError):
            return 0

    table_number = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = clean_cell(paragraph_text(child))
            if text:
                doc.blocks.append(RawParagraph(text, "абзац"))
        elif child.tag == qn("w:tbl"):
            table_number += 1
            table = RawTable([])
            for row_number, tr in enumerate(child.iterchildren(qn("w:tr")), 1):
                cells: list[str] = [""] * int_attr(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}")
                for tc in tr.iterchildren(qn("w:tc")):
                    span = max(1, int_attr(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}"))
                    vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
                    cells.append("" if continued else clean_cell(cell_text(tc)))
                    cells.extend([""] * (span - 1))
                table.rows.append(RawRow(cells, f"таблица {table_number}, строка {row_number}", row_number))
            doc.blocks.append(table)
    return doc


# --- Excel -----------------------------------------------------------------------------------------


def _xlsx_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour or value.minute:
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> RawDocument:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or foreign file
        raise RoadmapImportError(
            "Не удалось открыть файл как книгу Excel (.xlsx): файл повреждён или это другой формат."
        ) from exc
    doc = RawDocument("xlsx")
    for sheet in workbook.worksheets:
        table = RawTable([])
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            cells = [clean_cell(_xlsx_value(v)) for v in row]
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                table.rows.append(RawRow(cells, f"лист «{sheet.title}», строка {row_number}", row_number))
        if table.rows:
            doc.blocks.append(table)
    workbook.close()
    return doc
