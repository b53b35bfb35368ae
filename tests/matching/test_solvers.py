"""Solvers of issue 5: hand-checked optima, stability, hard rules, and checks against
independent exact methods (brute force over all matchings, HiGHS MILP on the flow model)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array, csr_array

from nastavnik.matching.instance import Instance, InstanceError, build_instance
from nastavnik.matching.solvers import (
    MatchingResult,
    Objective,
    UnmatchedReason,
    _dense_codes,
    _expanded_matrix,
    _proposal_order,
    count_blocking_pairs,
    solve_optimal,
    solve_stable,
)

# --------------------------------------------------------------------------------------------
# Independent reference implementations (plain Python, no shared code with the solvers)


def brute_force_matchings(inst: Instance) -> list[tuple[int, ...]]:
    """Every rule-abiding assignment (tuple: mentor per mentee, -1 = none) of a tiny instance."""
    options: list[list[int]] = []
    for i in range(inst.n_mentees):
        if inst.fixed_mentor[i] >= 0:
            options.append([int(inst.fixed_mentor[i])])
        else:
            mentors = inst.edge_mentor[inst.edge_ptr[i] : inst.edge_ptr[i + 1]].tolist()
            options.append([-1, *mentors])
    result = []
    for combo in itertools.product(*options):
        loads = [0] * inst.n_mentors
        for j in combo:
            if j >= 0:
                loads[j] += 1
        if all(loads[j] <= inst.capacity[j] for j in range(inst.n_mentors)):
            result.append(combo)
    return result


def edge_lookup(inst: Instance) -> dict[tuple[int, int], int]:
    return {
        (int(i), int(j)): e for e, (i, j) in enumerate(zip(inst.edge_mentee, inst.edge_mentor, strict=True))
    }


def score_of(
    inst: Instance, combo: tuple[int, ...] | list[int], lookup: dict[tuple[int, int], int] | None = None
) -> float:
    lookup = lookup if lookup is not None else edge_lookup(inst)
    return sum(float(inst.edge_score[lookup[(i, j)]]) for i, j in enumerate(combo) if j >= 0)


def blocking_pairs_by_definition(inst: Instance, combo: tuple[int, ...] | list[int]) -> int:
    """Count blocking pairs straight from the definition, pair by pair."""
    lookup = edge_lookup(inst)
    count = 0
    for (i, j), e in lookup.items():
        if inst.fixed_mentor[i] >= 0 or combo[i] == j:
            continue
        if combo[i] >= 0 and not inst.mentee_rank[e] < inst.mentee_rank[lookup[(i, combo[i])]]:
            continue
        holders = [k for k, m in enumerate(combo) if m == j]
        if len(holders) < inst.capacity[j]:
            count += 1
            continue
        movable = [k for k in holders if inst.fixed_mentor[k] < 0]
        if any(inst.mentor_rank[e] < inst.mentor_rank[lookup[(k, j)]] for k in movable):
            count += 1
    return count


def milp_optimum(inst: Instance, objective: str) -> tuple[float, int]:
    """(best score, matched) by HiGHS on the 0/1 flow model — an independent exact method."""
    n_e = inst.n_edges
    if n_e == 0:
        return 0.0, 0
    e = np.arange(n_e)
    a = coo_array(
        (
            np.ones(2 * n_e),
            (np.concatenate((inst.edge_mentee, inst.n_mentees + inst.edge_mentor)), np.concatenate((e, e))),
        ),
        shape=(inst.n_mentees + inst.n_mentors, n_e),
    ).tocsr()
    limits = LinearConstraint(a, 0, np.concatenate((np.ones(inst.n_mentees), inst.capacity)))
    lower = np.zeros(n_e)
    fixed = inst.edge_ids(np.flatnonzero(inst.fixed_mask), inst.fixed_mentor[inst.fixed_mask])
    lower[fixed] = 1
    bounds = Bounds(lower, np.ones(n_e))
    constraints = [limits]
    if objective == "max_matched":
        first = milp(-np.ones(n_e), constraints=constraints, integrality=np.ones(n_e), bounds=bounds)
        assert first.success
        best_count = round(-first.fun)
        constraints.append(LinearConstraint(np.ones((1, n_e)), best_count, best_count))
    res = milp(-inst.edge_score, constraints=constraints, integrality=np.ones(n_e), bounds=bounds)
    assert res.success
    return float(-res.fun), int(round(res.x.sum()))


def assert_rules_kept(inst: Instance, result: MatchingResult, forbidden: set[tuple[int, int]]) -> None:
    allowed = edge_lookup(inst)
    loads = np.zeros(inst.n_mentors, dtype=int)
    for i, j in result.pairs():
        assert (i, j) in allowed, "a pair outside the allowed edges was proposed"
        assert (i, j) not in forbidden, "a forbidden pair was proposed"
        loads[j] += 1
    assert np.all(loads <= inst.capacity), "a mentor's capacity was exceeded"
    fixed = np.flatnonzero(inst.fixed_mask)
    assert np.array_equal(result.assignment[fixed], inst.fixed_mentor[fixed]), "a fixed pair was broken"
    assert result.matched == len(result.pairs())
    assert result.total_score == pytest.approx(score_of(inst, result.assignment.tolist()))
    assert set(result.unmatched_reasons) == set(np.flatnonzero(result.assignment < 0).tolist())


def make(
    n_mentees: int, n_mentors: int, capacity: list[int], edges: dict[tuple[int, int], float], **kwargs: object
) -> Instance:
    pairs = list(edges)
    return build_instance(
        n_mentees=n_mentees,
        n_mentors=n_mentors,
        capacity=capacity,
        edge_mentee=[p[0] for p in pairs],
        edge_mentor=[p[1] for p in pairs],
        edge_score=[edges[p] for p in pairs],
        **kwargs,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------------------------
# Hand-checked instances


def test_optimal_beats_greedy_on_hand_checked_instance() -> None:
    # Greedy takes A-X (10) and is left with B-Y (1) = 11; the optimum is A-Y + B-X = 17.
    inst = make(2, 2, [1, 1], {(0, 0): 10, (0, 1): 9, (1, 0): 8, (1, 1): 1})
    result = solve_optimal(inst)
    assert result.assignment.tolist() == [1, 0]
    assert result.total_score == 17
    assert result.matched == 2


def test_optimal_respects_capacity_on_hand_checked_instance() -> None:
    # Greedy fills mentor 0 with its best two (mentee 2: 10, mentee 0: 9) and leaves mentor 1
    # to mentee 1 (2): 21. The optimum moves mentee 2, who loses least: 9 + 8 + 6 = 23.
    inst = make(3, 2, [2, 1], {(0, 0): 9, (1, 0): 8, (2, 0): 10, (0, 1): 1, (1, 1): 2, (2, 1): 6})
    result = solve_optimal(inst)
    assert result.assignment.tolist() == [0, 0, 1]
    assert result.total_score == 23


def test_max_matched_puts_coverage_before_score() -> None:
    # A-X alone scores 10; matching both (A-Y, B-X) scores only 6 but covers two mentees.
    inst = make(2, 2, [1, 1], {(0, 0): 10, (1, 0): 5, (0, 1): 1})
    by_score = solve_optimal(inst, "max_score")
    by_count = solve_optimal(inst, "max_matched")
    assert (by_score.matched, by_score.total_score) == (1, 10)
    assert by_score.unmatched_reasons == {1: UnmatchedReason.COMPATIBLE_MENTORS_FULL}
    assert (by_count.matched, by_count.total_score) == (2, 6)
    assert by_count.assignment.tolist() == [1, 0]


def test_max_matched_picks_best_score_among_maximum_matchings() -> None:
    # Three maximum matchings of size 2; the best one scores 4 + 4.
    inst = make(2, 3, [1, 1, 1], {(0, 0): 5, (0, 1): 4, (1, 0): 1, (1, 2): 4})
    result = solve_optimal(inst, "max_matched")
    assert result.matched == 2
    assert result.total_score == 9
    assert result.assignment.tolist() == [0, 2]


def test_max_score_never_makes_a_pair_without_positive_score() -> None:
    inst = make(2, 2, [1, 1], {(0, 0): 0.0, (1, 1): -2.0})
    result = solve_optimal(inst, "max_score")
    assert result.matched == 0
    assert result.unmatched_reasons == {
        0: UnmatchedReason.NO_POSITIVE_SCORE,
        1: UnmatchedReason.NO_POSITIVE_SCORE,
    }
    assert solve_optimal(inst, "max_matched").matched == 2


def test_fixed_pair_stays_and_uses_capacity() -> None:
    # Mentee 1 is fixed to mentor 0 by mutual choice although mentee 0 would score more there.
    inst = make(2, 1, [1], {(0, 0): 10, (1, 0): 1}, fixed=[(1, 0)])
    for result in (solve_optimal(inst), solve_optimal(inst, "max_matched"), solve_stable(inst)):
        assert result.assignment.tolist() == [-1, 0]
        assert result.unmatched_reasons == {0: UnmatchedReason.COMPATIBLE_MENTORS_FULL}


def test_forbidden_pair_never_appears() -> None:
    inst = make(1, 2, [1, 1], {(0, 0): 10, (0, 1): 1}, forbidden=[(0, 0)])
    assert inst.n_edges == 1
    assert solve_optimal(inst).assignment.tolist() == [1]
    assert solve_stable(inst).assignment.tolist() == [1]


def test_mentee_without_any_allowed_pair_is_reported_as_such() -> None:
    inst = make(2, 1, [3], {(0, 0): 1})
    for result in (solve_optimal(inst), solve_stable(inst)):
        assert result.unmatched_reasons == {1: UnmatchedReason.NO_COMPATIBLE_MENTOR}


def test_stable_solver_gives_mentee_optimal_stable_matching() -> None:
    # Both mentees prefer X; X prefers b, so a goes to Y. a-X + b-Y would be blocked by (b, X).
    inst = make(
        2,
        2,
        [1, 1],
        {(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): 1},
        mentee_rank=[1, 2, 1, 2],
        mentor_rank=[2, 1, 1, 2],
    )
    result = solve_stable(inst)
    assert result.assignment.tolist() == [1, 0]
    assert result.blocking_pairs == 0
    assert count_blocking_pairs(inst, np.array([0, 1])) == 1


def test_stable_solver_with_capacities_on_hand_checked_instance() -> None:
    # Scores double as preferences. Mentor 0 (capacity 2) is everyone's first choice and keeps
    # mentees 1 and 2 (scores 8, 7); mentee 0 (score 5 there) falls back to mentor 1.
    inst = make(3, 2, [2, 1], {(0, 0): 5, (0, 1): 4, (1, 0): 8, (1, 1): 1, (2, 0): 7, (2, 1): 2})
    result = solve_stable(inst)
    assert result.assignment.tolist() == [1, 0, 0]
    assert result.blocking_pairs == 0
    assert result.total_score == 19


def test_blocking_pairs_ignore_fixed_mentees() -> None:
    # Mentee 1 would rather have mentor 0, but mentor 0's only place is a fixed pair.
    inst = make(2, 2, [1, 1], {(0, 0): 1, (1, 0): 9, (1, 1): 1}, fixed=[(0, 0)])
    assert count_blocking_pairs(inst, np.array([0, 1])) == 0
    free = make(2, 2, [1, 1], {(0, 0): 1, (1, 0): 9, (1, 1): 1})
    assert count_blocking_pairs(free, np.array([0, 1])) == 1


@pytest.mark.parametrize(
    ("assignment", "message"),
    [([1, -1], "not allowed"), ([0, 0], "capacity"), ([-1, 1], "fixed pair")],
)
def test_count_blocking_pairs_rejects_a_proposal_that_breaks_rules(
    assignment: list[int], message: str
) -> None:
    inst = make(2, 2, [1, 1], {(0, 0): 1, (1, 0): 1, (1, 1): 1}, fixed=[(0, 0)])
    with pytest.raises(ValueError, match=message):
        count_blocking_pairs(inst, np.array(assignment))


# --------------------------------------------------------------------------------------------
# Instance validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"edge_mentee": [0, 0], "edge_mentor": [0, 0], "edge_score": [1, 2]}, "listed twice"),
        ({"fixed": [(0, 1)]}, "fixed pair"),
        ({"fixed": [(0, 0)], "forbidden": [(0, 0)]}, "fixed pair"),
        ({"fixed": [(0, 0), (1, 0)], "edge_mentee": [0, 1], "edge_mentor": [0, 0]}, "capacity"),
        ({"edge_mentee": [5], "edge_mentor": [0], "edge_score": [1]}, "mentee index"),
        ({"forbidden": [(0, 7)]}, "mentor index"),
        ({"capacity": [-1, 1]}, "negative"),
        ({"edge_score": [float("nan")]}, "finite"),
    ],
)
def test_contradictory_rules_are_refused(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "n_mentees": 2,
        "n_mentors": 2,
        "capacity": [1, 1],
        "edge_mentee": [0],
        "edge_mentor": [0],
        "edge_score": [1.0],
    }
    if "edge_mentee" in kwargs and "edge_score" not in kwargs:
        args["edge_score"] = [1.0] * len(kwargs["edge_mentee"])  # type: ignore[arg-type]
    args.update(kwargs)
    with pytest.raises(InstanceError, match=message):
        build_instance(**args)  # type: ignore[arg-type]


def test_edge_origin_leads_back_to_the_callers_edges() -> None:
    # Unsorted input with a forbidden pair: the explanation layer finds its own row again.
    inst = build_instance(
        n_mentees=2,
        n_mentors=2,
        capacity=[1, 2],
        edge_mentee=[1, 0, 0],
        edge_mentor=[1, 1, 0],
        edge_score=[5.0, 1.0, 2.0],
        forbidden=[(0, 0)],
    )
    result = solve_optimal(inst)
    assert result.assignment.tolist() == [1, 1]
    origins = {i: int(inst.edge_origin[result.pair_edge[i]]) for i, _ in result.pairs()}
    assert origins == {0: 1, 1: 0}
    assert inst.origin_of(result.pair_edge).tolist() == [1, 0]


@pytest.mark.parametrize("forbidden", [None, [(0, 1)]])
def test_edges_in_order_are_the_callers_own_and_given_keys_build_the_same_instance(
    forbidden: list[tuple[int, int]] | None,
) -> None:
    mentee, mentor = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])

    def build(keys: np.ndarray | None) -> Instance:
        return build_instance(
            n_mentees=2,
            n_mentors=2,
            capacity=[1, 1],
            edge_mentee=mentee,
            edge_mentor=mentor,
            edge_score=[1.0, 2.0, 3.0, 4.0],
            forbidden=forbidden,
            edge_keys=keys,
        )

    inst, with_keys = build(None), build(mentee * 2 + mentor)
    kept = [0, 1, 2, 3] if forbidden is None else [0, 2, 3]
    for built in (inst, with_keys):
        assert built.edge_origin.tolist() == kept
        assert built.origin_of(np.array([0, 2])).tolist() == [kept[0], kept[2]]
        assert (built.moved_from is None) == (forbidden is None)
        assert built.edge_ids([1], [1]).tolist() == [len(kept) - 1]


# --------------------------------------------------------------------------------------------
# Property-based: random tiny instances against brute force and MILP


@dataclass
class Drawn:
    inst: Instance
    forbidden: set[tuple[int, int]]


@st.composite
def instances(
    draw: st.DrawFn, max_mentees: int = 6, max_mentors: int = 4, strict_prefs: bool = False
) -> Drawn:
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(1, max_mentors))
    capacity = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    pairs = [(i, j) for i in range(n) for j in range(m)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=min(len(pairs), 4 * n))) if pairs else []
    )
    scores = draw(st.lists(st.integers(-3, 10), min_size=len(chosen), max_size=len(chosen)))
    forbidden = set(draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3))) if pairs else set()
    allowed = [p for p in chosen if p not in forbidden]
    # Fixed pairs: a few allowed pairs, one per mentee, within capacity.
    fixed: list[tuple[int, int]] = []
    loads = [0] * m
    for i, j in draw(st.lists(st.sampled_from(allowed), unique=True, max_size=2)) if allowed else []:
        if all(f[0] != i for f in fixed) and loads[j] < capacity[j]:
            fixed.append((i, j))
            loads[j] += 1
    ranks: dict[str, object] = {}
    if strict_prefs or draw(st.booleans()):
        k = len(chosen)
        if strict_prefs:
            ranks = {
                "mentee_rank": draw(st.permutations(range(k))) if k else [],
                "mentor_rank": draw(st.permutations(range(k))) if k else [],
            }
        else:  # small range: plenty of ties
            ranks = {
                "mentee_rank": draw(st.lists(st.integers(0, 2), min_size=k, max_size=k)),
                "mentor_rank": draw(st.lists(st.integers(0, 2), min_size=k, max_size=k)),
            }
    inst = build_instance(
        n_mentees=n,
        n_mentors=m,
        capacity=capacity,
        edge_mentee=[p[0] for p in chosen],
        edge_mentor=[p[1] for p in chosen],
        edge_score=scores,
        fixed=fixed,
        forbidden=sorted(forbidden),
        **ranks,  # type: ignore[arg-type]
    )
    return Drawn(inst, forbidden)


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(instances())
def test_no_rule_is_ever_broken(drawn: Drawn) -> None:
    for result in (
        solve_optimal(drawn.inst, "max_score"),
        solve_optimal(drawn.inst, "max_matched"),
        solve_stable(drawn.inst),
    ):
        assert_rules_kept(drawn.inst, result, drawn.forbidden)


@PROPERTY_SETTINGS
@given(instances(max_mentees=5))
def test_optimal_equals_brute_force_and_milp(drawn: Drawn) -> None:
    inst = drawn.inst
    lookup = edge_lookup(inst)
    every = [(sum(j >= 0 for j in c), score_of(inst, c, lookup)) for c in brute_force_matchings(inst)]
    best_score = max(score for _, score in every)
    most = max(count for count, _ in every)
    best_among_most = max(score for count, score in every if count == most)

    by_score = solve_optimal(inst, "max_score")
    by_count = solve_optimal(inst, "max_matched")
    assert by_score.total_score == pytest.approx(best_score)
    assert by_score.total_score == pytest.approx(milp_optimum(inst, "max_score")[0])
    assert by_count.matched == most
    assert by_count.total_score == pytest.approx(best_among_most)
    assert (by_count.total_score, by_count.matched) == pytest.approx(milp_optimum(inst, "max_matched"))


@PROPERTY_SETTINGS
@given(instances())
def test_objectives_and_stable_compare_as_theory_says(drawn: Drawn) -> None:
    by_score = solve_optimal(drawn.inst, "max_score")
    by_count = solve_optimal(drawn.inst, "max_matched")
    stable = solve_stable(drawn.inst)
    assert by_score.total_score >= stable.total_score - 1e-9
    assert by_score.total_score >= by_count.total_score - 1e-9
    assert by_count.matched >= by_score.matched
    assert by_count.matched >= stable.matched


@PROPERTY_SETTINGS
@given(instances())
def test_stable_leaves_no_blocking_pair_and_counts_agree_with_definition(drawn: Drawn) -> None:
    inst = drawn.inst
    stable = solve_stable(inst)
    assert stable.blocking_pairs == 0
    assert blocking_pairs_by_definition(inst, stable.assignment.tolist()) == 0
    for result in (solve_optimal(inst, "max_score"), solve_optimal(inst, "max_matched")):
        assert result.blocking_pairs == blocking_pairs_by_definition(inst, result.assignment.tolist())


@PROPERTY_SETTINGS
@given(instances(max_mentees=5, max_mentors=3, strict_prefs=True))
def test_stable_is_the_mentee_optimal_stable_matching(drawn: Drawn) -> None:
    # With strict preferences every mentee gets the best mentor he has in any stable matching.
    inst = drawn.inst
    lookup = edge_lookup(inst)
    stable_ones = [c for c in brute_force_matchings(inst) if blocking_pairs_by_definition(inst, c) == 0]
    result = solve_stable(inst).assignment.tolist()
    assert tuple(result) in stable_ones
    for i in range(inst.n_mentees):
        ranks = [inst.mentee_rank[lookup[(i, c[i])]] for c in stable_ones if c[i] >= 0]
        if result[i] < 0:
            assert not ranks, "a mentee unmatched by DA is matched in another stable matching"
        else:
            assert inst.mentee_rank[lookup[(i, result[i])]] == min(ranks)


@PROPERTY_SETTINGS
@given(instances())
def test_unmatched_reasons_are_true(drawn: Drawn) -> None:
    inst = drawn.inst
    for result in (solve_optimal(inst), solve_optimal(inst, "max_matched"), solve_stable(inst)):
        loads = np.bincount(result.assignment[result.assignment >= 0], minlength=inst.n_mentors)
        for i, reason in result.unmatched_reasons.items():
            mentors = inst.edge_mentor[inst.edge_ptr[i] : inst.edge_ptr[i + 1]]
            scores = inst.edge_score[inst.edge_ptr[i] : inst.edge_ptr[i + 1]]
            room = loads[mentors] < inst.capacity[mentors]
            if reason is UnmatchedReason.NO_COMPATIBLE_MENTOR:
                assert mentors.size == 0
            elif reason is UnmatchedReason.COMPATIBLE_MENTORS_FULL:
                assert mentors.size and not room.any()
            else:
                assert result.method == "optimal:max_score"
                assert room.any() and np.all(scores[room] <= 0)


# --------------------------------------------------------------------------------------------
# Medium random instances against MILP, both orientations of the reduction


@pytest.mark.parametrize(
    ("n_mentees", "n_mentors", "seed"),
    [(60, 15, 1), (60, 15, 2), (30, 25, 3), (30, 25, 4), (80, 40, 5)],
)
@pytest.mark.parametrize("objective", ["max_score", "max_matched"])
def test_optimal_matches_milp_on_medium_instances(
    n_mentees: int, n_mentors: int, seed: int, objective: str
) -> None:
    # 60 mentees vs ~45 slots puts slots on the rows, 30 vs ~75 puts mentees there.
    rng = np.random.default_rng(seed)
    mask = rng.random((n_mentees, n_mentors)) < 0.2
    mentee, mentor = np.nonzero(mask)
    fixed_candidates = np.flatnonzero(mentee[1:] != mentee[:-1])[:3] + 1
    capacity = rng.integers(1, 6, size=n_mentors)
    capacity[mentor[fixed_candidates]] = 3  # room for every fixed pair
    inst = build_instance(
        n_mentees=n_mentees,
        n_mentors=n_mentors,
        capacity=capacity,
        edge_mentee=mentee,
        edge_mentor=mentor,
        edge_score=np.round(rng.normal(3, 2, size=mentee.shape[0]), 3),
        fixed=[(int(mentee[e]), int(mentor[e])) for e in fixed_candidates],
        forbidden=[(int(mentee[0]), int(mentor[0]))],
    )
    result = solve_optimal(inst, objective)
    score, matched = milp_optimum(inst, objective)
    assert result.total_score == pytest.approx(score, abs=1e-6)
    if objective == "max_matched":
        assert result.matched == matched
    assert_rules_kept(inst, result, {(int(mentee[0]), int(mentor[0]))})


# --------------------------------------------------------------------------------------------
# The stable solver against deferred acceptance written out proposal by proposal


def deferred_acceptance(inst: Instance) -> list[int]:
    """Mentee-proposing deferred acceptance one proposal at a time, with the ties broken as
    `solve_stable` documents (mentor index on the mentee side, mentee index on the mentor side)."""
    fixed = [int(j) for j in inst.fixed_mentor]
    room = [int(c) for c in inst.capacity]
    for j in fixed:
        if j >= 0:
            room[j] -= 1
    lists: dict[int, list[int]] = {}
    priority: dict[tuple[int, int], tuple[float, int]] = {}
    for e in range(inst.n_edges):
        i, j = int(inst.edge_mentee[e]), int(inst.edge_mentor[e])
        if fixed[i] < 0 and room[j] > 0:
            lists.setdefault(i, []).append(e)
            priority[(i, j)] = (float(inst.mentor_rank[e]), i)
    for edges in lists.values():
        edges.sort(key=lambda e: (float(inst.mentee_rank[e]), int(inst.edge_mentor[e])))
    held: dict[int, list[int]] = {}
    free = sorted(lists)
    tried = dict.fromkeys(lists, 0)
    while free:
        i = free.pop()
        if tried[i] == len(lists[i]):
            continue
        j = int(inst.edge_mentor[lists[i][tried[i]]])
        tried[i] += 1
        holding = sorted([*held.get(j, []), i], key=lambda k: priority[(k, j)])
        held[j] = holding[: room[j]]
        free.extend(holding[room[j] :])
    assignment = fixed.copy()
    for j, mentees in held.items():
        for i in mentees:
            assignment[i] = j
    return assignment


def random_instance(rng: np.random.Generator, n: int, m: int, density: float, shared_ranks: bool) -> Instance:
    mentee, mentor = np.nonzero(rng.random((n, m)) < density)
    score = rng.integers(0, 4, size=mentee.shape[0]).astype(np.float64)  # plenty of ties
    first_edges = np.flatnonzero(np.diff(mentee, prepend=-1))[:3]
    capacity = rng.integers(0, 4, size=m)
    capacity[mentor[first_edges]] = 3  # room for the fixed pairs
    return build_instance(
        n_mentees=n,
        n_mentors=m,
        capacity=capacity,
        edge_mentee=mentee,
        edge_mentor=mentor,
        edge_score=score,
        fixed=[(int(mentee[e]), int(mentor[e])) for e in first_edges],
        mentee_rank=None if shared_ranks else rng.integers(0, 3, size=mentee.shape[0]),
        mentor_rank=None if shared_ranks else -score,
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shared_ranks", [True, False])
def test_stable_solver_equals_deferred_acceptance_proposal_by_proposal(seed: int, shared_ranks: bool) -> None:
    inst = random_instance(np.random.default_rng(seed), 120, 30, 0.3, shared_ranks)
    assert solve_stable(inst).assignment.tolist() == deferred_acceptance(inst)


def test_stable_solver_equals_deferred_acceptance_beyond_16_bit_indices() -> None:
    # More mentees than 16-bit numbers hold: the grouping sorts full-width indices instead.
    inst = random_instance(np.random.default_rng(7), 70_000, 4, 0.4, shared_ranks=True)
    assert solve_stable(inst).assignment.tolist() == deferred_acceptance(inst)


# --------------------------------------------------------------------------------------------
# The slot-expanded matrix, built row by row, against the same entries given as COO


def expanded_by_coo(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, residual: np.ndarray, n_mentees: int, obj: str
) -> csr_array:
    """The matrix as the solver built it before: every (edge, slot) entry and every row's dummy
    as COO, converted by scipy."""
    degree = np.bincount(mentor, minlength=residual.shape[0])
    n_slots = np.clip(np.minimum(residual, degree), 0, None)
    slot_start = np.cumsum(n_slots) - n_slots
    entries = [
        (slot_start[j] + k, i, e)
        for e, (i, j) in enumerate(zip(mentee, mentor, strict=True))
        for k in range(n_slots[j])
    ]
    slot_rows = int(n_slots.sum()) <= np.count_nonzero(np.bincount(mentee, minlength=n_mentees))
    n_rows, n_cols = (int(n_slots.sum()), n_mentees) if slot_rows else (n_mentees, int(n_slots.sum()))
    s_max, spread = float(score.max()), float(score.max() - score.min())
    base = max(abs(s_max), spread, 1.0)
    dummy = s_max + base if obj == "max_score" else (n_rows + 1) * (base + spread) + base
    rows = [slot if slot_rows else i for slot, i, _ in entries] + list(range(n_rows))
    cols = [i if slot_rows else slot for slot, i, _ in entries] + [n_cols + r for r in range(n_rows)]
    data = [(s_max - score[e]) + base for _, _, e in entries] + [dummy] * n_rows
    return csr_array((data, (rows, cols)), shape=(n_rows, n_cols + n_rows))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("objective", ["max_score", "max_matched"])
def test_expanded_matrix_is_the_one_its_entries_give(seed: int, objective: str) -> None:
    rng = np.random.default_rng(seed)
    n, m = (40, 12) if seed % 2 else (12, 30)  # slots on the rows, then mentees on the rows
    mentee, mentor = np.nonzero(rng.random((n, m)) < 0.3)
    score = np.round(rng.normal(3, 2, size=mentee.shape[0]), 2)
    residual = rng.integers(-1, 4, size=m)
    built = _expanded_matrix(mentee, mentor, score, residual, n, Objective(objective))
    expected = expanded_by_coo(mentee, mentor, score, residual, n, objective)
    assert built.slot_rows == bool(seed % 2)
    assert built.matrix.shape == expected.shape
    assert np.array_equal(built.matrix.indptr, expected.indptr)
    assert np.array_equal(built.matrix.indices, expected.indices)
    assert np.array_equal(built.matrix.data, expected.data)


def deferred_acceptance_by_definition(inst: Instance) -> list[int]:
    """Mentee-proposing deferred acceptance one proposal at a time, ties broken as solve_stable
    documents (mentor index on the mentee side, mentee index on the mentor side)."""
    residual = inst.capacity - inst.fixed_load()
    lists: dict[int, list[tuple[float, int, int]]] = {}
    for e, (i, j) in enumerate(zip(inst.edge_mentee.tolist(), inst.edge_mentor.tolist(), strict=True)):
        if inst.fixed_mentor[i] < 0 and residual[j] > 0:
            lists.setdefault(i, []).append((float(inst.mentee_rank[e]), j, e))
    for choices in lists.values():
        choices.sort()
    held: dict[int, list[tuple[float, int]]] = {j: [] for j in range(inst.n_mentors)}
    next_choice = dict.fromkeys(lists, 0)
    free = sorted(lists)
    while free:
        i = free.pop()
        if next_choice[i] >= len(lists[i]):
            continue
        _, j, e = lists[i][next_choice[i]]
        next_choice[i] += 1
        held[j].append((float(inst.mentor_rank[e]), i))
        held[j].sort()
        if len(held[j]) > residual[j]:
            free.append(held[j].pop()[1])
    assignment = inst.fixed_mentor.tolist()
    for j, holders in held.items():
        for _, i in holders:
            assignment[i] = j
    return assignment


@pytest.mark.parametrize("seed", range(40))
def test_stable_equals_deferred_acceptance_by_definition_with_many_ties(seed: int) -> None:
    # Few distinct ranks, so the tie-breaking decides most proposals; some mentors full of fixed
    # mentees and some mentees fixed, so not every edge takes part.
    rng = np.random.default_rng(seed)
    n_mentees, n_mentors = int(rng.integers(1, 40)), int(rng.integers(1, 12))
    allowed = rng.random((n_mentees, n_mentors)) < rng.uniform(0.2, 1.0)
    mentee, mentor = np.nonzero(allowed)
    levels = int(rng.integers(1, 4))
    score = rng.integers(0, levels + 1, mentee.shape[0]) / levels
    ranked = rng.random() < 0.5
    fixed = [
        (i, int(mentor[mentee == i][0]))
        for i in range(0, n_mentees, 7)
        if np.any(mentee == i) and rng.random() < 0.5
    ]
    load = np.bincount([j for _, j in fixed], minlength=n_mentors)
    inst = build_instance(
        n_mentees=n_mentees,
        n_mentors=n_mentors,
        capacity=np.maximum(rng.integers(0, 4, n_mentors), load),
        edge_mentee=mentee,
        edge_mentor=mentor,
        edge_score=score,
        fixed=fixed,
        mentee_rank=rng.integers(0, levels + 1, mentee.shape[0]) if ranked else None,
        mentor_rank=rng.integers(-levels, 1, mentee.shape[0]) * 0.5 if ranked else None,
    )
    assert solve_stable(inst).assignment.tolist() == deferred_acceptance_by_definition(inst)


@pytest.mark.parametrize(
    ("n_mentees", "n_codes"),
    [(40, 3), (300, 40), (70_000, 2)],  # few codes, many codes, keys beyond 16 bits
)
def test_the_proposal_order_is_by_mentee_then_rank_then_edge_whatever_the_key_size(
    n_mentees: int, n_codes: int
) -> None:
    rng = np.random.default_rng(n_mentees)
    n = 5_000
    mentee = np.sort(rng.integers(0, n_mentees, n))
    mentor = rng.integers(0, 30, n)
    rank = rng.integers(0, n_codes, n) * 0.25 - 1.0
    order, priority = _proposal_order(mentee, mentor, rank, rank, n_mentees)
    assert np.array_equal(order, np.lexsort((np.arange(n), rank, mentee)))
    codes, n_distinct = _dense_codes(rank)
    distinct, inverse = np.unique(rank, return_inverse=True)
    assert n_distinct == distinct.shape[0] and np.array_equal(codes, inverse)
    assert np.array_equal(priority, codes * n_mentees + mentee)
