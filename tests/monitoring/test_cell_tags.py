"""The cell tags of the dashboards render exactly what the partials they replace rendered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import override_settings

from nastavnik.monitoring.indicators import Measure
from nastavnik.monitoring.models import Denominator, Indicator
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION
from nastavnik.monitoring.selectors import IndicatorCell, Target
from nastavnik.monitoring.templatetags import monitoring_cells as tags

SHARE = Indicator(code="share", short_name="Доля", denominator=Denominator.FILTERED)
COUNT = Indicator(code="count", short_name="Число", denominator=Denominator.NONE)
URL = "/monitoring/people/?level=municipality&pk=3&date=2026-12-02&indicator=share&part=numerator"

CELLS = [
    IndicatorCell(SHARE, Measure(3, 8), Target(Decimal("12.50"), 2024, MUNICIPALITY), URL, URL),
    IndicatorCell(SHARE, Measure(1, 200), Target(Decimal("10.00"), 2021, REGION), URL, URL),
    IndicatorCell(SHARE, Measure(1234, 1500), Target(Decimal("150"), 2026, ORGANISATION), URL, URL),
    IndicatorCell(SHARE, Measure(0, 0), None, URL, URL),
    IndicatorCell(SHARE, Measure(2, 3), None, URL, URL),
    IndicatorCell(COUNT, Measure(12345, None), Target(Decimal("20000"), 2025, REGION), URL),
    IndicatorCell(COUNT, Measure(0, None), None, URL),
]


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("part", ["value", "target", "bar"])
@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_a_cell_tag_renders_what_its_partial_did(cell, part):
    old = render_to_string(f"monitoring/_{part}.html", {"c": cell})
    assert str(getattr(tags, f"cell_{part}")(cell)) == old


OLD_OVERVIEW_CELL = (
    '{% load l10n russian %}<td class="mon-cell {{ c.status }}">{% include "monitoring/_value.html" %}'
    '{% if c.indicator.is_share and c.measure.denominator %}<div class="mon-small muted">'
    '<a href="{{ c.numerator_url }}">{{ c.measure.numerator }}</a>/<a href="{{ c.denominator_url }}">'
    "{{ c.measure.denominator }}</a></div>{% endif %}{% if c.organisations_behind %}"
    '<div class="mon-small"><span class="badge bad">{{ c.organisations_behind|plural_ru:"отстаёт,отстают,отстают" }}'
    " {{ c.organisations_behind }} ОО</span></div>{% endif %}"
    '{% include "monitoring/_bar.html" %}</td>'
)


@pytest.mark.parametrize("behind", [None, 0, 1, 3, 12])
@pytest.mark.parametrize("index", range(len(CELLS)))
@pytest.mark.parametrize("separator", [False, True])
def test_an_overview_cell_renders_what_the_table_did(index, behind, separator):
    cell = CELLS[index]
    cell.organisations_behind = behind
    with override_settings(USE_THOUSAND_SEPARATOR=separator):
        old = engines["django"].from_string(OLD_OVERVIEW_CELL).render({"c": cell})
        assert str(tags.overview_cell(cell)) == old


OLD_KEY_CELL = (
    '{% load l10n monitoring_cells %}<td class="num mon-cell {{ c.status }}" data-sort="{% if c.measure.value is not None %}'
    "{% if c.indicator.is_share %}{{ c.measure.value|unlocalize }}{% else %}{{ c.measure.numerator }}{% endif %}"
    '{% endif %}">{% cell_value c %}{% if c.indicator.is_share and c.measure.denominator %} '
    '<span class="muted mon-small">{{ c.measure.numerator }}/{{ c.measure.denominator }}</span>{% endif %}'
    "{% cell_bar c %}</td>"
)


@pytest.mark.parametrize("index", range(len(CELLS)))
@pytest.mark.parametrize("separator", [False, True])
def test_a_key_cell_renders_what_the_table_did(index, separator):
    cell = CELLS[index]
    with override_settings(USE_THOUSAND_SEPARATOR=separator):
        old = engines["django"].from_string(OLD_KEY_CELL).render({"c": cell})
        assert str(tags.overview_key_cell(cell)) == old


OLD_KEY_ROW = (
    '{% load monitoring_cells %}{% for c in row.cells|slice:":4" %}{% overview_key_cell c %}{% endfor %}'
    '<td class="behind-list" data-sort="{{ row.behind|length }}">{% if row.behind %}<span class="badge bad">'
    '{{ row.behind|length }}</span> <span class="mon-small">{% for c in row.behind %}<span title="{{ c.indicator.name }}">'
    "{{ c.indicator.short_name }}</span>{% if not forloop.last %}, {% endif %}{% endfor %}</span>"
    '{% else %}<span class="badge ok">нет</span>{% endif %}</td>'
)


@pytest.mark.parametrize("cells", [CELLS, CELLS[3:], CELLS[4:], []])
def test_a_key_row_renders_what_the_table_did(cells):
    from nastavnik.monitoring.selectors import UnitRow

    row = UnitRow(obj=None, cells=list(cells), dashboard_url="")
    old = engines["django"].from_string(OLD_KEY_ROW).render({"row": row})
    assert any(c.status == "behind" for c in CELLS) and str(tags.overview_key_row(row, 4)) == old


def test_a_row_of_overview_cells_is_its_cells_side_by_side():
    old = (
        engines["django"]
        .from_string("{% load monitoring_cells %}{% for c in cells %}{% overview_cell c %}{% endfor %}")
        .render({"cells": CELLS})
    )
    assert str(tags.overview_cells(CELLS)) == old


@pytest.mark.parametrize(
    "value",
    ["a&b<\"'>", "", Decimal("12.5"), Decimal("12.50"), Decimal("1234.5"), Decimal("0"), 7, 12345, None],
)
@pytest.mark.parametrize("separator", [False, True])
def test_a_value_is_rendered_as_the_template_renders_it(value, separator):
    from django.utils.safestring import mark_safe

    with override_settings(USE_THOUSAND_SEPARATOR=separator):
        for shown in (value, mark_safe(value) if isinstance(value, str) else value):
            assert tags._out(shown) == engines["django"].from_string("{{ v }}").render({"v": shown})
