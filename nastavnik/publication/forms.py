from __future__ import annotations

from typing import Any

from django import forms

from nastavnik.base.forms import DateInput
from nastavnik.orgs.models import Organisation

from .models import Publication


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["kind", "title", "text", "published_on", "photo", "people"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8}),
            "published_on": DateInput(),
            "people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, people: Any, consented_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.queryset = people  # type: ignore[attr-defined]
        field.label_from_instance = lambda person: (  # type: ignore[attr-defined]
            f"{person.full_name}"
            + ("" if person.pk in consented_ids else " — нет согласия на распространение")
        )


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(label="Организация", queryset=Organisation.objects.none())

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
