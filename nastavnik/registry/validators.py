"""Rules for values typed by hand and read from class lists alike: one rule, used by the person
form and by the import (so a name the import refuses cannot come in through the form)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Letters (Cyrillic and Latin), then letters, spaces, apostrophes, hyphens, dots and brackets: no
# digits, no «=», «+», «@» — nothing a spreadsheet would take for a formula.
NAME_RE = re.compile(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’ .\-–()]*$")


def validate_name_part(text: str, what: str) -> str:
    """`text` as a surname, first name, patronymic or full name (`what` names it in the message)."""
    if not NAME_RE.match(text):
        raise ValidationError(f"«{text}» — {what} может содержать только буквы, дефис и апостроф")
    return text
