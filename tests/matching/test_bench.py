"""The region benchmark runs end to end on a small instance and reports consistent numbers."""

from __future__ import annotations

import json

import pytest

from bench import matching


@pytest.mark.parametrize(("mentees", "mentors"), [(400, 100), (150, 100)])
def test_bench_prints_one_consistent_json_line(
    mentees: int, mentors: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert matching.main(["--mentees", str(mentees), "--mentors", str(mentors), "--seed", "7"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    for key in (
        "solve_seconds",
        "baseline_seconds",
        "total_score",
        "optimal_score",
        "blocking_pairs",
        "matched",
    ):
        assert key in report
    assert report["peak_rss_mb"] > 0
    assert report["scores_agree"] is True
    assert report["total_score"] == pytest.approx(report["optimal_score"])
    assert report["stable_blocking_pairs"] == 0
    assert report["stable_score"] <= report["total_score"]
    assert report["max_matched_matched"] >= report["matched"]


def test_bench_lp_check_agrees_with_the_solver(capsys: pytest.CaptureFixture[str]) -> None:
    assert matching.main(["--mentees", "300", "--mentors", "80", "--seed", "5", "--check-lp"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lp_score"] == pytest.approx(report["total_score"], rel=1e-9)


def test_bench_instance_is_deterministic_for_a_seed() -> None:
    first = matching.generate_region(300, 80, seed=3)
    again = matching.generate_region(300, 80, seed=3)
    other = matching.generate_region(300, 80, seed=4)
    assert (matching.score_pairs(first) == matching.score_pairs(again)).all()
    assert (first.edge_mentor == again.edge_mentor).all()
    assert (
        first.edge_mentor.shape != other.edge_mentor.shape or (first.edge_mentor != other.edge_mentor).any()
    )
