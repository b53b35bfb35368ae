from __future__ import annotations

from django import forms

from nastavnik.base.forms import DateInput


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label="Свой шаблон (.docx)")


class AdoptionForm(forms.Form):
    adopted_on = forms.DateField(label="Дата приказа", widget=DateInput())
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    scan = forms.FileField(label="Подписанный скан (PDF, JPEG, PNG)", required=False)
    is_published = forms.BooleanField(
        label="Показывать на открытой странице «Наставничество»", required=False
    )
