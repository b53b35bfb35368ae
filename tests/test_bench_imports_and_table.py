"""The imports benchmark runs end to end on small files (one JSON line with the ratios), and the
README's table is made from the benchmarks' JSON lines."""

from __future__ import annotations

import json

import pytest

from bench import imports, readme_table


@pytest.mark.django_db
def test_the_imports_benchmark_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert imports.main(["--rows", "30", "--seed", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["bench"] == "imports" and set(report["files"]) == {"30.xlsx", "30.csv"}
    for figures in report["files"].values():
        assert figures["rows"] == 30 and figures["created"] >= 30  # the children and their parents
        assert figures["rows_per_s"] > 0 and figures["ratio_to_parse"] > 0
        assert figures["peak_memory_mb"] > 0
        assert figures["total_s"] >= figures["confirm_s"]
    # The CSV file's floor is openpyxl reading the same rows, its own C csv reading beside it.
    csv_figures = report["files"]["30.csv"]
    assert csv_figures["csv_module_parse_s"] < csv_figures["floor_parse_s"]
    assert csv_figures["ratio_to_csv_module"] > csv_figures["ratio_to_parse"]
    assert "csv_module_parse_s" not in report["files"]["30.xlsx"]


def test_the_readme_table_is_made_from_the_json_lines(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "bench.jsonl"
    load = {
        "bench": "load",
        "requests": 10,
        "errors": 0,
        "requests_per_s": 5.0,
        "pages": {
            "home": {
                "requests": 5,
                "errors": 0,
                "p50_ms": 40.0,
                "p95_ms": 80.0,
                "max_ms": 90.0,
                "ratio_to_minimal_view": 4.0,
            },
            "minimal_view": {
                "requests": 5,
                "errors": 0,
                "p50_ms": 10.0,
                "p95_ms": 12.0,
                "max_ms": 13.0,
                "ratio_to_minimal_view": 1.0,
            },
        },
    }
    saved.write_text("noise\n" + json.dumps(load) + "\n")
    assert readme_table.main([str(saved)]) == 0
    out = capsys.readouterr().out
    assert "| `home` | 5 | 40.0 | 80.0 | 90.0 | 4.0 |" in out
    assert "5.0 запросов/с, ошибок 0" in out


def test_the_matching_table_shows_each_step_against_the_bare_solve(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "matching.jsonl"
    run = {
        "from_db": True,
        "database": "sqlite",
        "mentees": 20,
        "mentors": 5,
        "edges": 100,
        "pairs": 15,
        "confirm_queries": 40,
        "bare_solve_seconds": 0.1,
        "load_seconds": 0.2,
        "score_seconds": 0.3,
        "solve_seconds": 0.2,
        "store_seconds": 0.1,
        "run_start_seconds": 0.8,
        "confirm_seconds": 1.5,
        "ratio_to_bare_solve": {"before_confirmation": 8.0, "load": 2.0, "confirm": 15.0},
    }
    saved.write_text(json.dumps(run) + "\n")
    assert readme_table.main([str(saved)]) == 0
    out = capsys.readouterr().out
    assert "20 наставляемых × 5 наставников" in out
    assert "| всё до утверждения (медиана трёх запусков) | 0.8 | 8.0 |" in out
    assert "| оценка пар | 0.3 | — |" in out
    assert "школах" not in out
    # a region's run: its schools and its queued notifications in the title
    saved.write_text(json.dumps({**run, "schools": 40, "notification_queries": 18}) + "\n")
    assert readme_table.main([str(saved)]) == 0
    out = capsys.readouterr().out
    assert "5 наставников в 40 школах, пары внутри школы" in out
    assert "запросов утверждения 40, постановки уведомлений в очередь 18" in out
