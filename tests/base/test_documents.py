import io

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
