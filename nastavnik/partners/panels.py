"""The «Организация-партнёр» panel on a partner employee's card in the registry (the registry's
`person_card_panels` extension point): which partner he works for, and linking him to one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nastavnik.registry.access import visible_people_for
from nastavnik.registry.extensions import CardPanel
from nastavnik.registry.models import Person, PersonKind


def partner_panel(sender: Any, *, user: Any, person: Person, **kwargs: Any) -> CardPanel | None:
    if (
        person.kind != PersonKind.PARTNER_EMPLOYEE
        or not visible_people_for(user).filter(pk=person.pk).exists()
    ):
        return None
    return CardPanel(
        key="partner",
        title="Организация-партнёр",
        url=reverse("partners:person_panel", args=[person.pk]),
        order=50,
    )
