"""What recognition generates, as DOCX (python-docx) and PDF (WeasyPrint from HTML):

- the procedure «Порядок выбора лучшего наставника» with its criteria, sources, normalisation
  and weights;
- the order «О поощрении наставников» granting the awards, each point naming the mentor in the
  case its sentence needs («объявить благодарность Ивановой Марии Петровне»);
- the award's certificate: a letter of gratitude (portrait) or a certificate of honour
  (landscape), with the head's signature block.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from nastavnik.base import documents
from nastavnik.base.documents import (
    BLANK_NUMBER,
    Margins,
    Order,
    Table,
    add_paragraph,
    add_table,
    centered,
    docx_bytes,
    new_docx,
    pdf_from_html,
    signatory,
)
from nastavnik.base.names import person_name_in
from nastavnik.base.text import russian_date
from nastavnik.orgs.models import academic_year_label

from .models import (
    AMOUNT_FIELD,
    LEVEL_POINTS,
    NAME_FIELD,
    RESULT_FACTORS,
    Award,
    AwardOrder,
    CertificateKind,
    CompetitionLevel,
    CompetitionResult,
    CriterionCode,
    Procedure,
    amount_text,
)
from .ranking import SOURCES, normalisation_rule

PROCEDURE_MARGINS = Margins(left=2.5, right=1.5, top=2, bottom=2)
CERTIFICATE_MARGINS = Margins(left=2, right=2, top=2, bottom=2)
ORDER_HEADER = ["№", "ФИО наставника", "Должность", "Форма поощрения", "Основание"]
ORDER_WIDTHS_CM = (1, 4.5, 3.5, 3.5, 4.5)


# --- the procedure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureData:
    owner: str
    title: str
    approval: str
    provisions: list[str]
    criteria: list[list[str]]
    competitions: list[list[str]]
    target: str
    max_total: int


def procedure_data(procedure: Procedure) -> ProcedureData:
    criteria = sorted(procedure.criteria.all(), key=lambda c: list(CriterionCode.values).index(c.code))
    owner = procedure.organisation.name if procedure.organisation else procedure.municipality.name  # type: ignore[union-attr]
    approval = (
        "Утверждён" if procedure.order_number or procedure.approved_on else "Проект (не утверждён приказом)"
    )
    if procedure.order_number:
        approval += f" приказом № {procedure.order_number}"
    if procedure.approved_on:
        approval += f" от {russian_date(procedure.approved_on)}"
    provisions = [p.strip() for p in procedure.general_provisions.splitlines() if p.strip()] or [
        "Настоящий Порядок определяет критерии и процедуру выбора лучшего наставника по итогам учебного года.",
    ]
    provisions.append(
        "Рейтинг наставников составляется по данным системы «Наставник»: по каждому критерию берётся "
        "исходный показатель наставника, он переводится в долю от 0 до 1 (доля от наибольшего значения "
        "шкалы или от лучшего значения среди наставников), доля умножается на вес критерия; баллы "
        "округляются до сотых и складываются. При равенстве сумм наставники делят место."
    )
    rows = [
        [
            str(n),
            CriterionCode(c.code).label,
            SOURCES[CriterionCode(c.code)],
            normalisation_rule(c.code),
            str(c.weight),
        ]
        for n, c in enumerate(criteria, start=1)
    ]
    competitions = [
        [
            level.label,
            str(LEVEL_POINTS[level]),
            *[str(LEVEL_POINTS[level] * RESULT_FACTORS[r]) for r in CompetitionResult],
        ]
        for level in CompetitionLevel
    ]
    target = ""
    if procedure.competition_target:
        target = (
            f"Целевой показатель: не менее {procedure.competition_target} участников региональных и "
            "всероссийских конкурсов за учебный год."
        )
    return ProcedureData(
        owner=owner,
        title=procedure.title,
        approval=approval,
        provisions=provisions,
        criteria=rows,
        competitions=competitions,
        target=target,
        max_total=sum(c.weight for c in criteria),
    )


CRITERIA_HEADER = ["№", "Критерий", "Откуда берётся показатель", "Как нормируется", "Вес, баллов"]
COMPETITION_HEADER = ["Уровень конкурса", "Баллы уровня", *[f"{r.label}" for r in CompetitionResult]]


def procedure_docx(data: ProcedureData) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(PROCEDURE_MARGINS)
    add_paragraph(document, f"{data.approval}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    centered(document, data.owner, bold=True)
    centered(document, data.title.upper(), bold=True, size=14)
    add_paragraph(document, "1. Общие положения", bold=True)
    for number, text in enumerate(data.provisions, start=1):
        add_paragraph(document, f"1.{number}. {text}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add_paragraph(document, f"2. Критерии и веса (наибольшая сумма — {data.max_total} баллов)", bold=True)
    add_table(document, CRITERIA_HEADER, data.criteria, widths_cm=(1, 3.5, 6, 3.5, 2))
    add_paragraph(document, "3. Баллы участия в конкурсах (уровень × результат)", bold=True)
    add_table(document, COMPETITION_HEADER, data.competitions)
    if data.target:
        add_paragraph(document, data.target)
    return docx_bytes(document)


def procedure_pdf(data: ProcedureData) -> bytes:
    return pdf_from_html(
        render_to_string(
            "recognition/procedure_print.html",
            {"p": data, "criteria_header": CRITERIA_HEADER, "competition_header": COMPETITION_HEADER},
        )
    )


# --- the order -------------------------------------------------------------------------------------


def award_clause(award: Award) -> str:
    """«Объявить благодарность Ивановой Марии Петровне (учитель математики) за …»."""
    person = award.person
    name = person_name_in(person, award.kind.name_case)
    note = f"{person.school_class} класс" if person.school_class else person.position.lower()
    if note:
        name = f"{name} ({note})"
    text = award.kind.clause.format_map({NAME_FIELD: name, AMOUNT_FIELD: amount_text(award.amount)})
    return f"{text} {award.reason}".strip().rstrip(".") + "."


@dataclass(frozen=True)
class OrderData(Order):
    rows: list[list[str]]


def order_data(order: AwardOrder, awards: list[Award]) -> OrderData:
    organisation = order.organisation
    preamble = order.preamble or (
        "В соответствии с Порядком выбора лучшего наставника, по итогам реализации программы "
        f"наставничества в {academic_year_label(order.academic_year)} учебном году и на основании "
        "рейтинга наставников"
    )
    rows = [
        [
            str(n),
            a.person.full_name,
            a.person.position
            or (f"обучающийся {a.person.school_class} класса" if a.person.school_class else ""),
            a.kind.name + (f", {amount_text(a.amount)} руб." if a.amount is not None else ""),
            a.reason,
        ]
        for n, a in enumerate(awards, start=1)
    ]
    head_position, head_name = signatory(organisation)
    return OrderData(
        organisation=organisation.name,
        number=order.number or BLANK_NUMBER,
        date=russian_date(order.signed_on),
        title=order.title,
        preamble=preamble + ",",
        clauses=[*[award_clause(a) for a in awards], "Контроль исполнения приказа оставляю за собой."],
        head_position=head_position,
        head_name=head_name,
        rows=rows,
    )


def order_docx(data: OrderData) -> bytes:
    return documents.order_docx(data, Table(ORDER_HEADER, data.rows), widths_cm=ORDER_WIDTHS_CM)


def order_pdf(data: OrderData) -> bytes:
    return pdf_from_html(
        render_to_string("recognition/order_print.html", {"order": data, "header": ORDER_HEADER})
    )


# --- the certificate ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateData:
    landscape: bool
    heading: str
    lines: list[str]
    name: str
    reason: str
    organisation: str
    head_position: str
    head_name: str
    basis: str
    place_and_date: str


def certificate_data(award: Award) -> CertificateData:
    organisation = award.order.organisation
    person = award.person
    head_position, head_name = signatory(organisation)
    basis = f"Приказ № {award.order.number or BLANK_NUMBER} от {russian_date(award.order.signed_on)}"
    if award.kind.certificate == CertificateKind.DIPLOMA:
        return CertificateData(
            landscape=True,
            heading="ПОЧЁТНАЯ ГРАМОТА",
            lines=["награждается"],
            name=person_name_in(person, "nomn"),
            reason=award.reason,
            organisation=organisation.name,
            head_position=head_position,
            head_name=head_name,
            basis=basis,
            place_and_date=russian_date(award.order.signed_on),
        )
    return CertificateData(
        landscape=False,
        heading="БЛАГОДАРСТВЕННОЕ ПИСЬМО",
        lines=[f"Администрация {organisation.short_name} выражает искреннюю благодарность"],
        name=person_name_in(person, "datv"),
        reason=award.reason,
        organisation=organisation.name,
        head_position=head_position,
        head_name=head_name,
        basis=basis,
        place_and_date=russian_date(award.order.signed_on),
    )


def certificate_docx(data: CertificateData) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(CERTIFICATE_MARGINS, landscape=data.landscape)
    centered(document, data.organisation, size=12)
    document.add_paragraph()
    centered(document, data.heading, bold=True, size=28)
    document.add_paragraph()
    for line in data.lines:
        centered(document, line, size=16)
    centered(document, data.name, bold=True, size=20)
    centered(document, data.reason, size=16)
    document.add_paragraph()
    add_paragraph(
        document,
        f"{data.head_position} {documents.SIGNATURE_LINE} {data.head_name}",
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    add_paragraph(document, "М. П.")
    add_paragraph(document, f"{data.basis}. {data.place_and_date}", size=10)
    return docx_bytes(document)


def certificate_pdf(data: CertificateData) -> bytes:
    return pdf_from_html(render_to_string("recognition/certificate_print.html", {"c": data}))
