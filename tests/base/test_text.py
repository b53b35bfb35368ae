import datetime as dt

from nastavnik.base.text import BLANK_DATE, MONTHS_GENITIVE, quoted, russian_date


def test_a_date_is_written_as_official_papers_write_it() -> None:
    assert russian_date(dt.date(2025, 9, 1)) == "«01» сентября 2025 г."
    assert russian_date(dt.date(2026, 5, 31)) == "«31» мая 2026 г."


def test_no_date_leaves_a_blank_to_fill_in_by_hand() -> None:
    assert russian_date(None) == BLANK_DATE == "«___» ____________ 20___ г."


def test_every_month_has_its_genitive_and_titles_take_russian_quotes() -> None:
    assert len(MONTHS_GENITIVE) == 12 and MONTHS_GENITIVE[0] == "января" and MONTHS_GENITIVE[-1] == "декабря"
    assert quoted("Шаг вперёд") == "«Шаг вперёд»"
