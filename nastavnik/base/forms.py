from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """A date picker: the browser's own, fed ISO dates."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def form_errors_as_text(form: forms.BaseForm) -> str:
    """All errors of a form as one Russian sentence, for a flash message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)
