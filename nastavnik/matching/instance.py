"""The matching instance: mentees, mentors, allowed edges and hard rules, as flat arrays.

Mentees are numbered 0..N-1 and mentors 0..M-1; the Django layer keeps the mapping to
participants. Everything here is plain numpy so the same code serves a class of 20 pupils and
a region of 20 000: there is no per-pair Python object anywhere on the hot path.

Hard rules are applied once, in :func:`build_instance`, so that no solver can forget them:

* only listed (mentee, mentor) edges exist — consent, the form's roles and the age rules are
  expressed by the caller simply not listing a pair;
* forbidden pairs (a psychologist's veto, a conflict) are removed from the edge list;
* fixed pairs (mutual choice confirmed by the curator) must be allowed edges, and they use the
  mentor's capacity before any solver runs;
* capacities are non-negative integers.

Contradictory rules (a fixed pair that is also forbidden, more fixed mentees than a mentor's
capacity, ...) raise :class:`InstanceError` instead of being silently resolved: the curator has
to decide which rule gives way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

PairsLike = Sequence[tuple[int, int]] | npt.ArrayLike


class InstanceError(ValueError):
    """The rules given for a matching contradict each other or reference unknown people."""


@dataclass(frozen=True, eq=False)
class Instance:
    """A validated matching instance. Build it with :func:`build_instance`, not directly.

    Edges are stored sorted by (mentee, mentor) and unique; ``edge_origin[e]`` (or
    :meth:`origin_of`) is the index of edge ``e`` in the arrays the caller passed, so per-edge
    data computed by the caller (e.g. the factor contributions explaining a pair) can be looked
    up for any proposed pair.

    Preferences are per edge: ``mentee_rank[e]`` is how mentee ``edge_mentee[e]`` ranks mentor
    ``edge_mentor[e]``, ``mentor_rank[e]`` the reverse; lower means more preferred, equal values
    mean indifference. Without explicit rankings both sides prefer higher scores.
    """

    n_mentees: int
    n_mentors: int
    capacity: IntArray
    edge_mentee: IntArray
    edge_mentor: IntArray
    edge_score: FloatArray
    # Where each edge is in the caller's arrays; None when they are the caller's edges in the
    # caller's order (the usual run: no array of a million positions equal to their index).
    moved_from: IntArray | None
    mentee_rank: FloatArray
    mentor_rank: FloatArray
    # Mentor of each mentee fixed by the curator, -1 where the mentee is free.
    fixed_mentor: IntArray
    # edge_ptr[i]:edge_ptr[i + 1] are the edges of mentee i (CSR layout).
    edge_ptr: IntArray

    @property
    def n_edges(self) -> int:
        return int(self.edge_mentee.shape[0])

    @functools.cached_property
    def edge_origin(self) -> IntArray:
        """Index of each edge in the arrays the caller passed."""
        if self.moved_from is None:
            return np.arange(self.n_edges, dtype=np.int64)
        return self.moved_from

    def origin_of(self, edges: IntArray) -> IntArray:
        """:attr:`edge_origin` of the given edges."""
        return edges.copy() if self.moved_from is None else self.moved_from[edges]

    @property
    def fixed_mask(self) -> BoolArray:
        return self.fixed_mentor >= 0

    def fixed_load(self) -> IntArray:
        """Number of fixed mentees per mentor."""
        fixed = self.fixed_mentor[self.fixed_mentor >= 0]
        return np.bincount(fixed, minlength=self.n_mentors).astype(np.int64)

    def edge_ids(self, mentees: npt.ArrayLike, mentors: npt.ArrayLike) -> IntArray:
        """Edge index of each (mentee, mentor) pair, or -1 where the pair is not an allowed edge."""
        mentee_arr = np.asarray(mentees, dtype=np.int64)
        mentor_arr = np.asarray(mentors, dtype=np.int64)
        keys = self._edge_keys
        query = _pair_keys(mentee_arr, mentor_arr, self.n_mentors)
        pos = np.searchsorted(keys, query)
        pos_clipped = np.minimum(pos, max(keys.shape[0] - 1, 0))
        found = (
            (pos < keys.shape[0]) & (keys[pos_clipped] == query)
            if keys.shape[0]
            else np.zeros_like(pos, dtype=bool)
        )
        return np.where(found, pos_clipped, -1).astype(np.int64)

    @functools.cached_property
    def _edge_keys(self) -> IntArray:
        # Sorted, as the edges are. Kept: every proposal's check and every pair the curator
        # moves look edges up, and the keys of a million edges take longer than the lookup.
        return _pair_keys(self.edge_mentee, self.edge_mentor, self.n_mentors)


def _pair_keys(mentees: IntArray, mentors: IntArray, n_mentors: int) -> IntArray:
    # One int64 per pair; N * M stays far below 2**63 for any realistic region.
    return mentees * np.int64(max(n_mentors, 1)) + mentors


def _as_pairs(pairs: PairsLike | None, what: str) -> IntArray:
    if pairs is None:
        return np.empty((0, 2), dtype=np.int64)
    arr = np.asarray(pairs, dtype=np.int64)
    if arr.size == 0:
        return np.empty((0, 2), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise InstanceError(f"{what} must be a list of (mentee, mentor) pairs")
    return arr


def _check_people(mentees: IntArray, mentors: IntArray, n_mentees: int, n_mentors: int, what: str) -> None:
    if mentees.size and (mentees.min() < 0 or mentees.max() >= n_mentees):
        raise InstanceError(f"{what}: mentee index out of range 0..{n_mentees - 1}")
    if mentors.size and (mentors.min() < 0 or mentors.max() >= n_mentors):
        raise InstanceError(f"{what}: mentor index out of range 0..{n_mentors - 1}")


def _checked_capacity(capacity: npt.ArrayLike, n_mentors: int) -> IntArray:
    cap = np.asarray(capacity, dtype=np.int64).reshape(-1)
    if cap.shape[0] != n_mentors:
        raise InstanceError("capacity must have one entry per mentor")
    if cap.size and cap.min() < 0:
        raise InstanceError("a mentor's capacity cannot be negative")
    return cap


def _checked_edges(
    edge_mentee: npt.ArrayLike,
    edge_mentor: npt.ArrayLike,
    edge_score: npt.ArrayLike,
    n_mentees: int,
    n_mentors: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    mentee = np.asarray(edge_mentee, dtype=np.int64).reshape(-1)
    mentor = np.asarray(edge_mentor, dtype=np.int64).reshape(-1)
    score = np.asarray(edge_score, dtype=np.float64).reshape(-1)
    n_in = mentee.shape[0]
    if mentor.shape[0] != n_in or score.shape[0] != n_in:
        raise InstanceError("edge_mentee, edge_mentor and edge_score must have the same length")
    if not np.all(np.isfinite(score)):
        raise InstanceError("edge scores must be finite numbers")
    _check_people(mentee, mentor, n_mentees, n_mentors, "edges")
    return mentee, mentor, score


def _checked_ranks(
    mentee_rank: npt.ArrayLike | None, mentor_rank: npt.ArrayLike | None, score: FloatArray
) -> list[FloatArray]:
    ranks: list[FloatArray] = []
    for rank, name in ((mentee_rank, "mentee_rank"), (mentor_rank, "mentor_rank")):
        if ranks and rank is not None and rank is mentee_rank:
            # Both sides rank by score alike (one array given twice): checked once.
            ranks.append(ranks[0])
            continue
        if rank is None:
            # Without stated preferences both sides prefer the pair the scoring layer rates higher.
            ranks.append(-score)
            continue
        arr = np.asarray(rank, dtype=np.float64).reshape(-1)
        if arr.shape[0] != score.shape[0] or not np.all(np.isfinite(arr)):
            raise InstanceError(f"{name} must hold one finite value per edge")
        ranks.append(arr)
    return ranks


def _allowed_order(
    keys: IntArray, forbidden: PairsLike | None, n_mentees: int, n_mentors: int
) -> tuple[IntArray, IntArray | None]:
    """(sorted keys, their positions in the caller's arrays or None when those are all the
    caller's edges in the caller's order) of the edges left after the forbidden pairs are
    removed; a pair listed twice is an error."""
    origin: IntArray | None = None
    # The bench and most callers produce edges already grouped by mentee; skip the sort then.
    if keys.shape[0] > 1 and not bool(np.all(keys[1:] > keys[:-1])):
        origin = np.argsort(keys, kind="stable")
        keys = keys[origin]
        if bool(np.any(keys[1:] == keys[:-1])):
            raise InstanceError("the same (mentee, mentor) pair is listed twice")

    forbidden_pairs = _as_pairs(forbidden, "forbidden")
    _check_people(forbidden_pairs[:, 0], forbidden_pairs[:, 1], n_mentees, n_mentors, "forbidden")
    if forbidden_pairs.shape[0]:  # usually none: no pass over the million keys then
        keep = ~np.isin(keys, _pair_keys(forbidden_pairs[:, 0], forbidden_pairs[:, 1], n_mentors))
        if not bool(keep.all()):
            keys = keys[keep]
            origin = np.flatnonzero(keep) if origin is None else origin[keep]
    return keys, origin


def _fixed_mentors(
    fixed: PairsLike | None, keys: IntArray, cap: IntArray, n_mentees: int, n_mentors: int
) -> IntArray:
    """Mentor of each mentee fixed by the curator (-1 where free), checked against the rules."""
    fixed_pairs = _as_pairs(fixed, "fixed")
    _check_people(fixed_pairs[:, 0], fixed_pairs[:, 1], n_mentees, n_mentors, "fixed")
    fixed_mentor = np.full(n_mentees, -1, dtype=np.int64)
    if fixed_pairs.shape[0]:
        if np.unique(fixed_pairs[:, 0]).shape[0] != fixed_pairs.shape[0]:
            raise InstanceError("a mentee can be fixed to one mentor only")
        fixed_keys = _pair_keys(fixed_pairs[:, 0], fixed_pairs[:, 1], n_mentors)
        if not bool(np.isin(fixed_keys, keys).all()):
            raise InstanceError("a fixed pair is forbidden or not among the allowed pairs")
        load = np.bincount(fixed_pairs[:, 1], minlength=n_mentors)
        if bool(np.any(load > cap)):
            raise InstanceError("more fixed mentees than the mentor's capacity")
        fixed_mentor[fixed_pairs[:, 0]] = fixed_pairs[:, 1]
    return fixed_mentor


def build_instance(
    *,
    n_mentees: int,
    n_mentors: int,
    capacity: npt.ArrayLike,
    edge_mentee: npt.ArrayLike,
    edge_mentor: npt.ArrayLike,
    edge_score: npt.ArrayLike,
    fixed: PairsLike | None = None,
    forbidden: PairsLike | None = None,
    mentee_rank: npt.ArrayLike | None = None,
    mentor_rank: npt.ArrayLike | None = None,
    edge_keys: IntArray | None = None,
) -> Instance:
    """Validate the inputs, apply the hard rules and return an :class:`Instance`.

    ``edge_*`` (and the optional ``*_rank``) are parallel arrays, one entry per allowed pair.
    Duplicate pairs are an error: two scores for one pair means the caller has a bug.
    ``edge_keys``, when the caller has computed them (the scoring does), are the edges' keys
    ``mentee * max(n_mentors, 1) + mentor`` in the caller's order: not computed again.
    """
    if n_mentees < 0 or n_mentors < 0:
        raise InstanceError("the numbers of mentees and mentors must be non-negative")
    cap = _checked_capacity(capacity, n_mentors)
    mentee, mentor, score = _checked_edges(edge_mentee, edge_mentor, edge_score, n_mentees, n_mentors)
    ranks = _checked_ranks(mentee_rank, mentor_rank, score)

    if edge_keys is None or edge_keys.shape != mentee.shape:
        edge_keys = _pair_keys(mentee, mentor, n_mentors)
    keys, origin = _allowed_order(edge_keys, forbidden, n_mentees, n_mentors)
    if origin is not None:
        mentee, mentor, score = mentee[origin], mentor[origin], score[origin]
        ranks = [r[origin] for r in ranks]
    fixed_mentor = _fixed_mentors(fixed, keys, cap, n_mentees, n_mentors)

    counts = np.bincount(mentee, minlength=n_mentees)
    edge_ptr = np.zeros(n_mentees + 1, dtype=np.int64)
    np.cumsum(counts, out=edge_ptr[1:])

    instance = Instance(
        n_mentees=int(n_mentees),
        n_mentors=int(n_mentors),
        capacity=cap,
        edge_mentee=mentee,
        edge_mentor=mentor,
        edge_score=score,
        moved_from=origin,
        mentee_rank=ranks[0],
        mentor_rank=ranks[1],
        fixed_mentor=fixed_mentor,
        edge_ptr=edge_ptr,
    )
    # The sorted keys are those of the edges as stored: the lookups need not compute them again.
    vars(instance)["_edge_keys"] = keys
    return instance
