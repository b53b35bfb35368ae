"""The mentor's admission and training on the person's card (registry's `person_card_panels`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from nastavnik.accounts.access import scopes_of
from nastavnik.registry.extensions import CardPanel
from nastavnik.registry.models import Person, PersonKind

from .selectors import any_path


def mentor_path_panel(sender: Any, *, user: Any, person: Person, **kwargs: Any) -> CardPanel | None:
    """The registry showed the card, so the user reads the person; staff, specialists and the
    person themself get the panel, and only when there is something to show."""
    scopes = scopes_of(user)
    own = person.user_id is not None and person.user_id == getattr(user, "pk", None)
    staff = scopes.superuser or scopes.is_staff_anywhere or bool(scopes.specialist_organisation_ids)
    if person.kind == PersonKind.PARENT or not (own or staff) or not any_path(person):
        return None
    return CardPanel(
        key="mentor-path",
        title="Отбор и обучение наставника",
        url=reverse("mentors:person_panel", args=[person.pk]),
        order=50,
    )
