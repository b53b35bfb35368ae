"""`python -m bench.matching --from-db` runs end to end at a tiny size and prints its keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_matching_from_db_prints_the_phases_and_ratios(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.matching",
            "--from-db",
            "--mentees",
            "12",
            "--mentors",
            "4",
            "--db",
            str(tmp_path / "bench.sqlite3"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    for key in ("load", "score", "solve", "store", "confirm", "bare_solve", "order_docx", "order_pdf"):
        assert result[f"{key}_seconds"] >= 0
    assert set(result["ratio_to_bare_solve"]) == {
        "before_confirmation",
        "load",
        "score",
        "solve",
        "store",
        "confirm",
    }
    assert result["pairs"] > 0 and result["groups"] > 0
    assert result["confirm_queries"] > 0
