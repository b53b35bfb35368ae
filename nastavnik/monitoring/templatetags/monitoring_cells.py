"""An indicator cell's value, target and bar, rendered in Python.

A municipality's table has hundreds of cells; rendering each through three `{% include %}`s was
most of the dashboard's time. These tags produce the same markup the partials did
(`monitoring/_value.html`, `_target.html`, `_bar.html`, which stay for the tests that read them).
"""

from __future__ import annotations

import functools
import html
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from nastavnik.base.text import plural

register = template.Library()


def _out(value: Any) -> str:
    """As `{{ value }}` renders it: localized, then escaped. The common cases without Django's
    general path (a region's table renders some 20,000 values): an integer without a thousands
    separator is its digits, a plain string is `html.escape`d as `escape` does, a decimal is
    localized once per text, language and separator setting."""
    kind = type(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if kind is str:
        return html.escape(value)
    if kind is Decimal:
        return _localized_decimal(str(value), get_language(), settings.USE_THOUSAND_SEPARATOR)
    return str(conditional_escape(localize(value)))


@functools.lru_cache(maxsize=4096)
def _localized_decimal(text: str, language: str | None, thousands: bool) -> str:
    """`Decimal(text)` as `{{ value }}` renders it (the text, not the number, is the key: 12.5
    and 12.50 are shown differently). The language and the separator setting are part of the
    key because the result depends on them."""
    return str(conditional_escape(localize(Decimal(text))))


@receiver(setting_changed)
def _forget_localized(**kwargs: Any) -> None:
    """Format settings changed (tests override them): decimals are localized anew."""
    _localized_decimal.cache_clear()


@register.simple_tag
def cell_value(c: Any) -> SafeString:
    value = c.measure.value
    if value is None:
        return mark_safe('<span class="muted">—</span>\n')  # noqa: S308 - constant markup
    shown = f"{_out(value)}&nbsp;%" if c.indicator.is_share else _out(c.measure.numerator)
    return mark_safe(  # noqa: S308 - every value escaped by _out
        f'<a href="{_out(c.numerator_url)}" title="Показать, кто учтён">{shown}</a>\n'
    )


@register.simple_tag
def cell_target(c: Any) -> SafeString:
    target = c.target
    if not target:
        return mark_safe('<span class="muted">—</span>\n')  # noqa: S308 - constant markup
    unit = "&nbsp;%" if c.indicator.is_share else ""
    title = f"{_out(target.source_label)}, {_out(target.year)}"
    return mark_safe(  # noqa: S308 - every value escaped by _out
        f'<span title="{title}">{_out(target.value.normalize())}{unit}</span>\n'
    )


@register.simple_tag
def cell_bar(c: Any) -> SafeString:
    if not c.indicator.is_share:
        return mark_safe("\n")  # noqa: S308 - constant markup
    percent = _out(c.measure.percent_for_bar)
    goal = f", цель {_out(c.target.value.normalize())} %" if c.target else ""
    marker = "" if c.target_for_bar is None else f'<i style="left: {_out(c.target_for_bar)}%"></i>'
    return mark_safe(  # noqa: S308 - every value escaped by _out
        f'<div class="mon-bar" title="{percent} %{goal}"><span class="{_out(c.status)}" '
        f'style="width: {percent}%"></span>{marker}</div>\n'
    )


@register.simple_tag
def overview_cell(c: Any) -> SafeString:
    """A cell of the full table of a municipality's or region's dashboard (`overview.html`)."""
    parts = [f'<td class="mon-cell {_out(c.status)}">', str(cell_value(c))]
    if c.indicator.is_share and c.measure.denominator:
        parts.append(
            f'<div class="mon-small muted"><a href="{_out(c.numerator_url)}">{_out(c.measure.numerator)}</a>/'
            f'<a href="{_out(c.denominator_url)}">{_out(c.measure.denominator)}</a></div>'
        )
    if c.organisations_behind:
        verb = _out(plural(c.organisations_behind, "отстаёт,отстают,отстают"))
        parts.append(
            f'<div class="mon-small"><span class="badge bad">{verb} {_out(c.organisations_behind)} ОО</span></div>'
        )
    parts += [str(cell_bar(c)), "</td>"]
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped by _out


@register.simple_tag
def overview_key_cell(c: Any) -> SafeString:
    """A cell of the key columns of an overview (`overview.html`), sortable by its value."""
    sort = ""
    if c.measure.value is not None:
        # as `unlocalize`: a share's value with a point, whatever the locale
        sort = _out(str(c.measure.value)) if c.indicator.is_share else _out(c.measure.numerator)
    parts = [f'<td class="num mon-cell {_out(c.status)}" data-sort="{sort}">', str(cell_value(c))]
    if c.indicator.is_share and c.measure.denominator:
        parts.append(
            f' <span class="muted mon-small">{_out(c.measure.numerator)}/{_out(c.measure.denominator)}</span>'
        )
    parts += [str(cell_bar(c)), "</td>"]
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped by _out


@register.simple_tag
def overview_key_row(row: Any, key_columns: int) -> SafeString:
    """The key cells of an overview's row and the list of what the unit is behind on, in one
    tag: the same markup as `overview_key_cell` per cell and the «behind» cell's template had,
    without a template loop per row (a region has dozens of rows, a municipality hundreds)."""
    parts = [str(overview_key_cell(c)) for c in row.cells[:key_columns]]
    behind = row.behind
    if behind:
        names = ", ".join(
            f'<span title="{_out(c.indicator.name)}">{_out(c.indicator.short_name)}</span>' for c in behind
        )
        parts.append(
            f'<td class="behind-list" data-sort="{len(behind)}"><span class="badge bad">{len(behind)}</span> '
            f'<span class="mon-small">{names}</span></td>'
        )
    else:
        parts.append('<td class="behind-list" data-sort="0"><span class="badge ok">нет</span></td>')
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped by _out or overview_key_cell


@register.simple_tag
def overview_cells(cells: Any) -> SafeString:
    """`overview_cell` of each cell of a row, in one tag (a region's table has hundreds)."""
    return mark_safe("".join(str(overview_cell(c)) for c in cells))  # noqa: S308 - escaped by overview_cell
