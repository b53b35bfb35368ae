"""`python -m bench.matching --from-db` runs end to end at a tiny size and prints its keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> str:
    """The benchmark's standard output, run as its command is (on a SQLite file of its own)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bench.matching", "--from-db", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


def test_bench_matching_from_db_prints_the_phases_and_ratios(tmp_path):
    out = _bench("--mentees", "12", "--mentors", "4", "--db", str(tmp_path / "bench.sqlite3"))
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    for key in (
        "load",
        "score",
        "solve",
        "store",
        "optimal_thread",
        "stable_thread",
        "solve_apart",
        "confirm",
        "bare_solve",
        "order_docx",
        "order_pdf",
    ):
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
    assert result["schools"] == 1


def test_bench_matching_from_db_in_schools_pairs_within_a_school(tmp_path):
    import sqlite3

    db = tmp_path / "bench.sqlite3"
    out = _bench("--mentees", "30", "--mentors", "9", "--schools", "3", "--db", str(db))
    result = json.loads(out)
    # Every mentee with every mentor of the same school only: 10 x 3 in each of 3 schools.
    assert (result["schools"], result["edges"]) == (3, 90)
    with sqlite3.connect(db) as connection:
        pairs = connection.execute(
            """SELECT mentee_person.organisation_id, mentor_person.organisation_id
            FROM matching_proposalpair pair
            JOIN registry_participation mentee ON mentee.id = pair.mentee_id
            JOIN registry_person mentee_person ON mentee_person.id = mentee.person_id
            JOIN registry_participation mentor ON mentor.id = pair.mentor_id
            JOIN registry_person mentor_person ON mentor_person.id = mentor.person_id"""
        ).fetchall()
    assert pairs and all(a == b for a, b in pairs)
    assert len({a for a, _ in pairs}) == 3
