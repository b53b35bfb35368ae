from __future__ import annotations

from decimal import Decimal

from django import forms

from .models import Indicator


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label="Показатель", queryset=Indicator.objects.filter(is_active=True), empty_label=None
    )
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)
    value = forms.DecimalField(
        label="Целевое значение",
        min_value=Decimal(0),
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text="Пусто — удалить цель этого года.",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        indicator = data.get("indicator")
        value = data.get("value")
        if (
            isinstance(indicator, Indicator)
            and indicator.is_share
            and isinstance(value, Decimal)
            and value > 100
        ):
            self.add_error("value", "Доля не может быть больше 100 %.")
        return data


class PasteForm(forms.Form):
    text = forms.CharField(
        label="Таблица целевых показателей",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
        help_text="Скопируйте таблицу из дорожной карты (Word, Excel) или введите строки "
        "«показатель;2021;2024» с первой строкой-заголовком годов.",
        max_length=20000,
    )
