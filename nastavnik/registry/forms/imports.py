"""Forms of the people import: the upload and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from nastavnik.orgs.models import Organisation

from ..models import PersonKind
from ..people_import import (
    FIELDS,
    ImportFileError,
    ImportTable,
    Mapping,
    mapping_problems,
    read_table,
)

NOT_LOADED = ""


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком",
        help_text="Excel (.xlsx) или CSV (UTF-8 или Windows-1251, разделитель «;», «,» или табуляция).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    organisation = forms.ModelChoiceField(
        label="Организация", queryset=Organisation.objects.none(), empty_label=None
    )
    default_kind = forms.ChoiceField(
        label="Вид участника по умолчанию",
        choices=PersonKind.choices,
        initial=PersonKind.STUDENT,
        help_text="Для строк, где вид участника не указан (или в файле нет такого столбца).",
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        max_mb = settings.IMPORT_UPLOAD_MAX_MB
        if uploaded.size > max_mb * 1024 * 1024:  # before reading it into memory
            raise forms.ValidationError(f"Файл больше {max_mb} МБ — это предел: разделите список на части.")
        data = uploaded.read()
        try:
            self.cleaned_data["table"] = read_table(uploaded.name, data)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.cleaned_data["data"] = data
        return uploaded


class ImportMappingForm(forms.Form):
    """For each field, the column it is read from (or nothing)."""

    default_kind = forms.ChoiceField(label="Вид участника по умолчанию", choices=PersonKind.choices)
    skip_existing = forms.BooleanField(
        label="Пропустить тех, кто уже есть в базе (совпадают ФИО и дата рождения)", required=False
    )

    def __init__(self, *args: Any, table: ImportTable, mapping: Mapping | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        choices = [(NOT_LOADED, "— не загружать —")] + [
            (str(index), table.column_label(index)) for index in range(len(table.headers))
        ]
        for field in FIELDS:
            initial = str(mapping[field.key]) if mapping and field.key in mapping else NOT_LOADED
            self.fields[f"col_{field.key}"] = forms.ChoiceField(
                label=field.label, choices=choices, required=False, initial=initial, help_text=field.help
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{field.key}"] for field in FIELDS]

    def mapping(self) -> Mapping:
        return {
            field.key: int(self.cleaned_data[f"col_{field.key}"])
            for field in FIELDS
            if self.cleaned_data.get(f"col_{field.key}") not in (None, NOT_LOADED)
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for problem in mapping_problems(self.table, self.mapping()):
                self.add_error(None, problem)
        return cleaned
