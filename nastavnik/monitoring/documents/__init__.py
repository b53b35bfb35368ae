"""Everything monitoring generates: the organisation's annual report (DOCX, PDF, with the charts
drawn for it), the numbers for the regional mentoring centre laid out like a form and the
consolidated municipal base of mentors and mentees (XLSX).

matplotlib loads with the first report's charts, not with this package (see `annual.charts`).
"""

from .annual import (
    AnnualReport,
    annual_report,
    annual_report_docx,
    annual_report_html,
    annual_report_pdf,
    format_base,
    format_target,
    format_value,
)
from .spreadsheets import municipal_base_xlsx, statistics_form_rows, statistics_xlsx

__all__ = [
    "AnnualReport",
    "annual_report",
    "annual_report_docx",
    "annual_report_html",
    "annual_report_pdf",
    "format_base",
    "format_target",
    "format_value",
    "municipal_base_xlsx",
    "statistics_form_rows",
    "statistics_xlsx",
]
