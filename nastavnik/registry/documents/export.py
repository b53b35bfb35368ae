"""Export of the registry to XLSX, in the columns the importer understands (so an export
re-imports cleanly into another organisation), plus the organisation and the consent state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from nastavnik.base.documents import xlsx_bytes
from nastavnik.base.exports import safe_cell
from nastavnik.base.time import local_today

from ..consents import consent_state
from ..models import GuardianLink, Person, PersonKind

HEADERS = (
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Класс",
    "Вид участника",
    "Должность",
    "Стаж, лет",
    "Молодой специалист",
    "E-mail",
    "Телефон",
    "Категории",
    "Родитель / законный представитель",
    "Организация",
    "Согласие на обработку ПДн",
)
DATE_FORMAT = "DD.MM.YYYY"
MAX_WIDTH = 60


def export_queryset(people: QuerySet[Person]) -> QuerySet[Person]:
    """What one export needs, in a fixed number of queries."""
    return people.select_related("organisation").prefetch_related(
        "categories",
        "consents",
        Prefetch("guardian_links", queryset=GuardianLink.objects.select_related("guardian").order_by("pk")),
    )


def _row(person: Person, today_by_org: dict[int, dt.date]) -> list[Any]:
    today = today_by_org.get(person.organisation_id)
    if today is None:
        today = today_by_org[person.organisation_id] = local_today(person.organisation)
    school_class = person.study_group if person.kind == PersonKind.COLLEGE_STUDENT else person.school_class
    return [
        person.last_name,
        person.first_name,
        person.middle_name,
        person.birth_date,
        school_class,
        person.get_kind_display(),
        person.position,
        person.experience_today,
        "да" if person.is_young_specialist else "",
        person.email,
        person.phone,
        ", ".join(category.short_name for category in person.categories.all()),
        "; ".join(link.guardian.full_name for link in person.guardian_links.all()),
        person.organisation.short_name,
        consent_state(person, today, person.consents.all()).summary,
    ]


def registry_export_xlsx(people: QuerySet[Person]) -> bytes:
    """An XLSX workbook of `people` (already filtered by the caller's access and filters)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    today_by_org: dict[int, dt.date] = {}
    rows = [_row(person, today_by_org) for person in export_queryset(people)]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Участники")
    widths = [len(header) + 4 for header in HEADERS]
    for values in rows:
        for index, value in enumerate(values):
            length = 10 if isinstance(value, dt.date) else len(str(value or ""))
            widths[index] = max(widths[index], min(length + 2, MAX_WIDTH))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(len(HEADERS))
    sheet.auto_filter.ref = f"A1:{last_column}{len(rows) + 1}"

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(vertical="top", wrap_text=True)
    header_cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows:
        cells: list[Any] = []
        for value in values:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(safe_cell(sheet, value) if value not in ("", None) else None)
        sheet.append(cells)
    return xlsx_bytes(workbook)
