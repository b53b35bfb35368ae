"""The annual report as a PDF read back page by page (issue #14): the indicators table, on landscape
pages, starts every page with its header, keeps each row whole and a name in its own wide column."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from nastavnik.monitoring.models import Denominator, Indicator, Numerator, Population
from tests.monitoring.conftest import build_hand_made
from tests.monitoring.test_annual_report import ON_D

pytestmark = pytest.mark.django_db
HEADER = "№ Показатель Значение Основание"
EXTRA = 40


def add_many_indicators() -> None:
    first = Indicator.objects.count() + 1
    for n in range(first, first + EXTRA):
        Indicator.objects.create(
            code=f"extra-{n}",
            name=f"Доля обучающихся в возрасте от 10 до 19 лет, вовлечённых в наставничество (проверка {n})",
            short_name=f"Проверка {n}",
            population=Population.LEARNERS,
            numerator=Numerator.MENTEES,
            denominator=Denominator.POPULATION,
            sort_order=900 + n,
        )


def test_every_page_of_the_indicators_table_starts_with_its_header_and_no_row_is_split(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    add_many_indicators()
    response = client_for(school_x_curator).get(
        reverse("monitoring:annual_report", args=[school_x.pk, "pdf"]) + ON_D
    )
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    flat = [" ".join(text.split()) for text in pages]

    table_pages = [i for i, text in enumerate(flat) if "(проверка" in text]
    assert len(table_pages) >= 2  # the table does span several pages
    for i in table_pages:
        width, height = reader.pages[i].mediabox.width, reader.pages[i].mediabox.height
        assert width > height  # landscape
        body = flat[i].split("2. Целевые показатели", 1)[-1]
        assert body.lstrip().startswith(HEADER), f"page {i + 1} starts with {body[:60]!r}"
    indicators = Indicator.objects.filter(is_active=True).order_by("sort_order", "pk")
    for number, indicator in enumerate(indicators, start=1):
        if not indicator.code.startswith("extra-"):
            continue
        holding = [i for i, text in enumerate(flat) if re.search(rf"\(проверка {indicator.code[6:]}\)", text)]
        assert len(holding) == 1, f"{indicator.code} is on pages {holding}"
        # its № and the start of its name on the same page, the name in one piece
        assert re.search(rf"\b{number} Доля обучающихся в возрасте", flat[holding[0]]), indicator.code
    # four indicators a page was the complaint: a landscape page now holds many more
    rows_per_page = [len(re.findall(r"\(проверка \d+\)", flat[i])) for i in table_pages]
    assert max(rows_per_page) >= 10
