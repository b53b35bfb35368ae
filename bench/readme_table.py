"""The README's performance table from the benchmarks' JSON lines: ``python -m bench.readme_table
FILE...`` (each file holds lines printed by ``bench.imports``, ``bench.dashboards``,
``bench.load`` or ``bench.matching``; ``-`` reads standard input). Prints markdown: one table
per benchmark, the ratios the issue asks for next to the times they come from."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DASHBOARDS = (
    "organisation_dashboard",
    "municipality_dashboard",
    "region_dashboard",
    "region_program_counts",
    "annual_report",
)


def _table(headers: list[str], rows: Iterable[list[Any]]) -> list[str]:
    def cell(value: Any) -> str:
        return "—" if value is None else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return lines


def imports_table(report: dict[str, Any]) -> list[str]:
    rows = [
        [
            f"`{name}`",
            r["rows"],
            r["floor_parse_s"],
            r["parse_s"],
            r["preview_s"],
            r["confirm_s"],
            r["total_s"],
            r["rows_per_s"],
            r["ratio_to_parse"],
            r.get("ratio_to_csv_module"),
            r.get("peak_memory_mb"),
        ]
        for name, r in report["files"].items()
    ]
    # The floor is openpyxl reading the same rows (as XLSX for a CSV file); «к модулю csv»: a CSV
    # file's import over the C csv module's reading of it.
    headers = ["файл", "строк", "чтение openpyxl, с", "разбор, с", "проверка, с", "загрузка, с"]
    headers += ["всего, с", "строк/с", "к чтению", "к модулю csv", "пик памяти, МБ"]
    return [
        f"**Импорт списков** (`bench.imports`, {report.get('database', '')}):",
        "",
        *_table(headers, rows),
    ]


def dashboards_table(report: dict[str, Any]) -> list[str]:
    rows = [
        [
            f"`{name}`",
            report[name]["p50_ms"],
            report[name]["p95_ms"],
            report[name]["queries"],
            report[name].get("ratio_to_minimal_view"),
        ]
        for name in DASHBOARDS
        if name in report
    ]
    rows.append(
        [
            "`minimal_view`",
            report["minimal_view"]["p50_ms"],
            report["minimal_view"]["p95_ms"],
            report["minimal_view"]["queries"],
            1.0,
        ]
    )
    bare = report.get("bare_sql", {})
    rows.append(
        ["голый SQL показателей региона (прежний способ)", bare.get("p50_ms"), bare.get("p95_ms"), 1, None]
    )
    title = (
        f"**Панели мониторинга** (`bench.dashboards`, {report.get('database', '')}, "
        f"{report['organisations']} организаций, {report['people']} человек; пересчёт значений "
        f"{report.get('refresh_s')} с; значения совпадают с голым SQL: "
        f"{'да' if report.get('values_equal_bare_sql') else 'нет'}):"
    )
    return [title, "", *_table(["страница", "p50, мс", "p95, мс", "запросов", "p95 к минимальной"], rows)]


def load_table(report: dict[str, Any]) -> list[str]:
    pages = report["pages"]
    rows = [
        [
            f"`{name}`",
            page["requests"],
            page["p50_ms"],
            page["p95_ms"],
            page["max_ms"],
            page["ratio_to_minimal_view"],
        ]
        for name, page in sorted(pages.items())
    ]
    title = (
        f"**Страницы под нагрузкой** (`bench.load`, {report.get('database', '')}, "
        f"{report.get('requests_per_s')} запросов/с, ошибок {report.get('errors')}):"
    )
    return [
        title,
        "",
        *_table(["страница", "запросов", "p50, мс", "p95, мс", "max, мс", "p50 к минимальной"], rows),
    ]


MATCHING_STEPS = (
    ("load", "load_seconds", "загрузка из базы"),
    ("score", "score_seconds", "оценка пар"),
    ("solve", "solve_seconds", "решение оптимального варианта (оба варианта — в двух потоках)"),
    ("store", "store_seconds", "запись подбора и вариантов (идёт, пока варианты решаются)"),
    ("optimal_thread", "optimal_thread_seconds", "оптимальный вариант в своём потоке"),
    ("stable_thread", "stable_thread_seconds", "устойчивый вариант в своём потоке"),
    ("before_confirmation", "run_start_seconds", "всё до утверждения (медиана трёх запусков)"),
    ("confirm", "confirm_seconds", "утверждение (пары, группы, журнал, уведомления)"),
)


def matching_table(report: dict[str, Any]) -> list[str]:
    if not report.get("from_db"):
        values = [
            [key, json.dumps(value, ensure_ascii=False)] for key, value in report.items() if key != "bench"
        ]
        return ["**Подбор пар** (`bench.matching`):", "", *_table(["величина", "значение"], values)]
    ratios = report.get("ratio_to_bare_solve", {})
    rows: list[list[Any]] = [
        [label, report.get(seconds), ratios.get(key)] for key, seconds, label in MATCHING_STEPS
    ]
    rows.append(["голое решение scipy (опора)", report.get("bare_solve_seconds"), 1.0])
    schools = report.get("schools") or 1
    spread = f" в {schools} школах, пары внутри школы" if schools > 1 else ""
    title = (
        f"**Подбор из базы** (`bench.matching --from-db`, {report.get('database', '')}, "
        f"{report.get('mentees')} наставляемых × {report.get('mentors')} наставников{spread}, "
        f"{report.get('edges')} допустимых пар; утверждено пар {report.get('pairs')}, "
        f"запросов утверждения {report.get('confirm_queries')}, "
        f"постановки уведомлений в очередь {report.get('notification_queries')}):"
    )
    return [title, "", *_table(["шаг", "с", "к голому решению"], rows)]


TABLES = {"imports": imports_table, "dashboards": dashboards_table, "load": load_table}


def markdown(reports: Iterable[dict[str, Any]]) -> str:
    blocks = []
    for report in reports:
        blocks.append("\n".join(TABLES.get(report.get("bench", ""), matching_table)(report)))
    return "\n\n".join(blocks) + "\n"


def read_reports(paths: list[str]) -> list[dict[str, Any]]:
    reports: list[dict[str, Any]] = []
    for path in paths or ["-"]:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        reports.extend(json.loads(line) for line in text.splitlines() if line.strip().startswith("{"))
    return reports


def main(argv: list[str] | None = None) -> int:
    sys.stdout.write(markdown(read_reports(sys.argv[1:] if argv is None else argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
