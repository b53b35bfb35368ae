"""The head's order approving the individual plans (персонализированные программы
наставничества) of a program, as DOCX: every pair whose current plan the curator approved."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from nastavnik.matching.order import russian_date
from nastavnik.orgs.models import Program, ProgramKind

from .models import GroupMembership, GroupStatus, IndividualPlan, PlanStatus

TABLE_HEADER = ("№", "Наставник", "Наставляемый(е)", "Индивидуальный план", "Срок реализации")


@dataclass(frozen=True)
class PlanOrderRow:
    number: int
    mentor: str
    mentees: list[str]
    plan: str
    period: str


@dataclass(frozen=True)
class PlanOrder:
    organisation: str
    number: str
    date: str
    title: str
    preamble: str
    clauses: list[str]
    rows: list[PlanOrderRow]
    head_position: str
    head_name: str


def approved_plans(program: Program) -> list[IndividualPlan]:
    """Current approved plans of the program's working pairs, in two queries."""
    members = GroupMembership.objects.filter(left_on__isnull=True).select_related("mentee__person")
    return list(
        IndividualPlan.objects.filter(
            group__program=program,
            group__status=GroupStatus.ACTIVE,
            is_current=True,
            status=PlanStatus.APPROVED,
        )
        .select_related("group__mentor__person")
        .prefetch_related(Prefetch("group__memberships", queryset=members, to_attr="current_members"))
        .order_by("group__mentor__person__last_name", "group__mentor__person__first_name", "group_id")
    )


def plan_order(program: Program, number: str = "", date: dt.date | None = None) -> PlanOrder:
    organisation = program.organisation
    rows = [
        PlanOrderRow(
            number=i,
            mentor=plan.group.mentor.person.full_name,
            mentees=[m.mentee.person.full_name for m in plan.group.current_members],  # type: ignore[attr-defined]
            plan=f"{plan.title} (ред. {plan.revision})",
            period=f"{plan.starts_on:%d.%m.%Y} – {plan.ends_on:%d.%m.%Y}",
        )
        for i, plan in enumerate(approved_plans(program), start=1)
    ]
    basis = (
        "Положением о системе наставничества педагогических работников"
        if program.kind == ProgramKind.TEACHERS
        else "методологией (целевой моделью) наставничества обучающихся (распоряжение Минпросвещения "
        "России от 25.12.2019 № Р-145)"
    )
    return PlanOrder(
        organisation=organisation.name,
        number=number or "____",
        date=russian_date(date),
        title="Об утверждении индивидуальных планов (персонализированных программ наставничества)",
        preamble=(
            f"В соответствии с {basis}, программой наставничества «{program.title}» на "
            f"{program.academic_year_label} учебный год и по представлению куратора программы"
        ),
        clauses=[
            "Утвердить индивидуальные планы (персонализированные программы наставничества) "
            "наставнических пар (групп) согласно таблице.",
            "Наставникам обеспечить выполнение индивидуальных планов и ведение учёта встреч.",
            "Куратору программы осуществлять мониторинг выполнения индивидуальных планов.",
            "Контроль исполнения приказа оставляю за собой.",
        ],
        rows=rows,
        head_position=organisation.head_position or "Руководитель",
        head_name=organisation.head_name or "________________",
    )


def plan_order_docx(order: PlanOrder) -> bytes:
    document = Document()
    section = document.sections[0]
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    def paragraph(text: str, *, bold: bool = False, align: Any = None) -> None:
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        run = p.add_run(text)
        run.bold = bold

    paragraph(order.organisation, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("ПРИКАЗ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(f"от {order.date}    № {order.number}", align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(order.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(order.preamble, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph("ПРИКАЗЫВАЮ:", bold=True)
    for i, clause in enumerate(order.clauses, start=1):
        paragraph(f"{i}. {clause}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    for row in order.rows:
        cells = table.add_row().cells
        cells[0].text = str(row.number)
        cells[1].text = row.mentor
        cells[2].text = "\n".join(row.mentees)
        cells[3].text = row.plan
        cells[4].text = row.period
    document.add_paragraph()
    paragraph(f"{order.head_position} ____________________ {order.head_name}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
