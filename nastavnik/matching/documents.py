"""The director's order «О закреплении наставнических пар (групп)» of a confirmed run, as DOCX
(python-docx) and PDF (WeasyPrint from an HTML version). Both are built from the memberships
the confirmation created, so the order lists exactly the pairs that exist."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from nastavnik.mentoring.models import GroupMembership
from nastavnik.orgs.models import ProgramKind
from nastavnik.registry.models import Person

from .models import MatchingRun

MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
TABLE_HEADER = ("№", "Наставник", "Наставляемый(е)", "Форма наставничества")


def russian_date(day: dt.date | None) -> str:
    if day is None:
        return "«___» ____________ 20___ г."
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def _describe(person: Person) -> str:
    if person.school_class:
        return f"{person.full_name}, {person.school_class} класс"
    if person.position:
        return f"{person.full_name}, {person.position.lower()}"
    return person.full_name


@dataclass(frozen=True)
class OrderRow:
    number: int
    mentor: str
    mentees: list[str]
    form: str


@dataclass(frozen=True)
class OrderData:
    organisation: str
    number: str
    date: str
    title: str
    preamble: str
    clauses: list[str]
    rows: list[OrderRow]
    head_position: str
    head_name: str


def order_data(run: MatchingRun) -> OrderData:
    """The content of the order, in one query for any number of pairs."""
    program = run.program
    organisation = program.organisation
    memberships = (
        GroupMembership.objects.filter(matching_runs=run)
        .select_related("group__mentor__person", "group__form__parent", "mentee__person")
        .order_by(
            "group__mentor__person__last_name",
            "group__mentor__person__first_name",
            "group_id",
            "mentee__person__last_name",
            "mentee__person__first_name",
            "pk",
        )
    )
    rows: list[OrderRow] = []
    by_group: dict[int, list[GroupMembership]] = {}
    for membership in memberships:
        by_group.setdefault(membership.group_id, []).append(membership)
    for number, members in enumerate(by_group.values(), start=1):
        group = members[0].group
        rows.append(
            OrderRow(
                number=number,
                mentor=_describe(group.mentor.person),
                mentees=[_describe(m.mentee.person) for m in members],
                form=str(group.form),
            )
        )
    if program.kind == ProgramKind.TEACHERS:
        basis = (
            "письмом Минпросвещения России от 21.12.2021 № АЗ-1128/08 «О направлении методических "
            "рекомендаций» (Положение о системе наставничества педагогических работников)"
        )
    else:
        basis = (
            "распоряжением Минпросвещения России от 25.12.2019 № Р-145 «Об утверждении методологии "
            "(целевой модели) наставничества обучающихся»"
        )
    preamble = (
        f"В соответствии с {basis}, в целях реализации программы наставничества «{program.title}» "
        f"на {program.academic_year_label} учебный год и по итогам формирования наставнических пар (групп)"
    )
    clauses = [
        "Закрепить наставнические пары (группы) в составе согласно таблице.",
        "Куратору программы наставничества организовать встречи-знакомства наставников и наставляемых, "
        "разработку индивидуальных планов (персонализированных программ наставничества) и мониторинг "
        "работы пар (групп).",
        "Контроль исполнения приказа оставляю за собой.",
    ]
    return OrderData(
        organisation=organisation.name,
        number=run.order_number or "____",
        date=russian_date(run.order_date),
        title="О закреплении наставнических пар (групп)",
        preamble=preamble,
        clauses=clauses,
        rows=rows,
        head_position=organisation.head_position or "Руководитель",
        head_name=organisation.head_name or "________________",
    )


def _paragraph(
    document: object, text: str, *, bold: bool = False, align: int | None = None, size: int = 12
) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def order_docx(data: OrderData) -> bytes:
    document = Document()
    section = document.sections[0]
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    _paragraph(document, data.organisation, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "ПРИКАЗ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    _paragraph(document, f"от {data.date}    № {data.number}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, data.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, data.preamble, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "ПРИКАЗЫВАЮ:", bold=True)
    for number, clause in enumerate(data.clauses, start=1):
        _paragraph(document, f"{number}. {clause}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for row in data.rows:
        cells = table.add_row().cells
        cells[0].text = str(row.number)
        cells[1].text = row.mentor
        cells[2].text = "\n".join(row.mentees)
        cells[3].text = row.form
    widths = (Cm(1), Cm(5.5), Cm(6.5), Cm(4))
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = width

    document.add_paragraph()
    _paragraph(document, f"{data.head_position} ____________________ {data.head_name}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def order_html(data: OrderData) -> str:
    return render_to_string("matching/order_print.html", {"order": data})


def order_pdf(data: OrderData) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=order_html(data)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
