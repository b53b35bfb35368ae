"""Import of people from class lists (XLSX / CSV) as Russian schools export them.

The steps, each usable on its own:

1. `read_table(name, data)` reads the file, finds the header row (schools put a title above it)
   and returns an `ImportTable`;
2. `auto_mapping(table)` guesses which column holds which field from the header wording (and,
   for an ambiguous «Категория», from the values); the user may change it;
3. `analyse(...)` parses and validates every row with `Person.full_clean`, finds duplicates in
   the file and against the organisation's registry and returns an `ImportPreview` whose
   problems name the row (as Excel shows it), the column and what is wrong, in Russian;
4. `people_import(...)` checks the permission and writes everything in one transaction, or
   nothing if any row is bad.

Before step 1 the file passes `nastavnik.base.guards.check_upload` (sizes, the ZIP's directory, rows,
columns, cells); between the steps it is held by `nastavnik.base.uploads`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.collector import gc_paused
from nastavnik.base.encodings import UndecodableText, decode_text
from nastavnik.base.guards import UploadRefused, check_upload
from nastavnik.base.templatetags.russian import plural_form
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import Organisation

from .import_consents import (
    CONSENT_FIELDS,
    CONSENT_HEADER_RULES,
    ConsentColumns,
)
from .import_write import people_bulk_write, person_from_fields, roomy_page_cache
from .models import Category, Person, PersonKind, parse_school_class
from .signals import people_imported
from .validators import validate_name_part

MAX_ROWS = 60_000  # a municipality's list; longer than IMPORT_BACKGROUND_ROWS runs in the background
HEADER_SEARCH_ROWS = 30
PROGRESS_EVERY = 1000
Progress = Callable[[int], None]  # hears how many rows are done
ALLOWED_EXTENSIONS = (".xlsx", ".csv", ".txt")


class ImportFileError(Exception):
    """The file cannot be read as a table of people; the message is for the user (Russian)."""


# --- fields and how headers name them ----------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    help: str = ""


FIELDS: tuple[ImportField, ...] = (
    ImportField("full_name", "ФИО (одним столбцом)", "«Фамилия Имя Отчество» в одной ячейке"),
    ImportField("last_name", "Фамилия"),
    ImportField("first_name", "Имя"),
    ImportField("middle_name", "Отчество"),
    ImportField("birth_date", "Дата рождения", "ДД.ММ.ГГГГ, ГГГГ-ММ-ДД или дата Excel"),
    ImportField("school_class", "Класс", "«7Б», «7 б», «11-А»; для студентов СПО — группа"),
    ImportField("kind", "Вид участника", "обучающийся, педагог, родитель, выпускник, студент…"),
    ImportField("position", "Должность"),
    ImportField("experience_years", "Стаж, лет"),
    ImportField("is_young_specialist", "Молодой специалист", "да / нет"),
    ImportField("email", "E-mail"),
    ImportField("phone", "Телефон"),
    ImportField("categories", "Категории", "ОВЗ, ТЖС, … через запятую"),
    ImportField("guardians", "Родитель / законный представитель", "ФИО; несколько — через «;»"),
    ImportField(
        "guardian_phone", "Телефон родителя", "телефон законного представителя; нескольких — через «;»"
    ),
    *(ImportField(*spec) for spec in CONSENT_FIELDS),
)
FIELDS_BY_KEY = {f.key: f for f in FIELDS}

# First match wins; None means "recognised, and deliberately not loaded".
_HEADER_RULES: tuple[tuple[str | None, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        *CONSENT_HEADER_RULES,
        (None, r"^(n|no|номер|п п|n п п)$"),
        ("guardian_phone", r"\b(телефон|тел|моб\w*)\b.*\b(родител|законн|представител|матер|отц|мам|пап)"),
        ("guardian_phone", r"\b(родител|законн|представител|матер|отц|мам|пап).*\b(телефон|тел|моб\w*)\b"),
        (None, r"\b(e ?mail|почта)\b.*\b(родител|законн|представител|матер|отц|мам|пап)"),
        (None, r"\b(родител|законн|представител|матер|отц|мам|пап).*\b(e ?mail|почта)\b"),
        ("categories", r"^категории\b|^льгот|\bовз\b|\bтжс\b|^(особ|социальн)\w* категор"),
        ("kind", r"^(категория|вид|тип|роль)( участника)?$|^(категория|вид)\b.*\bучастник|^кто это$"),
        ("guardians", r"родител|законн\w* представител|опекун"),
        ("full_name", r"^фио\b|^ф и о\b|^фамилия имя|^(участник|ученик|обучающийся)$"),
        ("last_name", r"^фамилия\b"),
        ("first_name", r"^имя\b"),
        ("middle_name", r"^отчество\b"),
        ("birth_date", r"рожд|^д р$|^др$"),
        ("school_class", r"^класс\b|\bкласс$|^литера"),
        ("position", r"должност"),
        ("experience_years", r"стаж"),
        ("is_young_specialist", r"молод\w* специалист"),
        ("email", r"\be ?mail\b|почт"),
        ("phone", r"телефон|^тел\b|^моб"),
    )
)


def normalise_text(value: str) -> str:
    """Case-, ё- and punctuation-insensitive form used to compare headers and vocabulary."""
    return re.sub(r"[^0-9a-zа-я]+", " ", value.lower().replace("ё", "е")).strip()


def name_key(*parts: str) -> tuple[str, ...]:
    """How names are compared for duplicates: case-, ё- and spacing-insensitive."""
    return tuple(map(_name_part, parts))


@functools.lru_cache(maxsize=65536)
def _name_part(part: str) -> str:
    # an import compares every row's names several times, and names repeat: normalised once each
    return " ".join(part.casefold().replace("ё", "е").split())


def field_for_header(header: str) -> str | None:
    normalised = normalise_text(header)
    if not normalised:
        return None
    for key, pattern in _HEADER_RULES:
        if pattern.search(normalised):
            return key
    return None


# --- vocabulary of values -----------------------------------------------------------------------

_KIND_WORDS: dict[str, tuple[str, ...]] = {
    PersonKind.STUDENT: (
        "обучающийся",
        "обучающаяся",
        "ученик",
        "ученица",
        "учащийся",
        "учащаяся",
        "школьник",
        "школьница",
    ),
    PersonKind.COLLEGE_STUDENT: ("студент", "студентка", "обучающийся спо", "студент колледжа"),
    PersonKind.TEACHER: ("педагог", "учитель", "преподаватель", "воспитатель", "педагогический работник"),
    PersonKind.STAFF: ("сотрудник", "работник", "сотрудник не педагог"),
    PersonKind.PARENT: ("родитель", "законный представитель", "мать", "отец", "опекун"),
    PersonKind.GRADUATE: ("выпускник", "выпускница"),
    PersonKind.PARTNER_EMPLOYEE: (
        "сотрудник партнера",
        "сотрудник организации партнера",
        "представитель работодателя",
        "работодатель",
        "партнер",
    ),
}
KIND_VOCABULARY: dict[str, str] = {}
for _kind in PersonKind:
    KIND_VOCABULARY[normalise_text(_kind.label)] = _kind.value
    KIND_VOCABULARY[_kind.value.replace("_", " ")] = _kind.value
    for _word in _KIND_WORDS[_kind]:
        KIND_VOCABULARY[normalise_text(_word)] = _kind.value

_TRUE_WORDS = frozenset({"да", "д", "yes", "y", "1", "true", "истина", "x", "х", "v", "+", "✓", "✔"})
_FALSE_WORDS = frozenset({"нет", "н", "no", "n", "0", "false", "ложь", "-", "–", "—"})


# How people write the built-in categories (registry migration 0002) in a list, by category code;
# compared case-, ё- and punctuation-insensitively. A region's own categories go by their names.
CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "ovz": ("ОВЗ", "с ОВЗ", "ребёнок с ОВЗ", "дети с ОВЗ", "ограниченные возможности здоровья"),
    "disabled": ("инвалид", "инвалиды", "ребёнок-инвалид", "дети-инвалиды", "инвалидность", "ДИ"),
    "gifted": ("одарённый", "одарённая", "одарённые", "одарённые дети", "выдающиеся способности"),
    "hard-life": ("ТЖС", "трудная жизненная ситуация", "в трудной жизненной ситуации"),
    "low-income": ("малоимущие", "малоимущая", "малоимущая семья", "малообеспеченные", "малообеспеченная"),
    "rural": ("село", "сельские", "сельская местность"),
    "orphan": ("сирота", "сироты", "опекаемый", "опекаемая", "под опекой", "без попечения родителей"),
    "at-risk": (
        "СОП",
        "ВШУ",
        "учёт",
        "на учёте",
        "состоит на учёте",
        "внутришкольный учёт",
        "ПДН",
        "КДН",
        "КДН и ЗП",
        "группа риска",
    ),
    "low-achieving": ("неуспевающий", "неуспевающая", "неуспевающие"),
    "migrant": ("мигрант", "мигранты", "дети мигрантов", "из семьи мигрантов"),
}


def category_vocabulary(categories: Iterable[Category]) -> dict[str, Category]:
    vocabulary: dict[str, Category] = {}
    for category in categories:
        for word in (category.code, category.short_name, category.name):
            vocabulary.setdefault(normalise_text(word), category)
    for category in list(dict.fromkeys(vocabulary.values())):
        for word in CATEGORY_ALIASES.get(category.code, ()):
            vocabulary.setdefault(normalise_text(word), category)
    return vocabulary


# --- reading the file ---------------------------------------------------------------------------


@dataclass
class ImportTable:
    """The part of the file below the header row. Row numbers are those Excel shows."""

    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    sheet_name: str = ""

    def column_label(self, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return header or f"Столбец {_column_letter(index)}"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def cell_text(value: Any) -> str:
    """A cell as the user sees it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}" if value.time() == dt.time(0) else f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _has_text(value: Any) -> bool:
    """`bool(cell_text(value))`, without making the text of every cell of the file: a string
    is blank when `split()` finds nothing in it, which is when it is empty or all whitespace."""
    if value is None:
        return False
    if isinstance(value, str):
        return not (value == "" or value.isspace())
    return bool(cell_text(value))


def _header_score(row: Sequence[Any]) -> int:
    found = {field_for_header(cell_text(cell)) for cell in row} - {None}
    if not found & {"full_name", "last_name"}:
        return 0
    return len(found)


def _table_from_grid(
    grid: list[tuple[int, list[Any]]], sheet_name: str = ""
) -> tuple[int, ImportTable | None]:
    best_score, best_at = 0, -1
    for position, (_number, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        score = _header_score(cells)
        if score > best_score:
            best_score, best_at = score, position
    if best_at < 0:
        return 0, None
    header_number, header_cells = grid[best_at]
    width = len(header_cells)
    while width and not cell_text(header_cells[width - 1]):
        width -= 1
    data_rows: list[tuple[int, list[Any]]] = []
    for number, cells in grid[best_at + 1 :]:
        filled = [i for i, c in enumerate(cells) if _has_text(c)]
        if not filled:
            continue
        width = max(width, filled[-1] + 1)
        data_rows.append((number, cells))
    headers = [cell_text(c) for c in header_cells[:width]] + [""] * max(0, width - len(header_cells))
    padded = [(number, (cells + [None] * width)[:width]) for number, cells in data_rows]
    return best_score, ImportTable(
        headers=headers, header_row=header_number, rows=padded, sheet_name=sheet_name
    )


_UNREADABLE_XLSX = (
    "Не удалось прочитать файл Excel. Сохраните его в формате .xlsx или .csv и загрузите снова."
)
# <c … t="e">: #Н/Д, #ЗНАЧ!, #ДЕЛ/0! (a text's quotes are &quot; in the XML, so only a cell's type matches)
_ERROR_CELL_TYPES = (b' t="e"', b" t='e'")


def _xlsx_grids(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """The worksheets' cells, row by row from A1, with Excel's row numbers. Read by calamine
    (Rust), ten times as fast as openpyxl, with its values made those openpyxl gives; a file with
    error cells is read by openpyxl, which keeps an error as its text («#Н/Д» shown in the
    problem) where calamine leaves the cell empty."""
    if _has_error_cells(data):
        return _openpyxl_grids(data)
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(_UNREADABLE_XLSX) from exc
    grids = []
    try:
        for sheet in workbook.sheets_metadata:
            if sheet.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # a chart sheet: openpyxl's `worksheets` leaves them out too
            cells = workbook.get_sheet_by_name(sheet.name).to_python(
                skip_empty_area=False, nrows=MAX_ROWS + HEADER_SEARCH_ROWS + 1
            )
            grids.append(
                (sheet.name, [(number, _openpyxl_values(row)) for number, row in enumerate(cells, start=1)])
            )
    except (python_calamine.CalamineError, ValueError, OSError) as exc:
        raise ImportFileError(_UNREADABLE_XLSX) from exc
    finally:
        workbook.close()
    return grids


def _openpyxl_values(row: list[Any]) -> list[Any]:
    """A row of calamine's values as openpyxl reads them: an empty cell is None, not ""; a whole
    number an int (Excel stores «5», calamine makes every number a float); a date cell a
    datetime at midnight (calamine gives a date when there is no time)."""
    values: list[Any] = []
    for value in row:
        kind = type(value)
        if kind is str:
            values.append(value or None)
        elif kind is float:
            values.append(int(value) if value.is_integer() else value)
        elif kind is dt.date:
            values.append(dt.datetime.combine(value, dt.time()))  # naive, as openpyxl's
        else:
            values.append(value)
    return values


def _has_error_cells(data: bytes) -> bool:
    """Whether a worksheet of the file has a cell of type error (`check_upload` has checked the
    ZIP's directory and sizes); an unreadable file is left to the reader, which says so."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if any(marker in xml for marker in _ERROR_CELL_TYPES):
                        return True
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        pass
    return False


def _openpyxl_grids(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings of files written by other programs
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_UNREADABLE_XLSX) from exc
    grids = []
    try:
        for sheet in workbook.worksheets:
            grid: list[tuple[int, list[Any]]] = []
            # read-only iter_rows starts at A1 whatever the sheet's dimension says
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                grid.append((number, list(values)))
                if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    break
            grids.append((sheet.title, grid))
    finally:
        workbook.close()
    return grids


def _csv_grids(data: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    try:  # UTF-8, UTF-16/32 (Excel's «Текст Юникод») or Windows-1251
        text = decode_text(data)
    except UndecodableText as exc:
        raise ImportFileError(str(exc)) from None
    grids = []
    for delimiter in (";", ",", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = [
                list(row) for _, row in zip(range(MAX_ROWS + HEADER_SEARCH_ROWS + 1), reader, strict=False)
            ]
        except csv.Error as exc:
            raise ImportFileError(f"Не удалось разобрать файл CSV: {exc}.") from exc
        grids.append(("", [(number, list(row)) for number, row in enumerate(rows, start=1)]))
    return grids


# --- the read table kept between the preview's requests ---------------------------------------------

_TAGGED: dict[str, Callable[[str], Any]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
}


def _cell_as_json(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    for tag, kind in (("datetime", dt.datetime), ("date", dt.date), ("time", dt.time)):
        if isinstance(value, kind):
            return {tag: value.isoformat()}
    raise TypeError(f"a cell of type {type(value).__name__} is not kept as JSON")


def _cell_from_json(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        return _TAGGED[tag](text)
    return value


def table_as_json(table: ImportTable) -> bytes | None:
    """The read table as JSON, cell types kept (None for a cell type JSON can't keep, then the
    file is read again). The preview is asked for again at every change of the columns; reading a
    50,000-row XLSX takes seconds, its JSON a fraction of that."""
    try:
        rows = [[number, [_cell_as_json(value) for value in cells]] for number, cells in table.rows]
    except TypeError:
        return None
    document = {
        "headers": table.headers,
        "header_row": table.header_row,
        "sheet": table.sheet_name,
        "rows": rows,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def table_from_json(data: bytes) -> ImportTable:
    document = json.loads(data)
    return ImportTable(
        headers=document["headers"],
        header_row=document["header_row"],
        rows=[(number, [_cell_from_json(value) for value in cells]) for number, cells in document["rows"]],
        sheet_name=document["sheet"],
    )


def read_table(name: str, data: bytes) -> ImportTable:
    """Read an uploaded file; raise ImportFileError with a Russian message if it can't be used."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise ImportFileError(
            "Старый формат .xls не поддерживается: сохраните файл как «Книга Excel (.xlsx)» или CSV."
        )
    if suffix not in ALLOWED_EXTENSIONS:
        raise ImportFileError("Загрузите файл .xlsx или .csv.")
    if not data:
        raise ImportFileError("Файл пуст.")
    try:  # sizes, the ZIP's directory, rows, columns and cells: before any parser sees the file
        check_upload(data, "class-list", name)
    except UploadRefused as exc:
        raise ImportFileError(exc.message) from None
    # Hundreds of thousands of cells that all live on: no collector walking them again and again
    # (a CSV of 50,000 rows was read in 0.65 s instead of 1.6 s).
    with gc_paused():
        grids = _xlsx_grids(data) if suffix == ".xlsx" else _csv_grids(data)
        best_score, best = 0, None
        for sheet_name, grid in grids:
            score, table = _table_from_grid(grid, sheet_name)
            # More recognised columns wins; on a tie (CSV delimiters) the wider table.
            if table and (score, len(table.headers)) > (best_score, len(best.headers) if best else 0):
                best_score, best = score, table
    if best is None:
        raise ImportFileError(
            "Не нашли строку с заголовками столбцов. В одной из первых строк должны быть заголовки, "
            "например «ФИО» (или «Фамилия», «Имя», «Отчество»), «Дата рождения», «Класс»."
        )
    if not best.rows:
        raise ImportFileError("Под строкой заголовков нет ни одной строки с данными.")
    if len(best.rows) > MAX_ROWS:
        raise ImportFileError(f"В файле больше {MAX_ROWS} строк: разделите список на части.")
    return best


# --- mapping columns to fields ------------------------------------------------------------------

Mapping = dict[str, int]  # field key -> column index


def _looks_like_categories(table: ImportTable, column: int, vocabulary: dict[str, Category]) -> bool:
    values = [cell_text(cells[column]) for _, cells in table.rows[:50] if cell_text(cells[column])]
    if not values:
        return False
    as_kind = sum(normalise_text(v) in KIND_VOCABULARY for v in values)
    as_category = sum(
        all(normalise_text(part) in vocabulary for part in re.split(r"[,;\n]", v) if part.strip())
        for v in values
    )
    return as_category > as_kind


def auto_mapping(table: ImportTable, categories: Iterable[Category] | None = None) -> Mapping:
    """The mapping suggested from the headers: the first column recognised for each field."""
    vocabulary = category_vocabulary(Category.objects.all() if categories is None else categories)
    mapping: Mapping = {}
    for index, header in enumerate(table.headers):
        key = field_for_header(header)
        if (
            key == "kind"
            and normalise_text(header) == "категория"
            and _looks_like_categories(table, index, vocabulary)
        ):
            key = "categories"
        if key is not None and key not in mapping:
            mapping[key] = index
    if "full_name" in mapping and "last_name" in mapping:
        # «ФИО» next to «Фамилия»: the separate columns are more precise.
        del mapping["full_name"]
    return mapping


def mapping_problems(table: ImportTable, mapping: Mapping) -> list[str]:
    problems = []
    unknown = set(mapping) - set(FIELDS_BY_KEY)
    if unknown:
        problems.append(f"Неизвестные поля: {', '.join(sorted(unknown))}.")
    used = Counter(mapping.values())
    for index, count in used.items():
        if not 0 <= index < len(table.headers):
            problems.append(f"В файле нет столбца № {index + 1}.")
        elif count > 1:
            fields = [FIELDS_BY_KEY[k].label for k, i in mapping.items() if i == index and k in FIELDS_BY_KEY]
            problems.append(
                f"Столбец «{table.column_label(index)}» выбран сразу для нескольких полей: {', '.join(fields)}."
            )
    if "full_name" in mapping and ({"last_name", "first_name", "middle_name"} & set(mapping)):
        problems.append("Выберите либо столбец «ФИО», либо отдельные столбцы «Фамилия», «Имя», «Отчество».")
    elif "full_name" not in mapping and not {"last_name", "first_name"} <= set(mapping):
        problems.append("Укажите столбец с ФИО или столбцы «Фамилия» и «Имя».")
    if "guardian_phone" in mapping and "guardians" not in mapping:
        problems.append(
            "Телефон родителя загружается вместе с его ФИО: выберите и столбец «Родитель / законный "
            "представитель»."
        )
    return problems


def ignored_columns(table: ImportTable, mapping: Mapping) -> list[str]:
    used = set(mapping.values())
    return [
        table.column_label(index)
        for index, header in enumerate(table.headers)
        if index not in used and (header or any(cell_text(cells[index]) for _, cells in table.rows))
    ]


# --- parsing values -----------------------------------------------------------------------------


class FieldProblem(Exception):
    """A value that cannot be used; the message says why (without the row and column)."""


# Excel serial day numbers of 1908-03-18 … 2119-01-09: far from the years 1900–2100 that a
# "year only" cell holds.
EXCEL_SERIAL_MIN, EXCEL_SERIAL_MAX = 3000, 80000
_DATE_FORMATS = (
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s*г\.?)?$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), ("year", "month", "day")),
)


def parse_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100:
            raise FieldProblem(f"«{cell_text(value)}» — укажите полную дату (ДД.ММ.ГГГГ), а не только год")
        if EXCEL_SERIAL_MIN <= value < EXCEL_SERIAL_MAX:  # a date in a cell not formatted as a date
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise FieldProblem(f"«{cell_text(value)}» — не похоже на дату; укажите в виде ДД.ММ.ГГГГ")
    text = cell_text(value)
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            try:
                day = dt.date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                raise FieldProblem(f"«{text}» — такой даты нет") from None
            if day.year < 1900:
                raise FieldProblem(f"«{text}» — слишком ранняя дата")
            return day
    if re.match(r"^(19|20)\d\d$", text):
        raise FieldProblem(f"«{text}» — укажите полную дату (ДД.ММ.ГГГГ), а не только год")
    if re.match(r"^\d{1,2}[./]\d{1,2}[./]\d{2}$", text):
        raise FieldProblem(f"«{text}» — укажите год четырьмя цифрами: ДД.ММ.ГГГГ")
    raise FieldProblem(f"«{text}» — не похоже на дату; укажите в виде ДД.ММ.ГГГГ")


def _check_name_part(text: str, what: str) -> str:
    try:
        return validate_name_part(text, what)
    except ValidationError as exc:
        raise FieldProblem(exc.messages[0]) from None


def parse_full_name(text: str) -> tuple[str, str, str]:
    words = text.split()
    if len(words) < 2:
        raise FieldProblem(f"«{text}» — укажите фамилию и имя (и отчество, если есть)")
    _check_name_part(text, "ФИО")
    return words[0], words[1], " ".join(words[2:])


def parse_int_years(value: Any) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if isinstance(value, float) and not value.is_integer():
        raise FieldProblem(f"«{text}» — укажите целое число лет")
    match = re.match(r"^(\d{1,2})(\s*(лет|года?|г\.?))?$", text)
    if not match:
        raise FieldProblem(f"«{text}» — укажите целое число лет, например «12»")
    return int(match.group(1))


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if not text or text in _FALSE_WORDS:
        return False
    if text in _TRUE_WORDS or normalise_text(text) == "молодой специалист":
        return True
    raise FieldProblem(f"«{cell_text(value)}» — ожидается «да» или «нет»")


def parse_kind(value: Any, default: str) -> str:
    text = cell_text(value)
    if not text:
        return default
    kind = KIND_VOCABULARY.get(normalise_text(text))
    if kind is None:
        known = ", ".join(k.label.lower() for k in PersonKind)
        raise FieldProblem(f"«{text}» — неизвестный вид участника; допустимо: {known}")
    return kind


def parse_categories(value: Any, vocabulary: dict[str, Category]) -> list[Category]:
    found: list[Category] = []
    unknown: list[str] = []
    for part in re.split(r"[,;\n]", cell_text(value) if not isinstance(value, str) else value):
        part = " ".join(part.split())
        if not part:
            continue
        category = vocabulary.get(normalise_text(part))
        if category is None:
            unknown.append(part)
        elif category not in found:
            found.append(category)
    if unknown:
        names = ", ".join(f"«{u}»" for u in unknown)
        known = ", ".join(dict.fromkeys(c.short_name for c in vocabulary.values()))
        raise FieldProblem(f"{names} — нет такой категории; известные: {known}")
    return found


_PHONE_RE = re.compile(r"\+?\d[\d\-\s()]{8,}\d")
PHONE_MAX_CHARS = 30  # Person.phone


@dataclass(frozen=True)
class GuardianRef:
    last_name: str
    first_name: str
    middle_name: str
    phone: str = ""

    @functools.cached_property
    def key(self) -> tuple[str, ...]:  # asked for several times a row by the checks and the write
        return name_key(self.last_name, self.first_name, self.middle_name)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


def parse_guardians(value: Any) -> list[GuardianRef]:
    refs = []
    for part in re.split(r"[;\n]", value if isinstance(value, str) else cell_text(value)):
        part = " ".join(part.split())
        if not part:
            continue
        phone_match = _PHONE_RE.search(part)
        phone = phone_match.group(0).strip() if phone_match else ""
        name = _PHONE_RE.sub(" ", part) if phone else part
        name = " ".join(re.sub(r"[,()]|\bтел\.?", " ", name).split())
        try:
            last, first, middle = parse_full_name(name)
        except FieldProblem:
            raise FieldProblem(
                f"«{part}» — укажите ФИО законного представителя (несколько — через «;»)"
            ) from None
        refs.append(GuardianRef(last, first, middle, phone))
    return refs


# --- analysing the rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str
    column_index: int | None = None

    def __str__(self) -> str:
        where = f"Строка {self.row}" if self.row is not None else "Файл"
        return f"{where}, «{self.column}»: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class RowResult:
    number: int
    cells: list[Any]
    fields: dict[str, Any] = field(default_factory=dict)
    categories: list[Category] = field(default_factory=list)
    guardians: list[GuardianRef] = field(default_factory=list)
    consents: list[Any] = field(default_factory=list)  # import_consents.ImportedConsent
    problems: list[Problem] = field(default_factory=list)
    existing: str = ""  # description of the person already in the registry (row is skipped)
    duplicate_of: int | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def will_create(self) -> bool:
        return self.is_valid and not self.existing

    @property
    def key(self) -> tuple[Any, ...]:
        names = name_key(
            self.fields.get("last_name", ""),
            self.fields.get("first_name", ""),
            self.fields.get("middle_name", ""),
        )
        return (*names, self.fields.get("birth_date"))

    @property
    def status(self) -> str:
        if self.problems:
            return "error"
        return "existing" if self.existing else "new"


@dataclass
class DisplayCell:
    text: str
    messages: list[str]


@dataclass
class DisplayRow:
    number: int
    status: str
    cells: list[DisplayCell]
    messages: list[str]  # problems not tied to a shown column, and notes


@dataclass
class ImportPreview:
    table: ImportTable
    mapping: Mapping
    rows: list[RowResult]
    file_problems: list[str]
    ignored: list[str]
    new_guardians: int = 0

    @property
    def problems(self) -> list[Problem]:
        return [Problem(None, "", message) for message in self.file_problems] + [
            problem for row in self.rows for problem in row.problems
        ]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_problems) or any(row.problems for row in self.rows)

    @property
    def error_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.problems]

    @property
    def to_create(self) -> list[RowResult]:
        return [row for row in self.rows if row.will_create]

    @property
    def existing_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.existing and not row.problems]

    @property
    def shown_columns(self) -> list[tuple[int, str]]:
        return [(index, self.table.column_label(index)) for index in sorted(self.mapping.values())]

    def display_rows(self, first: int = 20) -> list[DisplayRow]:
        """The first rows and every row with a problem or a note, ready for a template."""
        columns = sorted(self.mapping.values())
        shown = []
        for position, row in enumerate(self.rows):
            if position >= first and not row.problems and not row.existing:
                continue
            by_column: dict[int, list[str]] = defaultdict(list)
            other: list[str] = []
            for problem in row.problems:
                if problem.column_index is not None and problem.column_index in columns:
                    by_column[problem.column_index].append(problem.message)
                else:
                    other.append(
                        f"«{problem.column}»: {problem.message}" if problem.column else problem.message
                    )
            if row.existing:
                other.append(f"Уже есть в базе: {row.existing} — строка будет пропущена.")
            cells = [DisplayCell(cell_text(row.cells[i]), by_column.get(i, [])) for i in columns]
            shown.append(DisplayRow(row.number, row.status, cells, other))
        return shown


# Which import field a Person model field comes from, for placing full_clean errors.
_MODEL_FIELD_SOURCE = {
    "last_name": ("last_name", "full_name"),
    "first_name": ("first_name", "full_name"),
    "middle_name": ("middle_name", "full_name"),
    "birth_date": ("birth_date",),
    "grade": ("school_class",),
    "class_letter": ("school_class",),
    "study_group": ("school_class",),
    "kind": ("kind",),
    "position": ("position",),
    "experience_years": ("experience_years",),
    "is_young_specialist": ("is_young_specialist",),
    "email": ("email",),
    "phone": ("phone",),
}


def _lower_first(message: str) -> str:
    message = message.rstrip(".")
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


class _RowParser:
    def __init__(
        self,
        table: ImportTable,
        mapping: Mapping,
        organisation: Organisation,
        default_kind: str,
        vocabulary: dict[str, Category],
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.organisation = organisation
        self.default_kind = default_kind
        self.vocabulary = vocabulary
        self.consent_columns = ConsentColumns(table, mapping, organisation)  # "today" once
        self.scratch = person_from_fields({})  # for Person.clean, row after row
        self.passed: set[tuple[str, type, Any]] = set()  # values a field's own check accepted

    def source_of(self, model_field: str) -> tuple[str, int | None]:
        """(column label, index) of the column a Person field was read from."""
        for key in _MODEL_FIELD_SOURCE.get(model_field, ()):
            if key in self.mapping:
                index = self.mapping[key]
                return self.table.column_label(index), index
        keys = _MODEL_FIELD_SOURCE.get(model_field, ())
        if keys:
            return FIELDS_BY_KEY[keys[0]].label, None
        return "", None

    def parse(self, number: int, cells: list[Any]) -> RowResult:
        row = RowResult(number=number, cells=cells)
        self._read_names(row)
        self._read_kind(row)
        self._read_plain_fields(row)
        self._read_school_class(row)
        self._read_categories_and_guardians(row)
        self.consent_columns.parse(row, Problem)
        self._full_clean(row)
        # In the order of the file's columns, as the user reads the row.
        row.problems.sort(key=lambda p: (p.column_index is None, p.column_index or 0))
        return row

    def _raw(self, row: RowResult, key: str) -> Any:
        return row.cells[self.mapping[key]] if key in self.mapping else None

    def _text(self, row: RowResult, key: str) -> str:
        return cell_text(self._raw(row, key))

    def _problem(self, row: RowResult, key: str, message: str) -> None:
        index = self.mapping.get(key)
        label = self.table.column_label(index) if index is not None else FIELDS_BY_KEY[key].label
        row.problems.append(Problem(row.number, label, message, index))

    def _read_names(self, row: RowResult) -> None:
        """The name from one «ФИО» column, or from the surname, name and patronymic columns."""
        fields = row.fields
        if "full_name" in self.mapping:
            full_name = self._text(row, "full_name")
            if not full_name:
                self._problem(row, "full_name", "не указаны фамилия и имя")
                return
            try:
                fields["last_name"], fields["first_name"], fields["middle_name"] = parse_full_name(full_name)
            except FieldProblem as exc:
                self._problem(row, "full_name", str(exc))
            return
        for key, what, missing in (
            ("last_name", "фамилия", "не указана фамилия"),
            ("first_name", "имя", "не указано имя"),
            ("middle_name", "отчество", ""),
        ):
            value = self._text(row, key)
            if not value:
                if missing and key in self.mapping:
                    self._problem(row, key, missing)
                fields[key] = ""
                continue
            try:
                fields[key] = _check_name_part(value, what)
            except FieldProblem as exc:
                self._problem(row, key, str(exc))

    def _read_kind(self, row: RowResult) -> None:
        try:
            row.fields["kind"] = parse_kind(self._raw(row, "kind"), self.default_kind)
        except FieldProblem as exc:
            self._problem(row, "kind", str(exc))
            row.fields["kind"] = self.default_kind

    def _read_plain_fields(self, row: RowResult) -> None:
        """Birth date, experience, young specialist, position, e-mail and phone, where mapped."""
        parsers: tuple[tuple[str, str, Any], ...] = (
            ("birth_date", "birth_date", parse_date),
            ("experience_years", "experience_years", parse_int_years),
            ("is_young_specialist", "is_young_specialist", parse_bool),
        )
        for key, model_field, parser in parsers:
            if key in self.mapping:
                try:
                    row.fields[model_field] = parser(self._raw(row, key))
                except FieldProblem as exc:
                    self._problem(row, key, str(exc))
        for key in ("position", "email", "phone"):
            if key in self.mapping:
                row.fields[key] = self._text(row, key)

    def _read_school_class(self, row: RowResult) -> None:
        """A school student's class («7Б»), or a college student's group."""
        school_class = self._text(row, "school_class")
        if not school_class:
            return
        fields = row.fields
        if fields["kind"] == PersonKind.COLLEGE_STUDENT:
            fields["study_group"] = school_class
            return
        parsed = parse_school_class(school_class)
        if parsed is None:
            self._problem(row, "school_class", f"«{school_class}» — не похоже на класс; пример: «7Б», «11-А»")
        elif fields["kind"] != PersonKind.STUDENT:
            self._problem(
                row, "school_class", f"«{school_class}» — класс указывается только для обучающихся школы"
            )
        else:
            fields["grade"], fields["class_letter"] = parsed

    def _read_categories_and_guardians(self, row: RowResult) -> None:
        if "categories" in self.mapping:
            try:
                row.categories = parse_categories(self._raw(row, "categories"), self.vocabulary)
            except FieldProblem as exc:
                self._problem(row, "categories", str(exc))
        if "guardians" in self.mapping:
            try:
                row.guardians = parse_guardians(self._raw(row, "guardians"))
            except FieldProblem as exc:
                self._problem(row, "guardians", str(exc))
            if row.fields["kind"] == PersonKind.PARENT and row.guardians:
                self._problem(
                    row,
                    "guardians",
                    "у родителя (законного представителя) не указывается законный представитель",
                )
        if "guardian_phone" in self.mapping:
            self._read_guardian_phones(row)

    def _read_guardian_phones(self, row: RowResult) -> None:
        """«Телефон родителя»: the phones, in order, of the row's guardians (one each, through «;»)."""
        text = self._text(row, "guardian_phone")
        if not text:
            return
        phones = [" ".join(p.split()) for p in re.split(r"[;\n]", text) if p.strip()]
        if len(phones) == 1 and len(row.guardians) > 1:
            phones = [match.strip() for match in _PHONE_RE.findall(text)] or phones
        if not row.guardians:
            self._problem(
                row, "guardian_phone", f"«{text}» — телефон есть, а ФИО родителя в строке не указано"
            )
        elif len(phones) > len(row.guardians):
            self._problem(
                row,
                "guardian_phone",
                f"«{text}» — телефонов больше, чем законных представителей: по одному на каждого, через «;»",
            )
        elif any(len(phone) > PHONE_MAX_CHARS for phone in phones):
            self._problem(row, "guardian_phone", f"«{text}» — телефон длиннее {PHONE_MAX_CHARS} символов")
        else:
            row.guardians = [
                GuardianRef(ref.last_name, ref.first_name, ref.middle_name, phone) if not ref.phone else ref
                for ref, phone in zip(row.guardians, [*phones, *[""] * len(row.guardians)], strict=False)
            ]

    def _full_clean(self, row: RowResult) -> None:
        """The same validation as `person_create`, placed on the columns the values came from."""
        if _passes_full_clean(row.fields, self.scratch, self.passed):
            return
        already = {p.column_index for p in row.problems}
        person = Person(organisation=self.organisation, **row.fields)
        try:
            person.full_clean(exclude=["organisation", "user"])
        except ValidationError as exc:
            for model_field, messages in exc.message_dict.items():
                label, index = self.source_of(model_field) if model_field != NON_FIELD_ERRORS else ("", None)
                if index is not None and index in already:
                    continue  # the value was already reported as unreadable
                shown = cell_text(row.cells[index]) if index is not None else ""
                for message in messages:
                    text = f"«{shown}» — {_lower_first(message)}" if shown else message.rstrip(".")
                    row.problems.append(Problem(row.number, label, text, index))


_CLEAN_EXCLUDE = ("organisation", "user")


@functools.cache
def _clean_plan() -> tuple[dict[str, Any], frozenset[str], bool]:
    """Person's fields `full_clean` checks; those whose default fails the check (a person made
    without them fails); and whether it has nothing unique to check for a new person."""
    fields = {
        model_field.attname: model_field
        for model_field in Person._meta.concrete_fields
        if model_field.name not in _CLEAN_EXCLUDE and not model_field.generated
    }
    required = set()
    for name, model_field in fields.items():
        value = model_field.get_default()
        if model_field.blank and value in model_field.empty_values:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError:
            required.add(name)
    meta = Person._meta
    nothing_unique = (
        not meta.constraints
        and not meta.unique_together
        and not any(model_field.unique and not model_field.primary_key for model_field in fields.values())
    )
    return fields, frozenset(required), nothing_unique


def _passes_full_clean(
    fields: dict[str, Any], scratch: Person | None = None, passed: set[tuple[str, type, Any]] | None = None
) -> bool:
    """Whether `Person(**fields).full_clean(exclude=["organisation", "user"])` passes, by the
    same checks without what it spends on the two dozen fields an import leaves at their
    defaults: each given field's own `clean` (as `clean_fields` calls it), that no field whose
    default fails is missing, and `Person.clean`; validate_unique and validate_constraints have
    nothing to check. Runs on every row twice (preview and confirm); a row that fails goes through
    `full_clean` itself, which words the messages. `scratch`, a person made once for all the
    rows, is given the fields for `Person.clean` and gets its own back. `passed`, kept by the
    caller across the rows, remembers the (field, type, value) a field's `clean` accepted: that
    depends on nothing else (no model instance is given), and a class list repeats its kinds,
    classes, first names, patronymics and birth dates row after row."""
    model_fields, required, nothing_unique = _clean_plan()
    if not nothing_unique or not required <= fields.keys():
        return False
    try:
        for name, value in fields.items():
            model_field = model_fields[name]
            if model_field.blank and value in model_field.empty_values:
                continue
            if passed is None:
                model_field.clean(value, None)
                continue
            seen = (name, type(value), value)
            if seen not in passed:
                model_field.clean(value, None)
                passed.add(seen)
        if scratch is None:
            person_from_fields(fields).clean()
            return True
        before = {name: getattr(scratch, name) for name in fields}
        try:
            for name, value in fields.items():
                setattr(scratch, name, value)
            scratch.clean()
        finally:
            for name, value in before.items():
                setattr(scratch, name, value)
    except (ValidationError, KeyError, AttributeError):
        return False
    return True


def _describe(last: str, first: str, middle: str, birth_date: dt.date | None) -> str:
    name = " ".join(p for p in (last, first, middle) if p)
    return f"{name}, {birth_date:%d.%m.%Y}" if birth_date else name


def analyse(
    table: ImportTable,
    mapping: Mapping,
    *,
    organisation: Organisation,
    default_kind: str = PersonKind.STUDENT,
    skip_existing: bool = True,
    progress: Progress | None = None,
) -> ImportPreview:
    """Parse and validate every row; nothing is written. A fixed number of queries.
    `progress(n)` hears of the rows checked, every `PROGRESS_EVERY` rows."""
    with gc_paused():
        return _analyse(
            table,
            mapping,
            organisation=organisation,
            default_kind=default_kind,
            skip_existing=skip_existing,
            progress=progress,
        )


def _analyse(
    table: ImportTable,
    mapping: Mapping,
    *,
    organisation: Organisation,
    default_kind: str,
    skip_existing: bool,
    progress: Progress | None,
) -> ImportPreview:
    file_problems = mapping_problems(table, mapping)
    if default_kind not in PersonKind.values:
        file_problems.append("Выберите вид участника по умолчанию.")
        default_kind = PersonKind.STUDENT
    preview = ImportPreview(table, mapping, [], file_problems, ignored_columns(table, mapping))
    if file_problems:
        return preview
    vocabulary = category_vocabulary(Category.objects.all())
    parser = _RowParser(table, mapping, organisation, default_kind, vocabulary)
    preview.rows = rows = []
    for number, cells in table.rows:
        rows.append(parser.parse(number, cells))
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))

    names_column = (
        (table.column_label(mapping["full_name"]), mapping["full_name"])
        if "full_name" in mapping
        else (table.column_label(mapping["last_name"]), mapping["last_name"])
    )
    _mark_repeats(rows, names_column)
    existing, db_parents = _registry_people(rows, organisation)
    _mark_existing(rows, existing, names_column, skip_existing=skip_existing)
    preview.new_guardians = _check_guardians(rows, table, mapping, db_parents)
    return preview


def _mark_repeats(rows: list[RowResult], names_column: tuple[str, int]) -> None:
    """A row that repeats an earlier row of the file (same name and birth date) is an error."""
    first_seen: dict[tuple[Any, ...], RowResult] = {}
    for row in rows:
        if "last_name" not in row.fields or "first_name" not in row.fields:
            continue
        earlier = first_seen.setdefault(row.key, row)
        if earlier is not row:
            row.duplicate_of = earlier.number
            what = _describe(
                row.fields["last_name"],
                row.fields["first_name"],
                row.fields["middle_name"],
                row.fields.get("birth_date"),
            )
            row.problems.append(
                Problem(
                    row.number,
                    names_column[0],
                    f"«{what}» — повторяет строку {earlier.number}",
                    names_column[1],
                )
            )


def _registry_people(
    rows: list[RowResult], organisation: Organisation
) -> tuple[dict[tuple[Any, ...], Person], dict[tuple[str, ...], list[int]]]:
    """People already in the organisation's registry, and its parents (for guardians): one query."""
    dates = {row.fields.get("birth_date") for row in rows} - {None}
    in_db = Person.objects.filter(organisation=organisation).filter(
        Q(birth_date__in=dates) | Q(birth_date__isnull=True) | Q(kind=PersonKind.PARENT)
    )
    existing: dict[tuple[Any, ...], Person] = {}
    db_parents: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for person in in_db.only(
        "pk", "last_name", "first_name", "middle_name", "birth_date", "kind", "grade", "class_letter"
    ):
        key = (*name_key(person.last_name, person.first_name, person.middle_name), person.birth_date)
        existing.setdefault(key, person)
        if person.kind == PersonKind.PARENT:
            db_parents[name_key(person.last_name, person.first_name, person.middle_name)].append(person.pk)
    return existing, db_parents


def _mark_existing(
    rows: list[RowResult],
    existing: dict[tuple[Any, ...], Person],
    names_column: tuple[str, int],
    *,
    skip_existing: bool,
) -> None:
    """A row of a person already in the registry is skipped, or an error when skipping is off."""
    for row in rows:
        if row.duplicate_of or "last_name" not in row.fields:
            continue
        match = existing.get(row.key)
        if match is None:
            continue
        description = _describe(match.last_name, match.first_name, match.middle_name, match.birth_date)
        if match.school_class:
            description += f", {match.school_class} класс"
        if skip_existing:
            row.existing = description
        else:
            row.problems.append(
                Problem(
                    row.number,
                    names_column[0],
                    f"«{description}» — уже есть в базе организации",
                    names_column[1],
                )
            )


def _check_guardians(
    rows: list[RowResult], table: ImportTable, mapping: Mapping, db_parents: dict[tuple[str, ...], list[int]]
) -> int:
    """Guardians: a parent row of the file, a parent already in the registry, or a new parent.

    Returns how many new parents the import will create."""
    file_parents = {
        name_key(r.fields["last_name"], r.fields["first_name"], r.fields["middle_name"])
        for r in rows
        if r.will_create and r.fields.get("kind") == PersonKind.PARENT
    }
    new_guardians: set[tuple[str, ...]] = set()
    for row in rows:
        if not row.will_create:
            continue
        for ref in row.guardians:
            if ref.key == name_key(
                row.fields["last_name"], row.fields["first_name"], row.fields["middle_name"]
            ):
                row.problems.append(
                    Problem(
                        row.number,
                        table.column_label(mapping["guardians"]),
                        f"«{ref.full_name}» — участник не может быть собственным законным представителем",
                        mapping["guardians"],
                    )
                )
            elif ref.key in file_parents:
                continue
            elif len(db_parents.get(ref.key, [])) > 1:
                row.problems.append(
                    Problem(
                        row.number,
                        table.column_label(mapping["guardians"]),
                        f"«{ref.full_name}» — в базе несколько родителей с таким ФИО; уберите его из файла "
                        "и свяжите вручную в карточке участника",
                        mapping["guardians"],
                    )
                )
            elif ref.key not in db_parents:
                new_guardians.add(ref.key)
    return len(new_guardians)


# --- the write ----------------------------------------------------------------------------------


class ImportRejected(ValidationError):
    """The import wrote nothing; `problems` says why, row by row."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems])


# «добавлено 30 обучающихся и 18 родителей»: the forms for 1, 2–4 and 5 of each kind
_KIND_COUNTED: dict[str, tuple[str, str, str]] = {
    PersonKind.STUDENT: ("обучающийся", "обучающихся", "обучающихся"),
    PersonKind.COLLEGE_STUDENT: ("студент", "студента", "студентов"),
    PersonKind.TEACHER: ("педагог", "педагога", "педагогов"),
    PersonKind.STAFF: ("сотрудник", "сотрудника", "сотрудников"),
    PersonKind.PARENT: ("родитель", "родителя", "родителей"),
    PersonKind.GRADUATE: ("выпускник", "выпускника", "выпускников"),
    PersonKind.PARTNER_EMPLOYEE: ("сотрудник партнёра", "сотрудника партнёра", "сотрудников партнёра"),
}


@dataclass
class ImportResult:
    """How many people of each kind the import added (new parents of the guardians' column included)."""

    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def summary(self) -> str:
        """«добавлено 30 обучающихся и 18 родителей», «добавлен 1 педагог», «никто не добавлен»."""
        parts = [
            f"{count} {plural_form(count, *_KIND_COUNTED[kind])}"
            for kind in PersonKind.values
            if (count := self.by_kind.get(kind, 0))
        ]
        if not parts:
            return "никто не добавлен"
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} и {parts[-1]}"
        first = next(count for kind in PersonKind.values if (count := self.by_kind.get(kind, 0)))
        return f"{plural_form(first, 'добавлен', 'добавлено', 'добавлено')} {listed}"


def people_import(
    *,
    acting_user: User,
    organisation: Organisation,
    table: ImportTable,
    mapping: Mapping,
    default_kind: str = PersonKind.STUDENT,
    skip_existing: bool = True,
    checked: ImportPreview | None = None,
) -> ImportResult:
    """Add the people of `table` to the organisation's registry: all of them, or none if any row
    is bad (raises ImportRejected). People already in the registry are skipped (or, with
    `skip_existing=False`, are errors). Returns how many people of each kind were created, new
    parents of the guardians' column included; a phone given for a parent who has none is kept.

    `checked` is the preview of the same table and mapping made just before (a background
    import checks the rows outside the transaction, to report its progress): inside the
    transaction only what the registry decides is checked again."""
    require_manage_organisation(acting_user, organisation.pk)
    with gc_paused(), roomy_page_cache(), transaction.atomic(), acting_as(acting_user):
        if checked is None:
            preview = analyse(
                table,
                mapping,
                organisation=organisation,
                default_kind=default_kind,
                skip_existing=skip_existing,
            )
        else:
            preview = recheck_against_registry(checked, organisation, skip_existing=skip_existing)
        if preview.has_errors:
            raise ImportRejected(preview.problems)
        created = people_bulk_write(acting_user, organisation, preview.to_create)
        result = ImportResult(dict(created))
        transaction.on_commit(
            lambda: people_imported.send(sender=ImportResult, organisation=organisation, created=result.total)
        )
    return result


def recheck_against_registry(
    preview: ImportPreview, organisation: Organisation, *, skip_existing: bool
) -> ImportPreview:
    """The checks of `analyse` that depend on the registry, again (people may have been added
    since the rows were checked): who is already there and which parents the guardians are."""
    if preview.has_errors:
        return preview
    table, mapping = preview.table, preview.mapping
    names_column = (
        (table.column_label(mapping["full_name"]), mapping["full_name"])
        if "full_name" in mapping
        else (table.column_label(mapping["last_name"]), mapping["last_name"])
    )
    for row in preview.rows:
        row.existing = ""
    existing, db_parents = _registry_people(preview.rows, organisation)
    _mark_existing(preview.rows, existing, names_column, skip_existing=skip_existing)
    preview.new_guardians = _check_guardians(preview.rows, table, mapping, db_parents)
    return preview
