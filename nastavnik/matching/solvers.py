"""The two exact solvers of issue 5 and the stability check.

* :func:`solve_optimal` — the best total compatibility under capacities (or, for the curator
  who puts coverage first, the most mentees matched and then the best total among those).
  It is a linear assignment problem over capacity-expanded mentor slots, solved by scipy's
  LAPJVsp (``min_weight_full_bipartite_matching``); nothing here is a heuristic.
* :func:`solve_stable` — mentee-proposing deferred acceptance with capacities (the
  hospitals/residents algorithm), giving the mentee-optimal stable matching.
* :func:`count_blocking_pairs` — how many (mentee, mentor) pairs would both rather be together
  than in the given proposal; reported for every proposal so the curator can compare.

All three take an :class:`~nastavnik.matching.instance.Instance`, whose construction already
applied the hard rules (allowed edges only, forbidden pairs removed, fixed pairs validated).
Every result is checked against those rules once more before it is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from nastavnik.matching.instance import BoolArray, FloatArray, Instance, IntArray

__all__ = [
    "MatchingResult",
    "Objective",
    "UnmatchedReason",
    "count_blocking_pairs",
    "solve_optimal",
    "solve_stable",
]


class Objective(StrEnum):
    # Best total score. A pair with score <= 0 is never made: it would not raise the total,
    # and the scoring layer gives 0 to a pair with no evidence at all (see scoring.py).
    MAX_SCORE = "max_score"
    # Lexicographic: as many mentees matched as the rules allow, then the best total score
    # among such matchings. Pairs with score <= 0 are made when they add a matched mentee.
    MAX_MATCHED = "max_matched"


class UnmatchedReason(StrEnum):
    """Why a mentee is left without a mentor; the UI turns the code into Russian text.

    Missing consent or a role that does not fit the form surface here as
    ``NO_COMPATIBLE_MENTOR``: the Django layer knows which rule removed the edges and may
    show the more specific reason.
    """

    NO_COMPATIBLE_MENTOR = "no_compatible_mentor"
    COMPATIBLE_MENTORS_FULL = "compatible_mentors_full"
    # Compatible mentors have room, but every such pair scores <= 0 (max_score only).
    NO_POSITIVE_SCORE = "no_positive_score"


@dataclass(frozen=True, eq=False)
class MatchingResult:
    """One proposal.

    ``assignment[i]`` is the mentor of mentee ``i`` or -1; ``pair_edge[i]`` the index of that
    pair in the instance's edges (use ``instance.edge_origin[pair_edge[i]]`` to get back to
    the caller's own per-edge data such as factor contributions), or -1.
    """

    method: str
    assignment: IntArray
    pair_edge: IntArray
    total_score: float
    matched: int
    blocking_pairs: int
    unmatched_reasons: dict[int, UnmatchedReason]

    def pairs(self) -> list[tuple[int, int]]:
        mentees = np.flatnonzero(self.assignment >= 0)
        return [(int(i), int(self.assignment[i])) for i in mentees]


# --------------------------------------------------------------------------------------------
# Optimal assignment


def solve_optimal(instance: Instance, objective: Objective | str = Objective.MAX_SCORE) -> MatchingResult:
    """Exact best matching under capacities, fixed pairs kept.

    Reduction: mentor ``j`` with residual capacity ``c`` becomes ``c`` identical *slots*; one
    side (mentees or slots, whichever is smaller) forms the rows of a biadjacency matrix, and
    every row gets one private *dummy* column that stands for "unmatched". A full matching of
    the rows then always exists, and full matchings correspond one-to-one (up to permuting a
    mentor's identical slots) to capacity-feasible matchings of the original problem, so
    LAPJVsp's minimum is the exact optimum:

    * ``max_score``: real pair cost ``C - score``, dummy cost ``C``, for a constant ``C`` above
      every score. Choosing a real pair instead of the dummy changes the cost by exactly
      ``-score``, so the minimum cost is ``rows * C - best total score``. Pairs with
      score <= 0 are dropped beforehand: they can never lower the cost, and dropping them makes
      the tie "make it or not" deterministic. Without the dummies scipy would insist on a
      maximum-cardinality matching, which is the other objective.
    * ``max_matched``: dummy cost ``D`` above the sum of the real costs of all rows, so one
      more matched mentee always outweighs every score difference; among equally many matched
      the minimum is again the best total score.

    Checked against HiGHS on the LP of the same problem (integral for bipartite b-matching) at
    region scale, 20 000 x 5 000 with 1M pairs: equal totals to 1e-14 relative for both
    objectives (``python -m bench.matching --check-lp`` repeats it for max_score).

    ``base`` keeps every cost strictly positive, because the sparse solver reads explicit zeros
    as missing edges.
    """
    obj = Objective(objective)
    residual = instance.capacity - instance.fixed_load()
    usable = _open_edges(instance, residual)
    if obj is Objective.MAX_SCORE:
        usable = instance.edge_score > 0 if usable is None else usable & (instance.edge_score > 0)
    edges = np.arange(instance.n_edges) if usable is None else np.flatnonzero(usable)

    assignment = instance.fixed_mentor.copy()
    if edges.shape[0]:
        chosen_mentees, chosen_mentors = _solve_expanded(instance, edges, residual, obj)
        assignment[chosen_mentees] = chosen_mentors
    return _make_result(instance, f"optimal:{obj.value}", assignment)


def _open_edges(instance: Instance, residual: IntArray) -> BoolArray | None:
    """The edges a solver may still choose: of a mentee not fixed, to a mentor with a place left.
    None when that is every edge (no fixed mentee, no mentor full): the usual run, spared two
    gathers over a million edges."""
    fixed = instance.fixed_mask
    full = residual <= 0
    if not bool(fixed.any()) and not bool(full.any()):
        return None
    open_edges: BoolArray = ~fixed[instance.edge_mentee] & ~full[instance.edge_mentor]
    return open_edges


def _solve_expanded(
    instance: Instance, edges: IntArray, residual: IntArray, obj: Objective
) -> tuple[IntArray, IntArray]:
    """Solve the slot-expanded assignment; return (mentees, mentors) of the real pairs chosen."""
    expanded = _expanded_matrix(
        instance.edge_mentee[edges],
        instance.edge_mentor[edges],
        instance.edge_score[edges],
        residual,
        instance.n_mentees,
        obj,
    )
    row_ind, col_ind = min_weight_full_bipartite_matching(expanded.matrix)
    real = col_ind < expanded.n_real_cols
    slot_mentor = np.repeat(np.arange(instance.n_mentors), expanded.n_slots)
    if expanded.slot_rows:
        return col_ind[real].astype(np.int64), slot_mentor[row_ind[real]]
    return row_ind[real].astype(np.int64), slot_mentor[col_ind[real]]


@dataclass(frozen=True, eq=False)
class _Expanded:
    matrix: csr_array  # rows × (real columns + one dummy column per row)
    slot_rows: bool  # rows are the mentors' slots (else the mentees)
    n_real_cols: int
    n_slots: IntArray  # per mentor


def _expanded_matrix(
    mentee: IntArray, mentor: IntArray, score: FloatArray, residual: IntArray, n_mentees: int, obj: Objective
) -> _Expanded:
    """The biadjacency matrix of the slot-expanded problem (see :func:`solve_optimal`), built row
    by row in CSR form: the same matrix a COO of the entries gives (columns sorted in each row,
    the row's dummy last), without the conversion, its copies and 64-bit column numbers."""
    n_mentors = residual.shape[0]
    # A mentor never needs more slots than usable edges: extra identical slots only slow the
    # solver down without adding a feasible matching.
    degree = np.bincount(mentor, minlength=n_mentors)
    n_slots = np.clip(np.minimum(residual, degree), 0, None)
    total_slots = int(n_slots.sum())
    n_active_mentees = int(np.count_nonzero(np.bincount(mentee, minlength=n_mentees)))

    s_max = float(score.max())
    spread = s_max - float(score.min())
    base = max(abs(s_max), spread, 1.0)
    real_cost = (s_max - score) + base  # in [base, base + spread]: strictly positive

    # Rows get the private dummy columns and the solver augments once per row, so the smaller
    # side becomes the rows. When mentees outnumber slots (the bench region: 20 000 mentees,
    # 15 000 slots) slot rows measured 1.0 s against 5.0 s for mentee rows, because every
    # mentee row that must end up unmatched costs a long search before its dummy wins.
    slot_rows = total_slots <= n_active_mentees
    # max_score: unmatched is worth exactly as much as a pair with score 0.
    # max_matched: unmatched costs more than all real costs of every row together.
    by_score = obj is Objective.MAX_SCORE
    n_rows = total_slots if slot_rows else n_mentees
    dummy_cost = s_max + base if by_score else (n_rows + 1) * (base + spread) + base
    if slot_rows:
        n_real_cols = n_mentees
        column_type = np.int32 if n_real_cols + n_rows < 2**31 else np.int64
        indptr, indices, data = _slot_rows(
            mentee, mentor, real_cost, degree, n_slots, dummy_cost, column_type
        )
    else:
        n_real_cols = total_slots
        row_len, columns, costs = _mentee_row_entries(mentee, mentor, real_cost, n_slots, n_mentees)
        indptr, indices, data = _with_dummies(row_len, columns, costs, dummy_cost)
    # Every row's dummy column is its own: after the real columns, one a row.
    index_type = np.int32 if n_real_cols + n_rows < 2**31 and indptr[-1] < 2**31 else np.int64
    indices = indices.astype(index_type, copy=False)
    indices[indptr[1:] - 1] = n_real_cols + np.arange(n_rows)
    matrix = csr_array((data, indices, indptr.astype(index_type)), shape=(n_rows, n_real_cols + n_rows))
    return _Expanded(matrix=matrix, slot_rows=slot_rows, n_real_cols=n_real_cols, n_slots=n_slots)


def _with_dummies(
    row_len: IntArray, columns: IntArray, costs: FloatArray, dummy_cost: float
) -> tuple[IntArray, IntArray, FloatArray]:
    """(indptr, indices, data) of rows of the given real entries, each followed by its dummy
    (its cost set, its column left for the caller). Every row gets one, including rows without
    real entries (a mentee row without usable edges simply sits on its dummy)."""
    n_rows = row_len.shape[0]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(row_len + 1, out=indptr[1:])
    dummy_at = indptr[1:] - 1
    real = np.ones(int(indptr[-1]), dtype=bool)
    real[dummy_at] = False
    indices = np.zeros(real.shape[0], dtype=np.int64)
    indices[real] = columns
    data = np.empty(real.shape[0], dtype=np.float64)
    data[real] = costs
    data[dummy_at] = dummy_cost
    return indptr, indices, data


def _slot_rows(
    mentee: IntArray,
    mentor: IntArray,
    cost: FloatArray,
    degree: IntArray,
    n_slots: IntArray,
    dummy_cost: float,
    column_type: type[np.signedinteger[Any]],
) -> tuple[IntArray, IntArray, FloatArray]:
    """(indptr, indices, data) with a row per slot: every slot of a mentor holds the mentor's
    mentees in order (the edges come sorted by mentee), then its dummy (cost set, column left
    for the caller). The edges are put in mentor order once and every slot row gathers its
    mentor's straight from them: one gather of all the rows' entries, no mask over them, and no
    copy of the edges laid out with a place for each dummy (a quarter of the time)."""
    n_mentors = degree.shape[0]
    by_mentor = _stable_order(mentor, n_mentors)
    columns = mentee.astype(column_type)[by_mentor]
    costs = cost[by_mentor]
    first = np.cumsum(degree) - degree  # of each mentor's edges, in mentor order
    row_mentor = np.repeat(np.arange(n_mentors), n_slots)
    row_size = degree[row_mentor] + 1
    indptr = np.zeros(row_mentor.shape[0] + 1, dtype=np.int64)
    np.cumsum(row_size, out=indptr[1:])
    index_type = np.int32 if indptr[-1] < 2**31 and mentor.shape[0] < 2**31 else np.int64
    source = np.repeat((first[row_mentor] - indptr[:-1]).astype(index_type), row_size)
    source += np.arange(int(indptr[-1]), dtype=index_type)
    # A row's last place is its dummy: it would read the next mentor's first edge (or past the
    # last), so it reads the first edge and is then given the dummy's cost.
    dummy_at = indptr[1:] - 1
    source[dummy_at] = 0
    indices, data = columns[source], costs[source]
    data[dummy_at] = dummy_cost
    return indptr, indices, data


def _mentee_row_entries(
    mentee: IntArray, mentor: IntArray, cost: FloatArray, n_slots: IntArray, n_mentees: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """(real entries per row, their columns, their costs) with a row per mentee: each edge
    expands to the slots of its mentor, slot_start[mentor] + 0 .. reps - 1, in order."""
    slot_start = np.cumsum(n_slots) - n_slots
    reps = n_slots[mentor]
    first_entry = np.cumsum(reps) - reps
    columns = np.repeat(slot_start[mentor] - first_entry, reps) + np.arange(int(reps.sum()))
    row_len = np.bincount(mentee, weights=reps, minlength=n_mentees).astype(np.int64)
    return row_len, columns, np.repeat(cost, reps)


def _stable_order(group: IntArray, n_groups: int) -> IntArray:
    """The stable argsort of group numbers; those that fit in 16 bits are sorted as such, which
    numpy does by radix sort (a few milliseconds for a million)."""
    key = group.astype(np.uint16) if n_groups <= 1 << 16 else group
    order: IntArray = np.argsort(key, kind="stable")
    return order


# --------------------------------------------------------------------------------------------
# Stable matching


# Proposals a proposer looks ahead at once when skipping those a full mentor would reject: the
# first window, doubled each time a whole window was hopeless (a mentee whose mentors are all
# full walks a list of 500 in 5 steps instead of 16), up to the last.
_SKIP_WINDOW = 32
_SKIP_WINDOW_MAX = 1024


def solve_stable(instance: Instance) -> MatchingResult:
    """Mentee-proposing deferred acceptance with capacities (hospitals/residents).

    Free mentees propose in rounds, each to the best mentor not yet tried; a mentor holds the
    best ``capacity`` proposals seen so far and rejects the rest. Proposals within a round are
    processed together with numpy; the outcome of deferred acceptance does not depend on the
    order of proposals, so this is the mentee-optimal stable matching. No recursion and no
    per-proposal Python loop: the bench region (20 000 mentees, 5 000 mentors, 1M pairs) takes
    about 0.4-1 s, also with strongly correlated preferences (everyone wanting the same few).

    Fixed pairs stay and take capacity; fixed mentees do not propose. Ties in preferences are
    broken by index (mentor index on the mentee side, mentee index on the mentor side); the
    result is then stable for the strict tie-broken preferences and therefore has no blocking
    pair in the sense of :func:`count_blocking_pairs` (which requires strict preference).
    """
    residual = instance.capacity - instance.fixed_load()
    usable_mask = _open_edges(instance, residual)
    n_usable = instance.n_edges if usable_mask is None else int(np.count_nonzero(usable_mask))

    assignment = instance.fixed_mentor.copy()
    if n_usable:
        mentee, mentor = instance.edge_mentee, instance.edge_mentor
        mentee_rank, mentor_rank = instance.mentee_rank, instance.mentor_rank
        # Usually every edge is usable: the per-edge arrays as they are then, not copies.
        if usable_mask is not None and n_usable < instance.n_edges:
            usable = np.flatnonzero(usable_mask)
            mentee, mentor = mentee[usable], mentor[usable]
            mentee_rank, mentor_rank = mentee_rank[usable], mentor_rank[usable]
        order, priority = _proposal_order(mentee, mentor, mentee_rank, mentor_rank, instance.n_mentees)
        prop_mentor = mentor[order]
        prop_priority = priority[order]
        prop_mentee = mentee  # `order` keeps the edges grouped by mentee, as they come
        counts = np.bincount(prop_mentee, minlength=instance.n_mentees)
        ptr = np.zeros(instance.n_mentees + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        next_prop = ptr[:-1].copy()
        end_prop = ptr[1:]

        # Held proposals live in the mentors' slots: slots[slot_start[j] + k], -1 when empty.
        cap = np.maximum(residual, 0)
        slot_start = np.zeros(instance.n_mentors, dtype=np.int64)
        np.cumsum(cap[:-1], out=slot_start[1:])
        slots = np.full(int(cap.sum()), -1, dtype=np.int64)

        # Priority of the least preferred mentee a full mentor holds (the largest int where the
        # mentor still has room). It only improves as the rounds go, so a proposal worse than it
        # would be rejected on arrival and change nothing: such proposals are skipped at once,
        # instead of one round each (a mentee left unmatched walks its whole list). Deferred
        # acceptance ends in the same matching whatever the order of the proposals.
        threshold = np.full(instance.n_mentors, np.iinfo(np.int64).max, dtype=np.int64)

        proposers = np.flatnonzero(counts > 0)
        while proposers.shape[0]:
            proposers = _skip_hopeless(proposers, next_prop, end_prop, prop_priority, prop_mentor, threshold)
            if not proposers.shape[0]:
                break
            props = next_prop[proposers]
            next_prop[proposers] += 1
            rejected = _hold_best(props, cap, slot_start, slots, prop_priority, prop_mentor, threshold)
            rejected_mentees = prop_mentee[rejected]
            proposers = rejected_mentees[next_prop[rejected_mentees] < end_prop[rejected_mentees]]

        held_final = slots[slots >= 0]
        assignment[prop_mentee[held_final]] = prop_mentor[held_final]
    # Stable by construction (see above), so no blocking pair to count: the count is a gather and
    # a comparison a side over every edge (10 ms of the bench's 58 ms solve). The tests count
    # them by definition on drawn instances.
    return _make_result(instance, "stable", assignment, blocking_pairs=0)


def _proposal_order(
    mentee: IntArray, mentor: IntArray, mentee_rank: FloatArray, mentor_rank: FloatArray, n_mentees: int
) -> tuple[IntArray, IntArray]:
    """(the proposals' order, each edge's priority at its mentor).

    Order: by mentee, then the mentee's rank, then mentor index. Priority: lower is preferred, and
    among the proposals to one mentor it orders them by the mentor's rank, then mentee index
    (only proposals to the same mentor are ever compared). The edges come sorted by (mentee,
    mentor), so the edge's position breaks the ties in both.

    The ranks become dense codes (equal ranks, one code) so that both orders are whole numbers:
    the priority is ``code * n_mentees + mentee`` and the order a plain sort of
    ``(mentee, code, position)`` packed in one int64 — a stable argsort of a million floats took
    90 ms, the unstable one behind the codes and the sort of the packed keys take a third. When
    the (mentee, code) keys fit in 16 bits (a school's program) they are sorted stably alone."""
    mentee_code, n_mentee_codes = _dense_codes(mentee_rank)
    # Without stated preferences both sides rank by score: one set of codes serves both.
    same = mentee_rank is mentor_rank or np.array_equal(mentee_rank, mentor_rank)
    mentor_code, n_mentor_codes = (mentee_code, n_mentee_codes) if same else _dense_codes(mentor_rank)
    width = max(n_mentees, 1)
    n = mentee.shape[0]
    position_bits = max(n - 1, 1).bit_length()
    if width * n_mentee_codes <= 1 << 16 and width * n_mentor_codes < 2**62:
        # Few enough (mentee, code) keys for 16 bits: numpy sorts those stably by radix, which
        # keeps the edges' order (by mentor) within a key (7 ms for the bench's million edges,
        # against 15 for packing in the position and sorting 64-bit keys).
        small_key = mentee * n_mentee_codes + mentee_code
        order: IntArray = np.argsort(small_key.astype(np.uint16), kind="stable")
    elif (width * n_mentee_codes).bit_length() + position_bits <= 63 and width * n_mentor_codes < 2**62:
        key = mentee * n_mentee_codes + mentee_code
        key <<= position_bits
        key |= np.arange(n, dtype=np.int64)
        key.sort()
        key &= (1 << position_bits) - 1
        order = key
    else:  # beyond any real program, kept correct: the same order, more slowly
        order = np.lexsort((mentee_rank, mentee))
    priority: IntArray = mentor_code * width + mentee
    return order, priority


# Up to this many distinct ranks, each edge's code is counted by comparisons with them (one pass
# a rank) instead of being looked up by binary search: scores are sums of a few factors' values,
# and the bench's million edges have 5 distinct ranks.
_FEW_CODES = 16


def _dense_codes(values: FloatArray) -> tuple[IntArray, int]:
    """Each value's rank among the distinct values (equal values share one), and their number.
    The values are finite (`Instance` checks the ranks)."""
    n = values.shape[0]
    if not n:
        return np.zeros(0, dtype=np.int64), 0
    ordered = np.sort(values)  # a sort of the values alone is a fraction of an argsort's time
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    distinct = ordered[new]
    if distinct.shape[0] > _FEW_CODES:
        codes: IntArray = np.searchsorted(distinct, values).astype(np.int64, copy=False)
        return codes, int(distinct.shape[0])
    # Counted in one byte a value (at most _FEW_CODES - 1 < 256) and widened once: adding each
    # comparison into int64 cast a million booleans a pass (8 ms -> 3 for the bench's 5 ranks).
    counts = np.zeros(n, dtype=np.uint8)
    for value in distinct[1:].tolist():
        counts += values >= value
    codes = counts.astype(np.int64)
    return codes, int(distinct.shape[0])


def _hold_best(
    props: np.ndarray,
    cap: np.ndarray,
    slot_start: np.ndarray,
    slots: np.ndarray,
    prop_priority: np.ndarray,
    prop_mentor: np.ndarray,
    threshold: np.ndarray,
) -> np.ndarray:
    """One round: each targeted mentor keeps the best `cap` of the proposals it holds and the new
    `props` (`slots` and `threshold` are updated in place); returns the rejected proposals."""
    targets = np.unique(prop_mentor[props])
    # Slot indices of all targeted mentors.
    t_cap = cap[targets]
    t_first = np.cumsum(t_cap) - t_cap
    slot_idx = np.repeat(slot_start[targets] - t_first, t_cap) + np.arange(int(t_cap.sum()))
    held = slots[slot_idx]
    candidates = np.concatenate((held[held >= 0], props))
    # By mentor, then priority (a priority orders the proposals to one mentor only).
    candidates = candidates[np.lexsort((prop_priority[candidates], prop_mentor[candidates]))]
    cand_mentor = prop_mentor[candidates]
    group_start = np.ones(candidates.shape[0], dtype=bool)
    group_start[1:] = cand_mentor[1:] != cand_mentor[:-1]
    starts = np.flatnonzero(group_start)
    rank = np.arange(candidates.shape[0]) - np.repeat(starts, np.diff(np.append(starts, candidates.shape[0])))
    accept = rank < cap[cand_mentor]
    last_place = accept & (rank == cap[cand_mentor] - 1)
    threshold[cand_mentor[last_place]] = prop_priority[candidates[last_place]]
    slots[slot_idx] = -1
    slots[slot_start[cand_mentor[accept]] + rank[accept]] = candidates[accept]
    return candidates[~accept]


def _skip_hopeless(
    proposers: np.ndarray,
    next_prop: np.ndarray,
    end_prop: np.ndarray,
    prop_priority: np.ndarray,
    prop_mentor: np.ndarray,
    threshold: np.ndarray,
) -> np.ndarray:
    """Move each proposer past the proposals a full mentor would reject on arrival (`next_prop`
    is advanced in place); returns the proposers that still have a proposal to make."""
    props = next_prop[proposers]
    hopeless = prop_priority[props] > threshold[prop_mentor[props]]
    width = _SKIP_WINDOW
    while bool(hopeless.any()):
        # Each such proposer moves to the first proposal of its next few that is not hopeless
        # (past the window if all are, or past its list's end).
        walkers = proposers[hopeless]
        end = end_prop[walkers][:, None]
        window = next_prop[walkers][:, None] + np.arange(width)
        seen = np.minimum(window, end - 1)
        bad = (prop_priority[seen] > threshold[prop_mentor[seen]]) & (window < end)
        next_prop[walkers] += np.where(bad.all(axis=1), width, bad.argmin(axis=1))
        width = min(2 * width, _SKIP_WINDOW_MAX)
        proposers = proposers[next_prop[proposers] < end_prop[proposers]]
        props = next_prop[proposers]
        hopeless = prop_priority[props] > threshold[prop_mentor[props]]
    return proposers


# --------------------------------------------------------------------------------------------
# Checks shared by all proposals


def _pair_edges(instance: Instance, assignment: IntArray) -> IntArray:
    """Validate a proposal against the hard rules and return its edge per mentee (-1 if none)."""
    if assignment.shape != (instance.n_mentees,):
        raise ValueError("an assignment needs one entry per mentee")
    if assignment.size and (assignment.min() < -1 or assignment.max() >= instance.n_mentors):
        raise ValueError("an assignment refers to an unknown mentor")
    matched = np.flatnonzero(assignment >= 0)
    pair_edge = np.full(instance.n_mentees, -1, dtype=np.int64)
    edge_of_matched = instance.edge_ids(matched, assignment[matched])
    if bool(np.any(edge_of_matched < 0)):
        raise ValueError("an assignment contains a pair that is not allowed")
    pair_edge[matched] = edge_of_matched
    load = np.bincount(assignment[matched], minlength=instance.n_mentors)
    if bool(np.any(load > instance.capacity)):
        raise ValueError("an assignment exceeds a mentor's capacity")
    fixed = instance.fixed_mask
    if not np.array_equal(assignment[fixed], instance.fixed_mentor[fixed]):
        raise ValueError("an assignment breaks a fixed pair")
    return pair_edge


def count_blocking_pairs(instance: Instance, assignment: npt.ArrayLike) -> int:
    """Number of allowed pairs (i, j), not in the proposal, where both would rather be together.

    Mentee ``i`` strictly prefers ``j`` to its mentor (any allowed mentor beats none), and
    mentor ``j`` either has a free place or strictly prefers ``i`` to one of its mentees.
    Fixed pairs are rules, not preferences: a fixed mentee cannot leave, and a fixed mentee
    cannot be displaced, so neither takes part in a blocking pair (fixed mentees still count
    towards the mentor's capacity).
    """
    proposal = np.asarray(assignment, dtype=np.int64)
    return _blocking_count(instance, proposal, _pair_edges(instance, proposal))


def _blocking_count(instance: Instance, assignment: IntArray, pair_edge: IntArray) -> int:
    # Each side's condition is one threshold per person, so every edge costs one gather and one
    # comparison a side. A mentee wants any mentor ranked better than their own (+inf when
    # unmatched: anyone is better; -inf when fixed: nobody). A mentor wants any mentee ranked
    # better than the least preferred one they could give up (+inf with a free place: anyone;
    # -inf when full of fixed mentees: nobody).
    fixed = instance.fixed_mask
    matched = pair_edge >= 0
    mentee_threshold = np.full(instance.n_mentees, np.inf)
    mentee_threshold[matched] = instance.mentee_rank[pair_edge[matched]]
    mentee_threshold[fixed] = -np.inf
    load = np.bincount(assignment[matched], minlength=instance.n_mentors)
    mentor_threshold: FloatArray = np.full(instance.n_mentors, -np.inf)
    movable = matched & ~fixed
    np.maximum.at(mentor_threshold, assignment[movable], instance.mentor_rank[pair_edge[movable]])
    mentor_threshold[load < instance.capacity] = np.inf

    mentee_wants = instance.mentee_rank < mentee_threshold[instance.edge_mentee]
    mentor_wants = instance.mentor_rank < mentor_threshold[instance.edge_mentor]
    return int(np.count_nonzero(mentee_wants & mentor_wants))


def _unmatched_reasons(instance: Instance, assignment: IntArray) -> dict[int, UnmatchedReason]:
    unmatched = np.flatnonzero(assignment < 0)
    if not unmatched.shape[0]:
        return {}
    load = np.bincount(assignment[assignment >= 0], minlength=instance.n_mentors)
    mentor_has_room = load < instance.capacity
    # Only the edges of the unmatched mentees are looked at (CSR segments, in order).
    starts, degree = instance.edge_ptr[unmatched], np.diff(instance.edge_ptr)[unmatched]
    first = np.cumsum(degree) - degree
    edges = np.repeat(starts - first, degree) + np.arange(int(degree.sum()))
    room = mentor_has_room[instance.edge_mentor[edges]]
    owner = np.repeat(np.arange(unmatched.shape[0]), degree)
    has_room = np.bincount(owner[room], minlength=unmatched.shape[0]) > 0
    reasons: dict[int, UnmatchedReason] = {}
    for k, i in enumerate(unmatched.tolist()):
        if degree[k] == 0:
            reasons[i] = UnmatchedReason.NO_COMPATIBLE_MENTOR
        elif has_room[k]:
            reasons[i] = UnmatchedReason.NO_POSITIVE_SCORE
        else:
            reasons[i] = UnmatchedReason.COMPATIBLE_MENTORS_FULL
    return reasons


def _make_result(
    instance: Instance, method: str, assignment: IntArray, *, blocking_pairs: int | None = None
) -> MatchingResult:
    """The proposal of `assignment`, its pairs checked against the rules; `blocking_pairs` when
    the solver knows it, else counted."""
    pair_edge = _pair_edges(instance, assignment)
    matched = pair_edge >= 0
    return MatchingResult(
        method=method,
        assignment=assignment,
        pair_edge=pair_edge,
        total_score=float(instance.edge_score[pair_edge[matched]].sum()),
        matched=int(matched.sum()),
        blocking_pairs=(
            _blocking_count(instance, assignment, pair_edge) if blocking_pairs is None else blocking_pairs
        ),
        unmatched_reasons=_unmatched_reasons(instance, assignment),
    )
