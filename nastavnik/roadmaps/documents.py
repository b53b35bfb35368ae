"""Export of a roadmap ready to sign: DOCX and PDF in the usual form (the «УТВЕРЖДАЮ» block with
the order, the title, a landscape table with a № column, sections as merged rows, the header row
repeated on every page and no row split across pages), and XLSX.

The DOCX is what the importer reads back: the same columns and section rows, so that a roadmap
exported and imported again has the same events.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from nastavnik.base.documents import (
    BLANK_NAME,
    Margins,
    add_table,
    docx_bytes,
    new_docx,
    pdf_from_html,
    xlsx_bytes,
)
from nastavnik.base.exports import append_row
from nastavnik.base.text import russian_date

from .models import EventResponsible, ResponsibleLevel, Roadmap, RoadmapEvent, RoadmapSection

MARGINS = Margins(left=1.5, right=1.5, top=1.5, bottom=1.5)
BLANK_POSITION = "______________________________"  # the position, to be written in by hand


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width_cm: float


def export_columns(roadmap: Roadmap, events: list[RoadmapEvent]) -> list[ExportColumn]:
    """The columns the roadmap uses, in the usual order."""
    columns = [ExportColumn("number", "№ п/п", 1.3)]
    columns.append(ExportColumn("title", "Мероприятие", 7.5))
    if any(e.content for e in events):
        columns.append(ExportColumn("content", "Содержание", 6.0))
    columns.append(ExportColumn("deadline", "Сроки исполнения", 3.2))
    if roadmap.has_municipal_level:
        columns.append(ExportColumn("responsible_municipal", "Ответственные (муниципальный уровень)", 3.8))
        columns.append(ExportColumn("responsible_org", "Ответственные (ОО)", 3.8))
    else:
        columns.append(ExportColumn("responsible", "Ответственные", 4.5))
    if any(e.expected_result for e in events):
        columns.append(ExportColumn("expected_result", "Ожидаемый результат", 3.8))
    if any(e.indicator for e in events):
        columns.append(ExportColumn("indicator", "Показатели эффективности", 3.8))
    return columns


def _responsibles(event: RoadmapEvent, level: str | None) -> str:
    items: list[EventResponsible] = list(event.responsibles.all())
    if level == ResponsibleLevel.MUNICIPAL:
        items = [r for r in items if r.level == ResponsibleLevel.MUNICIPAL]
    elif level == ResponsibleLevel.ORGANISATION:
        items = [r for r in items if r.level != ResponsibleLevel.MUNICIPAL]
    return "\n".join(r.text for r in items)


def cell_value(event: RoadmapEvent, key: str, numbers: dict[int, str] | None = None) -> str:
    if key == "number":
        return (numbers or {}).get(event.pk, event.number)
    if key == "title":
        return event.title
    if key == "content":
        return event.content
    if key == "deadline":
        return event.deadline_text
    if key == "responsible":
        return _responsibles(event, None)
    if key == "responsible_municipal":
        return _responsibles(event, ResponsibleLevel.MUNICIPAL)
    if key == "responsible_org":
        return _responsibles(event, ResponsibleLevel.ORGANISATION)
    if key == "expected_result":
        return event.expected_result
    if key == "indicator":
        return event.indicator
    return ""


def _approver(roadmap: Roadmap) -> tuple[str, str]:
    """(position, name) of who approves: as set on the roadmap, else the organisation's head."""
    position, name = roadmap.approval_position, roadmap.approval_name
    organisation = roadmap.organisation
    if organisation is not None:
        if not position and organisation.head_position:
            position = f"{organisation.head_position} {organisation.short_name}"
        name = name or organisation.head_name
    return position, name


def approval_lines(roadmap: Roadmap) -> list[str]:
    """The «УТВЕРЖДАЮ» block: position, signature line with the name, the order and its date
    (blanks to be filled in by hand where they are not known yet)."""
    position, name = _approver(roadmap)
    lines = ["УТВЕРЖДАЮ", position or BLANK_POSITION]
    lines.append(f"_____________ {name or BLANK_NAME}")
    if roadmap.approval_order:
        order = roadmap.approval_order.strip()
        order = order if order.startswith("№") else f"№ {order}"
        lines.append(f"Приказ от {russian_date(roadmap.approval_date)} {order}")
    else:
        lines.append(russian_date(roadmap.approval_date))
    return lines


def _rows(roadmap: Roadmap, events: list[RoadmapEvent]) -> list[RoadmapSection | RoadmapEvent]:
    """Events in order with a section row before the first event of each section."""
    rows: list[RoadmapSection | RoadmapEvent] = []
    current: int | None = None
    for event in events:
        if event.section_id and event.section_id != current and event.section is not None:
            rows.append(event.section)
        current = event.section_id
        rows.append(event)
    return rows


def numbering(rows: list[RoadmapSection | RoadmapEvent]) -> tuple[dict[int, str], dict[int, str]]:
    """The document's numbering, (sections, events) by pk: the roadmap's own numbers when every
    row has one, else 1, 1.1, 1.2, 2, 2.1 … (events outside sections are numbered on their own)."""
    if all(row.number for row in rows):
        return (
            {r.pk: r.number for r in rows if isinstance(r, RoadmapSection)},
            {r.pk: r.number for r in rows if isinstance(r, RoadmapEvent)},
        )
    sections: dict[int, str] = {}
    events: dict[int, str] = {}
    top = 0
    inner = 0
    section_number = ""
    for row in rows:
        if isinstance(row, RoadmapSection):
            top += 1
            inner = 0
            section_number = str(top)
            sections[row.pk] = section_number
        elif row.section_id and section_number:
            inner += 1
            events[row.pk] = f"{section_number}.{inner}"
        else:
            top += 1
            section_number = ""
            events[row.pk] = str(top)
    return sections, events


def _events(roadmap: Roadmap) -> list[RoadmapEvent]:
    return list(
        roadmap.events.select_related("section").prefetch_related("responsibles").order_by("position")
    )


def _keep_row_whole(row: object) -> None:
    """Word moves a row that does not fit to the next page instead of splitting it."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # type: ignore[attr-defined]


def _section_title(section: RoadmapSection, number: str) -> str:
    return f"{number}. {section.title}" if number else section.title


def export_docx(roadmap: Roadmap) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    events = _events(roadmap)
    columns = export_columns(roadmap, events)
    rows = _rows(roadmap, events)
    section_numbers, event_numbers = numbering(rows)
    document = new_docx(MARGINS, landscape=True)

    for line in approval_lines(roadmap):
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(roadmap.title)
    run.bold = True

    table = add_table(document, [c.header for c in columns], widths_cm=[c.width_cm for c in columns])
    _keep_row_whole(table.rows[0])
    keys = [c.key for c in columns]
    for row in rows:
        table_row = table.add_row()
        _keep_row_whole(table_row)
        cells = table_row.cells
        if isinstance(row, RoadmapSection):
            number = section_numbers.get(row.pk, row.number)
            if row.deadline_text:
                # a stage with its own dates, as municipal roadmaps have: «1. | Подготовка… | Май-октябрь»
                cells[keys.index("number")].text = number
                cells[keys.index("title")].text = row.title
                cells[keys.index("deadline")].text = row.deadline_text
                for cell in cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
                continue
            merged = cells[0].merge(cells[-1])
            merged.text = _section_title(row, number)
            merged.paragraphs[0].runs[0].bold = True
            continue
        for index, column in enumerate(columns):
            cells[index].text = cell_value(row, column.key, event_numbers)
    return docx_bytes(document)


def export_xlsx(roadmap: Roadmap) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    events = _events(roadmap)
    columns = export_columns(roadmap, events)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Дорожная карта"
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in approval_lines(roadmap):
        append_row(sheet, [*([""] * (len(columns) - 1)), line])
    append_row(sheet, [roadmap.title])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=13)
    sheet.append([])
    append_row(sheet, [c.header for c in columns])
    for index in range(1, len(columns) + 1):
        sheet.cell(sheet.max_row, index).font = Font(bold=True)
        sheet.cell(sheet.max_row, index).alignment = wrap
    rows = _rows(roadmap, events)
    section_numbers, event_numbers = numbering(rows)
    for row in rows:
        if isinstance(row, RoadmapSection):
            append_row(sheet, [_section_title(row, section_numbers.get(row.pk, row.number))])
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(columns)
            )
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            continue
        append_row(sheet, [cell_value(row, c.key, event_numbers) for c in columns])
        for index in range(1, len(columns) + 1):
            sheet.cell(sheet.max_row, index).alignment = wrap
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width_cm * 5
    return xlsx_bytes(workbook)


def export_html(roadmap: Roadmap) -> str:
    events = _events(roadmap)
    columns = export_columns(roadmap, events)
    table_rows = _rows(roadmap, events)
    section_numbers, event_numbers = numbering(table_rows)
    rows: list[dict[str, object]] = []
    for row in table_rows:
        if isinstance(row, RoadmapSection):
            rows.append(
                {"section": row, "title": _section_title(row, section_numbers.get(row.pk, row.number))}
            )
        else:
            rows.append({"cells": [cell_value(row, c.key, event_numbers) for c in columns]})
    return render_to_string(
        "roadmaps/export_pdf.html",
        {"roadmap": roadmap, "columns": columns, "rows": rows, "approval": approval_lines(roadmap)},
    )


def export_pdf(roadmap: Roadmap) -> bytes:
    return pdf_from_html(export_html(roadmap))
