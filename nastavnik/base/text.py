"""Russian text of pages and documents: numbers with nouns, dates as official papers write them,
quotation marks.

count_ru(5, "пара,пары,пар")      →  5 пар   (with a non-breaking space)

russian_date(date(2025, 9, 1))  →  «01» сентября 2025 г.
russian_date(None)              →  «___» ____________ 20___ г.   (a blank to fill in by hand)
"""

from __future__ import annotations

import datetime as dt

# «1 сентября»: the month after a day number; parsers of roadmaps read the same words back
MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
BLANK_DATE = "«___» ____________ 20___ г."


def russian_date(day: dt.date | None) -> str:
    """The date line of an order or an approval block; the blank when there is no date yet."""
    if day is None:
        return BLANK_DATE
    return f"«{day.day:02d}» {MONTHS_GENITIVE[day.month - 1]} {day.year} г."


def quoted(text: str) -> str:
    """A title in Russian quotation marks (ёлочки): «Программа наставничества».

    A name that already carries its quotation marks is left as it is written: МБОУ «СОШ № 1»,
    «Шаг вперёд» (quotes are not nested: no «МБОУ «СОШ № 1»»)."""
    text = " ".join(text.split())
    if any(mark in text for mark in '«»„“"'):
        return text
    return f"«{text}»"


def plural_form(number: int, one: str, few: str, many: str) -> str:
    """The form of a noun (or a phrase) after the number: 1 год, 2 года, 5 лет, 11 лет, 21 год."""
    n = abs(number) % 100
    if 11 <= n <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def plural(number: int | None, forms: str) -> str:
    """The word for the number from "one,few,many": plural(5, "пара,пары,пар") → "пар"."""
    one, few, many = (form.strip() for form in forms.split(","))
    return plural_form(int(number or 0), one, few, many)


def count_ru(number: int | None, forms: str) -> str:
    """The number with its noun joined by a non-breaking space: count_ru(21, "пара,пары,пар") → "21 пара"."""
    return f"{int(number or 0)}\u00a0{plural(number, forms)}"


_PROGRAM_WORD = {"genitive": "программы", "instrumental": "программой"}
_PROGRAM_PREFIX = "программа наставничества"


def program_named(title: str, *, case: str = "genitive") -> str:
    """«программы наставничества «Шаг вперёд»», without repeating a title that already says what
    it is: «Программа наставничества обучающихся» → «программы наставничества обучающихся».

    `case` is the grammatical case of the word «программа»: genitive («в целях реализации
    программы…») or instrumental («в соответствии с программой…»)."""
    word = _PROGRAM_WORD[case]
    title = " ".join(title.split())
    if title.lower().replace("ё", "е").startswith(_PROGRAM_PREFIX):
        rest = title[len(_PROGRAM_PREFIX) :]
        if not rest or not rest[0].isalpha():
            return f"{word} наставничества{rest}"
    return f"{word} наставничества {quoted(title)}"
