"""Splitting the «Ответственные» cell into one string per responsible person or role.

«Т.В. Демакова., заместитель директора, М.А. Баланюк, председатель …» is people with their
positions: one string per person, «Т.В. Демакова, заместитель директора». «Куратор программы,
психолог» is roles: one string per role. Nothing is dropped; only stray punctuation goes.
"""

from __future__ import annotations

import re

_UP = "А-ЯЁ"
_LOW = "а-яё"
_INITIALS = rf"[{_UP}]\.\s?(?:[{_UP}]\.)?"
_SURNAME = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
# «Т.В. Демакова», «С.Н.Демаков», «Демакова Т.В.», «М.А.Баланюк.» (a stray dot after the surname)
_NAME = re.compile(rf"^(?:{_INITIALS}\s?{_SURNAME}\.?|{_SURNAME}\s{_INITIALS})")
_SPLIT_POSITION = re.compile(r"\s+[-–—]\s+")


def _split_top(text: str, separators: str) -> list[str]:
    """Split on separators outside brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = False
    current: list[str] = []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif char in "«»":
            quote = char == "«"
        elif char == '"':
            quote = not quote
        if char in separators and depth == 0 and not quote:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [
        p.strip(" ,;.\t") if p.strip().endswith(",") else p.strip(" ,;\t") for p in parts if p.strip(" ,;.\t")
    ]


def is_person(text: str) -> bool:
    return bool(_NAME.match(text.strip()))


def _tidy_name(text: str) -> str:
    match = _NAME.match(text)
    if not match:
        return text
    name = match.group(0).rstrip(".") if re.search(rf"[{_LOW}]\.$", match.group(0)) else match.group(0)
    return name + text[match.end() :]


# «—», «-», «нет», «х» in a responsible cell mean nobody at this level
_NOBODY = re.compile(r"^\s*(?:[-–—‑]+|нет|х|x|не требуется)\s*$", re.IGNORECASE)


# a clause that belongs to the noun before it: «органы …, осуществляющие управление в сфере образования»,
# «специалисты, которые …», «педагоги, имеющие опыт …», «организации, подведомственные …»
_CLAUSE = re.compile(
    rf"^(?:[{_LOW}]+(?:ющ|ящ|ащ|вш|ем|им)(?:ий|ая|ее|ие|их|ими|им|его|ей|ую)|котор[{_LOW}]+|подведомственн[{_LOW}]+"
    rf"|в\s+том\s+числе|в\s+т\.\s?ч\.|включая|а\s+также\s+[{_LOW}]+(?:ющ|ящ|ащ|вш))(?![{_LOW}])"
)
_OPEN_END = re.compile(r"(?:[,\-–]|\b(?:в|и|по|за|с|со|для|на|к|при|от|из))$")


def _joined_lines(text: str) -> str:
    """Lines of a wrapped cell glued back where one clearly goes on: after «,» or a preposition, or
    before a participial clause; other lines stay one responsible each."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line or _NOBODY.match(line):
            continue
        in_clause = bool(lines) and any(_CLAUSE.match(p.strip()) for p in lines[-1].split(",")[1:])
        if lines and (
            _OPEN_END.search(lines[-1])
            or _CLAUSE.match(line)
            or line.startswith("(")
            or (in_clause and re.match(f"[{_LOW}]", line))
        ):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    return "\n".join(lines)


def _with_clauses(parts: list[str]) -> list[str]:
    """A part that is a participial clause stays with the noun it describes."""
    out: list[str] = []
    for part in parts:
        if out and _CLAUSE.match(part.strip()):
            out[-1] = f"{out[-1]}, {part.strip()}"
        else:
            out.append(part)
    return out


def split_responsibles(text: str) -> list[str]:
    """One string per responsible; people keep their position: «Т.В. Демакова, заместитель директора».

    Commas inside brackets and quotes don't split, nor do those before a participial clause:
    «органы местного самоуправления, осуществляющие управление в сфере образования (по
    согласованию)» is one responsible."""
    result: list[str] = []
    text = _joined_lines(text)
    for chunk in _split_top(text.replace("\n", ";"), ";"):
        parts = _with_clauses(_split_top(chunk, ","))
        person: str | None = None
        has_position = False
        for part in parts:
            part = part.strip()
            if not part:
                continue
            if is_person(part):
                if person is not None:
                    result.append(person)
                person = _tidy_name(part)
                has_position = bool(_SPLIT_POSITION.search(person))
                if has_position:
                    name, position = _SPLIT_POSITION.split(person, maxsplit=1)
                    person = f"{_tidy_name(name.strip())}, {position.strip()}"
                continue
            if person is not None and not has_position:
                person = f"{person}, {part}"
                has_position = True
                continue
            if person is not None:
                result.append(person)
                person = None
            result.append(part)
        if person is not None:
            result.append(person)
    return result


def split_person(text: str) -> tuple[str, str]:
    """«Т.В. Демакова, заместитель директора» → («Т.В. Демакова», «заместитель директора»); a role → ("", role)."""
    if not is_person(text):
        return "", text
    name, _, position = text.partition(",")
    return name.strip(), position.strip()
