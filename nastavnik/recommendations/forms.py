from __future__ import annotations

from typing import Any, cast

from django import forms

from .models import DecisionKind


class RecommendationForm(forms.Form):
    organisations = forms.MultipleChoiceField(
        label="Кому (организации)",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Выберите хотя бы одну организацию."},
    )
    indicators = forms.MultipleChoiceField(
        label="Отстающие показатели", widget=forms.CheckboxSelectMultiple, required=False
    )
    roadmap_events = forms.MultipleChoiceField(
        label="Мероприятия дорожной карты", widget=forms.CheckboxSelectMultiple, required=False
    )
    title = forms.CharField(label="Рекомендация кратко", max_length=300)
    text = forms.CharField(label="Что рекомендовано сделать", widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label="Срок", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisations: Any, indicators: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "organisations": [(str(o.pk), o.short_name) for o in organisations],
            "indicators": [(str(i.pk), i.short_name) for i in indicators],
            "roadmap_events": [(str(e.pk), f"{e.number} {e.title}".strip()) for e in events],
        }
        for name, values in choices.items():
            cast(forms.MultipleChoiceField, self.fields[name]).choices = values
        if not events:
            del self.fields["roadmap_events"]


class AnswerForm(forms.Form):
    answer = forms.CharField(label="Ответ организации", widget=forms.Textarea(attrs={"rows": 3}))
    actions_done = forms.CharField(
        label="Что сделано", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    done = forms.BooleanField(label="Рекомендация выполнена", required=False)


class DecisionForm(forms.Form):
    decision_kind = forms.ChoiceField(label="Управленческое решение", choices=DecisionKind.choices)
    decision = forms.CharField(label="Содержание решения", widget=forms.Textarea(attrs={"rows": 3}))
