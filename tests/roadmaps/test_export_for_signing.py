"""The export ready to sign: «УТВЕРЖДАЮ» with the order, a № column with the document's numbering,
sections as merged rows, landscape, the header row on every page and no row split across pages —
in the DOCX (tblHeader, cantSplit) and in the PDF (read back page by page)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from nastavnik.accounts.models import Role
from nastavnik.base.text import BLANK_DATE
from nastavnik.roadmaps import documents
from nastavnik.roadmaps.models import EventResponsible, Roadmap, RoadmapEvent, RoadmapSection
from tests.factories import user_with_role

D = dt.date
SECTIONS = 8
PER_SECTION = 15


def long_roadmap(organisation, *, numbered: bool = False) -> Roadmap:  # type: ignore[no-untyped-def]
    """~120 events in 8 sections, rows of very different heights, each deadline a different day."""
    roadmap = Roadmap.objects.create(
        organisation=organisation,
        title="Дорожная карта реализации программы наставничества на 2025–2026 учебный год",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
    )
    position = 0
    for s in range(SECTIONS):
        section = RoadmapSection.objects.create(
            roadmap=roadmap,
            position=s + 1,
            number=str(s + 1) if numbered else "",
            title=f"Направление работы {s + 1}",
        )
        for k in range(PER_SECTION):
            position += 1
            due = D(2025, 9, 1) + dt.timedelta(days=position * 2)
            lines = 1 + (position * 7) % 9  # from one line to nine: some rows are tall
            event = RoadmapEvent.objects.create(
                roadmap=roadmap,
                section=section,
                position=position,
                number=f"{s + 1}.{k + 1}" if numbered else "",
                title=f"Мероприятие T{position:03d}: подготовка и проведение этапа программы наставничества",
                content="\n".join(
                    f"Пункт {n + 1} содержания мероприятия, описанный подробно" for n in range(lines)
                )
                + f"\nконец E{position:03d}",
                deadline_text=f"до {due:%d.%m.%Y}",
                ends_on=due,
            )
            EventResponsible.objects.create(event=event, text="Куратор программы")
    return roadmap


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_of_a_long_roadmap_repeats_the_header_and_splits_no_row(school_x):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x)
    reader = PdfReader(io.BytesIO(documents.export_pdf(roadmap)))
    pages = [flat(page.extract_text()) for page in reader.pages]
    assert len(pages) >= 5
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    for number, text in enumerate(pages, 1):
        assert "Сроки исполнения" in text and "Ответственные" in text, f"no header row on page {number}"
    assert "УТВЕРЖДАЮ" in pages[0]
    for position in range(1, SECTIONS * PER_SECTION + 1):
        event = roadmap.events.get(position=position)
        holding = [n for n, text in enumerate(pages) if f"T{position:03d}" in text]
        assert len(holding) == 1, f"row T{position:03d} is on pages {holding}"
        page = pages[holding[0]]
        assert event.deadline_text in page, f"row T{position:03d}: the deadline is on another page"
        assert f"E{position:03d}" in page, f"row T{position:03d}: its end is on another page"


def test_the_pdf_numbers_rows_as_the_document_and_keeps_sections_merged(school_x):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x)
    html = documents.export_html(roadmap)
    assert "thead { display: table-header-group; }" in html
    assert "break-inside: avoid" in html
    assert (
        f'<td class="section" colspan="{len(documents.export_columns(roadmap, list(roadmap.events.all())))}">1. Направление работы 1'
        in html
    )
    assert '<td class="number">1.1</td>' in html and '<td class="number">8.15</td>' in html


def test_the_docx_is_ready_to_sign(school_x):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x)
    roadmap.approval_position = "Директор МБОУ «СОШ № 7»"
    roadmap.approval_name = "С.Н. Демаков"
    roadmap.approval_date = D(2025, 9, 1)
    roadmap.approval_order = "198/1"
    roadmap.save()
    document = Document(io.BytesIO(documents.export_docx(roadmap)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:4] == [
        "УТВЕРЖДАЮ",
        "Директор МБОУ «СОШ № 7»",
        "_____________ С.Н. Демаков",
        "Приказ от «01» сентября 2025 г. № 198/1",
    ]
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    table = document.tables[0]
    rows = table.rows
    assert rows[0].cells[0].text == "№ п/п"
    header_pr = rows[0]._tr.trPr
    assert header_pr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    # a section is one merged row; its events are numbered 1.1, 1.2 …
    assert len({id(cell._tc) for cell in rows[1].cells}) == 1
    assert rows[1].cells[0].text == "1. Направление работы 1"
    assert [rows[2].cells[0].text, rows[3].cells[0].text] == ["1.1", "1.2"]
    assert rows[-1].cells[0].text == "8.15"
    assert len(rows) == 1 + SECTIONS + SECTIONS * PER_SECTION


def test_the_roadmaps_own_numbers_are_kept(school_x):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x, numbered=True)
    roadmap.events.filter(position=1).update(number="1.1.")
    table = Document(io.BytesIO(documents.export_docx(roadmap))).tables[0]
    assert table.rows[2].cells[0].text == "1.1."


def test_the_approval_comes_from_the_organisations_head(school_x):  # type: ignore[no-untyped-def]
    school_x.head_name = "И.И. Петрова"
    school_x.head_position = "Директор"
    school_x.save()
    roadmap = long_roadmap(school_x)
    assert documents.approval_lines(roadmap) == [
        "УТВЕРЖДАЮ",
        "Директор Школа X",
        "_____________ И.И. Петрова",
        BLANK_DATE,
    ]


def test_the_export_form_asks_once_and_remembers(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    school_x.head_name = "И.И. Петрова"
    school_x.save()
    roadmap = long_roadmap(school_x)
    client = client_for(school_x_curator)
    form = client.get(reverse("roadmaps:sign", args=[roadmap.pk])).content.decode()
    assert 'value="И.И. Петрова"' in form
    response = client.post(
        reverse("roadmaps:sign", args=[roadmap.pk]),
        {
            "position": "Директор МБОУ «СОШ № 7»",
            "name": "С.Н. Демаков",
            "approved_on": "2025-09-01",
            "order": "45-о",
            "fmt": "pdf",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "roadmaps:export", args=[roadmap.pk, "pdf"]
    )
    roadmap.refresh_from_db()
    assert (roadmap.approval_name, roadmap.approval_order, roadmap.approval_date) == (
        "С.Н. Демаков",
        "45-о",
        D(2025, 9, 1),
    )
    again = client.get(reverse("roadmaps:sign", args=[roadmap.pk])).content.decode()
    assert 'value="45-о"' in again


def test_only_its_curators_set_the_approval(client_for, school_x, school_y):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x)
    specialist = user_with_role(Role.SPECIALIST, organisation=school_x)
    data = {"position": "Директор", "name": "А.А. Иванов", "order": "1"}
    assert client_for(specialist).post(reverse("roadmaps:sign", args=[roadmap.pk]), data).status_code == 403
    other = user_with_role(Role.PROGRAM_CURATOR, organisation=school_y)
    assert client_for(other).post(reverse("roadmaps:sign", args=[roadmap.pk]), data).status_code == 404
    roadmap.refresh_from_db()
    assert roadmap.approval_name == ""


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_export_downloads(client_for, school_x, school_x_curator, fmt):  # type: ignore[no-untyped-def]
    roadmap = long_roadmap(school_x)
    response = client_for(school_x_curator).get(reverse("roadmaps:export", args=[roadmap.pk, fmt]))
    assert response.status_code == 200
    assert response.content[:4] in (b"%PDF", b"PK\x03\x04")


def test_a_municipal_roadmap_without_an_approver_leaves_blanks_to_fill_in(municipality_a):  # type: ignore[no-untyped-def]
    roadmap = Roadmap.objects.create(
        municipality=municipality_a,
        title="Муниципальная дорожная карта",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
    )
    assert documents.approval_lines(roadmap) == [
        "УТВЕРЖДАЮ",
        documents.BLANK_POSITION,
        "_____________ ________________",
        BLANK_DATE,
    ]
