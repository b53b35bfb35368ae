"""The optional consent columns of the class list import: the date of the legal representative's
consent, the date of the person's own consent and the purposes of processing.

They are read and checked here (`people_import` calls the step in one line) and written in
bulk by `import_write`. The rules are the registry's own
(`services.consent_problems`), placed on the column the date came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nastavnik.base.time import local_today
from nastavnik.orgs.models import Organisation

from .consents import PURPOSES
from .models import ConsentGiver, Person, PersonKind
from .services.people import consent_problems

if TYPE_CHECKING:
    from .people_import import ImportTable, RowResult

# (key, label, help) of the import's column table.
CONSENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    (
        "consent_representative_on",
        "Согласие представителя (дата)",
        "дата согласия законного представителя (он указан в столбце представителя)",
    ),
    ("consent_own_on", "Согласие обучающегося (дата)", "дата собственного согласия: с 14 лет и для взрослых"),
    ("consent_purposes", "Цели обработки", "через запятую; пусто — все цели программы"),
)
# Header wordings (normalised: lower case, ё→е, no punctuation). They come before the guardians'
# rule, which would take «Согласие законного представителя» for the representative's name.
CONSENT_HEADER_RULES: tuple[tuple[str, str], ...] = (
    ("consent_representative_on", r"согласи\w*.*\b(представител|родител|опекун|законн)"),
    (
        "consent_own_on",
        r"согласи\w*.*\b(обучающ|учени|учащ|студент|участник|собствен|личн|субъект|сам)|(собствен|личн)\w* согласи",
    ),
    ("consent_purposes", r"^цел[ьи]\b|\bцел\w* (обработк|согласи)"),
)
GIVER_OF_COLUMN = {
    "consent_representative_on": ConsentGiver.REPRESENTATIVE,
    "consent_own_on": ConsentGiver.SELF,
}
# Words that name a purpose in a cell (normalised text), checked in this order: the first found
# wins, so «работа пар» is the work of pairs, not their forming.
_PURPOSE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("registry", r"\bбаз"),
        ("surveys", r"\bанкет|\bдиагност"),
        ("work", r"\bработ|\bплан|\bвстреч|\bмероприят"),
        ("monitoring", r"\bмонитор|\bотчет|\bоценк"),
        ("matching", r"\bпар(ы|а|ам|ами)?\b|\bподбор|\bгрупп"),
    )
)
ALL_WORDS = frozenset({"все", "все цели", "всё"})


@dataclass(frozen=True)
class ImportedConsent:
    given_by: str
    signed_on: Any  # dt.date
    purposes: tuple[str, ...]
    column: str  # the column label, for problems found when writing


def parse_purposes(text: str) -> tuple[str, ...]:
    """Purpose codes named in a cell; all of them for an empty cell or «все»."""
    from .people_import import FieldProblem, normalise_text

    if not text.strip() or normalise_text(text) in ALL_WORDS:
        return tuple(PURPOSES)
    found: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[,;\n]", text):
        words = normalise_text(part)
        if not words:
            continue
        code = next(
            (code for code, pattern in _PURPOSE_WORDS if words == code or pattern.search(words)), None
        )
        if code is None:
            unknown.append(part.strip())
        elif code not in found:
            found.append(code)
    if unknown:
        names = ", ".join(f"«{u}»" for u in unknown)
        raise FieldProblem(
            f"{names} — нет такой цели; допустимо: база, анкетирование, работа пар, мониторинг, подбор пар или «все»"
        )
    return tuple(code for code in PURPOSES if code in found)


class ConsentColumns:
    """Reads the consent columns of one row into `row.consents`, reporting problems per column."""

    def __init__(self, table: ImportTable, mapping: dict[str, int], organisation: Organisation) -> None:
        self.table = table
        self.mapping = mapping
        self.today = local_today(organisation)

    def parse(self, row: RowResult, problem_type: Callable[..., Any]) -> None:
        from .people_import import FieldProblem, cell_text, parse_date

        present = [key for key in GIVER_OF_COLUMN if key in self.mapping]
        if not present:
            return

        def problem(key: str, message: str) -> None:
            index = self.mapping[key]
            row.problems.append(problem_type(row.number, self.table.column_label(index), message, index))

        purposes: tuple[str, ...] = tuple(PURPOSES)
        if "consent_purposes" in self.mapping:
            try:
                purposes = parse_purposes(cell_text(row.cells[self.mapping["consent_purposes"]]))
            except FieldProblem as exc:
                problem("consent_purposes", str(exc))
        for key in present:
            raw = row.cells[self.mapping[key]]
            try:
                signed_on = parse_date(raw)
            except FieldProblem as exc:
                problem(key, str(exc))
                continue
            if signed_on is None:
                continue
            for message in self._rule_problems(row, GIVER_OF_COLUMN[key], signed_on):
                problem(key, f"«{cell_text(raw)}» — {message[:1].lower()}{message[1:].rstrip('.')}")
            column = self.table.column_label(self.mapping[key])
            row.consents.append(ImportedConsent(GIVER_OF_COLUMN[key], signed_on, purposes, column))

    def _rule_problems(self, row: RowResult, given_by: str, signed_on: Any) -> list[str]:
        """The registry's consent rule for a person not yet created, whose representative is the
        first one the row names."""
        fields = row.fields
        if fields.get("kind") == PersonKind.PARENT and given_by == ConsentGiver.REPRESENTATIVE:
            return ["У родителя (законного представителя) нет своего законного представителя."]
        subject = Person(kind=fields.get("kind", PersonKind.STUDENT), birth_date=fields.get("birth_date"))
        representative = None
        if given_by == ConsentGiver.REPRESENTATIVE and row.guardians:
            ref = row.guardians[0]
            representative = Person(
                last_name=ref.last_name, first_name=ref.first_name, middle_name=ref.middle_name
            )
        problems = consent_problems(
            subject=subject,
            given_by=given_by,
            representative=representative,
            is_guardian=True,
            signed_on=signed_on,
            valid_until=None,
            today=self.today,
            has_guardians=bool(row.guardians),
        )
        if "representative" in problems and not row.guardians:
            problems["representative"] = (
                "Не указан законный представитель: впишите его в столбец «Родитель / законный представитель»."
            )
        return list(problems.values())
