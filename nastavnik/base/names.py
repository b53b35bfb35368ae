"""Russian names in the case the sentence needs: «Пара наставника Сидорова Олега Константиновича»,
«закрепить за наставником Ивановым Иваном Ивановичем».

full_name_in("gent", "Сидоров", "Олег", "Константинович")  →  "Сидорова Олега Константиновича"
full_name_in("ablt", "Иванова", "Мария", "Петровна")        →  "Ивановой Марией Петровной"

Cases are pymorphy3's grammemes: nomn, gent, datv, accs, ablt (instrumental), loct. The words come
from pymorphy3's dictionary (OpenCorpora, with its name, surname and patronymic tags); what it
cannot vouch for stays as written, because a name left in the nominative reads better than a
wrongly declined one. Gender comes from the patronymic (-вич/-вна, -оглы/-кызы) when not given.
"""

from __future__ import annotations

import functools
import re
from typing import Any

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
MALE, FEMALE = "masc", "femn"

# Surnames Russian grammar leaves as they are in every case: Georgian -дзе/-швили/-ия, Ukrainian
# -ко/-енко, the old genitive plurals -их/-ых, and foreign ones ending in a vowel other than -а/-я.
_INDECLINABLE_SURNAME = re.compile(r"(дзе|швили|ко|их|ых|[оеиуыэюё])$", re.IGNORECASE)
_FEMALE_DECLINABLE_SURNAME = re.compile(r"[ая]$", re.IGNORECASE)


@functools.cache
def analyzer() -> Any:
    import pymorphy3  # loaded on first use: its dictionary takes a third of a second

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=16384)
def gender_of(middle_name: str, first_name: str = "") -> str | None:
    """masc / femn from the patronymic (or, failing that, the first name); None when unsure."""
    patronymic = middle_name.strip().lower()
    if patronymic.endswith(("вич", "ич", "оглы", "улы", "уулу")):
        return MALE
    if patronymic.endswith(("вна", "чна", "шна", "кызы", "гызы")):
        return FEMALE
    if first_name:
        tags = {p.tag.gender for p in analyzer().parse(first_name) if "Name" in p.tag}
        if len(tags) == 1:
            return tags.pop()
    return None


def _capitalised_like(word: str, original: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# First names and patronymics repeat across thousands of people (a confirmation of 1,500 pairs
# inflected them again for each audit record): a word's form depends only on these arguments.
@functools.lru_cache(maxsize=65536)
def _inflect_word(word: str, case: str, kind: str, gender: str | None) -> str:
    """One word of a name (no hyphen) in the case; unchanged when the dictionary is not sure."""
    if case == "nomn" or not word:
        return word
    if kind == "Surn":
        if _INDECLINABLE_SURNAME.search(word):
            return word
        if gender == FEMALE and not _FEMALE_DECLINABLE_SURNAME.search(word):
            return word  # «у Анны Ким», «с Ольгой Жук»: a woman's surname ending in a consonant
    for parse in analyzer().parse(word):
        tag = parse.tag
        if kind not in tag or tag.case != "nomn" or tag.number == "plur":
            continue
        if gender and not ({gender, "ms-f"} & tag.grammemes):
            continue
        if "Fixd" in tag:
            return word
        inflected = parse.inflect({case, "sing"})
        if inflected is None:
            return word
        declined = inflected.word
        if kind == "Patr" and declined.endswith("ичом"):
            declined = declined[:-2] + "ём"  # the dictionary writes «Ильичом»; «Ильичём» is right
        return _capitalised_like(declined, word)
    if kind == "Surn":
        return _regular_surname(word, case, gender)
    return word


# Surnames the dictionary does not know but whose declension is regular: -ов/-ев and the feminine
# -ова/-ева («Демакова» → «Демаковой», «Демакову»). Not -ин: foreign ones decline otherwise
# («Чаплином», not «Чаплиным»).
_REGULAR_SURNAME = re.compile(r"(ов|ев|ёв)(а?)$", re.IGNORECASE)
_SURNAME_ENDINGS = {
    MALE: {"gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"},
    FEMALE: {"gent": "ой", "datv": "ой", "accs": "у", "ablt": "ой", "loct": "ой"},
}


def _regular_surname(word: str, case: str, gender: str | None) -> str:
    match = _REGULAR_SURNAME.search(word)
    if match is None or gender is None or (gender == FEMALE) != bool(match.group(2)):
        return word
    stem = word[: len(word) - len(match.group(2))]
    return stem + _SURNAME_ENDINGS[gender][case]


def _inflect(value: str, case: str, kind: str, gender: str | None) -> str:
    return "-".join(_inflect_word(part, case, kind, gender) for part in value.split("-"))


def full_name_in(case: str, last: str, first: str = "", middle: str = "", gender: str | None = None) -> str:
    """«Фамилия Имя Отчество» in the case; gender guessed from the patronymic when not given."""
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; one of {', '.join(CASES)}")
    gender = gender or gender_of(middle, first)
    parts = (
        _inflect(last.strip(), case, "Surn", gender),
        _inflect(first.strip(), case, "Name", gender),
        _inflect(middle.strip(), case, "Patr", gender),
    )
    return " ".join(part for part in parts if part)


def short_name_in(case: str, last: str, first: str = "", middle: str = "", gender: str | None = None) -> str:
    """«Фамилия И. О.» with the surname in the case: «у Сидорова О. К.»."""
    gender = gender or gender_of(middle, first)
    initials = " ".join(f"{part.strip()[0]}." for part in (first, middle) if part.strip())
    return f"{full_name_in(case, last, gender=gender)} {initials}".strip()


def person_gender(person: Any) -> str | None:
    """masc / femn of any object with first_name / middle_name (a `gender` of its own wins);
    None when unsure. For the words that agree with the person («её наставляемых»)."""
    return getattr(person, "gender", None) or gender_of(
        getattr(person, "middle_name", "") or "", getattr(person, "first_name", "") or ""
    )


def person_name_in(person: Any, case: str, *, short: bool = False) -> str:
    """Any object with last_name / first_name / middle_name (a Person, a User) in the case."""
    parts = (
        getattr(person, "last_name", "") or "",
        getattr(person, "first_name", "") or "",
        getattr(person, "middle_name", "") or "",
    )
    gender = person_gender(person)
    if short:
        return short_name_in(case, *parts, gender=gender)
    return full_name_in(case, *parts, gender=gender)
