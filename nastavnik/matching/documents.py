"""The director's order «О закреплении наставнических пар (групп)» of a confirmed run, as DOCX
(python-docx) and PDF (WeasyPrint from an HTML version). Both are built from the memberships
the confirmation created, so the order lists exactly the pairs that exist."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from django.template.loader import render_to_string

from nastavnik.base import documents
from nastavnik.base.documents import BLANK_NUMBER, Order, Table, pdf_from_html, signatory
from nastavnik.base.names import FEMALE, person_gender, person_name_in
from nastavnik.base.text import program_named, quoted, russian_date
from nastavnik.mentoring.models import GroupMembership
from nastavnik.orgs.models import ProgramKind
from nastavnik.registry.models import Person

from .models import MatchingRun

TABLE_HEADER = ["№", "Наставник", "Наставляемый(е)", "Форма наставничества"]
TABLE_WIDTHS_CM = (1, 5.5, 6.5, 4)


def _assignment(mentor: Person, mentees: list[Person], form: str) -> str:
    """«Закрепить за наставником Ивановым Иваном Ивановичем (10А класс) наставляемого Петрова
    Петра Петровича (6А класс), форма наставничества «Ученик – ученик».» — the names in the cases
    the sentence needs."""
    if len(mentees) == 1:
        word = "наставляемую" if person_gender(mentees[0]) == FEMALE else "наставляемого"
    else:
        word = "наставляемых"
    names = ", ".join(_in_case(m, "accs") for m in mentees)
    return f"Закрепить за наставником {_in_case(mentor, 'ablt')} {word} {names}, форма наставничества {quoted(form)}."


def _in_case(person: Person, case: str) -> str:
    note = f"{person.school_class} класс" if person.school_class else person.position.lower()
    name = person_name_in(person, case)
    return f"{name} ({note})" if note else name


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
class OrderData(Order):
    rows: list[OrderRow]

    @property
    def pairs(self) -> int:
        return sum(len(row.mentees) for row in self.rows)


def order_fingerprint(data: OrderData) -> str:
    """What the order says, as a SHA-256: a stored PDF whose fingerprint differs is out of date."""
    text = json.dumps(asdict(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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
    assignments: list[str] = []
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
        assignments.append(
            _assignment(group.mentor.person, [m.mentee.person for m in members], str(group.form))
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
        f"В соответствии с {basis}, в целях реализации {program_named(program.title)} "
        f"на {program.academic_year_label} учебный год и по итогам формирования наставнических пар (групп)"
    )
    clauses = [
        *assignments,
        "Куратору программы наставничества организовать встречи-знакомства наставников и наставляемых, "
        "разработку индивидуальных планов (персонализированных программ наставничества) и мониторинг "
        "работы пар (групп).",
        "Контроль исполнения приказа оставляю за собой.",
    ]
    head_position, head_name = signatory(organisation)
    return OrderData(
        organisation=organisation.name,
        number=run.order_number or BLANK_NUMBER,
        date=russian_date(run.order_date),
        title="О закреплении наставнических пар (групп)",
        preamble=preamble,
        clauses=clauses,
        rows=rows,
        head_position=head_position,
        head_name=head_name,
    )


def order_docx(data: OrderData) -> bytes:
    rows = [[str(row.number), row.mentor, "\n".join(row.mentees), row.form] for row in data.rows]
    return documents.order_docx(data, Table(TABLE_HEADER, rows), widths_cm=TABLE_WIDTHS_CM)


def order_html(data: OrderData) -> str:
    return render_to_string("matching/order_print.html", {"order": data})


def order_pdf(data: OrderData) -> bytes:
    return pdf_from_html(order_html(data))
