"""Rendering the program's documents: a template (the organisation's own or the built-in one) filled
with the context by docxtpl, the PDF twin made from the filled DOCX, and the check of an uploaded
template (it must render with the document's context; unknown fields are named in Russian)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from nastavnik.base.documents import pdf_from_docx

from .builtin import builtin_template
from .context import FIELD_KEYS, fields_for
from .models import CustomTemplate, DocumentKind

# A field printed ({{ org.full_name }}) or looped over ({%p for item in program.tasks %}).
_TAG = re.compile(r"(?:\{\{\s*|\bin\s+)([a-z_]+(?:\.[a-z_]+)*)")


def template_bytes(kind: str, custom: CustomTemplate | None) -> bytes:
    if custom is not None and custom.file:
        with custom.file.open("rb") as stream:
            return bytes(stream.read())
    return builtin_template(kind)


def _environment(unknown: list[str] | None = None) -> Any:
    """Jinja for docxtpl; with `unknown`, every undefined name or attribute used is collected."""
    from jinja2 import Environment, Undefined

    if unknown is None:
        return Environment(autoescape=False)  # noqa: S701 — docxtpl escapes for XML itself

    collected = unknown

    class Recording(Undefined):
        def __init__(self, hint: Any = None, obj: Any = Undefined, name: Any = None, exc: Any = None) -> None:
            super().__init__(hint, obj, name, exc)
            if name is not None:
                collected.append(str(name))

    return Environment(autoescape=False, undefined=Recording)  # noqa: S701


def render_docx(template: bytes, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.render(context, _environment(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(template: bytes, context: dict[str, Any], title: str) -> bytes:
    return pdf_from_docx(render_docx(template, context), title)


@dataclass
class TemplateCheck:
    """What the check of an uploaded template found: errors refuse it, missing fields warn."""

    errors: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _used_fields(template: bytes) -> set[str]:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.init_docx()
    xml = document.get_xml()
    return set(_TAG.findall(re.sub(r"<[^>]+>", "", xml)))


def check_template(kind: str, template: bytes, context: dict[str, Any]) -> TemplateCheck:
    """Render the template with the real context: a syntax error or a field the context has not got
    refuses it; data fields of the built-in template that are missing from it are reported."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    check = TemplateCheck()
    unknown: list[str] = []
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render(context, _environment(unknown), autoescape=True)
    except TemplateError as error:
        check.errors.append(f"Ошибка в разметке шаблона: {error.message or error}.")
        return check
    except Exception:  # noqa: BLE001 — a broken .docx is the user's file, not our error
        check.errors.append("Файл не читается как документ Word (.docx) с разметкой шаблона.")
        return check
    if unknown:
        names = ", ".join(sorted(set(unknown)))
        check.errors.append(
            f"В шаблоне есть неизвестные поля: {names}. Доступные поля — на странице «Поля шаблонов»."
        )
    builtin_fields = _used_fields(builtin_template(kind)) & FIELD_KEYS
    kind_fields = {f.key for f in fields_for(kind)}
    used = _used_fields(template)
    check.missing = sorted((builtin_fields & kind_fields) - used)
    return check


def download_name(kind: str, suffix: str) -> str:
    names = {
        DocumentKind.REGULATION: "Положение о программе наставничества",
        DocumentKind.MODEL_ORDER: "Приказ о внедрении целевой модели",
        DocumentKind.ROADMAP_ORDER: "Приказ об утверждении дорожной карты",
        DocumentKind.PROGRAM: "Программа наставничества",
        DocumentKind.PLAN: "Индивидуальный план",
    }
    return f"{names[DocumentKind(kind)]}.{suffix}"
