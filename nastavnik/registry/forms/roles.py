from __future__ import annotations

from typing import Any

from django import forms

from nastavnik.accounts.models import Role
from nastavnik.orgs.models import Organisation

from ..labels import PersonChoiceField
from ..models import Person
from ..selectors.staff import Place


class RoleGrantForm(forms.Form):
    person = PersonChoiceField(label="Сотрудник", queryset=Person.objects.none(), organisation=True)
    role = forms.ChoiceField(label="Роль")
    place = forms.ChoiceField(label="Где")

    def __init__(self, *args: Any, candidates: Any, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {place.key: place for place in places}
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = candidates
        roles = {role for place in places for role in place.roles}
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]  # type: ignore[attr-defined]
        self.fields["place"].choices = [(p.key, p.label) for p in places]  # type: ignore[attr-defined]
        if len(places) == 1:
            self.fields["place"].initial = places[0].key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        place = self.places.get(cleaned.get("place", ""))
        role = cleaned.get("role")
        if place is not None and role and Role(role) not in place.roles:
            self.add_error("role", f"Эту роль вы не можете назначить в «{place.label}».")
        person = cleaned.get("person")
        if (
            place is not None
            and isinstance(place.scope, Organisation)
            and person is not None
            and person.organisation_id != place.scope.pk
        ):
            self.add_error("person", f"Этот сотрудник не работает в «{place.label}».")
        cleaned["place_obj"] = place
        return cleaned
