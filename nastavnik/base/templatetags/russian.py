"""Russian in templates: numbers that agree with their nouns and names in the needed case.

{{ n|count_ru:"пара,пары,пар" }}          →  5 пар
{{ n|plural_ru:"год,года,лет" }}          →  лет        (the word alone)
{{ person|name_case:"gent" }}             →  Сидорова Олега Константиновича
{{ person|short_name_case:"gent" }}       →  Сидорова О. К.
"""

from __future__ import annotations

from typing import Any

from django import template

from nastavnik.base.names import person_name_in
from nastavnik.base.text import count_ru as _count_ru
from nastavnik.base.text import plural, plural_form

register = template.Library()

__all__ = ["plural_form", "register"]


@register.filter
def plural_ru(number: int | None, forms: str) -> str:
    """`{{ n|plural_ru:"год,года,лет" }}` → the word for n (without the number)."""
    return plural(number, forms)


@register.filter
def count_ru(number: int | None, forms: str) -> str:
    """`{{ n|count_ru:"пара,пары,пар" }}` → «5 пар», the number and the agreeing noun or phrase."""
    return _count_ru(number, forms)


@register.filter
def name_case(person: Any, case: str) -> str:
    """`{{ person|name_case:"gent" }}`: the full name of a Person or User in the case."""
    return person_name_in(person, case) if person else ""


@register.filter
def short_name_case(person: Any, case: str) -> str:
    """`{{ person|short_name_case:"gent" }}`: «Сидорова О. К.»."""
    return person_name_in(person, case, short=True) if person else ""
