"""Guards run on an uploaded file before anything parses it.

A spreadsheet or a Word document is a ZIP of XML parts, and a few kilobytes of it can ask a parser
for gigabytes (a zip bomb, one cell of 300 MB, a sheet 300 000 columns wide). So, before openpyxl
or python-docx see a file:

- its size is checked against the limit of its kind;
- the ZIP's central directory (never the data) gives the number of entries, their total
  uncompressed size and the compression ratio of each; Python's `zipfile` never inflates an entry
  past the size the directory declares, so these numbers bound what any later reader gets;
- every XML part is streamed through a SAX parser in 64 KB pieces (memory stays flat) that counts
  elements, and for a workbook rows, columns, cells and the length of each cell's text, stopping
  at the first limit crossed;
- CSV and plain text are read with a field size limit and a row length limit.

XML is parsed here with expat set up as defusedxml's parser sets it up (no entity declarations,
no external references; `_defused_expat`). The
libraries were checked (openpyxl 3.1.5, python-docx 1.2.0, lxml 6): python-docx parses with
`lxml.etree.XMLParser(resolve_entities=False)`; openpyxl's `fromstring` uses lxml with
`resolve_entities=False` and its worksheet reader uses defusedxml's `iterparse` when defusedxml is
installed (it is a pinned dependency for this reason); lxml's `huge_tree` stays off. Class lists'
cells are read by python-calamine 0.9.1 (Rust's quick-xml: no DTD, only the predefined entities),
after this check has refused any declaration.

Every refusal is an `UploadRefused` whose message (Russian) names the limit crossed.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pyexpat import XMLParserType
from typing import Any, NoReturn
from xml.parsers import expat
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml.common import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from .encodings import UndecodableText, decode_text

CHUNK_BYTES = 64 * 1024
MB = 1024 * 1024


class UploadRefused(Exception):
    """A file refused before parsing; `message` (Russian) says which limit it crossed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    entries: int = 1000
    uncompressed_bytes: int = 100 * MB
    # Deflate cannot pass ~1030:1; office files rarely pass 100:1. Small parts are not judged.
    ratio: int = 200
    ratio_floor_bytes: int = 1 * MB


@dataclass(frozen=True)
class TableLimits:
    rows: int = 10_000
    columns: int = 200
    cells: int = 300_000
    cell_chars: int = 32_767  # Excel's own limit for one cell
    xml_elements: int = 1_500_000  # all XML elements of the package: bounds the parsers' trees


def _megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.0f} МБ" if value >= 1 else f"{size // 1024} КБ"


def _count(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UploadRefused(f"Файл больше {_megabytes(max_bytes)} — это предел для такого файла.")


# --- ZIP packages (XLSX, DOCX) ------------------------------------------------------------------


def check_zip(data: bytes, limits: ZipLimits) -> zipfile.ZipFile:
    """The package's directory within the limits; the open archive is returned for the next checks."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRefused("Файл повреждён: это не документ Word или Excel.") from exc
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise UploadRefused(
            f"В файле больше {_count(limits.entries)} частей — это предел; сохраните документ заново."
        )
    total = sum(info.file_size for info in entries)
    if total > limits.uncompressed_bytes:
        raise UploadRefused(
            f"В распакованном виде файл больше {_megabytes(limits.uncompressed_bytes)} — это предел."
        )
    for info in entries:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor_bytes and ratio > limits.ratio:
            raise UploadRefused(
                f"Файл сжат подозрительно сильно (больше чем в {limits.ratio} раз) — такой файл не принимается."
            )
    return archive


class _LimitCrossed(SAXException):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.refusal = message


@functools.lru_cache(maxsize=1024)  # a part has a few dozen names, met a million times in a big sheet
def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,8})$")


def _cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of «XFD17», or None when the reference is not a cell."""
    match = _CELL_REF.match(ref.strip())
    if not match:
        return None
    return int(match.group(2)), _column_number(match.group(1))


@functools.lru_cache(maxsize=1024)  # a sheet's columns, met once a row
def _column_number(letters: str) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _area(ref: str) -> tuple[int, int]:
    """(rows, columns) a range «A1:C3» covers; a single cell covers (row, column) from A1."""
    corners = [_cell_position(part) for part in ref.split(":")]
    if not corners or any(c is None for c in corners):
        return 0, 0
    rows = [c[0] for c in corners if c]
    columns = [c[1] for c in corners if c]
    return max(rows), max(columns)


class _PartScanner(ContentHandler):
    """Counts what an XML part asks a parser to build; raises `_LimitCrossed` at the first limit."""

    TEXT_ELEMENTS = frozenset({"v", "t", "f"})

    def __init__(self, limits: TableLimits, elements_so_far: int, sheet: str = "") -> None:
        super().__init__()
        self.limits = limits
        self.elements = elements_so_far
        self.sheet = sheet
        self.rows = 0
        self.row_cells = 0
        self.cells = 0
        self.in_text = 0
        self.text_length = 0

    def _refuse(self, message: str) -> None:
        raise _LimitCrossed(message)

    def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802 — SAX's name
        self.elements += 1
        if self.elements > self.limits.xml_elements:
            self._refuse(
                f"Файл слишком сложно устроен: больше {_count(self.limits.xml_elements)} элементов разметки."
            )
        local = _local(name)
        if local in self.TEXT_ELEMENTS:
            self.in_text += 1
            self.text_length = 0
        if not self.sheet:
            return
        if local == "row":
            self.rows += 1
            self.row_cells = 0
            number = attrs.get("r")
            row = int(number) if number and number.isdigit() else self.rows
            self._check_rows(max(row, self.rows))
        elif local == "c":
            self.cells += 1
            if self.cells > self.limits.cells:
                self._refuse(
                    f"{self.sheet}: больше {_count(self.limits.cells)} заполненных ячеек — это предел."
                )
            self.row_cells += 1
            position = _cell_position(attrs.get("r", ""))
            if position:
                self._check_rows(position[0])
            # without a reference a cell stands right after the previous one
            self._check_columns(max(position[1] if position else 0, self.row_cells))
        elif local in {"dimension", "mergeCell"}:
            rows, columns = _area(attrs.get("ref", ""))
            self._check_rows(rows)
            self._check_columns(columns)

    def _check_rows(self, rows: int) -> None:
        if rows > self.limits.rows:
            self._refuse(f"{self.sheet}: больше {_count(self.limits.rows)} строк — это предел.")

    def _check_columns(self, columns: int) -> None:
        if columns > self.limits.columns:
            self._refuse(f"{self.sheet}: больше {_count(self.limits.columns)} столбцов — это предел.")

    def endElement(self, name: str) -> None:  # noqa: N802 — SAX's name
        if _local(name) in self.TEXT_ELEMENTS and self.in_text:
            self.in_text -= 1

    def characters(self, content: str) -> None:
        if self.in_text:
            self.text_length += len(content)
            if self.text_length > self.limits.cell_chars:
                self._refuse(
                    f"В файле есть ячейка или абзац длиннее {_count(self.limits.cell_chars)} символов — это предел."
                )


def _forbid_entities(name: str, *_: Any) -> NoReturn:
    raise EntitiesForbidden(name, None, None, None, None, None)


def _forbid_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> NoReturn:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def _defused_expat(scanner: _PartScanner) -> XMLParserType:
    """An expat parser calling the scanner, refusing what defusedxml's SAX parser refuses (entity
    declarations, parsed or not, and external references; a DTD without them passes), as that
    parser sets it up, without its SAX layer: that layer wrapped each element's attributes and
    each piece of text for the scanner and took half of the time of a check. Names stay
    qualified («x:c»), as without SAX's namespace handling; text comes in whole runs."""
    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _forbid_entities
    parser.UnparsedEntityDeclHandler = _forbid_entities
    parser.ExternalEntityRefHandler = _forbid_external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE)
    parser.buffer_text = True
    parser.StartElementHandler = scanner.startElement
    parser.EndElementHandler = scanner.endElement
    parser.CharacterDataHandler = scanner.characters
    return parser


def _scan_part(archive: zipfile.ZipFile, name: str, scanner: _PartScanner) -> None:
    parser = _defused_expat(scanner)
    try:
        with archive.open(name) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _LimitCrossed as exc:
        raise UploadRefused(exc.refusal) from None
    except DefusedXmlException as exc:
        raise UploadRefused("В файле есть объявления сущностей XML — такой файл не принимается.") from exc
    except (expat.ExpatError, SAXException, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UploadRefused("Файл повреждён: его разметку не удалось прочитать.") from exc


def _xml_parts(archive: zipfile.ZipFile) -> Iterator[str]:
    for info in archive.infolist():
        if info.filename.lower().endswith((".xml", ".rels", ".vml")) and not info.is_dir():
            yield info.filename


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → how the message calls it («Лист 2»): the sheet's own title needs the workbook."""
    parts = sorted(n for n in archive.namelist() if re.match(r"^xl/worksheets/[^/]+\.xml$", n))
    return {name: f"Лист {number}" for number, name in enumerate(parts, start=1)}


def check_office_package(data: bytes, zip_limits: ZipLimits, table_limits: TableLimits) -> None:
    """An XLSX or DOCX within every limit, read as a stream before any library parses it."""
    with check_zip(data, zip_limits) as archive:
        sheets = _sheet_names(archive)
        elements = 0
        for name in _xml_parts(archive):
            scanner = _PartScanner(table_limits, elements, sheets.get(name, ""))
            _scan_part(archive, name, scanner)
            elements = scanner.elements


# --- CSV and plain text ---------------------------------------------------------------------------


@contextlib.contextmanager
def _field_size_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def check_csv_text(text: str, limits: TableLimits, delimiters: str = ";,\t") -> None:
    """However the file is split (each delimiter a reader may try), no row is wider and no cell
    longer than the limits, and there are not more rows."""
    with _field_size_limit(limits.cell_chars):
        for delimiter in delimiters:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            try:
                for number, row in enumerate(reader, start=1):
                    if number > limits.rows:
                        raise UploadRefused(f"В файле больше {_count(limits.rows)} строк — это предел.")
                    if len(row) > limits.columns:
                        raise UploadRefused(
                            f"В строке {number} больше {_count(limits.columns)} столбцов — это предел."
                        )
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise UploadRefused(
                        f"В файле есть ячейка длиннее {_count(limits.cell_chars)} символов — это предел."
                    ) from None
                raise UploadRefused(f"Не удалось разобрать файл CSV: {exc}.") from None


def check_plain_text(text: str, limits: TableLimits) -> None:
    """Text copied out of Word: a line is a row or a cell; tabs split cells."""
    lines = text.count("\n") + 1
    if lines > limits.rows:
        raise UploadRefused(f"В файле больше {_count(limits.rows)} строк — это предел.")
    for line in text.splitlines():
        if len(line) > limits.cell_chars and max(len(cell) for cell in line.split("\t")) > limits.cell_chars:
            raise UploadRefused(
                f"В файле есть строка или ячейка длиннее {_count(limits.cell_chars)} символов — это предел."
            )


# --- the kinds of upload and their limits ---------------------------------------------------------------


@dataclass(frozen=True)
class UploadKind:
    size_setting: str  # megabytes, from the settings
    zip_limits: ZipLimits
    table_limits: TableLimits


UPLOAD_KINDS = {
    # A class list: up to 60 000 people, a municipality's (the import says so itself), a few dozen
    # columns; openpyxl reads it in read-only mode, row by row.
    "class-list": UploadKind(
        "IMPORT_UPLOAD_MAX_MB",
        ZipLimits(uncompressed_bytes=100 * MB),
        TableLimits(rows=60_100, cells=1_500_000, xml_elements=6_000_000),
    ),
    # A roadmap: a few hundred events; openpyxl and python-docx build the whole document in memory.
    "roadmap": UploadKind(
        "ROADMAP_UPLOAD_MAX_MB",
        ZipLimits(uncompressed_bytes=50 * MB),
        TableLimits(rows=5_000, columns=100, cells=100_000, xml_elements=1_000_000),
    ),
}


def decode_for_check(data: bytes) -> str:
    """The text as the readers decode it (a UTF-16 CSV is checked after decoding, not as NUL bytes)."""
    try:
        return decode_text(data)
    except UndecodableText as exc:
        raise UploadRefused(str(exc)) from None


def check_text_bytes(data: bytes, limits: TableLimits) -> None:
    """Plain text in any of the encodings a reader may try (UTF-8, Windows-1251, UTF-16): lines and
    cells counted on the bytes, a character taking up to four."""
    if data.count(b"\n") + 1 > limits.rows:
        raise UploadRefused(f"В файле больше {_count(limits.rows)} строк — это предел.")
    longest = limits.cell_chars * 4
    for line in data.split(b"\n"):
        if len(line) > longest and max(len(cell) for cell in line.split(b"\t")) > longest:
            raise UploadRefused(
                f"В файле есть строка или ячейка длиннее {_count(limits.cell_chars)} символов — это предел."
            )


def check_upload(data: bytes, kind: str, name: str) -> None:
    """Every check of an upload of `kind` before anything parses it; UploadRefused (Russian) names
    the limit crossed."""
    from django.conf import settings

    spec = UPLOAD_KINDS[kind]
    check_size(len(data), int(getattr(settings, spec.size_setting)) * MB)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if data.startswith(b"PK\x03\x04"):
        check_office_package(data, spec.zip_limits, spec.table_limits)
    elif suffix in {"xlsx", "xlsm", "docx"}:
        return  # not a ZIP at all: the reader refuses it at once with its own message
    elif suffix == "csv" or (kind == "class-list" and suffix == "txt"):
        check_csv_text(decode_for_check(data), spec.table_limits)
    else:
        check_text_bytes(data, spec.table_limits)
