"""The year's collection «Сборник лучших практик наставничества» of a region, as DOCX and PDF:
a title page, the contents, then one case per section (named where everyone shown consents to
dissemination, else anonymised). Both are built from the same list of sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.template.loader import render_to_string

from nastavnik.base.documents import Margins, add_paragraph, centered, docx_bytes, new_docx, pdf_from_html
from nastavnik.orgs.models import Region

from .models import Case
from .publicity import case_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

COLLECTION_TITLE = "Сборник лучших практик наставничества"
MARGINS = Margins(left=2.5, right=1.5, top=2, bottom=2)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    organisation: str
    municipality: str
    form: str
    topic: str
    people: str
    named: bool
    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Collection:
    region: str
    year_label: str
    made_on: dt.date
    sections: list[Section]


def build_collection(region: Region, year: int, cases: QuerySet[Case], day: dt.date) -> Collection:
    sections = []
    for number, case in enumerate(cases, start=1):
        text = case_text(case, day, named_wanted=True)
        sections.append(
            Section(
                number=number,
                title=text.title,
                organisation=case.organisation.name,
                municipality=case.organisation.municipality.name,
                form=case.form.name,
                topic=text.topic,
                people=", ".join(text.people)
                if text.named
                else "Кейс обезличен: нет согласия на распространение.",
                named=text.named,
                parts=(
                    ("Запрос", text.request),
                    ("Что было сделано", text.work_done),
                    ("Результат", text.result),
                ),
            )
        )
    return Collection(region=region.name, year_label=f"{year}/{year + 1}", made_on=day, sections=sections)


def _title_page(document: DocxDocument, collection: Collection) -> None:
    for _ in range(6):
        document.add_paragraph()
    centered(document, collection.region)
    centered(document, COLLECTION_TITLE.upper(), bold=True, size=18)
    centered(document, f"{collection.year_label} учебный год", size=14)
    centered(document, f"Кейсов: {len(collection.sections)}")


def collection_docx(collection: Collection) -> bytes:
    from docx.enum.text import WD_BREAK

    document = new_docx(MARGINS)
    _title_page(document, collection)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("Содержание", level=1)
    for section in collection.sections:
        add_paragraph(document, f"{section.number}. {section.title} — {section.organisation}")
    if not collection.sections:
        add_paragraph(document, "Принятых региональным центром кейсов за этот год нет.")
    for section in collection.sections:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(f"{section.number}. {section.title}", level=1)
        add_paragraph(document, f"{section.organisation} ({section.municipality})", bold=True)
        add_paragraph(document, f"Форма наставничества: {section.form}. Тема: {section.topic}.")
        add_paragraph(document, f"Участники: {section.people}")
        for heading, body in section.parts:
            document.add_heading(heading, level=2)
            for line in body.splitlines() or [""]:
                add_paragraph(document, line)
    return docx_bytes(document)


def collection_pdf(collection: Collection) -> bytes:
    html = render_to_string(
        "cases/collection_pdf.html", {"collection": collection, "title": COLLECTION_TITLE}
    )
    return pdf_from_html(html)
