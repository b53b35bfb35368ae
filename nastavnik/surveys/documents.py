"""Paper and spreadsheet: the printable PDF of a questionnaire (WeasyPrint) and the XLSX of
a campaign's answers (openpyxl)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from nastavnik.base.documents import pdf_from_html, xlsx_bytes
from nastavnik.base.exports import append_row

from . import selectors
from .models import Campaign, Questionnaire, Response
from .selectors import CampaignResults


def questionnaire_pdf(
    request: HttpRequest,
    questionnaire: Questionnaire,
    *,
    sheets: Sequence[tuple[Response, str] | None],
    campaign: Campaign | None = None,
) -> bytes:
    """One printed questionnaire per sheet: a respondent with their personal link, or None for
    a blank form."""
    pages: list[dict[str, Any]] = []
    blank = selectors.form_view(questionnaire)
    for sheet in sheets:
        if sheet is None:
            pages.append({"response": None, "url": "", "sections": blank})
        else:
            response, url = sheet
            pages.append(
                {"response": response, "url": url, "sections": selectors.form_view(questionnaire, response)}
            )
    html = render_to_string(
        "surveys/print.html",
        {
            "questionnaire": questionnaire,
            "campaign": campaign,
            "deadline_on": selectors.deadline_on(campaign) if campaign else None,
            "pages": pages,
        },
        request=request,
    )
    return pdf_from_html(html, base_url=request.build_absolute_uri("/"))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def campaign_xlsx(campaign: Campaign, results: CampaignResults) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Ответы"
    header = ["Респондент", "Класс", "О ком", "Состояние", "Отправлена", "Внесено с бумаги"]
    header += [q.text for q in results.questions]
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    tz = ZoneInfo(campaign.program.organisation.timezone)  # the school's local time
    for row in results.rows:
        response = row.response
        append_row(
            sheet,
            [
                response.respondent.full_name,
                response.respondent.school_class,
                response.about_person.full_name if response.about_person else "",
                response.get_status_display(),
                timezone.localtime(response.submitted_at, tz).replace(tzinfo=None)
                if response.submitted_at
                else None,
                "да" if response.entered_by_id else "",
                *row.cells,
            ],
        )
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 34
    for index in range(7, len(header) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 28

    summary = workbook.create_sheet("Сводка")
    append_row(summary, [campaign.title])
    summary.append(["Анкет", results.total, "Отправлено", results.submitted, "Доля ответов, %", results.rate])
    summary.append([])
    summary.append(["Вопрос", "Вариант", "Ответов", "%", "Среднее"])
    for cell in summary[4]:
        cell.font = Font(bold=True)
    for item in results.summaries:
        if item.bars:
            for bar in item.bars:
                append_row(summary, [item.question.text, bar.label, bar.count, bar.percent, item.average])
        else:
            append_row(summary, [item.question.text, "", item.answered, None, item.average])
    summary.column_dimensions["A"].width = 60
    summary.column_dimensions["B"].width = 40
    return xlsx_bytes(workbook)
