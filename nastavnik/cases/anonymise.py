"""Anonymising a case: every name of everyone shown (the mentor, the mentees) is replaced, in any
grammatical case and as initials, by the same role label each time («наставник», «наставляемый 1»),
so the story still reads consistently. The longest forms are replaced first, so «Иванов Иван
Петрович» becomes one label, not three."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nastavnik.base.names import CASES, full_name_in, gender_of

WORD_EDGE_BEFORE = r"(?<![\w-])"
WORD_EDGE_AFTER = r"(?![\w-])"


@dataclass(frozen=True)
class Shown:
    """A person shown in a case, with the label that replaces their name when anonymised."""

    label: str
    last_name: str
    first_name: str
    middle_name: str


def name_variants(person: Shown) -> set[str]:
    last, first, middle = person.last_name.strip(), person.first_name.strip(), person.middle_name.strip()
    gender = gender_of(middle, first)
    variants: set[str] = set()
    initials = [f"{part[0]}." for part in (first, middle) if part]
    for case in CASES:
        surname = full_name_in(case, last, gender=gender) if last else ""
        given = full_name_in(case, "", first, gender=gender) if first else ""
        variants.add(full_name_in(case, last, first, middle, gender=gender))
        variants.add(full_name_in(case, last, first, gender=gender))
        variants.add(full_name_in(case, "", first, middle, gender=gender))
        if surname and initials:
            variants.add(f"{surname} {' '.join(initials)}")
            variants.add(f"{surname} {''.join(initials)}")
            variants.add(f"{' '.join(initials)} {surname}")
            variants.add(f"{''.join(initials)} {surname}")
        variants.update({surname, given})
    return {variant for variant in variants if len(variant) > 1}


def _pattern(people: Sequence[Shown]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    label_of: dict[str, str] = {}
    for person in people:
        for variant in name_variants(person):
            label_of.setdefault(variant.lower(), person.label)
    if not label_of:
        return None
    alternatives = sorted(label_of, key=len, reverse=True)
    body = "|".join(re.escape(variant) for variant in alternatives)
    return re.compile(f"{WORD_EDGE_BEFORE}({body}){WORD_EDGE_AFTER}", re.IGNORECASE), label_of


def anonymise_texts(texts: Iterable[str], people: Sequence[Shown]) -> list[str]:
    """The texts with every name of `people` replaced by that person's label."""
    compiled = _pattern(people)
    if compiled is None:
        return list(texts)
    pattern, label_of = compiled
    return [pattern.sub(lambda match: label_of[match.group(0).lower()], text) for text in texts]
