from __future__ import annotations

from typing import Any

from django import forms

from nastavnik.orgs.models import MentoringForm
from nastavnik.registry.models import Category

from .models import Case, CaseLevel, CaseStatus


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "topic", "mentee_category", "request", "work_done", "result"]
        widgets = {
            "request": forms.Textarea(attrs={"rows": 4}),
            "work_done": forms.Textarea(attrs={"rows": 6}),
            "result": forms.Textarea(attrs={"rows": 6}),
        }


class MaterialForm(forms.Form):
    title = forms.CharField(label="Название", max_length=200, required=False)
    file = forms.FileField(
        label="Файл", help_text="PDF, DOCX, XLSX, PPTX, JPEG или PNG. Материалы не публикуются на сайте."
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Что доработать", widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    named = forms.BooleanField(label="С именами участников", required=False)


class BankFilterForm(forms.Form):
    q = forms.CharField(label="Поиск по названию и тексту", required=False, max_length=100)
    form = forms.ModelChoiceField(
        label="Форма",
        queryset=MentoringForm.objects.filter(parent__isnull=True),
        required=False,
        empty_label="Все",
    )
    topic = forms.ChoiceField(label="Тема", required=False)
    category = forms.ModelChoiceField(
        label="Категория наставляемых", queryset=Category.objects.all(), required=False, empty_label="Все"
    )
    year = forms.TypedChoiceField(label="Учебный год", required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label="Уровень", required=False, choices=[("", "Любой"), *CaseLevel.choices])
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "Любой"), *CaseStatus.choices])

    def __init__(self, *args: Any, years: list[int], topics: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Все"), *((y, f"{y}/{y + 1}") for y in years)]  # type: ignore[attr-defined]
        self.fields["topic"].choices = [("", "Все"), *((t, t) for t in topics)]  # type: ignore[attr-defined]


class CollectionForm(forms.Form):
    year = forms.TypedChoiceField(label="Учебный год", coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}/{y + 1}") for y in years]  # type: ignore[attr-defined]
