from __future__ import annotations

from django import forms

from nastavnik.registry.forms import DateInput

from .models import GroupStatus


class GroupEndForm(forms.Form):
    status = forms.ChoiceField(
        label="Итог",
        choices=[(s.value, s.label) for s in GroupStatus if s != GroupStatus.ACTIVE],
    )
    ended_on = forms.DateField(label="Дата окончания", widget=DateInput())
    reason = forms.CharField(label="Причина (для досрочного завершения)", required=False, max_length=300)


class MenteeRemoveForm(forms.Form):
    left_on = forms.DateField(label="Дата выхода", widget=DateInput())
    reason = forms.CharField(label="Причина", max_length=300)
