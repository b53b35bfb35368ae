from __future__ import annotations

from typing import Any, cast

from django import forms

from nastavnik.base.forms import DateInput

from .models import Course, TraineeRole, TrainingSession


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class CourseForm(forms.ModelForm):
    level = forms.ChoiceField(label="Кто предлагает курс", choices=())

    class Meta:
        model = Course
        fields = [
            "title",
            "description",
            "provider",
            "provider_name",
            "format",
            "audience",
            "hours",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "level").choices = levels
        if self.instance.pk:
            del self.fields["level"]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "hours", "place"]
        widgets = {"held_on": DateInput()}


class EnrolForm(forms.Form):
    person = forms.ChoiceField(label="Слушатель", choices=())
    role = forms.ChoiceField(label="Обучается как", choices=TraineeRole.choices)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "person").choices = [("", "— выберите —"), *people]


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label="Курс завершён", widget=DateInput())
    number = forms.CharField(label="Номер удостоверения (сертификата)", max_length=60, required=False)
    issued_on = forms.DateField(label="Дата выдачи", widget=DateInput(), required=False)
    scan = forms.FileField(
        label="Скан документа",
        required=False,
        help_text="PDF, JPEG или PNG. Хранится закрыто, открывается только тем, кому положено.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
