"""Region-scale matching benchmark: ``python -m bench.matching --mentees N --mentors M --seed S``.

Generates a synthetic region deterministically from the seed (people, questionnaires with gaps,
compatible pairs), then in one process:

1. the full pipeline — load the region (here: generate it), score every compatible pair from
   the questionnaire features (``combine_factors``), build the validated instance
   (``build_instance``) and solve for the best total score (``solve_optimal``, including the
   result checks, blocking pairs and unmatched reasons);
2. the baseline — a bare scipy solve of the same scored instance: the capacity-expanded
   biadjacency matrix with one dummy "unmatched" column per row handed to
   ``min_weight_full_bipartite_matching``, written here independently of the solver module;
3. the stable solver (``solve_stable``) and the ``max_matched`` objective on the same instance;
4. with ``--check-lp``, HiGHS on the LP of the same instance as an independent exact optimum.

Pipeline and baseline are timed ``--repeat`` times, alternating; the JSON reports the medians
and every measurement. Prints one JSON line. ``total_score`` (pipeline) and ``optimal_score`` (baseline) must agree.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from nastavnik.matching.instance import FloatArray, Instance, IntArray, build_instance
from nastavnik.matching.scoring import combine_factors
from nastavnik.matching.solvers import MatchingResult, solve_optimal, solve_stable

N_TAGS = 24  # competencies / request topics in a region's reference list
TEXT_DIM = 16  # size of the free-text answer embedding
WEIGHTS = {"requests": 3.0, "text": 1.0, "availability": 1.0, "preference": 2.0}


@dataclass(frozen=True, eq=False)
class Region:
    """Synthetic people and compatible pairs, as a registry export would provide them."""

    n_mentees: int
    n_mentors: int
    capacity: IntArray
    edge_mentee: IntArray
    edge_mentor: IntArray
    mentee_tags: IntArray  # bitmask of requests, 0 = questionnaire item left empty
    mentor_tags: IntArray  # bitmask of competencies, 0 = empty
    mentee_text: npt.NDArray[np.float32]  # unit vectors, NaN rows = no free-text answer
    mentor_text: npt.NDArray[np.float32]
    mentee_slots: IntArray  # bitmask of convenient times/formats, 0 = not stated
    mentor_slots: IntArray
    filled_preferences: npt.NDArray[np.bool_]  # mentee filled the post-networking questionnaire
    edge_named: npt.NDArray[np.bool_]  # the mentee named this mentor in it


def _random_bitmask(rng: np.random.Generator, n: int, bits: int, low: int, high: int) -> IntArray:
    counts = rng.integers(low, high + 1, size=n)
    # Draw `high` distinct bits per person via argsort of noise, keep the first `count`.
    picks = np.argsort(rng.random((n, bits)), axis=1)[:, :high]
    keep = np.arange(high)[None, :] < counts[:, None]
    values = np.where(keep, np.left_shift(np.int64(1), picks.astype(np.int64)), 0)
    masks: IntArray = values.sum(axis=1).astype(np.int64)
    return masks


def _unit_vectors(rng: np.random.Generator, n: int, missing: float) -> npt.NDArray[np.float32]:
    vectors = rng.normal(size=(n, TEXT_DIM))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors[rng.random(n) < missing] = np.nan
    # Sentence embeddings are float32; it also halves the per-pair gather in scoring.
    return vectors.astype(np.float32)


def generate_region(n_mentees: int, n_mentors: int, seed: int, degree: int = 50) -> Region:
    rng = np.random.default_rng(seed)
    capacity = rng.integers(1, 6, size=n_mentors).astype(np.int64)

    # ~`degree` distinct compatible mentors per mentee (duplicates of the draw are dropped).
    draw = np.sort(rng.integers(0, n_mentors, size=(n_mentees, min(degree, n_mentors))), axis=1)
    distinct = np.ones(draw.shape, dtype=bool)
    distinct[:, 1:] = draw[:, 1:] != draw[:, :-1]
    edge_mentee = np.repeat(np.arange(n_mentees, dtype=np.int64), distinct.sum(axis=1))
    edge_mentor = draw[distinct].astype(np.int64)

    mentee_tags = _random_bitmask(rng, n_mentees, N_TAGS, 1, 4)
    mentee_tags[rng.random(n_mentees) < 0.15] = 0
    mentor_tags = _random_bitmask(rng, n_mentors, N_TAGS, 2, 8)
    mentor_tags[rng.random(n_mentors) < 0.10] = 0
    mentee_slots = _random_bitmask(rng, n_mentees, 6, 1, 3)
    mentee_slots[rng.random(n_mentees) < 0.10] = 0
    mentor_slots = _random_bitmask(rng, n_mentors, 6, 1, 4)
    mentor_slots[rng.random(n_mentors) < 0.10] = 0

    filled = rng.random(n_mentees) < 0.4
    # A mentee who filled the questionnaire names each of his candidates with probability 6%.
    named = filled[edge_mentee] & (rng.random(edge_mentee.shape[0]) < 0.06)
    return Region(
        n_mentees=n_mentees,
        n_mentors=n_mentors,
        capacity=capacity,
        edge_mentee=edge_mentee,
        edge_mentor=edge_mentor,
        mentee_tags=mentee_tags,
        mentor_tags=mentor_tags,
        mentee_text=_unit_vectors(rng, n_mentees, 0.3),
        mentor_text=_unit_vectors(rng, n_mentors, 0.2),
        mentee_slots=mentee_slots,
        mentor_slots=mentor_slots,
        filled_preferences=filled,
        edge_named=named,
    )


def _share_met(wanted: IntArray, offered: IntArray) -> FloatArray:
    """Share of the wanted bits that are offered; NaN when either side said nothing."""
    met = np.bitwise_count(wanted & offered).astype(np.float64)
    total = np.bitwise_count(wanted).astype(np.float64)
    known = (wanted != 0) & (offered != 0)
    return np.where(known, met / np.maximum(total, 1.0), np.nan)


def score_pairs(region: Region) -> FloatArray:
    """Per-pair factors from the questionnaires, combined by the production scoring function."""
    i, j = region.edge_mentee, region.edge_mentor
    text = np.einsum("ij,ij->i", region.mentee_text[i], region.mentor_text[j])
    factors = {
        "requests": _share_met(region.mentee_tags[i], region.mentor_tags[j]),
        # NaN propagates through the dot product where either answer is missing.
        "text": np.clip(text, 0.0, 1.0),
        "availability": _share_met(region.mentee_slots[i], region.mentor_slots[j]),
        "preference": np.where(region.filled_preferences[i], region.edge_named.astype(np.float64), np.nan),
    }
    return combine_factors(factors, WEIGHTS).score


def bare_scipy_solve(
    n_mentees: int, capacity: IntArray, mentee: IntArray, mentor: IntArray, score: FloatArray
) -> float:
    """The baseline: max total score with capacities, straight onto scipy, no validation.

    Same formulation as the solver (slots, a dummy "unmatched" column per row, the smaller side
    as rows), so the ratio measures what the pipeline adds, not a different reduction.
    """
    keep = score > 0
    mentee, mentor, score = mentee[keep], mentor[keep], score[keep]
    slot_start = np.concatenate(([0], np.cumsum(capacity)[:-1]))
    n_slots = int(capacity.sum())
    reps = capacity[mentor]
    slots = (
        np.repeat(slot_start[mentor], reps)
        + np.arange(int(reps.sum()))
        - np.repeat(np.cumsum(reps) - reps, reps)
    )
    people = np.repeat(mentee, reps)
    base = float(score.max()) + 1.0
    data = np.repeat(base - score, reps)
    if n_slots <= n_mentees:
        rows, cols, n_rows, n_cols = slots, people, n_slots, n_mentees
    else:
        rows, cols, n_rows, n_cols = people, slots, n_mentees, n_slots
    # A dummy column per row ("unmatched", worth a score of 0) makes a full matching exist.
    rows = np.concatenate((rows, np.arange(n_rows)))
    cols = np.concatenate((cols, n_cols + np.arange(n_rows)))
    data = np.concatenate((data, np.full(n_rows, base)))
    matrix = csr_array((data, (rows, cols)), shape=(n_rows, n_cols + n_rows))
    row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
    real = col_ind < n_cols
    return float((base - matrix[row_ind[real], col_ind[real]]).sum())


def lp_optimum(instance: Instance) -> float:
    """Best total score by HiGHS on the LP of the b-matching (integral: the constraint matrix of
    a bipartite graph is totally unimodular) — an exact method independent of LAPJVsp."""
    n_edges = instance.n_edges
    edges = np.arange(n_edges)
    constraint_matrix = coo_array(
        (
            np.ones(2 * n_edges),
            (
                np.concatenate((instance.edge_mentee, instance.n_mentees + instance.edge_mentor)),
                np.concatenate((edges, edges)),
            ),
        ),
        shape=(instance.n_mentees + instance.n_mentors, n_edges),
    ).tocsr()
    limits = np.concatenate((np.ones(instance.n_mentees), instance.capacity)).astype(np.float64)
    result = linprog(-instance.edge_score, A_ub=constraint_matrix, b_ub=limits, bounds=(0, 1), method="highs")
    if not result.success:
        raise RuntimeError(f"HiGHS failed: {result.message}")
    return float(-result.fun)


@dataclass(frozen=True, eq=False)
class PipelineRun:
    instance: Instance
    result: MatchingResult
    scores: FloatArray
    seconds: dict[str, float]


def run_pipeline(n_mentees: int, n_mentors: int, seed: int) -> PipelineRun:
    """Load (generate) the region, score the pairs, build the instance, solve for max_score."""
    t0 = time.perf_counter()
    region = generate_region(n_mentees, n_mentors, seed)
    t1 = time.perf_counter()
    scores = score_pairs(region)
    t2 = time.perf_counter()
    instance = build_instance(
        n_mentees=region.n_mentees,
        n_mentors=region.n_mentors,
        capacity=region.capacity,
        edge_mentee=region.edge_mentee,
        edge_mentor=region.edge_mentor,
        edge_score=scores,
    )
    t3 = time.perf_counter()
    result = solve_optimal(instance, "max_score")
    t4 = time.perf_counter()
    seconds = {"load": t1 - t0, "score": t2 - t1, "build": t3 - t2, "optimal": t4 - t3, "total": t4 - t0}
    return PipelineRun(instance=instance, result=result, scores=scores, seconds=seconds)


def run(
    n_mentees: int, n_mentors: int, seed: int, repeat: int = 3, check_lp: bool = False
) -> dict[str, object]:
    # Pipeline and bare solve alternate `repeat` times and the medians are compared, so a
    # burst of load from other processes on a small machine does not decide the ratio.
    # Only the timings of earlier runs are kept, so peak memory is that of a single run.
    runs: list[dict[str, float]] = []
    baseline_times: list[float] = []
    baseline_score = 0.0
    rounds = max(repeat, 1)
    for k in range(rounds):
        last = run_pipeline(n_mentees, n_mentors, seed)
        runs.append(last.seconds)
        t0 = time.perf_counter()
        baseline_score = bare_scipy_solve(
            last.instance.n_mentees,
            last.instance.capacity,
            last.instance.edge_mentee,
            last.instance.edge_mentor,
            last.scores,
        )
        baseline_times.append(time.perf_counter() - t0)
        if k < rounds - 1:
            del last  # free this run's arrays before the next run allocates its own
    instance, optimal = last.instance, last.result

    t0 = time.perf_counter()
    stable = solve_stable(instance)
    t1 = time.perf_counter()
    most = solve_optimal(instance, "max_matched")
    t2 = time.perf_counter()

    def median(values: list[float]) -> float:
        return round(float(np.median(values)), 3)

    solve_seconds = float(np.median([r["total"] for r in runs]))
    baseline_seconds = float(np.median(baseline_times))
    # ru_maxrss is in KiB on Linux; read it before the optional LP, which needs far more memory.
    peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    lp: dict[str, object] = {}
    if check_lp:
        t3 = time.perf_counter()
        lp["lp_score"] = round(lp_optimum(instance), 6)
        lp["lp_seconds"] = round(time.perf_counter() - t3, 3)
    return {
        "mentees": n_mentees,
        "mentors": n_mentors,
        "seed": seed,
        "edges": instance.n_edges,
        "slots": int(instance.capacity.sum()),
        "repeat": len(runs),
        "solve_seconds": round(solve_seconds, 3),
        "baseline_seconds": round(baseline_seconds, 3),
        # Tiny instances can solve within the timer's resolution.
        "ratio": round(solve_seconds / baseline_seconds, 3) if baseline_seconds > 0 else None,
        "solve_seconds_all": [round(r["total"], 3) for r in runs],
        "baseline_seconds_all": [round(t, 3) for t in baseline_times],
        **{
            f"{step}_seconds": median([r[step] for r in runs])
            for step in ("load", "score", "build", "optimal")
        },
        "total_score": round(optimal.total_score, 6),
        "optimal_score": round(baseline_score, 6),
        "scores_agree": bool(abs(optimal.total_score - baseline_score) <= 1e-6 * max(1.0, baseline_score)),
        "matched": optimal.matched,
        "blocking_pairs": optimal.blocking_pairs,
        "stable_seconds": round(t1 - t0, 3),
        "stable_score": round(stable.total_score, 6),
        "stable_matched": stable.matched,
        "stable_blocking_pairs": stable.blocking_pairs,
        "max_matched_seconds": round(t2 - t1, 3),
        "max_matched_matched": most.matched,
        "max_matched_score": round(most.total_score, 6),
        **lp,
        "peak_rss_mb": peak_rss_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--check-lp", action="store_true", help="also solve the LP with HiGHS (about 15 s at the defaults)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of pipeline and baseline (median)")
    parser.add_argument(
        "--from-db",
        action="store_true",
        help="store a program in the database and time the real path (defaults: 2000 mentees x 500 mentors)",
    )
    parser.add_argument("--db", type=Path, default=None, help="--from-db: the throwaway SQLite file")
    parser.add_argument(
        "--configured-db", action="store_true", help="--from-db: the database of the settings"
    )
    parser.add_argument(
        "--schools",
        type=int,
        default=None,
        help="--from-db: the program's people in this many schools, pairs within a school "
        "(default: one school up to 5,000 mentees, then one per 500)",
    )
    args = parser.parse_args(argv)
    if args.from_db:
        from bench import matching_db

        given = argv if argv is not None else sys.argv
        args.mentees = args.mentees if "--mentees" in given else 2000
        args.mentors = args.mentors if "--mentors" in given else 500
        args.db = args.db or matching_db.DEFAULT_DB
        print(json.dumps(matching_db.run(args)))
        return 0
    print(json.dumps(run(args.mentees, args.mentors, args.seed, repeat=args.repeat, check_lp=args.check_lp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
