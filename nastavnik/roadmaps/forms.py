from __future__ import annotations

from typing import Any

from django import forms

from nastavnik.accounts.access import managed_organisations_for, visible_municipalities_for
from nastavnik.orgs.models import Municipality, Organisation, Program

from .blueprints import BLUEPRINTS
from .deadlines import Period
from .importing import SUPPORTED
from .models import RESULT_EXTENSIONS, STORED_STATUSES


def owner_choices(user: Any) -> list[tuple[str, str]]:
    """Where a user may put a roadmap: their organisations, their programs, their municipalities."""
    choices: list[tuple[str, str]] = []
    organisations = list(managed_organisations_for(user).order_by("short_name"))
    programs = Program.objects.filter(organisation__in=[o.pk for o in organisations]).select_related(
        "organisation"
    )
    for organisation in organisations:
        choices.append((f"org:{organisation.pk}", f"{organisation.short_name}"))
        for program in programs:
            if program.organisation_id == organisation.pk:
                choices.append((f"program:{program.pk}", f"{organisation.short_name} · {program}"))
    from nastavnik.accounts.access import can_oversee_municipality

    for municipality in visible_municipalities_for(user).order_by("name"):
        if can_oversee_municipality(user, municipality):
            choices.append((f"mun:{municipality.pk}", f"{municipality.name} (муниципальная карта)"))
    return choices


def resolve_owner(value: str) -> dict[str, Any]:
    kind, _, pk = value.partition(":")
    if kind == "org":
        return {"organisation": Organisation.objects.get(pk=int(pk))}
    if kind == "program":
        return {"program": Program.objects.select_related("organisation").get(pk=int(pk))}
    if kind == "mun":
        return {"municipality": Municipality.objects.select_related("region").get(pk=int(pk))}
    raise ValueError(value)


class OwnerMixin(forms.Form):
    owner = forms.ChoiceField(label="Чья дорожная карта")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices(user)  # type: ignore[attr-defined]


class ImportForm(OwnerMixin):
    file = forms.FileField(
        label="Файл дорожной карты",
        help_text="Word (.docx), Excel (.xlsx) или текст, скопированный из Word (.txt, .tsv).",
    )
    year = forms.CharField(
        label="Учебный год",
        required=False,
        help_text="Например, 2024-2025. Если не указать, возьмём из заголовка или из дат в сроках.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is None:  # the confirmation step re-uses the stored upload
            return None
        if not upload.name.lower().endswith((*SUPPORTED, ".doc", ".xls")):
            raise forms.ValidationError("Загрузите файл .docx, .xlsx, .txt или .tsv.")
        return upload

    def clean_year(self) -> Period | None:
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        period = Period.parse(text)
        if period is None:
            raise forms.ValidationError("Укажите учебный год, например 2024-2025.")
        return period


class TemplateForm(OwnerMixin):
    template = forms.ChoiceField(label="Шаблон", choices=[(b.key, b.title) for b in BLUEPRINTS.values()])
    academic_year = forms.IntegerField(
        label="Учебный год (год начала)",
        min_value=2000,
        max_value=2100,
        help_text="2025 — это 2025/2026 учебный год.",
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Статус", choices=[(s.value, s.label) for s in STORED_STATUSES])
    done_on = forms.DateField(
        label="Дата выполнения", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(required=False, widget=forms.HiddenInput)
    result_file = forms.FileField(
        label="Документ",
        required=False,
        help_text=f"Форматы: {', '.join(RESULT_EXTENSIONS)}.",
    )
    result_link = forms.URLField(label="Ссылка", required=False, assume_scheme="https")
