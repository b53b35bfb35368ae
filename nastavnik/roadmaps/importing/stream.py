"""A table recovered from text without tabs: one cell per line.

Text pasted from a PDF or copied from a legal-information site has no tabs: each cell stands on a
line of its own (on a legal site each ends with « |»), long cells wrap over several lines and a PDF
may put a row's number on the second line of its wrapped name («Утверждение состава рабочей группы
по внедрению» / «1.1 целевой модели наставничества»). The table is recovered from its header row
(consecutive lines that name columns: «№ п/п», «Мероприятие», «Сроки», «Ответственные»), then from
the rhythm of the lines: a row starts at its number, and the lines between two numbers are laid
into the columns in order by what each line looks like (a deadline, a responsible, a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nastavnik.roadmaps.deadlines import Period, parse_deadline

from .cleaning import clean_cell
from .draft import (
    CONTENT,
    DEADLINE,
    EXPECTED_RESULT,
    INDICATOR,
    NUMBER,
    OTHER,
    RESPONSIBLE,
    RESPONSIBLE_MUNICIPAL,
    RESPONSIBLE_ORG,
    SECTION,
    TITLE,
)
from .responsibles import is_person
from .sources import RawDocument, RawParagraph, RawRow, RawTable

_PIPE_END = re.compile(r"\s*\|\s*$")
_NUMBER_CELL = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3}\.?\)?|[IVX]{1,5}\.)(?:\s+(\S.*))?$")
_LOWER = re.compile(r"^[a-zа-яё(«\"·•\-–—,]")
_RESPONSIBLE_WORDS = re.compile(
    r"директор|заместител|зам\.|куратор|руководител|наставник|психолог|педагог|учител|классн|администраци"
    r"|управлени|рнц|центр|специалист|совет|коллектив|представител|родител|секретар|ответствен|заведующ"
    r"|методист|библиотекар|\bоо\b|\bоу\b|министерств|комисси|рабочая группа|орган[ыа]?\b|муниципал"
    r"|образовательные организации|организаци[ия]\b|воспитател|институт|университет|колледж|техникум",
    re.IGNORECASE,
)
_RESULT_WORDS = re.compile(
    r"приказ|положени|создан|сформирован|утвержден|проведен|отчет|отчёт|база|банк|%|дол[яи]\b|количеств"
    r"|информаци|публикац|протокол|справк|размещен|заключен|повышени|программ[аы]\b|перечень|реестр",
    re.IGNORECASE,
)
_MAX_HEADER_CELL = 80
_LIST_MARK = re.compile(r"^\s*(?:[-–—•·*▪]|\d{1,2}[.)]|[а-я]\))\s")
# a page's footer or header in a PDF paste: «Стр. 2 из 5», «- 3 -», «Страница 4»
_PAGE_NUMBER = re.compile(
    r"^\s*(?:стр\.?|страница)\s*\d+(?:\s*из\s*\d+)?\s*$|^\s*[-–—]\s*\d+\s*[-–—]\s*$", re.IGNORECASE
)
_ANY_YEAR = Period.academic_year(2000)
# «Разработка …», «Проведение …», «Формирование …»: an action's name, not a person
_ACTION = re.compile(
    r"^(?!Управлени|Министерств|Учреждени|Объединени|Руководств)[А-ЯЁ][а-яё]+(?:ние|ния|тие|ция|ка|ие|ство|ов|ры)\b"
)
# the document's title above the table («План мероприятий (дорожная карта)»), not a column's name
_NOT_HEADER = re.compile(
    r"дорожн\w*\s+карт|^\s*план\b|^\s*(?:утверждаю|приложение|согласовано)", re.IGNORECASE
)


@dataclass
class _Cell:
    text: str
    lines: list[int] = field(default_factory=list)
    closed: bool = False  # a legal-site cell ended by « |»

    def add(self, text: str, line: int) -> None:
        self.text = f"{self.text}\n{text}" if self.text else text
        self.lines.append(line)


def looks_like_cells(lines: list[str]) -> bool:
    """Text without tabs whose lines name a roadmap's columns one per line."""
    cells = _cells(lines, pipes=_is_pipe_text(lines))
    return _find_header(cells) is not None


def _is_pipe_text(lines: list[str]) -> bool:
    filled = [line for line in lines if line.strip()]
    return sum(bool(_PIPE_END.search(line)) for line in filled) >= max(3, len(filled) // 3)


def _cells(lines: list[str], *, pipes: bool, skipped: dict[int, str] | None = None) -> list[_Cell]:
    """The cells in reading order: a line each, or (legal sites) lines up to the one ending in « |».
    Page numbers of a PDF go to `skipped` with the reason."""
    cells: list[_Cell] = []
    open_cell: _Cell | None = None
    seen_pipe = False
    for number, raw in enumerate(lines, 1):
        line = " ".join(clean_cell(raw).split("\n")).strip()
        if _PAGE_NUMBER.match(line.rstrip(" |")):
            if skipped is not None:
                skipped[number] = "номер страницы"
            continue
        if not line or re.fullmatch(r"\|+", line):
            # «||||»: the empty cells of a row spanning the table
            if line and open_cell is not None:
                open_cell.closed = True
                open_cell = None
            continue
        if not pipes or not seen_pipe and not _PIPE_END.search(line):
            # above the table of a legal site each line is a paragraph of its own
            cells.append(_Cell(line, [number], closed=True))
            continue
        seen_pipe = True
        parts = [p.strip() for p in re.split(r"\s+\|\s+", line)]
        for index, part in enumerate(parts):
            ends = index < len(parts) - 1 or bool(_PIPE_END.search(part))
            text = _PIPE_END.sub("", part).strip()
            if open_cell is None:
                open_cell = _Cell("", [])
                cells.append(open_cell)
            if text:
                open_cell.add(text, number)
            elif number not in open_cell.lines:
                open_cell.lines.append(number)
            if ends:
                open_cell.closed = True
                open_cell = None
    return cells


def _role(text: str) -> str:
    from .assemble import column_role

    return column_role(text)


def _find_header(cells: list[_Cell]) -> tuple[int, int, list[_Cell]] | None:
    """(first cell, cell after the header, header cells) of the first run of cells naming columns.

    A PDF may interleave the columns' numbers («№», «п/п», «1», «Наименование», …, «2», «3»): they
    belong to the header (its `numbers` lines)."""
    from .assemble import is_table_header

    for start in range(min(len(cells), 200)):
        header: list[_Cell] = []
        numbers: list[int] = []
        index = start
        after_header = start
        while index < len(cells) and len(header) < 10:
            cell = cells[index]
            if header and cell.text.strip().rstrip(".") == str(len(numbers) + 1):
                numbers.append(index)
                index += 1
                continue
            if len(cell.text) > _MAX_HEADER_CELL or _NOT_HEADER.search(cell.text):
                break
            continues = header and (
                (_LOWER.match(cell.text) and not cell.closed)
                or (header[-1].text.strip() in {"№", "N", "No"} and re.match(r"п\s*/\s*п", cell.text))
            )
            if continues:
                merged = _Cell(f"{header[-1].text} {cell.text}", header[-1].lines + cell.lines)
                header[-1] = merged
            elif _role(cell.text) != OTHER or (not header and cell.text.strip() in {"№", "N"}):
                header.append(_Cell(cell.text, list(cell.lines)))
                after_header = index + 1
            elif re.fullmatch(r"\d{1,2}", cell.text.strip()) and header:
                break
            else:
                break
            if continues:
                after_header = index + 1
            index += 1
        if len(header) >= 3 and is_table_header([c.text for c in header]):
            # numbers after the last header cell are the first row's, not the columns'
            header[-1].lines.extend(n for i in numbers if i < after_header for n in cells[i].lines)
            return start, after_header, header
        if not header:
            continue
    return None


def read_cells_per_line(lines: list[str]) -> RawDocument:
    """The document of a text without tabs: paragraphs above the table, the table, the rest."""
    pipes = _is_pipe_text(lines)
    doc = RawDocument("txt")
    cells = _cells(lines, pipes=pipes, skipped=doc.ignored)
    found = _find_header(cells)
    if found is None:
        return doc
    start, after, header = found
    for cell in cells[:start]:
        for line in cell.lines:
            text = clean_cell(lines[line - 1].rstrip(" |"))
            if text:
                doc.blocks.append(RawParagraph(text, f"строка {line}", units=[line]))
    roles = [_role(c.text) for c in header]
    end = _table_end(cells, after)
    tail = [RawParagraph(c.text, f"строка {c.lines[0]}", units=list(c.lines)) for c in cells[end:]]
    cells = cells[:end]
    table = RawTable([RawRow([c.text for c in header], f"строка {header[0].lines[0]}", header[0].lines[0],
                             units=[n for c in header for n in c.lines])])  # fmt: skip
    after = _skip_column_numbers(cells, after, len(header), table)
    body = cells[after:]
    rows = _rows(body, roles, pipes=pipes)
    table.rows.extend(rows)
    doc.blocks.append(table)
    doc.blocks.extend(tail)
    return doc


def _table_end(cells: list[_Cell], after: int) -> int:
    """The table ends at a footnote («* Мероприятия…») or a signature under it."""
    from .assemble import _FOOTNOTE_RE, _SIGNATURE_RE

    for index in range(after, len(cells)):
        text = cells[index].text
        if _FOOTNOTE_RE.match(text) or _SIGNATURE_RE.search(text):
            return index
    return len(cells)


def _skip_column_numbers(cells: list[_Cell], after: int, width: int, table: RawTable) -> int:
    """The line «1», «2», … «5» under the header numbers the columns: part of the header."""
    seen = [c for c in cells[:after] if re.fullmatch(r"\d{1,2}\.?", c.text.strip())]
    expected = len(seen) + 1 if seen and seen[-1].text.strip().rstrip(".") == str(len(seen)) else 1
    index = after
    while index < len(cells) and cells[index].text.strip().rstrip(".") == str(expected) and expected <= width:
        table.rows[0].units.extend(cells[index].lines)
        expected += 1
        index += 1
    return index if expected > width or index > after and expected > 2 else after


# --- rows ------------------------------------------------------------------------------------------


def _is_number(cell: _Cell) -> re.Match[str] | None:
    return _NUMBER_CELL.match(cell.text.split("\n", 1)[0])


def _rows(body: list[_Cell], roles: list[str], *, pipes: bool) -> list[RawRow]:
    """Cut the cells into rows at the numbers (or, without a number column, at titles), then lay each
    row's cells into the columns."""
    numbered = bool(roles) and roles[0] == NUMBER
    chunks = _chunks_by_number(body) if numbered else _chunks_by_title(body, roles, pipes=pipes)
    rows: list[RawRow] = []
    carry: list[_Cell] = []
    columns = roles[1:] if numbered else roles
    for index, (number, chunk) in enumerate(chunks):
        cells = list(chunk)
        if carry and number is not None and cells:
            # the first lines of a wrapped name stood above its number
            cells[0] = _Cell(f"{carry_text(carry)} {cells[0].text}", _lines(carry) + cells[0].lines)
        elif carry:
            cells = carry + cells
        next_wraps = index + 1 < len(chunks) and _wrapped_number(chunks[index + 1])
        laid, carry = _lay(cells, columns, pipes=pipes, carry=next_wraps)
        texts = ([number.text if number is not None else ""] if numbered else []) + [c.text for c in laid]
        units = (number.lines if number is not None else []) + _lines(laid)
        if not any(texts):
            continue
        first = min(units) if units else 0
        rows.append(RawRow(texts, f"строка {first}", first, units=sorted(set(units))))
    return rows


def carry_text(cells: list[_Cell]) -> str:
    return " ".join(c.text for c in cells)


def _lines(cells: list[_Cell]) -> list[int]:
    return [n for c in cells for n in c.lines]


def _wrapped_number(chunk: tuple[_Cell | None, list[_Cell]]) -> bool:
    """«1.1 целевой модели наставничества»: the number stands inside a wrapped name."""
    number, cells = chunk
    if number is None:
        return False
    rest = cells[0].text if cells else ""
    return bool(rest and _LOWER.match(rest) and not rest.startswith(("(", "«", "-", "–", "—", "·")))


def _chunks_by_number(body: list[_Cell]) -> list[tuple[_Cell | None, list[_Cell]]]:
    """(number cell, the cells up to the next number); a number with text on its line is split.

    Where the numbers mostly stand alone on their lines (a narrow «№» column), «2. Подготовка папок»
    is an item of a numbered list inside a cell, not a row: only a number alone, or one inside a
    wrapped name («1.1 целевой модели»), starts a row."""
    matches = [m for m in (_is_number(c) for c in body) if m]
    alone = any(not m.group(2) for m in matches)
    chunks: list[tuple[_Cell | None, list[_Cell]]] = [(None, [])]
    list_last = 0
    for cell in body:
        match = _is_number(cell)
        if match and alone and match.group(2) and not _LOWER.match(match.group(2)):
            value = match.group(1).rstrip(".)")
            if len(chunks) > 1 and value.isdigit() and int(value) in (1, list_last + 1):
                list_last, match = int(value), None  # «1. Изучение…», «2. Подготовка…» in a cell
        if match and "\n" not in cell.text:
            list_last = 0
            number = _Cell(match.group(1), list(cell.lines))
            rest = [_Cell(match.group(2), list(cell.lines))] if match.group(2) else []
            chunks.append((number, rest))
        else:
            chunks[-1][1].append(cell)
    if not chunks[0][1]:
        chunks.pop(0)
    return chunks


def _chunks_by_title(
    body: list[_Cell], roles: list[str], *, pipes: bool
) -> list[tuple[_Cell | None, list[_Cell]]]:
    """Without a number column a row starts at a title after the previous row's other columns."""
    chunks: list[tuple[_Cell | None, list[_Cell]]] = []
    past_title = False
    for cell in body:
        title_like = _score(cell.text, TITLE) > 0 and not _LOWER.match(cell.text)
        if not chunks or (past_title and title_like and _score(cell.text, roles[-1]) <= 0):
            chunks.append((None, [cell]))
            past_title = False
            continue
        chunks[-1][1].append(cell)
        past_title = past_title or _score(cell.text, DEADLINE) > 0 or _score(cell.text, RESPONSIBLE) > 0
    return chunks


# --- laying a row's cells into the columns ---------------------------------------------------------


def _deadline_like(text: str) -> bool:
    line = " ".join(text.split())
    if len(line.split()) > 10 or re.search(r"№|\bN\s?\d", line):
        return False  # «№ Р-145 от 25 декабря 2019 г.»: a document's number and date
    parsed = parse_deadline(line, _ANY_YEAR)  # a month without its year is a deadline too
    return (
        parsed.understood
        or parsed.recurrence != "once"
        or parsed.starts_on is not None
        or bool(re.search(r"\b(?:19|20)\d{2}\b", line) and len(line.split()) <= 5)
    )


def _score(text: str, role: str) -> float:
    line = " ".join(text.split())
    words = len(line.split())
    deadline = _deadline_like(line)
    if role == DEADLINE:
        return 3.0 if deadline else -3.0
    if role in (RESPONSIBLE, RESPONSIBLE_MUNICIPAL, RESPONSIBLE_ORG):
        if deadline:
            return -2.0
        first_words = " ".join(line.split()[:2])
        responsible = (
            bool(_RESPONSIBLE_WORDS.search(line) or is_person(line))
            and not _ACTION.match(line)
            and not _RESULT_WORDS.match(line)
        )
        if responsible and not (_RESPONSIBLE_WORDS.search(first_words) or is_person(line)):
            return 0.5
        return (2.0 if words <= 14 else 0.5) if responsible else -1.5
    if deadline:
        return -2.0
    listed = bool(_LIST_MARK.match(line))
    if role in (TITLE, SECTION):
        if listed:
            return 0.5 if role == TITLE else 0.3
        return (1.5 if _ACTION.match(line) else 1.0) if not _LOWER.match(line) else 0.2
    if role == CONTENT:
        return 1.5 if listed else 0.8
    if role in (EXPECTED_RESULT, INDICATOR):
        return 1.2 if _RESULT_WORDS.search(line) else 0.0
    return 0.0


_SKIP = -0.8  # a column left empty
_TRAILING = -0.4  # a column left empty at the end of a row (a heading fills only its first)


def _lay(
    cells: list[_Cell], roles: list[str], *, pipes: bool, carry: bool
) -> tuple[list[_Cell], list[_Cell]]:
    """The cells of one row laid into the columns in order, each column a run of cells (maybe none).

    The best layout by the scores of each cell in its column; a cell starting in lower case goes on
    with the cell above it. With `carry`, the last cells may be the start of the next row's name.
    """
    columns = [*roles, "carry"] if carry else list(roles)
    width = len(columns)
    n = len(cells)
    if n == 0:
        return [_Cell("", []) for _ in roles], []
    if pipes and n == len(roles):
        return [_Cell(c.text, list(c.lines)) for c in cells], []  # a legal site's cell per column
    minus = float("-inf")
    # best[i][j]: cells[:i+1] laid, cell i in column j
    best = [[minus] * width for _ in range(n)]
    back = [[-1] * width for _ in range(n)]
    for j in range(width):
        best[0][j] = _cell_score(cells[0], columns[j]) + _SKIP * j + (-3.0 if j else 0.0)
    for i in range(1, n):
        for j in range(width):
            score = _cell_score(cells[i], columns[j])
            for k in range(j + 1):
                if best[i - 1][k] == minus:
                    continue
                if k == j:
                    step = _continue_score(cells[i - 1], cells[i], pipes=pipes)
                    wrapped_line = _LOWER.match(cells[i].text) or cells[i].text.startswith("№ ")
                    if wrapped_line and not _LIST_MARK.match(cells[i].text) and not pipes:
                        step -= score  # a wrapped line belongs to the cell above, whatever its column
                else:
                    wrapped = _LOWER.match(cells[i].text) and not pipes and not _deadline_like(cells[i].text)
                    step = _SKIP * (j - k - 1) + (-2.5 if wrapped else 0.0)
                total = best[i - 1][k] + score + step
                if total > best[i][j]:
                    best[i][j], back[i][j] = total, k
    last_choices = [width - 1] if carry else range(width)
    end = max(last_choices, key=lambda j: best[n - 1][j] + _TRAILING * max(0, len(roles) - 1 - j))
    assigned = [0] * n
    j = end
    for i in range(n - 1, -1, -1):
        assigned[i] = j
        j = back[i][j] if i else j
    laid = [_Cell("", []) for _ in roles]
    carried: list[_Cell] = []
    for cell, column in zip(cells, assigned, strict=True):
        if column >= len(roles):
            carried.append(cell)
            continue
        target = laid[column]
        wraps = (_LOWER.match(cell.text) or cell.text.startswith("№ ")) and not _LIST_MARK.match(cell.text)
        joiner = " " if target.text and wraps and not pipes else "\n"
        target.text = f"{target.text}{joiner}{cell.text}" if target.text else cell.text
        target.lines.extend(cell.lines)
    return laid, carried


def _cell_score(cell: _Cell, role: str) -> float:
    if role == "carry":
        return 1.0 if not _LOWER.match(cell.text) and not _deadline_like(cell.text) else -1.0
    return _score(cell.text, role)


def _continue_score(previous: _Cell, cell: _Cell, *, pipes: bool) -> float:
    if _LOWER.match(cell.text) or cell.text.startswith("№ "):
        return 2.0 if not _deadline_like(cell.text) or _deadline_like(previous.text) else 0.0
    if _LIST_MARK.match(cell.text):
        # a list goes on after its item or its «…:», not after a name
        last = previous.text.split("\n")[-1]
        return 1.0 if _LIST_MARK.match(last) or last.endswith(":") else -0.5
    if pipes:
        return -1.5
    if re.search(r"[,\-–—]$|\b(?:и|в|на|по|с|для|к|о|об)$", previous.text):
        return 1.5
    return -0.5
