"""The dashboards benchmark runs end to end on a tiny region: one JSON line, every request
answered, and the same number of queries whatever the size."""

from __future__ import annotations

import json

import pytest

from bench import dashboards
from nastavnik.base.time import today_in

pytestmark = pytest.mark.django_db


def test_bench_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert dashboards.main(["--organisations", "4", "--people", "200", "--repeat", "1", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["people"] == 200 and report["organisations"] == 4
    for key in ("organisation_dashboard", "municipality_dashboard", "region_dashboard", "region_program_counts",
                "annual_report"):  # fmt: skip
        assert report[key]["p50_ms"] > 0 and report[key]["p95_ms"] >= report[key]["p50_ms"]
        assert report[key]["queries"] > 0


def test_bench_query_counts_do_not_depend_on_the_size() -> None:
    today = today_in()
    small = dashboards.measure(dashboards.generate(2, 60, seed=1, today=today), 1, today)
    large = dashboards.measure(dashboards.generate(30, 3000, seed=2, today=today), 1, today)
    assert {k: v["queries"] for k, v in small.items() if isinstance(v, dict)} == {
        k: v["queries"] for k, v in large.items() if isinstance(v, dict)
    }
