"""`{{ person|person_label }}` in templates: the one way a person is named in a picker."""

from __future__ import annotations

from django import template

from nastavnik.registry.labels import person_label as _person_label
from nastavnik.registry.models import Person

register = template.Library()


@register.filter
def person_label(person: Person, role: str = "") -> str:
    """The name with the class, position or kind; `role` («наставник») goes first."""
    return _person_label(person, role=role)
