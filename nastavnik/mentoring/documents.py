"""The head's order approving the individual plans (персонализированные программы
наставничества) of a program, as DOCX: every pair whose current plan the curator approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from nastavnik.base import documents
from nastavnik.base.documents import BLANK_NUMBER, Order, Table, signatory
from nastavnik.base.text import program_named, russian_date
from nastavnik.orgs.models import Program, ProgramKind

from .models import GroupMembership, GroupStatus, IndividualPlan, PlanStatus

TABLE_HEADER = ["№", "Наставник", "Наставляемый(е)", "Индивидуальный план", "Срок реализации"]


@dataclass(frozen=True)
class PlanOrderRow:
    number: int
    mentor: str
    mentees: list[str]
    plan: str
    period: str


@dataclass(frozen=True)
class PlanOrder(Order):
    rows: list[PlanOrderRow]


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
    head_position, head_name = signatory(organisation)
    return PlanOrder(
        organisation=organisation.name,
        number=number or BLANK_NUMBER,
        date=russian_date(date),
        title="Об утверждении индивидуальных планов (персонализированных программ наставничества)",
        preamble=(
            f"В соответствии с {basis}, {program_named(program.title, case='instrumental')} на "
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
        head_position=head_position,
        head_name=head_name,
    )


def plan_order_docx(order: PlanOrder) -> bytes:
    rows = [[str(row.number), row.mentor, "\n".join(row.mentees), row.plan, row.period] for row in order.rows]
    return documents.order_docx(order, Table(TABLE_HEADER, rows))
