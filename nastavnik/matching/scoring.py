"""Turning per-factor similarities into one pair score, with the explanation kept.

The problem this solves: if a missing questionnaire answer counted as a neutral value (say the
average similarity), a candidate who filled in nothing would look "fine on every factor" and
could outrank a well-described candidate who honestly matches on some factors and not on
others. Nothing would count against him simply because nothing is known.

So a score here is the sum of *evidence that exists*:

* each factor's similarity is in [0, 1], where 0 means "known not to fit" and NaN means
  "unknown" (an item left empty by either side);
* an unknown factor contributes 0 — exactly as much as a known mismatch, never more;
* optionally a factor's contribution is shrunk by its *coverage*, the share of the factor's
  underlying items that were actually answered (three competencies ticked out of ten give a
  Jaccard similarity computed on little evidence, and it is worth less than the same
  similarity computed on a full answer).

A pair with no evidence at all scores exactly 0, which ``solve_optimal(objective="max_score")``
never makes (it only adds pairs with a positive score); the curator who wants everyone placed
chooses ``max_matched`` instead, and the unmatched list says why the others were left out.

The rest of the module computes those similarities for the candidates of a program, from plain
data already loaded (:func:`nastavnik.matching.selectors.program_candidates`): no query runs
here, so the scoring is tested without a database.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array

from nastavnik.matching.instance import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:  # models only as types: the benchmark imports this module without Django
    from nastavnik.registry.models import Participation, Person

    from .compatibility import StatedPreferences

__all__ = [
    "Candidate",
    "CombinedScore",
    "ScoredPairs",
    "combine_factors",
    "containment",
    "pair_factors",
    "score_pairs",
    "tokens",
]


@dataclass(frozen=True, eq=False)
class _Factor:
    """One factor of a combined score: its similarities (NaN = unknown) and weight, and for a
    factor with a coverage its contribution and backed weight as computed (see the module)."""

    weight: float
    similarity: FloatArray  # broadcast to the pairs' shape
    covered: tuple[FloatArray, FloatArray] | None = None  # (contribution, backed weight)

    def contribution(self, at: IntArray | slice) -> FloatArray:
        """weight × similarity where known, 0 where unknown, of the pairs ``at`` (flat indices)."""
        if self.covered is not None:
            return np.array(_flat(self.covered[0])[at], dtype=np.float64)
        contribution: FloatArray = np.multiply(_flat(self.similarity)[at], self.weight)
        # The similarity is checked to lie in [0, 1] and the weight is not negative, so the known
        # contributions are >= 0 and fmax with 0 turns exactly the unknown (NaN) ones into 0.
        np.fmax(contribution, 0.0, out=contribution)
        return contribution

    def add_backed(self, backed: FloatArray, at: IntArray | slice) -> None:
        """Add the weight backed by answers of the pairs ``at`` to ``backed`` (one per pair)."""
        if self.covered is not None:
            backed += _flat(self.covered[1])[at]
            return
        similarity = _flat(self.similarity)[at]
        # A NaN is the one value not equal to itself.
        np.add(backed, self.weight, out=backed, where=np.equal(similarity, similarity))


def _flat(values: FloatArray) -> FloatArray:
    return values if values.ndim == 1 else values.reshape(-1)


@dataclass(frozen=True, eq=False)
class CombinedScore:
    """Scores for a batch of pairs (arrays of one shape, one entry per pair).

    ``contributions[name]`` is what factor ``name`` added to ``score`` (its weight times the
    similarity times the coverage, 0 where unknown): the "why this pair" explanation.
    ``evidence`` is the share of the total weight backed by answers, in [0, 1], so the UI can
    say how well-founded a score is. Both are computed when asked, and for the pairs asked about
    (:meth:`explain_many`, :meth:`evidence_of`): a run scores a million pairs and stores a few
    thousand, and the two sets of arrays for all of them cost as much as the score itself.
    """

    score: FloatArray
    factors: dict[str, _Factor]
    total_weight: float

    @functools.cached_property
    def contributions(self) -> dict[str, FloatArray]:
        shape = self.score.shape
        return {
            name: factor.contribution(slice(None)).reshape(shape) for name, factor in self.factors.items()
        }

    @functools.cached_property
    def evidence(self) -> FloatArray:
        return self.evidence_of(slice(None)).reshape(self.score.shape)

    def evidence_of(self, indices: IntArray | slice) -> FloatArray:
        """:attr:`evidence` of the pairs at the given flat indices."""
        backed = np.zeros(_flat(self.score)[indices].shape, dtype=np.float64)
        if self.total_weight <= 0:
            return backed
        for factor in self.factors.values():
            factor.add_backed(backed, indices)
        return np.divide(backed, self.total_weight, out=backed)

    def explain(self, index: int) -> dict[str, float]:
        """Contribution of each factor to pair ``index`` (an index into the scored arrays;
        for a proposed pair that is ``instance.edge_origin[result.pair_edge[mentee]]``)."""
        return self.explain_many(np.array([index], dtype=np.int64))[0]

    def explain_json_many(self, indices: IntArray) -> list[str]:
        """:meth:`explain_many` as the JSON text ``json.dumps`` makes of each, by one format
        string: a run stores thousands of pairs, and encoding each dict took twice as long.
        A contribution that is not finite (never, as combined here) falls back to json.dumps."""
        names = list(self.factors)
        if not names:
            return ["{}"] * len(indices)
        columns = self._columns(indices)
        if not all(bool(np.isfinite(column).all()) for column in columns):
            return [json.dumps(factors) for factors in self.explain_many(indices)]
        # repr of a finite float is what json.dumps writes for it
        template = "{" + ", ".join(f"{json.dumps(name).replace('%', '%%')}: %r" for name in names) + "}"
        return [template % row for row in zip(*(column.tolist() for column in columns), strict=True)]

    def explain_many(self, indices: IntArray) -> list[dict[str, float]]:
        """:meth:`explain` of many pairs at once (each factor's values gathered in one go)."""
        names = list(self.factors)
        columns = [column.tolist() for column in self._columns(indices)]
        return (
            [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
            if names
            else [{} for _ in range(len(indices))]
        )

    def _columns(self, indices: IntArray) -> list[FloatArray]:
        return [factor.contribution(indices) for factor in self.factors.values()]


def combine_factors(
    factors: Mapping[str, npt.ArrayLike],
    weights: Mapping[str, float],
    coverage: Mapping[str, npt.ArrayLike] | None = None,
) -> CombinedScore:
    """Combine per-factor similarities into pair scores; see the module docstring for why.

    ``factors`` maps a factor name to similarities in [0, 1] (NaN for "unknown"), one entry per
    pair; scalars work too. ``weights`` are the curator's non-negative weights and must name
    exactly the same factors, so a typo cannot silently drop a factor. ``coverage`` optionally
    maps some factors to the share, in [0, 1], of their items that were answered.
    """
    if set(factors) != set(weights):
        raise ValueError(f"weights must name exactly the factors: {sorted(factors)} vs {sorted(weights)}")
    if coverage is not None and not set(coverage) <= set(factors):
        raise ValueError("coverage names a factor that is not scored")
    if any(not np.isfinite(w) or w < 0 for w in weights.values()):
        raise ValueError("factor weights must be finite and non-negative")

    arrays = {name: np.asarray(values, dtype=np.float64) for name, values in factors.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    score = np.zeros(shape, dtype=np.float64)
    combined: dict[str, _Factor] = {}
    buffer: FloatArray | None = None  # one array of the shape for every factor's contribution
    for name, values in arrays.items():
        distinct = _distinct(values)
        # fmin / fmax skip NaN: only the known similarities can fail the range check, and the
        # largest is NaN only when none is known.
        low, high = (
            (float(np.fmin.reduce(distinct, axis=None)), float(np.fmax.reduce(distinct, axis=None)))
            if distinct.size
            else (math.nan, math.nan)
        )
        if low < 0 or high > 1:
            raise ValueError(f"similarity of factor {name!r} must lie in [0, 1]")
        factor = _Factor(weight=float(weights[name]), similarity=np.broadcast_to(values, shape))
        if coverage is not None and name in coverage:
            factor = _covered(factor, coverage[name], shape, name)
            score += factor.contribution(slice(None)).reshape(shape)
        elif math.isnan(high):
            pass  # nobody answered (e.g. no one ranked anyone): it adds 0 everywhere
        elif distinct.size == 1:
            # One similarity seen at every pair (e.g. nobody chose a variant of the form).
            score += factor.contribution(_FIRST)[0]
        else:
            if buffer is None:
                buffer = np.empty(shape, dtype=np.float64)
            # As factor.contribution computes it, into one reused array: a run scores a million
            # pairs, and each new array of that size costs more than the arithmetic.
            np.multiply(factor.similarity, factor.weight, out=buffer)
            np.fmax(buffer, 0.0, out=buffer)
            score += buffer
        combined[name] = factor
    return CombinedScore(score=score, factors=combined, total_weight=float(sum(weights.values())))


_FIRST = np.zeros(1, dtype=np.int64)


def _distinct(values: FloatArray) -> FloatArray:
    """The values without the repeats of broadcasting (an axis of stride 0 cut to one place):
    a factor unknown everywhere is one NaN seen as a million, and is checked as one."""
    return values[tuple(slice(0, 1) if stride == 0 else slice(None) for stride in values.strides)]


def _covered(factor: _Factor, coverage: npt.ArrayLike, shape: tuple[int, ...], name: str) -> _Factor:
    """The factor with its contribution shrunk by the share of its items answered (see the module)."""
    similarity = factor.similarity
    known = ~np.isnan(similarity)
    cov = np.asarray(coverage, dtype=np.float64)
    if bool(np.any(np.isnan(cov))) or bool(np.any(cov < 0)) or bool(np.any(cov > 1)):
        raise ValueError(f"coverage of factor {name!r} must lie in [0, 1]")
    share = np.where(known, 1.0, 0.0) * cov
    contribution = np.broadcast_to(factor.weight * np.where(known, similarity, 0.0) * share, shape)
    backed = np.broadcast_to(factor.weight * share, shape)
    return _Factor(weight=factor.weight, similarity=similarity, covered=(contribution, backed))


# --------------------------------------------------------------------------------------------
# Free text: normalised token overlap

_WORD_RE = re.compile(r"[a-zа-я0-9]+")
_STOP_WORDS = frozenset(
    [
        "и",
        "в",
        "во",
        "не",
        "на",
        "по",
        "к",
        "ко",
        "с",
        "со",
        "о",
        "об",
        "обо",
        "для",
        "от",
        "до",
        "за",
        "из",
        "у",
        "а",
        "но",
        "или",
        "как",
        "что",
        "это",
        "при",
        "под",
        "над",
        "без",
        "мне",
        "меня",
        "мой",
        "моя",
        "хочу",
        "хотел",
        "хотела",
        "бы",
        "ли",
        "же",
        "уже",
        "очень",
        "также",
        "так",
        "все",
        "всё",
        "его",
        "её",
        "их",
    ]
)
_STEM = 5


def tokens(*texts: str) -> frozenset[str]:
    """Content words of Russian free text, lower-cased, ё→е, stop words dropped, cut to a
    five-letter prefix (a crude stem: «математике», «математика» and «математический» meet)."""
    if len(texts) == 1:
        return _text_tokens(texts[0] or "")
    return frozenset().union(*(_text_tokens(text or "") for text in texts))


@functools.lru_cache(maxsize=65536)
def _text_tokens(text: str) -> frozenset[str]:
    # Cached: the names of a region's tags and the usual answers repeat thousands of times.
    words: set[str] = set()
    for word in _WORD_RE.findall(text.lower().replace("ё", "е")):
        if len(word) >= 3 and word not in _STOP_WORDS:
            words.add(word[:_STEM])
    return frozenset(words)


@functools.lru_cache(maxsize=16384)
def _tag_tokens(tag_names: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    # Cached by the whole list: a program's people tick the same few sets of tags.
    return tuple(t for t in map(tokens, tag_names) if t)


def containment(wanted: frozenset[str], offered: frozenset[str]) -> float:
    """Share of what is wanted that is offered; NaN when either side said nothing."""
    if not wanted or not offered:
        return math.nan
    return len(wanted & offered) / len(wanted)


# --------------------------------------------------------------------------------------------
# Candidates and the factors of a pair


@dataclass
class Candidate:
    """A participant of a run with what the scoring reads (index = position in the instance)."""

    participation: Participation
    person: Person
    tag_tokens: Sequence[frozenset[str]]  # one token set per tag (that has a content word)
    text_tokens: frozenset[str]
    category_codes: frozenset[str]
    capacity: int = 0  # mentors: free places now
    problem_code: str = ""  # why the person cannot take part (empty: can)
    problem: str = ""

    @functools.cached_property
    def offered(self) -> frozenset[str]:
        """What a mentor offers: competency tags and taught subjects (computed once, used per
        pair; a mentee's is never read, so thousands of them are not made for nothing)."""
        return frozenset().union(*self.tag_tokens, tokens(self.person.subjects))

    @classmethod
    def of(
        cls, participation: Participation, tag_names: Iterable[str], category_codes: Iterable[str]
    ) -> Candidate:
        """A candidate from a loaded participation (with its person) and its tags' names."""
        return cls(
            participation=participation,
            person=participation.person,
            tag_tokens=_tag_tokens(tuple(tag_names)),
            text_tokens=tokens(participation.details),
            category_codes=frozenset(category_codes),
        )


def _preference_factor(
    ranks: Mapping[tuple[int, int], int], stated: set[int], key: tuple[int, int], who: int
) -> float:
    if who not in stated:
        return math.nan
    rank = ranks.get(key)
    return 1.0 / rank if rank else 0.0


def format_similarity(
    mentee_form: int | None, mentor_form: int | None, form_family: Mapping[int, int | None]
) -> float:
    """How well the variants of the form the two chose agree (NaN: one of them chose none)."""
    if not (mentee_form and mentor_form):
        return math.nan
    if mentee_form == mentor_form:
        return 1.0
    if form_family.get(mentee_form) is None or form_family.get(mentor_form) is None:
        return 0.5  # one chose the form itself, the other a variant of it
    return 0.0  # two different variants


def pair_factors(
    mentee: Candidate,
    mentor: Candidate,
    form_family: Mapping[int, int | None],
    preferences: StatedPreferences,
    stated_mentees: set[int],
    stated_mentors: set[int],
) -> dict[str, float]:
    """Similarities in [0, 1] (NaN = unknown) of one pair, per factor."""
    offered = mentor.offered
    if mentee.tag_tokens and offered:
        met = sum(1 for wanted in mentee.tag_tokens if wanted & offered)
        requests = met / len(mentee.tag_tokens)
    else:
        requests = math.nan
    # The mentee's own words against everything the mentor wrote or ticked.
    text = containment(mentee.text_tokens, mentor.text_tokens | offered)
    key = (mentee.person.pk, mentor.person.pk)
    fmt = format_similarity(
        mentee.participation.preferred_form_id, mentor.participation.preferred_form_id, form_family
    )
    return {
        "requests": requests,
        "text": text,
        "mentee_choice": _preference_factor(preferences.by_mentee, stated_mentees, key, mentee.person.pk),
        "mentor_choice": _preference_factor(preferences.by_mentor, stated_mentors, key, mentor.person.pk),
        "format": fmt,
    }


# --------------------------------------------------------------------------------------------
# Every allowed pair at once
#
# pair_factors above is the definition for one pair; score_pairs computes the same values for all
# allowed pairs with sparse token matrices (people × stems) and numpy, block by block of mentees,
# so a program of thousands of people needs no per-pair Python (a test compares both).


def _token_matrix(token_sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> csr_array:
    """Rows = token sets, columns = stems, 1.0 where the set holds the stem."""
    indptr = np.zeros(len(token_sets) + 1, dtype=np.int64)
    columns: list[int] = []
    # The same few tags and answers repeat for thousands of people: each distinct set is looked
    # up in the vocabulary once (a frozenset keeps its hash).
    known: dict[frozenset[str], list[int]] = {}
    for row, token_set in enumerate(token_sets):
        set_columns = known.get(token_set)
        if set_columns is None:
            set_columns = known[token_set] = [
                vocabulary.setdefault(token, len(vocabulary)) for token in token_set
            ]
        columns.extend(set_columns)
        indptr[row + 1] = len(columns)
    return csr_array(
        (np.ones(len(columns)), np.array(columns, dtype=np.int64), indptr),
        shape=(len(token_sets), max(len(vocabulary), 1)),
    )


def _with_columns(matrix: csr_array, n_columns: int) -> csr_array:
    """The same matrix widened to the final vocabulary (stems added after it was built)."""
    return csr_array((matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], max(n_columns, 1)))


def _sizes(token_sets: Sequence[frozenset[str]]) -> IntArray:
    return np.array([len(t) for t in token_sets], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class _TokenData:
    """The token matrices of a run: what mentees ask for and write, what mentors offer and write."""

    tags: csr_array  # one row per (non-empty) tag of a mentee, mentees in order
    tag_ptr: IntArray  # tag rows of mentee i: tag_ptr[i]:tag_ptr[i + 1]
    tag_kind: IntArray  # of each tag row: its row in distinct_tags
    distinct_tags: csr_array  # one row per distinct token set of the tags
    offered: csr_array  # mentors × stems
    mentee_text: csr_array  # mentees × stems
    mentee_text_size: IntArray
    mentor_words: csr_array  # mentors × stems: the mentor's own words and what they offer
    mentor_words_size: IntArray
    offered_size: IntArray

    @classmethod
    def of(cls, mentees: Sequence[Candidate], mentors: Sequence[Candidate]) -> _TokenData:
        vocabulary: dict[str, int] = {}
        tag_sets = [tag for c in mentees for tag in c.tag_tokens]
        tag_ptr = np.zeros(len(mentees) + 1, dtype=np.int64)
        np.cumsum([len(c.tag_tokens) for c in mentees], out=tag_ptr[1:])
        offered_sets = [c.offered for c in mentors]
        mentee_texts = [c.text_tokens for c in mentees]
        mentor_words = [c.text_tokens | c.offered for c in mentors]
        matrices = [
            _token_matrix(sets, vocabulary) for sets in (tag_sets, offered_sets, mentee_texts, mentor_words)
        ]
        # The same few tags repeat for thousands of mentees: the edge by edge scoring looks each
        # distinct one up against the mentors once.
        kinds: dict[frozenset[str], int] = {}
        tag_kind = np.array([kinds.setdefault(tag, len(kinds)) for tag in tag_sets], dtype=np.int64)
        matrices.append(_token_matrix(list(kinds), vocabulary))
        tags, offered, mentee_text, words, distinct_tags = (
            _with_columns(m, len(vocabulary)) for m in matrices
        )
        return cls(
            tags=tags,
            tag_ptr=tag_ptr,
            tag_kind=tag_kind,
            distinct_tags=distinct_tags,
            offered=offered,
            mentee_text=mentee_text,
            mentee_text_size=_sizes(mentee_texts),
            mentor_words=words,
            mentor_words_size=_sizes(mentor_words),
            offered_size=_sizes(offered_sets),
        )

    def requests(self, start: int, stop: int) -> FloatArray:
        """Share of each mentee's requests (tags) the mentor offers, mentees start..stop × mentors;
        NaN where the mentee asked for nothing or the mentor offers nothing."""
        first, last = int(self.tag_ptr[start]), int(self.tag_ptr[stop])
        n_tags = np.diff(self.tag_ptr[start : stop + 1])
        # Tags met per mentee: sum the rows of its tags in a tag × mentor table of "any stem
        # shared" (an owner × tag matrix of ones). The same few tags repeat for thousands of
        # mentees: when they are fewer than the block's tags, the table has a row per distinct tag
        # (a few dozen × the mentors instead of thousands, and no such copies of it).
        if self.distinct_tags.shape[0] <= last - first:
            hits, columns = self.distinct_hits, self.tag_kind[first:last]
        else:
            hits, columns = (self.tags[first:last] @ self.offered.T).toarray() > 0, np.arange(last - first)
        owner = csr_array(
            (np.ones(last - first), columns, self.tag_ptr[start : stop + 1] - first),
            shape=(stop - start, hits.shape[0]),
        )
        met: FloatArray = owner @ hits.astype(np.float64)  # whole numbers, exact in float64
        return _share(met, n_tags, self.offered_size)

    @functools.cached_property
    def distinct_hits(self) -> BoolArray:
        """Distinct tags × mentors: whether the mentor offers a stem of the tag."""
        hits: BoolArray = (self.distinct_tags @ self.offered.T).toarray() > 0
        return hits

    def text(self, start: int, stop: int) -> FloatArray:
        """:func:`containment` of each mentee's words in each mentor's, mentees start..stop × mentors."""
        shared: FloatArray = (self.mentee_text[start:stop] @ self.mentor_words.T).toarray()
        return _share(shared, self.mentee_text_size[start:stop], self.mentor_words_size)

    def edge_requests(self, mentee: IntArray, mentor: IntArray) -> FloatArray:
        """:meth:`requests` of the given pairs only: each tag of a pair's mentee looked up in a
        table of the distinct tags × mentors (any stem shared)."""
        hits = self.distinct_hits
        rows, owner = _expanded_rows(self.tag_ptr, mentee)
        met: FloatArray = np.bincount(  # floats already: counted with weights
            owner, weights=hits[self.tag_kind[rows], mentor[owner]], minlength=mentee.shape[0]
        ).astype(np.float64, copy=False)
        return _edge_share(met, np.diff(self.tag_ptr)[mentee], self.offered_size[mentor])

    def edge_text(self, mentee: IntArray, mentor: IntArray) -> FloatArray:
        """:meth:`text` of the given pairs only: each stem of a pair's mentee's words looked up in
        a table of the mentors × the stems the mentees wrote."""
        written = self.written_stems
        column = np.full(self.mentee_text.shape[1], -1, dtype=np.int64)
        column[written] = np.arange(written.shape[0])
        has = self.mentor_words[:, written].toarray() > 0
        positions, owner = _expanded_rows(self.mentee_text.indptr, mentee)
        stems = column[self.mentee_text.indices[positions]]
        shared: FloatArray = np.bincount(  # floats already: counted with weights
            owner, weights=has[mentor[owner], stems], minlength=mentee.shape[0]
        ).astype(np.float64, copy=False)
        return _edge_share(shared, self.mentee_text_size[mentee], self.mentor_words_size[mentor])

    @functools.cached_property
    def written_stems(self) -> IntArray:
        """The stems some mentee wrote (columns of mentee_text), sorted: asked for by the size
        check of the edge by edge scoring and by its text lookup table."""
        written: IntArray = np.unique(self.mentee_text.indices)
        return written

    def edge_table_cells(self, n_mentors: int) -> int:
        """Cells of the two lookup tables of the edge by edge scoring."""
        return (self.distinct_tags.shape[0] + self.written_stems.shape[0]) * n_mentors


def _expanded_rows(ptr: IntArray, owners: IntArray) -> tuple[IntArray, IntArray]:
    """(the entries ptr[o]:ptr[o + 1] of each owner o in turn, the position in `owners` each
    came from)."""
    counts = ptr[owners + 1] - ptr[owners]
    total = int(counts.sum())
    owner = np.repeat(np.arange(owners.shape[0]), counts)
    first = np.cumsum(counts) - counts
    rows = np.arange(total, dtype=np.int64) + np.repeat(ptr[owners] - first, counts)
    return rows, owner


def _edge_share(counts: FloatArray, wanted: IntArray, offered: IntArray) -> FloatArray:
    """:func:`_share` for pairs listed one by one: ``counts / wanted``, NaN where either side is
    empty."""
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(counts, wanted, out=counts)
    counts[(wanted == 0) | (offered == 0)] = np.nan
    return counts


def _share(counts: FloatArray, wanted: IntArray, offered: IntArray) -> FloatArray:
    """``counts / wanted`` per row (mentee) in place, NaN where the mentee's side or the mentor's
    (column) is empty. The counts are whole numbers, so dividing them as floats gives the same
    numbers as dividing integers."""
    with np.errstate(invalid="ignore", divide="ignore"):
        np.divide(counts, wanted[:, None], out=counts)
    counts[wanted == 0, :] = np.nan
    counts[:, offered == 0] = np.nan
    return counts


def _by_person(candidates: Sequence[Candidate]) -> dict[int, list[int]]:
    index: dict[int, list[int]] = {}
    for position, candidate in enumerate(candidates):
        index.setdefault(candidate.person.pk, []).append(position)
    return index


@dataclass(frozen=True, eq=False)
class _EdgeOrder:
    """The caller's edges by (mentee, mentor): their keys sorted, and where each sorted key is
    in the caller's order (None when the caller's order is already sorted, as the run's is)."""

    keys: IntArray  # sorted
    order: IntArray | None
    n_mentors: int

    @classmethod
    def of(cls, edge_mentee: IntArray, edge_mentor: IntArray, n_mentors: int) -> _EdgeOrder:
        width = max(n_mentors, 1)
        keys = edge_mentee * width + edge_mentor
        if keys.shape[0] < 2 or bool(np.all(keys[1:] > keys[:-1])):
            return cls(keys=keys, order=None, n_mentors=width)
        order = np.argsort(keys, kind="stable")
        return cls(keys=keys[order], order=order, n_mentors=width)

    def positions(self, lo: int, hi: int) -> slice | IntArray:
        """Where the sorted edges lo..hi are in the caller's arrays."""
        return slice(lo, hi) if self.order is None else self.order[lo:hi]

    def edges(self, mentees: Iterable[int], mentors: Iterable[int]) -> IntArray:
        """Edges of every listed mentee with every listed mentor that exist."""
        query = np.array([i * self.n_mentors + j for i in mentees for j in mentors], dtype=np.int64)
        pos = np.searchsorted(self.keys, query)
        ok = pos < self.keys.shape[0]
        ok[ok] = self.keys[pos[ok]] == query[ok]
        found = pos[ok]
        return found if self.order is None else self.order[found]


def _stated(
    ranks: Mapping[tuple[int, int], int],
    edge_order: _EdgeOrder,
    mentee_of: Mapping[int, list[int]],
    mentor_of: Mapping[int, list[int]],
) -> list[tuple[IntArray, int]]:
    """(edges, rank) of each stated rank whose pair is among the edges."""
    found = []
    for (mentee_pk, mentor_pk), rank in ranks.items():
        edges = edge_order.edges(mentee_of.get(mentee_pk, ()), mentor_of.get(mentor_pk, ()))
        if edges.shape[0]:
            found.append((edges, rank))
    return found


@dataclass(frozen=True, eq=False)
class _Side:
    """Who of one side ranked anyone (per edge) and the ranks they gave that are among the edges."""

    stated_edges: BoolArray | None  # None: nobody of this side ranked anyone
    stated: list[tuple[IntArray, int]]

    def choice(self, n_edges: int) -> FloatArray:
        """The choice factor (:func:`_preference_factor`) per edge."""
        if self.stated_edges is None:
            # Unknown everywhere: one NaN seen as n_edges (read-only), not a million of them.
            unknown: FloatArray = np.broadcast_to(np.nan, (n_edges,))
            return unknown
        choice: FloatArray = np.where(self.stated_edges, 0.0, np.nan)
        for edges, rank in self.stated:
            if rank:
                choice[edges] = 1.0 / rank
        return choice

    def ranks(self, score: FloatArray) -> FloatArray:
        """Preference ranks per edge for the stable solver (lower = preferred): a person who
        ranked candidates prefers them in that order, then the rest by score; the others go by
        score."""
        if self.stated_edges is None:
            return -score
        ranks: FloatArray = np.where(self.stated_edges, 1_000_000.0 - score, -score)
        for edges, rank in self.stated:
            if rank:
                ranks[edges] = float(rank)
        return ranks


def _side(
    stated_people: set[int],
    candidates: Sequence[Candidate],
    edge_side: IntArray,
    ranks: Mapping[tuple[int, int], int],
    edge_order: _EdgeOrder,
    mentee_of: Mapping[int, list[int]],
    mentor_of: Mapping[int, list[int]],
) -> _Side:
    stated = np.array([c.person.pk in stated_people for c in candidates], dtype=bool)
    if not bool(stated.any()):
        return _Side(stated_edges=None, stated=[])
    return _Side(stated_edges=stated[edge_side], stated=_stated(ranks, edge_order, mentee_of, mentor_of))


def _format_codes(
    mentees: Sequence[Candidate], mentors: Sequence[Candidate], form_family: Mapping[int, int | None]
) -> tuple[IntArray, IntArray, FloatArray]:
    """The "format" factor as a small table: (code of each mentee's chosen form, code of each
    mentor's, :func:`format_similarity` of every two codes)."""
    chosen = sorted({c.participation.preferred_form_id or 0 for c in (*mentees, *mentors)})
    code = {form: k for k, form in enumerate(chosen)}
    table = np.array(
        [[format_similarity(a or None, b or None, form_family) for b in chosen] for a in chosen],
        dtype=np.float64,
    ).reshape(len(chosen), len(chosen))
    mentee_code = np.array([code[c.participation.preferred_form_id or 0] for c in mentees], dtype=np.int64)
    mentor_code = np.array([code[c.participation.preferred_form_id or 0] for c in mentors], dtype=np.int64)
    return mentee_code, mentor_code, table


@dataclass(frozen=True, eq=False)
class ScoredPairs:
    """The scores of the allowed pairs, in the order they were given (the caller's edge order)."""

    similarities: dict[str, FloatArray]  # per factor, per edge: the similarity (NaN = unknown)
    combined: CombinedScore
    mentee_rank: FloatArray
    mentor_rank: FloatArray
    # The edges' keys (mentee * max(n_mentors, 1) + mentor) in the caller's order, for
    # `build_instance`; None when the caller's edges were not sorted.
    edge_keys: IntArray | None = None

    def factors(self, edge: int) -> dict[str, float]:
        """The similarities of one edge, as :func:`pair_factors` gives them."""
        return {name: float(values[edge]) for name, values in self.similarities.items()}


def score_pairs(
    edge_mentee: npt.ArrayLike,
    edge_mentor: npt.ArrayLike,
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    *,
    family: Mapping[int, int | None],
    preferences: StatedPreferences,
    weights: Mapping[str, float],
) -> ScoredPairs:
    """Factors (the values of :func:`pair_factors`), combined scores and both sides' ranks of the
    allowed (mentee, mentor) pairs, given as two parallel index arrays."""
    mentee_arr = np.asarray(edge_mentee, dtype=np.int64).reshape(-1)
    mentor_arr = np.asarray(edge_mentor, dtype=np.int64).reshape(-1)
    n_edges = mentee_arr.shape[0]
    edge_order = _EdgeOrder.of(mentee_arr, mentor_arr, len(mentors))
    requests, text, fmt = _pair_matrices(edge_order, mentee_arr, mentor_arr, mentees, mentors, family)

    # Who ranked whom matters only if someone ranked anyone: the people's positions by person
    # are not needed otherwise.
    mentee_of, mentor_of = (_by_person(mentees), _by_person(mentors)) if preferences else ({}, {})
    mentee_side = _side(
        {i for i, _ in preferences.by_mentee},
        mentees,
        mentee_arr,
        preferences.by_mentee,
        edge_order,
        mentee_of,
        mentor_of,
    )
    mentor_side = _side(
        {j for _, j in preferences.by_mentor},
        mentors,
        mentor_arr,
        preferences.by_mentor,
        edge_order,
        mentee_of,
        mentor_of,
    )
    similarities = {
        "requests": requests,
        "text": text,
        "mentee_choice": mentee_side.choice(n_edges),
        "mentor_choice": mentor_side.choice(n_edges),
        "format": fmt,
    }
    combined = combine_factors({name: similarities[name] for name in weights}, weights)
    mentee_rank = mentee_side.ranks(combined.score)
    # Nobody ranked anyone: both sides go by score, the same ranks (the solvers only read them).
    by_score = mentee_side.stated_edges is None and mentor_side.stated_edges is None
    return ScoredPairs(
        similarities=similarities,
        combined=combined,
        mentee_rank=mentee_rank,
        mentor_rank=mentee_rank if by_score else mentor_side.ranks(combined.score),
        edge_keys=edge_order.keys if edge_order.order is None else None,
    )


# Below this share of all the mentee × mentor pairs (a region whose pairs stay within a school)
# the edges are scored one by one, in time and memory proportional to them; above it, as dense
# mentee-block × mentor matrices. So are they when the lookup tables of the edge by edge scoring
# would pass _EDGE_TABLE_CELLS (tens of thousands of distinct tags or written stems).
_EDGE_BY_EDGE_SHARE = 0.25
_EDGE_TABLE_CELLS = 50_000_000


def _pair_matrices(
    edge_order: _EdgeOrder,
    edge_mentee: IntArray,
    edge_mentor: IntArray,
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    family: Mapping[int, int | None],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The requests, text and format factors per edge (in the caller's order): edge by edge when
    the edges are few (see _EDGE_BY_EDGE_SHARE), else computed as dense mentee-block × mentor
    matrices and read out at the edges. When a block's edges are all its cells in order
    (everyone may pair with everyone) the matrix is taken as it is, and when one such block holds
    every edge its matrices are the result, without a copy. The format factor is looked up in its
    small table edge by edge."""
    from .eligibility import mentee_blocks  # eligibility imports this module

    n_edges = edge_mentee.shape[0]
    if not n_edges:
        return np.full(0, np.nan), np.full(0, np.nan), np.full(0, np.nan)
    tokens_data = _TokenData.of(mentees, mentors)
    mentee_code, mentor_code, format_table = _format_codes(mentees, mentors, family)
    fmt: FloatArray = (
        # Nobody chose a variant of the form (or everyone the same one): one value seen at every
        # edge (read-only), not a million of them gathered and then checked one by one.
        np.broadcast_to(format_table[0, 0], (n_edges,))
        if format_table.shape == (1, 1)
        else format_table[mentee_code[edge_mentee], mentor_code[edge_mentor]]
    )
    if (
        n_edges < _EDGE_BY_EDGE_SHARE * len(mentees) * len(mentors)
        and tokens_data.edge_table_cells(len(mentors)) <= _EDGE_TABLE_CELLS
    ):
        return (
            tokens_data.edge_requests(edge_mentee, edge_mentor),
            tokens_data.edge_text(edge_mentee, edge_mentor),
            fmt,
        )
    factors: tuple[FloatArray, FloatArray] | None = None
    for start, stop in mentee_blocks(len(mentees), len(mentors)):
        first, last = start * edge_order.n_mentors, stop * edge_order.n_mentors
        lo, hi = (int(x) for x in np.searchsorted(edge_order.keys, [first, last]))
        if lo == hi:
            continue
        whole = edge_order.order is None and hi - lo == last - first
        matrices = (tokens_data.requests(start, stop), tokens_data.text(start, stop))
        if whole and hi - lo == n_edges:
            return matrices[0].reshape(-1), matrices[1].reshape(-1), fmt
        if factors is None:
            factors = (np.full(n_edges, np.nan), np.full(n_edges, np.nan))
        cells = None if whole else edge_order.keys[lo:hi] - first
        target = edge_order.positions(lo, hi)
        for out, matrix in zip(factors, matrices, strict=True):
            out[target] = matrix.reshape(-1) if cells is None else matrix.reshape(-1)[cells]
    requests, text = factors or (np.full(n_edges, np.nan), np.full(n_edges, np.nan))
    return requests, text, fmt
