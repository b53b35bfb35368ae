"""Class list imports at scale: ``python -m bench.imports [--rows 5000 50000] [--no-memory]
[--db PATH | --configured-db]``.

For each size it writes a class list as XLSX and as CSV (full name, birth date, class,
categories, the parent and the parent's phone: the columns schools send), and takes each file
through the services the web uses: `read_table` (parse), `auto_mapping`, `analyse` with the
preview's rows (validate, preview) and `people_import` (confirm: the write with its audit
records), into an organisation of its own, after a 50-row list of each format has warmed the
process up as a server's first request does. In the same run it reads the same rows with
openpyxl in read-only mode, the floor the issue names: the XLSX file itself, and for the CSV file
the same rows as XLSX (openpyxl reads no CSV). The CSV file's own cheapest reading (the C csv
module, some 100 times faster than any import that validates and writes) is reported beside it,
as `csv_module_parse_s` and `ratio_to_csv_module`. Prints ONE JSON line:
per file the seconds of each step, `rows_per_s` (rows of the file over the whole import),
`ratio_to_parse` (the whole import over the floor) and, unless ``--no-memory``, the peak
memory of the import traced in a second pass (tracemalloc slows Python down, so the timed pass
runs without it).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.django_setup import setup_django

DEFAULT_DB = Path("/tmp/nastavnik-bench-imports.sqlite3")  # noqa: S108 - a throwaway file
HEADERS = [
    "№",
    "ФИО",
    "Дата рождения",
    "Класс",
    "Категории",
    "Родитель / законный представитель",
    "Телефон родителя",
]
LAST = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
]
FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил"]
MIDDLE = ["Александрович", "Дмитриевич", "Сергеевич", "Андреевич", "Алексеевич", "Игоревич", "Олегович"]
SYLLABLES = ["ко", "ва", "ли", "ра", "но", "ту", "ми", "се", "да", "ре", "бо", "жу", "па", "гу", "ны", "фе"]
PARENT_FIRST = ["Ольга", "Елена", "Татьяна", "Наталья", "Ирина", "Светлана", "Марина", "Анна"]
CATEGORIES = ["", "", "", "", "", "", "ОВЗ", "ТЖС", "Одарённые", "ОВЗ, ТЖС"]


def class_list_rows(count: int, seed: int, today: dt.date, *, guardians: bool = True) -> list[list[Any]]:
    """`count` distinct children (a made-up surname stem keeps 50,000 names distinct), about one
    in three sharing a parent with a sibling; without `guardians`, no parents' columns."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    width = len(HEADERS) if guardians else len(HEADERS) - 2
    rows: list[list[Any]] = [HEADERS[:width]]
    for n in range(count):
        stem = "".join(SYLLABLES[(n >> (4 * k)) & 15] for k in range(4)).capitalize()
        last = f"{stem}{LAST[n % len(LAST)][-2:]}"
        born = today - dt.timedelta(days=rng.randint(7 * 365, 17 * 365))
        grade = min(11, max(1, (today - born).days // 365 - 6))
        family = n - (n % 3 if rng.random() < 0.3 else 0)
        parent = f"{last} {PARENT_FIRST[family % len(PARENT_FIRST)]} Петровна"
        rows.append(
            [
                n + 1,
                f"{last} {FIRST[n % len(FIRST)]} {MIDDLE[n % len(MIDDLE)]}",
                f"{born:%d.%m.%Y}",
                f"{grade}{'АБВГ'[n % 4]}",
                rng.choice(CATEGORIES),
                parent,
                f"+7 9{family % 100:02d} {family % 1000:03d}-{family % 100:02d}-{(family // 100) % 100:02d}",
            ][:width]
        )
    return rows


def as_xlsx(rows: list[list[Any]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Список")
    sheet.append(["Список обучающихся"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def floor_parse(name: str, data: bytes) -> int:
    """The cheapest reading of the file: every row's values, nothing else."""
    if name.endswith(".xlsx"):
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value


def import_file(name: str, data: bytes, organisation: Any, user: Any) -> dict[str, Any]:
    """One import through the web's services; the seconds of each step."""
    from nastavnik.registry.people_import import analyse, auto_mapping, people_import, read_table

    parse_s, table = _timed(lambda: read_table(name, data))
    mapping_s, mapping = _timed(lambda: auto_mapping(table))

    def preview() -> Any:
        result = analyse(table, mapping, organisation=organisation)
        result.display_rows()
        return result

    preview_s, checked = _timed(preview)
    assert not checked.has_errors, [str(p) for p in checked.problems[:5]]
    confirm_s, result = _timed(
        lambda: people_import(acting_user=user, organisation=organisation, table=table, mapping=mapping)
    )
    return {
        "rows": len(table.rows),
        "created": result.total,
        "parse_s": round(parse_s, 3),
        "mapping_s": round(mapping_s, 3),
        "preview_s": round(preview_s, 3),
        "confirm_s": round(confirm_s, 3),
        "total_s": round(parse_s + mapping_s + preview_s + confirm_s, 3),
    }


class Region:
    """Organisations to import into, one per file, each with its curator."""

    def __init__(self, seed: int) -> None:
        from nastavnik.home.reference import ensure_reference_data
        from nastavnik.orgs.models import Municipality
        from nastavnik.orgs.models import Region as RegionModel

        ensure_reference_data()
        region = RegionModel.objects.create(name=f"Бенчмарк импорта {seed}", timezone="Europe/Moscow")
        self.municipality = Municipality.objects.create(region=region, name="Муниципалитет импорта")
        self.seed = seed
        self.count = 0

    def school(self) -> tuple[Any, Any]:
        from nastavnik.accounts.models import Role, RoleAssignment, User
        from nastavnik.orgs.models import Organisation

        self.count += 1
        organisation = Organisation.objects.create(
            municipality=self.municipality,
            name=f"Школа импорта № {self.count}",
            short_name=f"СОШ № {self.count}",
        )
        user = User.objects.create(username=f"import-curator-{self.seed}-{self.count}")
        RoleAssignment.objects.create(user=user, role=Role.PROGRAM_CURATOR, organisation=organisation)
        return organisation, user


def measure_file(
    name: str, data: bytes, region: Region, *, memory: bool, as_workbook: bytes | None = None
) -> dict[str, Any]:
    """`as_workbook`: for a CSV file, the same rows as XLSX, which openpyxl's floor reads."""
    floor_s, _ = _timed(
        lambda: floor_parse("floor.xlsx", as_workbook) if as_workbook else floor_parse(name, data)
    )
    organisation, user = region.school()
    report = import_file(name, data, organisation, user)
    report["floor_parse_s"] = round(floor_s, 3)
    if as_workbook is not None:
        csv_s, _ = _timed(lambda: floor_parse(name, data))
        report["csv_module_parse_s"] = round(csv_s, 4)
        report["ratio_to_csv_module"] = round(report["total_s"] / csv_s, 1) if csv_s else None
    report["bytes"] = len(data)
    report["rows_per_s"] = round(report["rows"] / report["total_s"]) if report["total_s"] else None
    report["ratio_to_parse"] = round(report["total_s"] / floor_s, 1) if floor_s else None
    if memory:
        organisation, user = region.school()
        tracemalloc.start()
        import_file(name, data, organisation, user)
        report["peak_memory_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return report


def run(sizes: list[int], seed: int, *, memory: bool) -> dict[str, Any]:
    from nastavnik.base.time import today_in

    region = Region(seed)
    # A server's workers are warm after their first request: module imports (calamine, the
    # dictionary of name cases), Django's first compiled queries. A 50-row list of each format is
    # imported before the measured ones, so the first measured file does not carry them.
    warm_up = class_list_rows(50, seed, today_in())
    for suffix, data in (("xlsx", as_xlsx(warm_up)), ("csv", as_csv(warm_up))):
        organisation, user = region.school()
        import_file(f"warm-up.{suffix}", data, organisation, user)
    files: dict[str, Any] = {}
    for size in sizes:
        rows = class_list_rows(size, seed + size, today_in())
        workbook = as_xlsx(rows)
        files[f"{size}.xlsx"] = measure_file(f"spisok-{size}.xlsx", workbook, region, memory=memory)
        files[f"{size}.csv"] = measure_file(
            f"spisok-{size}.csv", as_csv(rows), region, memory=memory, as_workbook=workbook
        )
    return {"bench": "imports", "files": files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 50_000])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-memory", action="store_true", help="skip the traced pass (peak memory)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="throwaway SQLite file (re-created)")
    parser.add_argument("--configured-db", action="store_true", help="use the database of the settings")
    args = parser.parse_args(argv)
    from django.conf import settings

    if not settings.configured:
        setup_django(args.db, args.configured_db)
    from django.db import connection

    report = run(args.rows, args.seed, memory=not args.no_memory)
    report["database"] = connection.vendor
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
