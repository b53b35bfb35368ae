"""Everything the registry generates: the XLSX export of people and the printable consent forms."""

from .consent_forms import consent_forms_docx, consent_forms_html, consent_forms_pdf
from .export import HEADERS, export_queryset, registry_export_xlsx

__all__ = [
    "HEADERS",
    "consent_forms_docx",
    "consent_forms_html",
    "consent_forms_pdf",
    "export_queryset",
    "registry_export_xlsx",
]
