"""Russian text of documents: dates as official papers write them and quotation marks.

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
