"""Building blocks of the documents the apps generate: a DOCX page set up as Russian official
papers are (A4, Times New Roman 12), paragraphs, tables whose header row repeats on every page,
the skeleton of a head's order, and the bytes of a DOCX, an XLSX or a PDF.

Each app keeps what it generates in its own `documents` module and builds it from these; the
order skeleton is the one of the decrees and orders of a school:

    <организация>
    ПРИКАЗ
    от «01» сентября 2025 г.    № 12
    <заголовок>
    <преамбула>
    ПРИКАЗЫВАЮ:
    1. … 2. …
    <таблица>
    <должность руководителя> ____________________ <ФИО>

python-docx, openpyxl and WeasyPrint load with the first document, not with every process.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable
    from docx.table import _Row

FONT = "Times New Roman"
A4_CM = (21.0, 29.7)
BLANK_NUMBER = "____"
BLANK_NAME = "________________"
HEAD = "Руководитель"
SIGNATURE_LINE = "____________________"


@dataclass(frozen=True)
class Margins:
    """Page margins in centimetres."""

    left: float
    right: float
    top: float
    bottom: float


ORDER_MARGINS = Margins(left=2.5, right=1.5, top=2, bottom=2)


@dataclass(frozen=True)
class Table:
    """A table as text, the same for the DOCX and the PDF."""

    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Order:
    """What every order has around its table: who orders, its number and date, why and what."""

    organisation: str
    number: str
    date: str
    title: str
    preamble: str
    clauses: list[str]
    head_position: str
    head_name: str


def new_docx(margins: Margins, *, landscape: bool = False) -> DocxDocument:
    """An empty A4 document (the python-docx template is US Letter) in Times New Roman 12."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    width, height = A4_CM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin, section.right_margin = Cm(margins.left), Cm(margins.right)
    section.top_margin, section.bottom_margin = Cm(margins.top), Cm(margins.bottom)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    _remember_style_ids(document)
    return document


def _remember_style_ids(document: DocxDocument) -> None:
    """python-docx finds a style named in `add_heading`, `paragraph.style = "…"` or `table.style`
    by scanning every style of the document (twice: to check it is not the default one) each
    time; an annual report names styles some 25 times and spent a third of its DOCX time there.
    The styles of a document we build do not change, so a name's id is looked up once."""
    part = document.part
    look_up = part.get_style_id
    ids: dict[tuple[str, Any], str | None] = {}

    def style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):  # a style object (not hashable): as python-docx does
            return look_up(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in ids:
            ids[key] = look_up(style_or_name, style_type)
        return ids[key]

    part.get_style_id = style_id  # type: ignore[method-assign]


def add_paragraph(
    document: DocxDocument, text: str, *, bold: bool = False, align: Any = None, size: int | None = None
) -> None:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    if size is not None:
        from docx.shared import Pt

        run.font.size = Pt(size)


def centered(document: DocxDocument, text: str, *, bold: bool = False, size: int | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    add_paragraph(document, text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)


def repeat_on_every_page(row: _Row) -> None:
    """Mark a table row as its header: Word repeats it at the top of every page the table spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def add_table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]] = (),
    *,
    widths_cm: Sequence[float] | None = None,
    centered: bool = False,
) -> DocxTable:
    """A grid with a bold header row repeated on every page; the caller may add more rows.

    python-docx makes the table, its style and its columns; the rows are written as the XML its
    `add_row`, `cell.text`, `add_run(…).bold` and `cell.width` produce, element for element, and
    parsed in one go: through python-docx's proxies each cell cost some twenty element lookups
    and insertions, most of an annual report's DOCX time (tests compare both outputs)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import nsdecls, qn
    from docx.oxml.parser import parse_xml
    from docx.shared import Cm
    from lxml import etree

    table = document.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    if centered:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    if widths_cm is None:
        twips = [str(col.get(qn("w:w"))) for col in tbl.tblGrid.gridCol_lst]
    else:
        twips = [str(Cm(width).twips) for width in widths_cm]
    properties = [f'<w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr>' for w in twips]
    xml = [f"<w:tbl {nsdecls('w')}>", _header_row_xml(header, properties)]
    xml += [_row_xml(row, properties) for row in rows]
    xml.append("</w:tbl>")
    try:
        parsed = parse_xml("".join(xml))
    except etree.XMLSyntaxError as error:  # a control character: what lxml says of it in cell.text
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
        ) from error
    tbl.extend(list(parsed))
    return table


def _header_row_xml(titles: Sequence[str], properties: Sequence[str]) -> str:
    """`cell.text = ""` leaves an empty run before the bold one `add_run(title).bold = True` adds."""
    cells = "".join(
        f"<w:tc>{tc_pr}<w:p><w:r/><w:r><w:rPr><w:b/></w:rPr>{_run_content_xml(title)}</w:r></w:p></w:tc>"
        for title, tc_pr in zip(titles, properties, strict=True)
    )
    return f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{cells}</w:tr>'


def _row_xml(texts: Sequence[str], properties: Sequence[str]) -> str:
    cells = "".join(
        f"<w:tc>{tc_pr}<w:p><w:r>{_run_content_xml(text)}</w:r></w:p></w:tc>"
        for text, tc_pr in zip(texts, properties, strict=True)
    )
    return f"<w:tr>{cells}</w:tr>"


_RUN_BREAKS = re.compile(r"([\t\r\n])")


def _run_content_xml(text: str) -> str:
    """A run's content as python-docx writes `run.text`: a tab as <w:tab/>, a line break (CR or
    LF, each) as <w:br/>, the characters between as one <w:t>, preserving its spaces when it
    starts or ends with one."""
    if not text:
        return ""
    if "\t" not in text and "\r" not in text and "\n" not in text:
        return _t_xml(text)
    parts = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(_t_xml(piece))
    return "".join(parts)


def _t_xml(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def add_order_heading(document: DocxDocument, order: Order) -> None:
    """Everything of an order above its table: organisation, «ПРИКАЗ», date and number, title,
    preamble and the numbered points after «ПРИКАЗЫВАЮ:»."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    centered(document, order.organisation, bold=True)
    centered(document, "ПРИКАЗ", bold=True, size=14)
    centered(document, f"от {order.date}    № {order.number}")
    centered(document, order.title, bold=True)
    add_paragraph(document, order.preamble, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add_paragraph(document, "ПРИКАЗЫВАЮ:", bold=True)
    for number, clause in enumerate(order.clauses, start=1):
        add_paragraph(document, f"{number}. {clause}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def add_signature(document: DocxDocument, position: str, name: str) -> None:
    document.add_paragraph()
    add_paragraph(document, f"{position} {SIGNATURE_LINE} {name}")


def order_docx(order: Order, table: Table, *, widths_cm: Sequence[float] | None = None) -> bytes:
    """An order whose points refer to one table (pairs, plans…), signed by the head."""
    document = new_docx(ORDER_MARGINS)
    add_order_heading(document, order)
    add_table(document, table.header, table.rows, widths_cm=widths_cm, centered=True)
    add_signature(document, order.head_position, order.head_name)
    return docx_bytes(document)


def signatory(organisation: Any) -> tuple[str, str]:
    """(position, name) of the head who signs, with blanks where the organisation has none."""
    return (
        getattr(organisation, "head_position", "") or HEAD,
        getattr(organisation, "head_name", "") or BLANK_NAME,
    )


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_from_html(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=base_url).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def html_from_docx(data: bytes, title: str = "") -> str:
    """A printable HTML rendering of a DOCX's body: paragraphs (alignment, bold runs) and tables in
    their order, A4 with the margins of an order, so WeasyPrint makes the PDF twin of any DOCX,
    including an organisation's own template."""
    from html import escape

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table as DocxTableType
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    aligns = {
        WD_ALIGN_PARAGRAPH.CENTER: "center",
        WD_ALIGN_PARAGRAPH.RIGHT: "right",
        WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
    }

    def paragraph_html(paragraph: Paragraph) -> str:
        runs = "".join(
            f"<b>{escape(run.text)}</b>" if run.bold else escape(run.text) for run in paragraph.runs
        )
        align = aligns.get(paragraph.alignment, "left") if paragraph.alignment is not None else "left"
        return f'<p style="text-align:{align}">{runs or "&nbsp;"}</p>'

    parts: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, DocxTableType):
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(cell.text)}</td>" for cell in row.cells) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table>{rows}</table>")
        else:
            parts.append(paragraph_html(block))
    m = ORDER_MARGINS
    style = (
        f"@page {{ size: A4; margin: {m.top}cm {m.right}cm {m.bottom}cm {m.left}cm; }} "
        f"body {{ font-family: '{FONT}', 'DejaVu Serif', serif; font-size: 12pt; }} "
        "p { margin: 0 0 4pt; } table { border-collapse: collapse; width: 100%; margin: 4pt 0; } "
        "td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }"
    )
    return (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{style}</style></head><body>{''.join(parts)}</body></html>"
    )


def pdf_from_docx(data: bytes, title: str = "") -> bytes:
    return pdf_from_html(html_from_docx(data, title))
