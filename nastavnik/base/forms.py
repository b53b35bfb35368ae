from __future__ import annotations

from django import forms


def form_errors_as_text(form: forms.BaseForm) -> str:
    """All errors of a form as one Russian sentence, for a flash message."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)
