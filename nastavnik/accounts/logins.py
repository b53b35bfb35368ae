"""Readable, unique logins: the surname and initials in Latin letters, as a Russian passport
writes them (приказ МВД России № 889 of 2020, after ICAO Doc 9303): «Иванов Иван Иванович» →
`ivanov.ii`, a second one → `ivanov.ii2`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from django.db.models import Q

from .models import User

PASSPORT_LETTERS = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_NOT_IN_LOGIN = re.compile(r"[^a-z0-9-]+")
# Room for the number that makes a login unique (username is 150 characters at most).
MAX_BASE_LENGTH = 140
# How many login bases one lookup of taken logins checks (a school's «everyone» is thousands).
LOOKUP_CHUNK = 200


def transliterate(text: str) -> str:
    """Lower-case Latin letters for a Russian name; other Latin letters and digits stay."""
    return "".join(PASSPORT_LETTERS.get(char, char) for char in text.lower())


def login_base(last_name: str, first_name: str, middle_name: str = "") -> str:
    """`ivanov.ii`: the surname, a dot and the initials (each initial as its letter is written)."""
    surname = _NOT_IN_LOGIN.sub("", transliterate(last_name.replace(" ", "-"))).strip("-")
    initials = "".join(
        _NOT_IN_LOGIN.sub("", transliterate(part.strip()[:1])) for part in (first_name, middle_name) if part
    )
    base = f"{surname}.{initials}" if initials else surname
    return (base or "user")[:MAX_BASE_LENGTH]


def taken_logins(bases: Iterable[str]) -> set[str]:
    """Existing usernames that could clash with these bases (base, base2, base3, …)."""
    distinct = sorted(set(bases))
    taken: set[str] = set()
    for start in range(0, len(distinct), LOOKUP_CHUNK):
        condition = Q()
        for base in distinct[start : start + LOOKUP_CHUNK]:
            condition |= Q(username__startswith=base)
        taken.update(User.objects.filter(condition).values_list("username", flat=True))
    return taken


def unique_logins(bases: Sequence[str], taken: set[str]) -> list[str]:
    """A free login for each base, in order: the base itself, else the base with 2, 3, …"""
    taken = set(taken)
    logins = []
    for base in bases:
        login, number = base, 1
        while login in taken:
            number += 1
            login = f"{base}{number}"
        taken.add(login)
        logins.append(login)
    return logins
