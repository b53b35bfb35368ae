"""From paragraphs and tables of strings to a `RoadmapDraft`: columns, sections, events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from nastavnik.base.text import MONTHS_GENITIVE
from nastavnik.roadmaps.deadlines import Period, parse_deadline

from .cleaning import normalise_header, one_line
from .draft import (
    CONTENT,
    DEADLINE,
    EXPECTED_RESULT,
    INDICATOR,
    LINE_EVENT,
    LINE_HEADER,
    LINE_IGNORED,
    LINE_NOTE,
    LINE_SECTION,
    NOTES,
    NUMBER,
    OTHER,
    RESPONSIBLE,
    RESPONSIBLE_MUNICIPAL,
    RESPONSIBLE_ORG,
    ROLE_LABELS,
    SECTION,
    SPLIT,
    TARGET_NAME,
    TARGET_VALUE,
    TITLE,
    WHOLE,
    Approval,
    Column,
    DraftEvent,
    DraftSection,
    LineUse,
    Problem,
    RoadmapDraft,
    RoadmapImportError,
    TargetIndicator,
)
from .responsibles import is_person, split_responsibles
from .sources import RawDocument, RawParagraph, RawRow, RawTable

_RESPONSIBLE_ROLES = (RESPONSIBLE, RESPONSIBLE_MUNICIPAL, RESPONSIBLE_ORG)
# «1», «1.», «1.1.», «1.1.1», «1)», «I.», «IV»
_NUMBER_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*|[IVX]{1,5}(?=[.)]|\s|$))\.?\)?(?:\s+|$)(.*)$", re.DOTALL)
# «Раздел 1. Подготовка условий», «Этап II: основной»
_LABELLED_NUMBER_RE = re.compile(
    r"^\s*(?:раздел|этап|блок|направление)\s+(\d{1,2}|[IVX]{1,5})\s*[.:)]?\s+(\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# a row that is a note under the table, not a section: «* Сроки могут…», «Примечание: …»
_FOOTNOTE_RE = re.compile(r"^\s*(?:\*|примечани[ея]\b|прим\.|сноск)", re.IGNORECASE)
# a signature: «Заместитель директора ________ И.И. Иванова», «Исполнитель: Петрова А.С.»
_SIGNATURE_RE = re.compile(
    r"(?:_{3,}\s*[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\.\s*_{3,}"
    r"|^\s*(?:исполнитель|составил[аи]?|подготовил[аи]?|разработал[аи]?|м\.\s?п\.)\s*:)",
    re.IGNORECASE,
)


def column_role(header: str) -> str:
    """The role of a column from its header, in any wording and order."""
    h = normalise_header(header)
    if not h:
        return OTHER
    if re.fullmatch(r"(?:№+|n+|no|номер)?\s*(?:п\s*/\s*п|пп)?", h) or h in {"№", "номер"}:
        return NUMBER
    if "факт" in h:
        return NOTES  # «Срок (факт)», «Фактическое исполнение»: what was done, not what is due
    if "ответствен" in h or "исполнител" in h or re.match(r"отв\b", h):
        if "муницип" in h:
            return RESPONSIBLE_MUNICIPAL
        if re.search(r"\bоо\b|\bоу\b|образовательн|организаци|школ|учрежден", h):
            return RESPONSIBLE_ORG
        return RESPONSIBLE
    if h in {"муниципальные", "муниципальный", "муниципальный уровень"}:
        return RESPONSIBLE_MUNICIPAL
    if "наименование показател" in h or h in {"показатель", "целевой показатель"}:
        return TARGET_NAME
    if re.fullmatch(r"(?:19|20)\d{2}(?:\s*(?:год|г|гг))?", h):
        return TARGET_VALUE
    if "показател" in h or "индикатор" in h or "критери" in h:
        return INDICATOR
    if (
        "срок" in h
        or h.startswith(("дата", "период", "месяц"))
        or re.search(r"\bдат[аы]\b|время проведен|период (?:исполнен|проведен|реализац)", h)
        or h in {"когда", "время"}
    ):
        return DEADLINE
    if "результат" in h or "документ" in h or "форма отчет" in h or "продукт" in h:
        return EXPECTED_RESULT
    if "мероприяти" in h:
        return TITLE
    if "этап" in h or "направлени" in h or "раздел" in h or h == "задачи":
        return SECTION
    if "наименование работ" in h or h in {"наименование", "действие", "действия"}:
        return TITLE
    if "вид деятельност" in h or "виды работ" in h:
        return TITLE
    if "содержани" in h or "описание" in h:
        return CONTENT
    if "примечани" in h or "отметка" in h or "статус" in h or "комментари" in h:
        return NOTES
    return OTHER


# --- header ----------------------------------------------------------------------------------------


def _is_roadmap_header(cells: list[str]) -> bool:
    roles = {column_role(c) for c in cells if c}
    has_title = bool(roles & {TITLE, CONTENT})
    if has_title and bool(roles & {DEADLINE, *_RESPONSIBLE_ROLES}):
        return True
    # «№ | Наименование этапа | Мероприятия | Содержание деятельности»: no deadline, no responsible,
    # but every cell names a column of a roadmap
    filled = [c for c in cells if c]
    return (
        TITLE in roles
        and len(roles & {NUMBER, SECTION, TITLE, CONTENT, EXPECTED_RESULT, INDICATOR}) >= 3
        and OTHER not in roles
        and all(len(c) <= 80 for c in filled)
    )


def is_table_header(cells: list[str]) -> bool:
    """Do these cells name the columns of a roadmap's table?"""
    return _is_roadmap_header(cells)


def _is_targets_header(cells: list[str]) -> bool:
    roles = [column_role(c) for c in cells if c]
    return TARGET_NAME in roles and TITLE not in roles


def _is_column_numbers(cells: list[str]) -> bool:
    """The row «1 | 2 | 3 | 4» that numbers the columns under a header."""
    filled = [c for c in cells if c]
    if len(filled) < 2 or not all(re.fullmatch(r"\d{1,2}\.?", c) for c in filled):
        return False
    numbers = [int(c.rstrip(".")) for c in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] == 1


def _looks_like_subheader(cells: list[str], header: list[str]) -> bool:
    filled = [c for c in cells if c]
    if not filled or (cells and cells[0]):
        return False
    if any(len(c) > 40 or re.search(r"\d", c) for c in filled):
        return False
    if len(cells) > len(header):
        return True
    for index, cell in enumerate(cells):
        if (
            cell
            and index < len(header)
            and header[index]
            and column_role(header[index])
            not in (
                *_RESPONSIBLE_ROLES,
                DEADLINE,
            )
        ):
            return False
    return True


def _combine_header(header: list[str], sub: list[str]) -> list[str]:
    """A two-row header: «Ответственные» over «муниципальные | ОО» → two columns."""
    if len(header) < len(sub):
        extras = len(sub) - len(header)
        aligned: list[str] = []
        j = 0
        for i in range(len(sub)):
            if sub[i] and i > 0 and sub[i - 1] and extras > 0:
                aligned.append("")
                extras -= 1
            else:
                aligned.append(header[j] if j < len(header) else "")
                j += 1
        header = aligned
    combined = []
    parent = ""
    for i in range(max(len(header), len(sub))):
        top = header[i] if i < len(header) else ""
        below = sub[i] if i < len(sub) else ""
        if top:
            parent = top
        if below:
            combined.append(f"{top or parent} ({below})")
        else:
            combined.append(top)
    return combined


# --- rows ------------------------------------------------------------------------------------------


@dataclass
class _Row:
    source: str
    line: int
    values: dict[str, list[str]] = field(default_factory=dict)
    # one cell across the table: a section heading (or a note under the table)
    full_width: bool = False
    units: list[int] = field(default_factory=list)
    # lines glued to the row: the rest of its last cell, a fragment without a number or title
    glued: list[int] = field(default_factory=list)

    def get(self, role: str) -> str:
        return "\n".join(v for v in self.values.get(role, []) if v)

    def has(self, *roles: str) -> bool:
        return any(self.get(r) for r in roles)

    @property
    def empty(self) -> bool:
        return not any(v for values in self.values.values() for v in values)


def _regroup_fragments(rows: list[RawRow], width: int) -> list[RawRow]:
    """Glue back rows that a blank line split in two («Декабрь», blank, «Куратор программы»)."""
    out: list[RawRow] = []
    for row in rows:
        if out and len(out[-1].cells) < width and len(out[-1].cells) + len(row.cells) <= width:
            out[-1] = RawRow(
                out[-1].cells + row.cells, out[-1].source, out[-1].line, units=out[-1].units + row.units
            )
            continue
        if len(row.cells) > width and len(row.cells) % width == 0:
            for start in range(0, len(row.cells), width):
                out.append(RawRow(row.cells[start : start + width], row.source, row.line, units=row.units))
            continue
        out.append(row)
    # what is left alone in one cell of a wider table is a heading across the table
    for row in out:
        if width >= 3 and len(row.cells) == 1 and row.cells[0]:
            row.full_width = True
    return out


def _split_number(text: str) -> tuple[str | None, str]:
    match = _NUMBER_RE.match(text)
    if not match:
        return None, text
    return match.group(1), match.group(2).strip()


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return f"{a} {b}" if not re.search(r"[.:;!?]$", a) else f"{a}\n{b}"


def _title_and_content(text: str) -> tuple[str, str]:
    """First paragraph is the title; soft-wrapped lines that continue it in lower case are joined."""
    lines = text.split("\n")
    title = lines[0]
    rest = lines[1:]
    while rest and re.match(r"[a-zа-яё]", rest[0]) and not re.search(r"[.:;]$", title):
        title = f"{title} {rest.pop(0)}"
    return title, "\n".join(rest)


def _starts_lower(text: str) -> bool:
    return bool(re.match(r"[a-zа-яё«]", text))


# --- approval and title ----------------------------------------------------------------------------

_APPROVAL_START = re.compile(
    r"^(утверждаю|утвержден[аоы]?|приложение|согласовано|принят[аоы]?\b|постановлени[ея]\s+\w+|приказ\s+\w+)",
    re.IGNORECASE,
)
_TITLE_START = re.compile(
    r"(дорожн\w+\s+карт|\bплан\b|план\s+мероприяти|программ\w+\s+наставничеств)", re.IGNORECASE
)
# lines under the title that are no longer the title
_TITLE_STOP = re.compile(
    r"^\s*(?:цел[ьи]\b|задач[аи]\b|пояснительн|ожидаем\w*\s+результат|нормативн\w*\s+(?:баз|основ)"
    r"|основани[ея]\b|сроки?\s+реализаци\w*\s*:|участник\w*\s*:|исполнител\w*\s*:|актуальност"
    r"|введение\b|общие положения|\d{1,2}[.)]\s)",
    re.IGNORECASE,
)
_DATE_NUM = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_DATE_WORDS = re.compile(
    r"[«\"]?(\d{1,2})[»\"]?\s+(" + "|".join(MONTHS_GENITIVE) + r")\s+(\d{4})", re.IGNORECASE
)
_PERSON_LINE = re.compile(
    r"([А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ](?:[а-яё]+|[А-ЯЁ]+\b)|[А-ЯЁ][а-яё]+\s[А-ЯЁ]\.\s?[А-ЯЁ]\.)"
)


def _find_date(text: str) -> date | None:
    for match in _DATE_NUM.finditer(text):
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            continue
    for match in _DATE_WORDS.finditer(text):
        try:
            month = MONTHS_GENITIVE.index(match.group(2).lower()) + 1
            return date(int(match.group(3)), month, int(match.group(1)))
        except ValueError:
            continue
    return None


def _parse_approval(lines: list[str]) -> Approval:
    text = "\n".join(lines)
    # «СОГЛАСОВАНО … УТВЕРЖДАЮ …» side by side: the approval itself is the УТВЕРЖДАЮ part
    approving = next((i for i, line in enumerate(lines) if re.match(r"утверждаю\b", line, re.IGNORECASE)), 0)
    lines = lines[approving:]
    own_text = "\n".join(lines)
    # the order's number is the last «№» of a line about an order or a date («… «Лицей № 2» от
    # 30.08.2024 № 145-о»), not of the school's name («Директор МБОУ «СОШ № 3»»)
    order_lines = [
        line
        for line in lines
        if re.search(
            r"приказ|распоряжени|постановлени|протокол|решени|\bот\s*[«\"\d]|^\s*(?:№|N\s?\d)",
            line,
            re.IGNORECASE,
        )
    ]
    order_matches = re.findall(r"(?:№|\bN)\s*([\w/\-.]*\w)", "\n".join(order_lines))
    position_lines: list[str] = []
    name = ""
    for line in lines[1:]:
        person = _PERSON_LINE.search(line)
        if person and not name:
            name = person.group(0)
            before = line[: person.start()].strip(" _")
            if before:
                position_lines.append(before)
            continue
        if name or _find_date(line) or re.search(r"приказ|^от\s|^№", line, re.IGNORECASE):
            continue
        cleaned = line.strip(" _")
        if cleaned:
            position_lines.append(cleaned)
    return Approval(
        text=text,
        position=" ".join(position_lines) if lines and lines[0].lower().startswith("утверждаю") else "",
        name=name,
        approved_on=_find_date(own_text),
        order=f"№{order_matches[-1]}" if order_matches else "",
    )


def _title_and_approval(paragraphs: list[str]) -> tuple[str, Approval | None]:
    """The title and the approval block among the lines above the table.

    The title starts at «Дорожная карта …» / «План …» where there is such a line: a letterhead above
    it («Муниципальное бюджетное общеобразовательное учреждение …») is not the title, nor are
    «Цель: …», «Задачи: …» or an explanatory text under it. Without such a line, every line outside
    the approval block is the title.
    """
    lines = [line for p in paragraphs for line in p.split("\n") if line.strip()]
    approval_lines: list[str] = []
    title_lines: list[str] = []
    other_lines: list[str] = []
    state = "before"  # before → approval → title → after (→ after_approval)
    for line in lines:
        starts_approval = bool(_APPROVAL_START.match(line))
        if state in {"before", "approval"}:
            if starts_approval or (state == "approval" and not _TITLE_START.search(line)):
                state = "approval"
                approval_lines.append(line)
            elif _TITLE_START.search(line) and not _TITLE_STOP.match(line):
                state = "title"
                title_lines.append(line)
            else:
                other_lines.append(line)
        elif state == "title" and not starts_approval and not _TITLE_STOP.match(line) and len(line) <= 200:
            title_lines.append(line)
        else:
            if starts_approval:
                state = "after_approval"  # an approval block under the title
            elif state == "title":
                state = "after"
            if state == "after_approval":
                approval_lines.append(line)
    if not title_lines:
        title_lines = other_lines
    if not title_lines and approval_lines and not any(_APPROVAL_START.match(x) for x in approval_lines[:1]):
        title_lines, approval_lines = approval_lines, []
    title = one_line(" ".join(title_lines)).strip(" *")
    return title, (_parse_approval(approval_lines) if approval_lines else None)


def _infer_period(texts: list[str]) -> Period | None:
    """The academic year of the earliest dated deadline; calendar years if deadlines name only years."""
    starts: list[date] = []
    ends: list[date] = []
    whole_years = True
    for text in texts:
        parsed = parse_deadline(text)
        if parsed.starts_on is None and parsed.ends_on is None:
            continue
        first = parsed.starts_on or parsed.ends_on
        last = parsed.repeat_until or parsed.ends_on or parsed.starts_on
        assert first is not None and last is not None
        starts.append(first)
        ends.append(last)
        if not (parsed.starts_on and parsed.starts_on.timetuple()[1:3] == (1, 1)) or not (
            parsed.ends_on and parsed.ends_on.timetuple()[1:3] == (12, 31)
        ):
            whole_years = False
    if not starts:
        return None
    if whole_years:
        return Period.calendar_years(min(starts).year, max(ends).year)
    earliest = min(starts)
    return Period.academic_year(earliest.year if earliest.month >= 9 else earliest.year - 1)


# --- the whole document ----------------------------------------------------------------------------


@dataclass
class _TableLayout:
    columns: list[Column]
    header_index: int
    data_start: int


_NUMBER_ONLY = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?\)?|[IVX]{1,5}\.?")


def _guess_number_column(header: list[str], roles: list[str], rows: list[RawRow]) -> None:
    """A column without a header whose cells are «1.», «1.1», «2)» is the events' numbers."""
    for index, role in enumerate(roles):
        if role != OTHER or header[index].strip():
            continue
        values = [
            r.cells[index] for r in rows if index < len(r.cells) and r.cells[index] and not r.full_width
        ]
        if len(values) >= 2 and sum(bool(_NUMBER_ONLY.fullmatch(v.strip())) for v in values) >= 0.8 * len(
            values
        ):
            roles[index] = NUMBER
            return


def _find_layout(table: RawTable) -> tuple[str, _TableLayout] | None:
    rows = table.rows
    for index, row in enumerate(rows[:20]):
        kind = (
            "roadmap" if _is_roadmap_header(row.cells) else "targets" if _is_targets_header(row.cells) else ""
        )
        if not kind:
            continue
        header = list(row.cells)
        data_start = index + 1
        if data_start < len(rows) and _looks_like_subheader(rows[data_start].cells, header):
            header = _combine_header(header, rows[data_start].cells)
            data_start += 1
        if data_start < len(rows) and _is_column_numbers(rows[data_start].cells):
            data_start += 1
        roles = [column_role(h) for h in header]
        if kind == "roadmap" and TITLE not in roles and CONTENT in roles:
            roles[roles.index(CONTENT)] = TITLE
        if kind == "roadmap" and NUMBER not in roles:
            _guess_number_column(header, roles, rows[data_start : data_start + 40])
        columns = [Column(i, one_line(h), r) for i, (h, r) in enumerate(zip(header, roles, strict=True))]
        return kind, _TableLayout(columns, index, data_start)
    return None


def assemble(
    doc: RawDocument,
    *,
    filename: str = "",
    period: Period | None = None,
    list_choices: dict[str, str] | None = None,
    shift_years: int = 0,
) -> RoadmapDraft:
    walk = _walk_blocks(doc)
    layout = _required_layout(doc, walk.layout)
    problems: list[Problem] = []
    title, approval = _title_and_approval(walk.before)
    if not title:
        title = re.sub(r"\.[^.]+$", "", filename) or "Дорожная карта"
        problems.append(Problem("заголовок", "Заголовок дорожной карты не найден: взято имя файла."))

    draft = RoadmapDraft(title=title, source_format=doc.format, approval=approval, columns=layout.columns)
    draft.targets = walk.targets
    draft.list_choices = dict(list_choices or {})
    _set_period(draft, period, walk.rows, problems)
    _build(draft, walk.rows, any_table_may_wrap(doc), problems, walk.uses)
    if shift_years:
        shift_draft(draft, shift_years)
    draft.lines = _account_for_lines(doc, draft, walk)
    draft.problems = problems + walk.warnings + draft.problems
    if not draft.events:
        raise RoadmapImportError("В таблице дорожной карты не найдено ни одного мероприятия.")
    for event in draft.events:
        if event.needs_deadline:
            draft.problems.append(
                Problem(event.source, f"В документе нет срока мероприятия «{event.title[:80]}»: впишите его.")
            )
        elif not event.deadline.understood:
            draft.problems.append(
                Problem(
                    event.source,
                    f"Срок «{one_line(event.deadline_text)}» не распознан: {event.deadline.note}",
                )
            )
    return draft


def _account_for_lines(doc: RawDocument, draft: RoadmapDraft, walk: _BlockWalk) -> list[LineUse]:
    """What every non-empty source line became: an event, a section, a header, a note attached to an
    event, or ignored with the reason."""
    uses: dict[int, tuple[str, str]] = {}
    for event in draft.events:
        label = f"№ {event.number} «{event.title[:60]}»" if event.number else f"«{event.title[:60]}»"
        for unit in event.units:
            uses.setdefault(unit, (LINE_EVENT, label))
    for section in draft.sections:
        for unit in section.units:
            uses.setdefault(unit, (LINE_SECTION, f"«{section.title[:60]}»"))
    for row in walk.rows:
        for unit in row.glued:
            uses[unit] = (LINE_NOTE, f"продолжение строки ({row.source})")
    for unit, use in walk.uses.items():
        uses.setdefault(unit, use)
    for unit, reason in doc.ignored.items():
        uses.setdefault(unit, (LINE_IGNORED, reason))
    title = one_line(draft.title)
    approval = one_line(draft.approval.text) if draft.approval else ""
    for unit in walk.before_units:
        text = doc.units.get(unit, ("", ""))[1]
        if text and text.strip(" *") in title:
            uses.setdefault(unit, (LINE_HEADER, "заголовок документа"))
        elif text and text in approval:
            uses.setdefault(unit, (LINE_HEADER, "гриф утверждения"))
        else:
            uses.setdefault(unit, (LINE_IGNORED, "текст над таблицей (цель, задачи, пояснения)"))
    lines = []
    for unit, (source, text) in sorted(doc.units.items()):
        kind, detail = uses.get(unit, (LINE_IGNORED, "строка не отнесена ни к одной строке таблицы"))
        lines.append(LineUse(unit, source, text, kind, detail))
    return lines


def _shift_text(text: str, years: int) -> str:
    """«До 09.11.2020», «2020-2021 учебный год», «2020/21» → `years` later."""
    text = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", lambda m: str(int(m.group(0)) + years), text)
    return re.sub(r"(?<=/)(\d{2})(?!\d)", lambda m: f"{(int(m.group(1)) + years) % 100:02d}", text)


def shift_draft(draft: RoadmapDraft, years: int) -> None:
    """«Перенести на этот учебный год»: every date of the roadmap moves by whole years."""
    from .draft import Problem as _Problem

    period = draft.period.shifted(years) if draft.period else None
    draft.period = period
    draft.title = _shift_text(draft.title, years)
    draft.events = [
        replace(e, deadline_text=_shift_text(e.deadline_text, years),
                deadline=parse_deadline(_shift_text(e.deadline_text, years), period))
        for e in draft.events
    ]  # fmt: skip
    draft.sections = [replace(s, deadline_text=_shift_text(s.deadline_text, years)) for s in draft.sections]
    draft.shifted_years = years
    draft.problems.append(
        _Problem("период", f"Сроки перенесены на {years} г. вперёд: {period.label if period else ''}.")
    )


@dataclass
class _BlockWalk:
    """What reading a document's blocks in order gathers: the text above the roadmap's table, the
    rows of the table (in as many parts as it was split into), the targets table, and the
    paragraphs between two parts of the table, which may be section headings."""

    format: str
    before: list[str] = field(default_factory=list)
    before_units: list[int] = field(default_factory=list)
    # what each source unit became, where the walk decides it
    uses: dict[int, tuple[str, str]] = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)
    layout: _TableLayout | None = None
    targets: list[TargetIndicator] = field(default_factory=list)
    found_header: bool = False
    # paragraphs between two parts of the roadmap's table: section headings between tables
    between: list[RawParagraph] = field(default_factory=list)
    between_headings: list[str] = field(default_factory=list)
    # the paragraph right above the first table: «1. Подготовительный этап» when the next stages'
    # headings stand between the following tables
    lead: RawParagraph | None = None
    # the columns of the roadmap table read last; none after another table
    last_columns: list[Column] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def paragraph(self, block: RawParagraph) -> None:
        if not self.found_header:
            self.before.append(block.text)
            self.before_units.extend(block.units)
        elif (
            block.follows_row
            and self.last_columns
            and self.rows
            and not self.rows[-1].full_width
            and _continues_last_cell(block.text, self.last_columns[-1].role)
        ):
            # Word's text puts the second paragraph of a row's last cell on a line of its own
            values = self.rows[-1].values.setdefault(self.last_columns[-1].role, [])
            self.rows[-1].glued.extend(block.units)
            if not re.match(r"[a-zа-яё(«\"]", block.text):
                # a line of its own, not a wrapped one: say where it went, it may be an activity
                label = self.last_columns[-1].header or self.last_columns[-1].role_label
                self.warnings.append(
                    Problem(
                        block.source,
                        f"Строка «{one_line(block.text)[:80]}» дописана к столбцу «{label}» строки выше "
                        f"({self.rows[-1].source}): проверьте, не отдельное ли это мероприятие.",
                    )
                )
            if values and values[-1]:
                values[-1] = f"{values[-1]}\n{block.text}"
            else:
                values[-1:] = [block.text]
        else:
            self.between.append(block)

    def table(self, block: RawTable, block_before: RawParagraph | RawTable | None) -> None:
        if self.format == "xlsx" and not self.found_header:
            self.before = []  # the title of a sheet is above its own table, not on an earlier sheet
            for unit in self.before_units:
                self.uses[unit] = (
                    LINE_IGNORED,
                    "текст другого листа книги, над которым нет таблицы дорожной карты",
                )
            self.before_units = []
        found = _find_layout(block)
        if found is None:
            self._table_without_header(block)
            return
        kind, table_layout = found
        if kind == "targets":
            self.targets.extend(_targets_of(block, table_layout))
            for row in block.rows:
                for unit in row.units:
                    self.uses[unit] = (LINE_NOTE, "таблица целевых показателей")
            for paragraph in self.between:
                for unit in paragraph.units:
                    self.uses[unit] = (LINE_HEADER, "заголовок таблицы целевых показателей")
            self.between.clear()
            self.last_columns = []
            return
        if not self.found_header:
            self.before.extend(_table_text(block.rows[: table_layout.header_index]))
            self.before_units.extend(u for r in block.rows[: table_layout.header_index] for u in r.units)
            if isinstance(block_before, RawParagraph) and table_layout.header_index == 0:
                self.lead = block_before
        self.found_header = True
        if self.layout is None:
            self.layout = table_layout
        for row in block.rows[table_layout.header_index : table_layout.data_start]:
            for unit in row.units:
                self.uses[unit] = (LINE_HEADER, "строка заголовков таблицы")
        rows = block.rows[table_layout.data_start :]
        if block.fragments:
            rows = _regroup_fragments(rows, len(table_layout.columns))
        header_cells = [c.header for c in table_layout.columns]
        repeated = [r for r in rows if [one_line(c) for c in r.cells] == header_cells]
        for row in repeated:
            for unit in row.units:
                self.uses[unit] = (LINE_HEADER, "строка заголовков, повторённая на новой странице")
        rows = [r for r in rows if r not in repeated]
        self._add_rows(rows, table_layout.columns)

    def _table_without_header(self, block: RawTable) -> None:
        if self.layout is not None and _continues(block, self.layout):
            # a table continued after a page break, without its header
            rows = block.rows
            if block.fragments:
                rows = _regroup_fragments(rows, len(self.layout.columns))
            self._add_rows(rows, self.layout.columns)
        elif not self.found_header:
            self.before.extend(_table_text(block.rows))
            self.before_units.extend(u for r in block.rows for u in r.units)
        else:
            self._ignore_between("текст между таблицами")
            for row in block.rows:
                for unit in row.units:
                    self.uses[unit] = (
                        LINE_IGNORED,
                        "другая таблица: её столбцы не совпадают со столбцами дорожной карты",
                    )
            self.last_columns = []

    def _ignore_between(self, reason: str) -> None:
        for paragraph in self.between:
            for unit in paragraph.units:
                self.uses.setdefault(unit, (LINE_IGNORED, reason))
        self.between.clear()

    def _add_rows(self, rows: list[RawRow], columns: list[Column]) -> None:
        """The rows of a part of the table, after the section headings that stood above it."""
        headings = [
            RawRow([p.text] + [""] * (len(columns) - 1), p.source, full_width=True, units=p.units)
            for p in self.between
            if _is_heading_between_tables(p.text)
        ]
        self.between_headings.extend(r.cells[0] for r in headings)
        self.between = [p for p in self.between if not _is_heading_between_tables(p.text)]
        self._ignore_between("текст между частями таблицы («Продолжение таблицы», номер страницы)")
        self.rows.extend(_rows_of(headings + rows, columns, self.uses))
        self.last_columns = columns

    def place_lead(self) -> None:
        """The paragraph above the first table is the first section when the next ones follow it."""
        if (
            self.lead is None
            or not self.between_headings
            or not _follows(self.lead.text, self.between_headings[0])
        ):
            return
        self.before.remove(self.lead.text)
        section_row = _Row(self.lead.source, 0, full_width=True, units=list(self.lead.units))
        self.before_units = [u for u in self.before_units if u not in self.lead.units]
        has_section = self.layout and SECTION in {c.role for c in self.layout.columns}
        section_row.values[SECTION if has_section else TITLE] = [self.lead.text]
        self.rows.insert(0, section_row)


def _walk_blocks(doc: RawDocument) -> _BlockWalk:
    walk = _BlockWalk(doc.format)
    previous: RawParagraph | RawTable | None = None
    for block in doc.blocks:
        if isinstance(block, RawParagraph):
            walk.paragraph(block)
        else:
            walk.table(block, previous)
        previous = block
    walk.place_lead()
    walk._ignore_between("текст под таблицей (подписи, пояснения)")
    return walk


def _table_text(rows: list[RawRow]) -> list[str]:
    return ["\n".join(c for c in row.cells if c) for row in rows]


def _required_layout(doc: RawDocument, layout: _TableLayout | None) -> _TableLayout:
    """The roadmap table's layout, or the Russian reason why the file has none."""
    if layout is None and not doc.blocks:
        raise RoadmapImportError("Файл пустой: в нём нет ни текста, ни таблицы дорожной карты.")
    if layout is None and not any(isinstance(b, RawTable) for b in doc.blocks):
        raise RoadmapImportError(
            "В файле не найдена таблица: в нём только текст. Дорожная карта должна быть таблицей со строкой "
            "заголовков «Мероприятие», «Сроки», «Ответственные» (в тексте из Word — столбцы через табуляцию)."
        )
    if layout is None:
        raise RoadmapImportError(
            "В файле не найдена таблица дорожной карты: нужна строка заголовков со столбцом "
            "«Мероприятие» (или «Наименование мероприятия», «Содержание») и столбцом «Сроки» "
            "или «Ответственные»."
        )
    return layout


def _set_period(
    draft: RoadmapDraft, period: Period | None, rows: list[_Row], problems: list[Problem]
) -> None:
    """The period given at upload, else the one in the title, else one inferred from the deadlines."""
    if period is not None:
        draft.period, draft.period_source = period, "указан при загрузке"
        return
    from_title = Period.parse(draft.title) if re.search(r"(?:19|20)\d{2}", draft.title) else None
    if from_title is not None:
        draft.period, draft.period_source = from_title, "из заголовка"
        return
    inferred = _infer_period([_deadline_of(r) for r in rows])
    if inferred is not None:
        draft.period, draft.period_source = inferred, "по датам в сроках"
        problems.append(
            Problem("период", f"Учебный год не указан, определён по датам в сроках: {inferred.label}.")
        )


def any_table_may_wrap(doc: RawDocument) -> bool:
    return any(isinstance(b, RawTable) and b.may_wrap for b in doc.blocks)


def _continues(table: RawTable, layout: _TableLayout) -> bool:
    """A table without a header that goes on with the roadmap's columns (after a page break)."""
    width = len(layout.columns)
    rows = [r for r in table.rows[:5] if not r.full_width]
    if not rows:
        return bool(table.rows)
    if any(_OTHER_TABLE_HEADER.fullmatch(normalise_header(c)) for c in rows[0].cells if c):
        return False  # «ФИО | Должность | Подпись | Дата»: a sign-off sheet under the roadmap
    if table.fragments:
        return all(len(r.cells) <= width for r in rows)
    return any(len(r.cells) == width for r in rows) and all(len(r.cells) <= width + 1 for r in rows)


_ROMAN_NUMBERS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _follows(first: str, second: str) -> bool:
    """«1. Подготовительный этап» comes right before «2. Основной этап» (or «I.» before «II.»)."""
    a, _ = _split_section_number(one_line(first))
    b, _ = _split_section_number(one_line(second))
    if a is None or b is None:
        return False
    if a.isdigit() and b.isdigit():
        return int(b) == int(a) + 1
    if a in _ROMAN_NUMBERS and b in _ROMAN_NUMBERS:
        return _ROMAN_NUMBERS.index(b) == _ROMAN_NUMBERS.index(a) + 1
    return False


# words of a section heading («Организационный этап», «Нормативно-правовое обеспечение»)
_HEADING_WORDS = re.compile(
    r"этап|раздел|направлени|обеспечени|сопровождени|мероприяти|подготовк|реализаци|завершени|блок\b",
    re.IGNORECASE,
)
# words of a responsible («Куратор программы», «Педагог-психолог», «Управление образования»)
_RESPONSIBLE_WORDS = re.compile(
    r"директор|заместител|зам\.|куратор|руководител|наставник|психолог|педагог|учител|классн|администраци"
    r"|управлени|рнц|центр|специалист|совет|коллектив|представител|родител|обучающ|секретар|ответствен"
    r"|методист|библиотекар|\bоо\b|школ|министерств|комисси|групп",
    re.IGNORECASE,
)


def _continues_last_cell(text: str, last_role: str) -> bool:
    """Is a line right under a row the rest of the row's last cell rather than a section heading?"""
    line = one_line(text)
    if _split_section_number(line)[0] is not None or _FOOTNOTE_RE.match(line) or _SIGNATURE_RE.search(line):
        return False
    if re.match(r"[a-zа-яё(«\"·•\-–—]", line):
        return True
    if last_role in _RESPONSIBLE_ROLES:
        return bool(_RESPONSIBLE_WORDS.search(line) or is_person(line)) and not _HEADING_WORDS.search(line)
    return len(line.split()) <= 8 and not _HEADING_WORDS.search(line)


_OTHER_TABLE_HEADER = re.compile(
    r"подпись|роспись|ф\s?и\s?о|фамилия.*|дата ознакомления|с приказом ознакомлен\w*|наименование показателя"
)


def _is_heading_between_tables(text: str) -> bool:
    """«II. Основной этап» between two tables is a section; «Продолжение таблицы», «2» are not."""
    line = one_line(text)
    if not re.search(r"[А-Яа-яЁёA-Za-z]", line) or len(line) > 250:
        return False
    return not re.match(r"(?:продолжение|окончание)\b", line, re.IGNORECASE) and not _SIGNATURE_RE.search(
        line
    )


# Columns whose text a vertically merged cell gives to every row it spans: one deadline or one
# responsible for several events. A merged title or number is one event, not a copy per row.
_MERGE_COPIES = (DEADLINE, RESPONSIBLE, RESPONSIBLE_MUNICIPAL, RESPONSIBLE_ORG, EXPECTED_RESULT, INDICATOR)


def _rows_of(rows: list[RawRow], columns: list[Column], uses: dict[int, tuple[str, str]]) -> list[_Row]:
    out = []
    roles = [c.role for c in columns]
    for raw in rows:
        row = _Row(raw.source, raw.line, units=list(raw.units))
        if raw.full_width:
            text = next((c for c in raw.cells if c), "")
            role = SECTION if SECTION in roles else TITLE
            row.values[role] = [text]
            row.full_width = True
            out.append(row)
            continue
        if not any(raw.cells) or _is_column_numbers(raw.cells):
            # the lower part of merged cells, or the row «1 | 2 | 3 | 4» under a header
            for unit in raw.units:
                uses[unit] = (LINE_HEADER, "нумерация столбцов")
            continue
        for index, cell in enumerate(raw.cells):
            role = columns[index].role if index < len(columns) else OTHER
            if index >= len(columns) and not cell:
                continue
            if not cell and role in _MERGE_COPIES and raw.merged.get(index):
                cell = raw.merged[index]
            row.values.setdefault(role, []).append(cell)
        if not row.empty:
            out.append(row)
    return out


def _targets_of(table: RawTable, layout: _TableLayout) -> list[TargetIndicator]:
    out = []
    for raw in table.rows[layout.data_start :]:
        number = None
        name = ""
        values = []
        for column, cell in zip(layout.columns, raw.cells, strict=False):
            if column.role == NUMBER:
                number, _ = _split_number(cell)
            elif column.role == TARGET_NAME:
                name = one_line(cell)
            elif cell:
                values.append((column.header, one_line(cell)))
        if name:
            out.append(TargetIndicator(number, name, tuple(values)))
    return out


def _deadline_of(row: _Row) -> str:
    """The deadline; two deadline columns («Дата начала», «Дата окончания») make a range."""
    values = [one_line(v) for v in row.values.get(DEADLINE, []) if v.strip()]
    if len(values) == 2:
        return f"{values[0]} – {values[1]}"
    return " ".join(values)


def _split_section_number(text: str) -> tuple[str | None, str]:
    """«I. Нормативно-правовое обеспечение» → («I», …); «Раздел 2. Реализация» → («2», «Реализация»)."""
    labelled = _LABELLED_NUMBER_RE.match(text)
    if labelled:
        return labelled.group(1), labelled.group(2).strip()
    number, rest = _split_number(text)
    if number and rest:
        return number, rest
    return None, text


def _is_signature(row: _Row) -> bool:
    """«Заместитель директора по ВР | ________ И.И. Иванова» under the table: not an event."""
    if re.search(r"[0-9A-Za-zА-Яа-яЁё]", row.get(DEADLINE)) or _split_number(one_line(row.get(NUMBER)))[0]:
        return False
    values = [v for values in row.values.values() for v in values if v]
    return any(_SIGNATURE_RE.search(v) for v in values) or bool(_SIGNATURE_RE.search(" ".join(values)))


def _build(
    draft: RoadmapDraft,
    rows: list[_Row],
    may_wrap: bool,
    problems: list[Problem],
    uses: dict[int, tuple[str, str]],
) -> None:
    """From the table's rows to sections and events: drop what is under the table, glue wrapped
    rows, split numbers from titles, then walk the rows as sections and their events."""
    for row in rows:
        if _is_under_table(row):
            reason = "подпись под таблицей" if _is_signature(row) else "сноска или примечание под таблицей"
            for unit in row.units:
                uses[unit] = (LINE_IGNORED, reason)
    rows = [r for r in rows if not _is_under_table(r)]
    merged = _glue_continuations(rows, may_wrap, problems)
    items = [_numbered(row) for row in merged]
    _add_sections_and_events(draft, items, problems, uses)
    if OTHER in {c.role for c in draft.columns}:
        for column in draft.columns:
            if column.role == OTHER and column.header:
                problems.append(
                    Problem(
                        "заголовок таблицы",
                        f"Столбец «{column.header}» не распознан: его текст сохранён в примечании.",
                    )
                )


# a row with its number (if any) and its title, the number split off the title or the number column
_NumberedRow = tuple[_Row, str | None, str]


def _is_under_table(row: _Row) -> bool:
    """Notes and signatures under the table are not events."""
    return _is_signature(row) or bool(
        row.full_width and _FOOTNOTE_RE.match(row.get(SECTION) or row.get(TITLE))
    )


def _glue_continuations(rows: list[_Row], may_wrap: bool, problems: list[Problem]) -> list[_Row]:
    """Glue continuation rows («сопровождение ЦМН | «СОШ № 7»» under the row they continue)."""
    merged: list[_Row] = []
    for row in rows:
        detail = row.has(DEADLINE, *_RESPONSIBLE_ROLES, EXPECTED_RESULT, INDICATOR)
        filled = [v for vals in row.values.values() for v in vals if v]
        continues = (
            may_wrap
            and merged
            and not row.full_width
            and not merged[-1].full_width
            and not row.get(NUMBER)
            and (
                (not detail and any(_starts_lower(v) for v in filled))
                or (not row.has(TITLE, SECTION) and not row.get(NUMBER))
            )
        )
        if continues:
            previous = merged[-1]
            previous.glued.extend(row.units)
            fields = ", ".join(
                ROLE_LABELS.get(role, role).lower() for role, v in row.values.items() if any(v)
            )
            problems.append(
                Problem(
                    row.source,
                    f"Строка без номера и названия дописана к предыдущей строке ({previous.source}), "
                    f"в поле «{fields}»: проверьте, не отдельное ли это мероприятие.",
                )
            )
            for role, values in row.values.items():
                old = previous.values.setdefault(role, [])
                for i, value in enumerate(values):
                    if i < len(old):
                        old[i] = _join(old[i], value)
                    else:
                        old.append(value)
            continue
        merged.append(row)
    return merged


def _numbered(row: _Row) -> _NumberedRow:
    """The row's number and title: from the number column, or leading the title («1.2. Семинар»)."""
    number, rest = _split_number(one_line(row.get(NUMBER))) if row.get(NUMBER) else (None, "")
    raw_number = row.get(NUMBER)
    title_text = row.get(TITLE)
    if raw_number and number is None:
        # the number column holds text: a section spanning the whole row, or an odd number
        title_text = _join(raw_number, title_text) if title_text else raw_number
    elif rest:
        title_text = _join(rest, title_text) if title_text else rest
    if number is None and title_text and not row.get(NUMBER):
        lead_number, lead_rest = _split_number(title_text)
        if lead_number and "." in title_text.split(" ", 1)[0] and lead_rest:
            number, title_text = lead_number, lead_rest
    return row, number, title_text


def _is_parent(items: list[_NumberedRow], i: int, number: str | None) -> bool:
    """Is the next numbered row under this one («1.» followed by «1.1.»)?"""
    if number is None:
        return False
    for _row, next_number, _title in items[i + 1 :]:
        if next_number is not None:
            return next_number.startswith(number + ".")
    return False


def _add_sections_and_events(
    draft: RoadmapDraft, items: list[_NumberedRow], problems: list[Problem], uses: dict[int, tuple[str, str]]
) -> None:
    """Walk the rows top-down: a row opens a section or is an event of the section open above it."""
    has_section_column = SECTION in {c.role for c in draft.columns}
    numbers_belong_to_sections = (
        has_section_column
        and all((not r.get(NUMBER)) or r.get(SECTION) for r, _, _ in items)
        and any(r.get(NUMBER) and r.get(SECTION) for r, _, _ in items)
    )
    current_section: DraftSection | None = None
    for i, (row, number, title_text) in enumerate(items):
        if row.full_width:
            # one cell across the table: «I. Нормативно-правовое обеспечение»
            section_number, heading = _split_section_number(one_line(row.get(SECTION) or row.get(TITLE)))
            current_section = _open_section(draft, section_number, heading, "", row)
            continue
        detail = row.has(*_RESPONSIBLE_ROLES, EXPECTED_RESULT, INDICATOR)
        section_text = one_line(row.get(SECTION))
        if section_text:
            current_section = _section_of_column(
                draft, current_section, row, section_text, number if numbers_belong_to_sections else None
            )
            if numbers_belong_to_sections:
                number = None
        only_heading = not detail and not row.has(DEADLINE, CONTENT) and title_text and not section_text
        if (only_heading and not has_section_column) or (
            not detail and number is not None and _is_parent(items, i, number) and not section_text
        ):
            heading = one_line(title_text)
            if number is None:
                number, heading = _split_section_number(heading)
            current_section = _open_section(draft, number, heading, _deadline_of(row), row)
            continue
        if not title_text:
            if row.has(DEADLINE, *_RESPONSIBLE_ROLES, EXPECTED_RESULT, INDICATOR, CONTENT, NOTES, OTHER):
                problems.append(Problem(row.source, "У мероприятия нет названия: строка сохранена без него."))
            else:
                for unit in row.units + row.glued:
                    uses.setdefault(unit, (LINE_IGNORED, "строка таблицы без текста мероприятия"))
                continue
        section = current_section.title if current_section else None
        list_number = number or (current_section.number if current_section else None)
        draft.events.extend(_events_of(row, number, title_text, section, draft, list_number))


def _open_section(
    draft: RoadmapDraft, number: str | None, title: str, deadline: str, row: _Row
) -> DraftSection:
    section = DraftSection(number, title, deadline, row.source, tuple(row.units + row.glued))
    draft.sections.append(section)
    return section


def _section_of_column(
    draft: RoadmapDraft, current: DraftSection | None, row: _Row, section_text: str, number: str | None
) -> DraftSection:
    """The section named in the row's section column: the current one, or a new one when it changes."""
    lead_number, lead_rest = _split_section_number(section_text)
    if lead_number and lead_rest:
        number, section_text = lead_number, lead_rest
    if current is None or current.title != section_text:
        return _open_section(draft, number, section_text, "", row)
    return current


# «1) Сбор информации…», «2. Формирование банка…», «- приказ…», «· положение…»
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[а-яa-z]\)|[-–—•·*▪])\s*(?=\S)")


def _list_items(text: str) -> tuple[str, list[str]]:
    """The line before a list («…, включающие:») and the list's items (a wrapped item's lines joined)."""
    intro: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if _LIST_ITEM.match(line):
            items.append(_LIST_ITEM.sub("", line, count=1).strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            intro.append(line.strip())
    return " ".join(intro), items


def _list_choice(draft: RoadmapDraft, row: _Row, default: str) -> str:
    return draft.list_choices.get(row.source, default)


def _events_of(
    row: _Row,
    number: str | None,
    title_text: str,
    section: str | None,
    draft: RoadmapDraft,
    list_number: str | None = None,
) -> list[DraftEvent]:
    """The row's event; a row whose title or content cell is a list may give one event per item.

    The default is what a curator expects: a title cell that is a list of actions is one event per
    action (under the row's stage); a list under a title of its own («Изучение материалов» with
    «1. Изучение распоряжения… 2. Подготовка папок…») or after «…, включающие:» is that event's
    content. The preview switches it row by row."""
    intro, items = _list_items(title_text)
    source_list = "title" if len(items) >= 2 else ""
    if not source_list:
        intro_c, items_c = _list_items(row.get(CONTENT))
        if len(items_c) >= 2 and title_text:
            source_list, items = "content", items_c
    if not source_list:
        return [_event_of(row, number, title_text, section, draft.period)]
    # items that start in lower case go on one sentence («- сроки внедрения…; - назначение…»)
    actions = all(re.match(r"[A-ZА-ЯЁ«\"]", item) for item in items)
    default = SPLIT if source_list == "title" and actions and not intro.endswith(":") else WHOLE
    choice = _list_choice(draft, row, default)
    if choice == WHOLE:
        event = _event_of(row, number, title_text, section, draft.period)
        if source_list == "title" and not intro and section and row.get(SECTION):
            # the stage is the event's name and its whole list the content, not the first item
            listed = "\n".join(line for line in title_text.split("\n") if line.strip())
            event = replace(event, number=number or list_number, title=section or event.title, content="\n".join(
                x for x in (listed, row.get(CONTENT)) if x))  # fmt: skip
        return [replace(event, list_row=row.source, list_choice=WHOLE)]
    whole = _event_of(row, number, title_text, section, draft.period)
    events = []
    for index, item in enumerate(items, 1):
        item_title, item_content = _title_and_content(item)
        lead = intro if source_list == "title" else whole.title
        events.append(
            replace(
                whole,
                number=f"{list_number}.{index}" if list_number else None,
                title=item_title.rstrip(";,. ") or item_title,
                content="\n".join(x for x in (item_content, f"В составе: {lead}" if lead else "") if x),
                list_row=row.source,
                list_choice=SPLIT,
            )
        )
    return events


def _event_of(
    row: _Row, number: str | None, title_text: str, section: str | None, period: Period | None
) -> DraftEvent:
    title, content = _title_and_content(title_text) if title_text else ("", "")
    if row.get(CONTENT):
        content = "\n".join(x for x in (content, row.get(CONTENT)) if x)
    deadline_text = _deadline_of(row)
    notes = "\n".join(x for x in (row.get(NOTES), row.get(OTHER)) if x)
    return DraftEvent(
        number=number,
        section=section,
        title=title,
        content=content,
        deadline_text=one_line(deadline_text),
        deadline=parse_deadline(one_line(deadline_text), period),
        responsible=tuple(split_responsibles(row.get(RESPONSIBLE))),
        responsible_municipal=tuple(split_responsibles(row.get(RESPONSIBLE_MUNICIPAL))),
        responsible_org=tuple(split_responsibles(row.get(RESPONSIBLE_ORG))),
        expected_result=row.get(EXPECTED_RESULT),
        indicator=row.get(INDICATOR),
        notes=notes,
        source=row.source,
        source_line=row.line,
        units=tuple(row.units + row.glued),
    )
