from __future__ import annotations

from typing import Any, cast

from django import forms

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import Organisation, Program

from .models import Agreement, Partner


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["kind", "name", "inn", "address", "contact_name", "contact_phone", "contact_email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["number", "signed_on", "starts_on", "ends_on", "subject", "status", "remind_days", "scan"]
        widgets = {
            "signed_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 3}),
        }

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "scan"}
        return data


class EmployeeForm(forms.Form):
    organisation = forms.ModelChoiceField(label="В базу организации", queryset=Organisation.objects.none())
    last_name = forms.CharField(label="Фамилия", max_length=100)
    first_name = forms.CharField(label="Имя", max_length=100)
    middle_name = forms.CharField(label="Отчество", max_length=100, required=False)
    position = forms.CharField(label="Должность", max_length=200, required=False)
    phone = forms.CharField(label="Телефон", max_length=30, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    is_contact = forms.BooleanField(
        label="Контактное лицо партнёра (видит пары своих сотрудников)", required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()


class MentorForm(forms.Form):
    program = forms.ModelChoiceField(label="Программа", queryset=Program.objects.none())
    consent_signed_on = forms.DateField(
        label="Согласие на обработку ПДн подписано",
        required=False,
        widget=DateInput(),
        help_text="Нужно, если согласия ещё нет в базе.",
    )
    capacity = forms.IntegerField(
        label="Сколько наставляемых может взять", min_value=1, max_value=20, required=False
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["program"])
        field.queryset = programs
        field.initial = programs.first()
