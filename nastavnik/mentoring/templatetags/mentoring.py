from __future__ import annotations

from typing import Any

from django import template

from nastavnik.registry.models import Person

from ..selectors import PersonGroupRow, person_groups

register = template.Library()


@register.simple_tag(takes_context=True)
def person_groups_for_card(context: dict[str, Any], person: Person) -> list[PersonGroupRow]:
    """The pairs and groups of the person on a card, as the viewing user may see them."""
    return person_groups(context["request"].user, person)
