"""Readers of .docx, .xlsx and text files into paragraphs and tables of plain strings."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
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
    # Cells covered by a vertical merge (Word's vMerge, Excel's merged range) are empty in `cells`;
    # here is the text of the merged cell they belong to, by column index.
    merged: dict[int, str] = field(default_factory=dict)
    # One cell across the whole table (Word's gridSpan, Excel's merged range, a text line without
    # tabs inside a tab-separated table): a section heading or a note, never an event's columns.
    full_width: bool = False
    # the source lines (text) or the ordinal of the row among the document's units (Word, Excel)
    units: list[int] = field(default_factory=list)


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
    # Text sources: the line comes right under a table row, with no blank line between: the rest
    # of the row's last cell (Word puts a cell's second paragraph on a line of its own) or a heading.
    follows_row: bool = False
    units: list[int] = field(default_factory=list)


@dataclass
class RawDocument:
    format: str
    blocks: list[RawParagraph | RawTable] = field(default_factory=list)
    # every non-empty unit of the source (a line of text; a paragraph or a table row of Word or
    # Excel) by its number: where it stands and its text, so that the preview accounts for each
    units: dict[int, tuple[str, str]] = field(default_factory=dict)
    # units a reader skipped on purpose, with the reason (a PDF's page numbers)
    ignored: dict[int, str] = field(default_factory=dict)

    def add_unit(self, source: str, text: str, number: int | None = None) -> int:
        number = number if number is not None else len(self.units) + 1
        self.units[number] = (source, " ".join(text.split()))
        return number


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


def _utf16(data: bytes) -> str | None:
    """Word saves «Обычный текст» in «Юникод» as UTF-16, usually with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        # without a BOM: the high bytes of Russian text are 0x00 (Latin, digits, tabs) or 0x04
        head = data[: 4096 - 4096 % 2]
        if len(head) < 8:
            return None
        high_le, high_be = head[1::2], head[0::2]
        share = len(head) // 2 * 0.95
        if sum(b in (0, 4) for b in high_le) >= share and 0 in high_le:
            encoding = "utf-16-le"
        elif sum(b in (0, 4) for b in high_be) >= share and 0 in high_be:
            encoding = "utf-16-be"
        else:
            return None
    try:
        text = data.decode(encoding).lstrip("\ufeff")
    except UnicodeDecodeError:
        return None
    if re.search(r"[\x00-\x08\x0e-\x1f]", text):
        return None
    return text


def decode_text(data: bytes) -> str:
    text16 = _utf16(data)
    if text16 is not None:
        return text16
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
    # a page break («\f») in Word's plain text starts a new line
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    doc = _read_text_blocks(lines)
    for number, line in enumerate(lines, 1):
        if line.strip(" \t|\u00a0"):
            doc.add_unit(f"строка {number}", line.replace("\t", " ").strip(" |"), number)
    return doc


def _read_text_blocks(lines: list[str]) -> RawDocument:
    from .stream import looks_like_cells, read_cells_per_line

    inner_tabs = sum(1 for line in lines if re.search(r"[^\t]\t", line))
    leading_tabs = sum(1 for line in lines if line.startswith("\t"))
    if inner_tabs >= 1:
        return _read_rows_per_line(lines)
    if leading_tabs >= 2:
        return _read_cells_per_line(lines)
    if looks_like_cells(lines):
        return read_cells_per_line(lines)
    doc = RawDocument("txt")
    for number, line in enumerate(lines, 1):
        if line.strip():
            doc.blocks.append(RawParagraph(clean_cell(line), f"строка {number}", units=[number]))
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
    block_units: list[int] = []
    prev_blank = True

    def flush() -> None:
        nonlocal block, block_units
        if table is not None and block:
            table.rows.append(
                RawRow(["\n".join(c) for c in block], f"строка {block_line}", block_line, units=block_units)
            )
        block = []
        block_units = []

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
            block_units.append(number)
            prev_blank = False
        elif not line.strip():
            prev_blank = True
        elif table is not None and block and not prev_blank:
            block[-1].append(line)
            block_units.append(number)
        else:
            flush()
            table = None
            doc.blocks.append(RawParagraph(clean_cell(line), f"строка {number}", units=[number]))
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
    pending_units: list[int] = []
    blank_before = False
    follows_row = False

    def flush() -> None:
        nonlocal pending
        if table is not None and pending is not None:
            cells = [clean_cell(unquote(c.strip())) for c in pending]
            table.rows.append(
                RawRow(cells, f"строка {pending_line}", pending_line, units=list(pending_units))
            )
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
                pending_units.append(number)
            else:
                flush()
                pending = cells
                pending_line = number
                pending_units[:] = [number]
            blank_before = False
        elif not line.strip():
            if pending is not None and _open_quote(pending[-1]):
                pending[-1] += "\n"
            else:
                blank_before = True
        elif pending is not None and incomplete() and (not blank_before or _open_quote(pending[-1])):
            pending[-1] += "\n" + line
            pending_units.append(number)
        else:
            flush()
            follows = (table is not None or follows_row) and not blank_before
            table = None
            doc.blocks.append(
                RawParagraph(clean_cell(line), f"строка {number}", follows_row=follows, units=[number])
            )
            follows_row = follows
            blank_before = False
            continue
        follows_row = False
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

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds on a broken or foreign package
        raise RoadmapImportError(
            "Не удалось открыть файл как документ Word (.docx): файл повреждён или это другой формат."
        ) from exc

    doc = RawDocument("docx")
    _WordReader(doc, qn).read_blocks(document.element.body)
    return doc


class _WordReader:
    """Reads the body of a Word document into `doc`: its paragraphs and tables, in order, also those
    inside content controls, text boxes and the layout tables of documents converted from PDF."""

    def __init__(self, doc: RawDocument, qn: Callable[[str], str]) -> None:
        self.doc = doc
        self.qn = qn
        self.wrappers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
        self.text_tag, self.tab_tags = qn("w:t"), {qn("w:tab"), qn("w:ptab")}
        self.break_tags = {qn("w:br"), qn("w:cr")}
        self.no_break_hyphen = qn("w:noBreakHyphen")
        self.hyphen_tags = {qn("w:noBreakHyphen"), qn("w:softHyphen")}
        self.paragraph_tag, self.table_tag = qn("w:p"), qn("w:tbl")
        self.row_tag, self.cell_tag = qn("w:tr"), qn("w:tc")
        # deleted text of tracked changes, field codes, properties, the fallback copy of a drawing
        self.skipped = {
            qn("w:del"), qn("w:moveFrom"), qn("w:delText"), qn("w:instrText"), qn("w:rPr"), qn("w:pPr"),
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
        }  # fmt: skip
        self.table_number = 0

    def read_blocks(self, parent: Any) -> None:
        for child in self.children(parent, self.paragraph_tag, self.table_tag):
            if child.tag == self.paragraph_tag:
                text = clean_cell(self.paragraph_text(child))
                if text:
                    unit = self.doc.add_unit("абзац", text)
                    self.doc.blocks.append(RawParagraph(text, "абзац", units=[unit]))
            elif self.is_frame(child):
                for tr in self.children(child, self.row_tag):
                    for tc in self.children(tr, self.cell_tag):
                        self.read_blocks(tc)
            else:
                self.table_number += 1
                self.doc.blocks.append(self.read_table(child, self.table_number))

    def children(self, element: Any, *tags: str) -> list[Any]:
        """Direct children with one of `tags`, looking through content controls (w:sdt) and custom XML."""
        found = []
        for child in element.iterchildren():
            if child.tag in tags:
                found.append(child)
            elif child.tag in self.wrappers:
                found.extend(self.children(child, *tags))
        return found

    def is_frame(self, tbl: Any) -> bool:
        """A layout table of a row or two around the real content (documents converted from PDF)."""
        rows = self.children(tbl, self.row_tag)
        return len(rows) <= 3 and any(
            self.children(tc, self.table_tag) for tr in rows for tc in self.children(tr, self.cell_tag)
        )

    def paragraph_text(self, p: Any) -> str:
        """A paragraph's visible text, also inside tracked insertions, content controls and text boxes
        (python-docx's `Paragraph.text` reads only the runs directly under the paragraph)."""
        parts: list[str] = []
        self._collect_text(p, parts)
        return "".join(parts)

    def _collect_text(self, element: Any, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in self.skipped:
                continue
            if tag == self.text_tag:
                parts.append(child.text or "")
            elif tag in self.tab_tags:
                parts.append("\t")
            elif tag in self.break_tags:
                parts.append("\n")
            elif tag in self.hyphen_tags:
                parts.append("-" if tag == self.no_break_hyphen else "")
            elif tag == self.paragraph_tag:  # a paragraph of a text box anchored here
                parts.append("\n")
                self._collect_text(child, parts)
                parts.append("\n")
            else:
                self._collect_text(child, parts)

    def cell_text(self, tc: Any) -> str:
        texts = []
        for child in self.children(tc, self.paragraph_tag, self.table_tag):
            if child.tag == self.paragraph_tag:
                texts.append(self.paragraph_text(child))
            else:  # a table inside the cell
                for tr in self.children(child, self.row_tag):
                    texts.extend(self.cell_text(inner) for inner in self.children(tr, self.cell_tag))
        return "\n".join(texts)

    def int_attr(self, element: Any, path: str) -> int:
        found = element.find(path)
        if found is None:
            return 0
        try:
            return int(found.get(self.qn("w:val")))
        except (TypeError, ValueError):
            return 0

    def read_table(self, tbl: Any, table_number: int) -> RawTable:
        qn = self.qn
        table = RawTable([])
        # the text of the cell that starts a vertical merge, by grid column
        above: dict[int, str] = {}
        for row_number, tr in enumerate(self.children(tbl, self.row_tag), 1):
            cells: list[str] = [""] * self.int_attr(tr, f"{qn('w:trPr')}/{qn('w:gridBefore')}")
            merged: dict[int, str] = {}
            spans: list[tuple[int, int]] = []
            for tc in self.children(tr, self.cell_tag):
                span = max(1, self.int_attr(tc, f"{qn('w:tcPr')}/{qn('w:gridSpan')}"))
                vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
                column = len(cells)
                if continued:
                    cells.append("")
                    if above.get(column):
                        merged[column] = above[column]
                else:
                    text = clean_cell(self.cell_text(tc))
                    cells.append(text)
                    above[column] = text
                    if text:
                        spans.append((column, span))
                cells.extend([""] * (span - 1))
            grid = len(tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")) or len(cells)
            source = f"таблица {table_number}, строка {row_number}"
            units = [self.doc.add_unit(source, " | ".join(c for c in cells if c))] if any(cells) else []
            full_width = len(spans) == 1 and not merged and spans[0][1] >= 2 and spans[0][1] >= grid - 1
            table.rows.append(
                RawRow(cells, source, row_number, merged=merged, full_width=full_width, units=units)
            )
        return table


# --- Excel -----------------------------------------------------------------------------------------

_MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def _date_format(number_format: str) -> str:
    """What an Excel date format shows: «day» (01.09.2022), «month» (сентябрь 2022) or «year»."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format or "").lower()
    if "d" in shown or not shown or shown == "general":
        return "day"
    if "m" in shown:
        return "month"
    if "y" in shown:
        return "year"
    return "day"


def _xlsx_value(value: object, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        shown = _date_format(number_format)
        if shown == "month":
            return f"{_MONTH_NAMES[value.month - 1]} {value.year}"
        if shown == "year":
            return str(value.year)
        if isinstance(value, datetime) and (value.hour or value.minute):
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _hidden_columns(sheet: Any) -> set[int]:
    from openpyxl.utils import column_index_from_string

    hidden: set[int] = set()
    for key, dimension in sheet.column_dimensions.items():
        if not dimension.hidden:
            continue
        first = dimension.min or column_index_from_string(key)
        last = dimension.max or first
        hidden.update(range(first, last + 1))
    return hidden


def read_xlsx(data: bytes) -> RawDocument:
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it does not read (data validation, conditional formats)
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken or foreign file
        raise RoadmapImportError(
            "Не удалось открыть файл как книгу Excel (.xlsx): файл повреждён или это другой формат."
        ) from exc
    doc = RawDocument("xlsx")
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        hidden = _hidden_columns(sheet)
        # merged ranges: the cells below the first row of a range belong to its top-left cell
        merged_into: dict[tuple[int, int], tuple[int, int]] = {}
        wide: dict[int, int] = {}
        for merged_range in sheet.merged_cells.ranges:
            top, left = merged_range.min_row, merged_range.min_col
            for row in range(top, merged_range.max_row + 1):
                for column in range(left, merged_range.max_col + 1):
                    if (row, column) != (top, left):
                        merged_into[(row, column)] = (top, left)
                if merged_range.max_col - left >= 2:
                    wide[row] = max(wide.get(row, 0), merged_range.max_col - left + 1)
        visible = [c for c in range(1, (sheet.max_column or 0) + 1) if c not in hidden]
        texts: dict[tuple[int, int], str] = {}
        table = RawTable([])
        for cells_of_row in sheet.iter_rows():
            row_number = cells_of_row[0].row if cells_of_row else 0
            by_column = {cell.column: cell for cell in cells_of_row if getattr(cell, "column", None)}
            cells: list[str] = []
            merged: dict[int, str] = {}
            for column in visible:
                cell = by_column.get(column)
                text = (
                    clean_cell(_xlsx_value(cell.value, getattr(cell, "number_format", "")))
                    if cell is not None
                    else ""
                )
                texts[(row_number, column)] = text
                origin = merged_into.get((row_number, column))
                if (
                    origin is not None
                    and origin[0] < row_number
                    and origin[1] == column
                    and texts.get(origin)
                ):
                    merged[len(cells)] = texts[origin]
                cells.append(text)
            while cells and not cells[-1] and (len(cells) - 1) not in merged:
                cells.pop()
            filled = [i for i, c in enumerate(cells) if c]
            if not filled:
                continue
            full_width = len(filled) == 1 and wide.get(row_number, 0) >= 3 and not merged
            source = f"лист «{sheet.title}», строка {row_number}"
            unit = doc.add_unit(source, " | ".join(c for c in cells if c))
            table.rows.append(
                RawRow(cells, source, row_number, merged=merged, full_width=full_width, units=[unit])
            )
        if table.rows:
            doc.blocks.append(table)
    workbook.close()
    return doc
