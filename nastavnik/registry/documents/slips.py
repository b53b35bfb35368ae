"""Login slips: one PDF, a slip per person with cut lines, the login, the one-time code and a
QR code that opens the sign-in page with both filled in."""

from __future__ import annotations

from collections.abc import Sequence

import segno
from django.template.loader import render_to_string

from ..services.accounts import Slip


def qr_data_uri(url: str) -> str:
    """The QR code of a link as an SVG data URI (vector: sharp on any printer)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=1))


def slips_html(slips: Sequence[Slip]) -> str:
    return render_to_string(
        "registry/accounts_slips_pdf.html", {"slips": [(slip, qr_data_uri(slip.url)) for slip in slips]}
    )


def slips_pdf(slips: Sequence[Slip]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=slips_html(slips)).write_pdf())
