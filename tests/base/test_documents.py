import io
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from nastavnik.base.documents import ORDER_MARGINS, Margins, Order, Table, add_table, new_docx, order_docx

ORDER = Order(
    organisation="МБОУ «Школа № 1»",
    number="12-о",
    date="«01» сентября 2025 г.",
    title="О закреплении наставнических пар (групп)",
    preamble="В соответствии с …",
    clauses=["Закрепить пары.", "Контроль оставляю за собой."],
    head_position="Директор",
    head_name="Иванова Анна Петровна",
)


def test_an_order_has_the_skeleton_its_table_and_the_signature() -> None:
    content = order_docx(ORDER, Table(["№", "Наставник"], [["1", "Петров П. П."]]))
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines == [
        "МБОУ «Школа № 1»",
        "ПРИКАЗ",
        "от «01» сентября 2025 г.    № 12-о",
        "О закреплении наставнических пар (групп)",
        "В соответствии с …",
        "ПРИКАЗЫВАЮ:",
        "1. Закрепить пары.",
        "2. Контроль оставляю за собой.",
        "Директор ____________________ Иванова Анна Петровна",
    ]
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["№", "Наставник"], ["1", "Петров П. П."]]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21, 29.7)
    assert round(section.left_margin.cm, 1) == ORDER_MARGINS.left


def test_a_table_repeats_its_header_row_on_every_page_and_only_that_row() -> None:
    document = new_docx(Margins(1.5, 1.5, 1.5, 1.5), landscape=True)
    table = add_table(document, ["А", "Б"], [["1", "2"], ["3", "4"]], widths_cm=[2, 3])
    marks = [row._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for row in table.rows]
    assert marks == [True, False, False]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and round(section.page_width.cm, 1) == 29.7


def test_styles_named_again_and_again_keep_their_ids() -> None:
    """The style ids new_docx remembers are those python-docx finds, the default style included."""
    from docx.enum.style import WD_STYLE_TYPE

    document = new_docx(ORDER_MARGINS)
    for _ in range(3):
        document.add_heading("Раздел", level=1)
        document.add_heading("Подраздел", level=2)
        add_table(document, ["А", "Б"], [["1", "2"]])
        document.add_paragraph("Обычный", style="Normal")
        document.add_paragraph("Списком", style=document.styles["List Bullet"])  # a style object
    saved = Document(io.BytesIO(docx_bytes_of(document)))
    assert [p.style.name for p in saved.paragraphs] == ["Heading 1", "Heading 2", "Normal", "List Bullet"] * 3
    assert [t.style.name for t in saved.tables] == ["Table Grid"] * 3
    assert saved.paragraphs[2]._p.style is None  # the default style is not written, as python-docx does
    assert document.part.get_style_id("Heading 1", WD_STYLE_TYPE.PARAGRAPH) == "Heading1"


def docx_bytes_of(document) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_table_through_python_docx(document, header, rows=(), *, widths_cm=None, centered=False):  # type: ignore[no-untyped-def]
    """add_table as it was written with python-docx's proxies, cell by cell: the reference the
    XML-writing add_table must reproduce."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    if centered:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(mark)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    if widths_cm is not None:
        for table_row in table.rows:
            for cell, width in zip(table_row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    return table


TRICKY_ROWS = [
    ["1", "Иванов И. И.", ""],
    [" ведущий пробел", "хвост ", "   "],
    ["<b>&amp; «кавычки» \"двойные\" 'одинарные'", "a\tb", "строка\nвторая\r\nтретья\r"],
    ["\t", "\n", "\u00a0неразрывный\u00a0"],
    ["😀 эмодзи", "x" * 300, "—"],
]


@pytest.mark.parametrize(
    ("header", "rows", "options"),
    [
        (["№", "Наставник", "Наставляемый"], TRICKY_ROWS, {}),
        (["№", "Наставник", "Наставляемый"], TRICKY_ROWS, {"widths_cm": [1.5, 8.25, 6], "centered": True}),
        (["Один", " заголовок с пробелом ", "a\tb\nc"], [], {"widths_cm": (2, 3, 4)}),
        (["А"], [["1"]] * 40, {"centered": True}),
    ],
)
@pytest.mark.parametrize("landscape", [False, True])
def test_a_table_is_the_same_xml_python_docx_writes_cell_by_cell(header, rows, options, landscape) -> None:  # type: ignore[no-untyped-def]
    written = new_docx(ORDER_MARGINS, landscape=landscape)
    reference = new_docx(ORDER_MARGINS, landscape=landscape)
    for document, add in ((written, add_table), (reference, add_table_through_python_docx)):
        document.add_paragraph("До таблицы")
        table = add(document, header, rows, **options)
        for cell, text in zip(table.add_row().cells, ["x"] * len(header), strict=True):  # a caller's own row
            cell.text = text
        document.add_paragraph("После таблицы")
    assert document_xml(docx_bytes_of(written)) == document_xml(docx_bytes_of(reference))
    saved = Document(io.BytesIO(docx_bytes_of(written)))
    assert [c.text for c in saved.tables[0].rows[0].cells] == list(header)
    assert [[c.text for c in row.cells] for row in saved.tables[0].rows[1:-1]] == [
        [text.replace("\r\n", "\n\n").replace("\r", "\n") for text in row] for row in rows
    ]


def test_a_row_longer_or_shorter_than_the_header_is_refused_as_before() -> None:
    for add in (add_table, add_table_through_python_docx):
        with pytest.raises(ValueError):
            add(new_docx(ORDER_MARGINS), ["А", "Б"], [["1", "2", "3"]])
        with pytest.raises(ValueError):
            add(new_docx(ORDER_MARGINS), ["А", "Б"], [["1", "2"]], widths_cm=[1])


def test_a_control_character_in_a_cell_is_refused_as_python_docx_refuses_it() -> None:
    for add in (add_table, add_table_through_python_docx):
        with pytest.raises(ValueError, match="XML compatible"):
            add(new_docx(ORDER_MARGINS), ["А"], [["звонок\x07"]])


def document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")
