"""Russian plural forms: «1 год», «3 года», «5 лет»."""

from __future__ import annotations

from django import template

register = template.Library()


def plural_form(number: int, one: str, few: str, many: str) -> str:
    n = abs(number) % 100
    if 11 <= n <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


@register.filter
def plural_ru(number: int | None, forms: str) -> str:
    """`{{ n|plural_ru:"год,года,лет" }}` → the word for n (without the number)."""
    one, few, many = forms.split(",")
    return plural_form(int(number or 0), one, few, many)
