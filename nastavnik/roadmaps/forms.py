from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from nastavnik.orgs.access import managed_organisations_for, visible_municipalities_for
from nastavnik.orgs.models import Municipality, Organisation, Program

from .blueprints import BLUEPRINTS
from .deadlines import Period
from .importing import SUPPORTED
from .models import RESULT_EXTENSIONS, STORED_STATUSES, ResponsibleLevel, SchoolStatus


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
    from nastavnik.orgs.access import can_oversee_municipality

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
        max_mb = settings.ROADMAP_UPLOAD_MAX_MB
        if upload.size > max_mb * 1024 * 1024:  # before reading it into memory
            raise forms.ValidationError(f"Файл больше {max_mb} МБ — это предел для дорожной карты.")
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
        help_text=f"Форматы: {', '.join(RESULT_EXTENSIONS)}; не больше {settings.SCAN_UPLOAD_MAX_MB} МБ.",
    )
    result_link = forms.URLField(label="Ссылка", required=False, assume_scheme="https")


class SchoolStatusForm(forms.Form):
    """A school's own part of a municipal event."""

    status = forms.ChoiceField(label="Статус", choices=SchoolStatus.choices)
    done_on = forms.DateField(
        label="Дата выполнения", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label="Комментарий", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    result_file = forms.FileField(
        label="Документ-результат",
        required=False,
        help_text=f"Форматы: {', '.join(RESULT_EXTENSIONS)}; не больше {settings.SCAN_UPLOAD_MAX_MB} МБ.",
    )


SCHOOLS_CARRY_OUT_CHOICES = [
    ("auto", "по ответственным"),
    ("yes", "выполняют школы"),
    ("no", "выполняет муниципалитет"),
]


class SchoolsCarryOutForm(forms.Form):
    value = forms.ChoiceField(label="Кто выполняет", choices=SCHOOLS_CARRY_OUT_CHOICES)

    def as_flag(self) -> bool | None:
        return {"auto": None, "yes": True, "no": False}[self.cleaned_data["value"]]


class ApprovalForm(forms.Form):
    """The «УТВЕРЖДАЮ» block of an export ready to sign; remembered on the roadmap."""

    position = forms.CharField(
        label="Должность утверждающего",
        max_length=300,
        help_text="Как в грифе: «Директор МБОУ «СОШ № 7»», «Начальник управления образования».",
    )
    name = forms.CharField(label="Фамилия и инициалы", max_length=200, help_text="Например: С.Н. Демаков")
    approved_on = forms.DateField(
        label="Дата утверждения", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.CharField(
        label="Номер приказа", max_length=100, required=False, help_text="Например: 198/1"
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class EventForm(forms.Form):
    """An event corrected by hand after import. Responsibles: one per line."""

    title = forms.CharField(label="Мероприятие", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="Содержание", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline_text = forms.CharField(
        label="Срок",
        required=False,
        max_length=300,
        help_text="Как в документе: «декабрь», «До 09.11.2020», «ежеквартально», «постоянно»…",
    )
    responsible = forms.CharField(
        label="Ответственные",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="По одному в строке.",
    )
    responsible_municipal = forms.CharField(
        label="Ответственные: муниципальный уровень", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_org = forms.CharField(
        label="Ответственные: уровень ОО", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_result = forms.CharField(
        label="Ожидаемый результат", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator = forms.CharField(
        label="Показатель эффективности", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, two_levels: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if two_levels:
            del self.fields["responsible"]
        else:
            del self.fields["responsible_municipal"]
            del self.fields["responsible_org"]

    @classmethod
    def initial_for(cls, event: Any) -> dict[str, str]:
        by_level: dict[str, list[str]] = {}
        for responsible in event.responsibles.all():
            by_level.setdefault(responsible.level, []).append(responsible.text)
        return {
            "title": event.title,
            "content": event.content,
            "deadline_text": event.deadline_text,
            "responsible": "\n".join(by_level.get(ResponsibleLevel.ANY, [])),
            "responsible_municipal": "\n".join(by_level.get(ResponsibleLevel.MUNICIPAL, [])),
            "responsible_org": "\n".join(by_level.get(ResponsibleLevel.ORGANISATION, [])),
            "expected_result": event.expected_result,
            "indicator": event.indicator,
        }

    def responsibles(self) -> list[tuple[str, list[str]]]:
        data = self.cleaned_data
        return [
            (ResponsibleLevel.MUNICIPAL, _lines(data.get("responsible_municipal", ""))),
            (ResponsibleLevel.ANY, _lines(data.get("responsible", ""))),
            (ResponsibleLevel.ORGANISATION, _lines(data.get("responsible_org", ""))),
        ]
