from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q

from nastavnik.accounts.models import MANAGER_ROLES, User
from nastavnik.base.forms import DateInput

from .models import MentoringForm, Organisation, Program


class ProgramForm(forms.ModelForm):
    forms = forms.ModelMultipleChoiceField(
        label="Формы наставничества",
        queryset=MentoringForm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = [
            "kind",
            "title",
            "academic_year",
            "curator",
            "max_mentees_per_mentor",
            "admitted_mentors_only",
            "starts_on",
            "ends_on",
            "goals",
            "tasks",
            "expected_results",
            "target_groups",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 5}),
            "expected_results": forms.Textarea(attrs={"rows": 5}),
            "target_groups": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["forms"]).queryset = MentoringForm.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation)
        ).select_related("parent")
        cast(forms.ModelChoiceField, self.fields["curator"]).queryset = User.objects.filter(
            role_assignments__organisation=organisation, role_assignments__role__in=MANAGER_ROLES
        ).distinct()
        if self.instance.pk:
            self.fields["forms"].initial = list(self.instance.forms.all())

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
