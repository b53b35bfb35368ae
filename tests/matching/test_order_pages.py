"""The order «О закреплении наставнических пар (групп)» as a PDF read back page by page: a long
table starts every page with its header and never cuts a row in two (issue #14)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from nastavnik.base.text import program_named
from nastavnik.matching.documents import OrderData, OrderRow, order_pdf

HEADER = "№ Наставник Наставляемый(е)"


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def long_order(pairs: int) -> OrderData:
    rows = [
        OrderRow(
            number=n,
            mentor=f"Наставникова Мария Ивановна, учитель (пара {n})",
            mentees=[f"Ученикова Анна {n}.{k}, 7Б класс" for k in range(1 + n % 5)],
            form=f"ученик–ученик («успевающий – неуспевающий»), пара {n}",
        )
        for n in range(1, pairs + 1)
    ]
    return OrderData(
        organisation="МБОУ «СОШ № 1»",
        number="12",
        date="«01» сентября 2025 г.",
        title="О закреплении наставнических пар (групп)",
        preamble="В соответствии с …",
        clauses=["Закрепить наставнические пары (группы) в составе согласно таблице."],
        rows=rows,
        head_position="Директор",
        head_name="И. И. Иванов",
    )


def test_every_page_of_the_pairs_table_starts_with_its_header_and_no_row_is_split() -> None:
    pages = pages_of(order_pdf(long_order(60)))

    assert len(pages) >= 4
    for number, text in enumerate(pages):
        body = text.split("ПРИКАЗЫВАЮ:", 1)[-1] if number == 0 else text
        lines = [line for line in body.splitlines() if line.strip() and not line.startswith(("1. ",))]
        assert lines[0].startswith(HEADER), f"page {number + 1} starts with {lines[0]!r}"
    for n in range(1, 61):
        markers = [rf"\(пара {n}\)", rf", пара {n}\b", *(rf"Анна {n}\.{k}," for k in range(1 + n % 5))]
        flat = [" ".join(text.split()) for text in pages]
        holding = {i for i, text in enumerate(flat) for marker in markers if re.search(marker, text)}
        assert len(holding) == 1, f"row {n} is on pages {sorted(holding)}"
        (page,) = holding
        assert re.search(rf"^{n} Наставникова", pages[page], re.M), f"row {n} lost its number"


def test_a_program_title_that_says_what_it_is_is_not_repeated() -> None:
    assert program_named("Программа наставничества обучающихся") == "программы наставничества обучающихся"
    assert program_named("Шаг вперёд") == "программы наставничества «Шаг вперёд»"
    assert program_named("программа  наставничества") == "программы наставничества"
    assert program_named("Программа наставничества «Шаг»", case="instrumental") == (
        "программой наставничества «Шаг»"
    )
    assert program_named("Программа наставничествоведения") == (
        "программы наставничества «Программа наставничествоведения»"
    )
