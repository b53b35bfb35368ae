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

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from nastavnik.matching.instance import FloatArray

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
class CombinedScore:
    """Scores for a batch of pairs (arrays of one shape, one entry per pair).

    ``contributions[name]`` is what factor ``name`` added to ``score`` (its weight times the
    similarity times the coverage, 0 where unknown): the "why this pair" explanation.
    ``evidence`` is the share of the total weight backed by answers, in [0, 1], so the UI can
    say how well-founded a score is.
    """

    score: FloatArray
    contributions: dict[str, FloatArray]
    evidence: FloatArray

    def explain(self, index: int) -> dict[str, float]:
        """Contribution of each factor to pair ``index`` (an index into the scored arrays;
        for a proposed pair that is ``instance.edge_origin[result.pair_edge[mentee]]``)."""
        return {name: float(values.reshape(-1)[index]) for name, values in self.contributions.items()}


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
    backed = np.zeros(shape, dtype=np.float64)
    contributions: dict[str, FloatArray] = {}
    for name, similarity in arrays.items():
        known = ~np.isnan(similarity)
        if bool(np.any(similarity[known] < 0)) or bool(np.any(similarity[known] > 1)):
            raise ValueError(f"similarity of factor {name!r} must lie in [0, 1]")
        share = np.where(known, 1.0, 0.0)
        if coverage is not None and name in coverage:
            cov = np.asarray(coverage[name], dtype=np.float64)
            if bool(np.any(np.isnan(cov))) or bool(np.any(cov < 0)) or bool(np.any(cov > 1)):
                raise ValueError(f"coverage of factor {name!r} must lie in [0, 1]")
            share = share * cov
        weight = float(weights[name])
        contribution = np.broadcast_to(weight * np.where(known, similarity, 0.0) * share, shape).copy()
        contributions[name] = contribution
        score += contribution
        backed += weight * share
    total_weight = float(sum(weights.values()))
    evidence = backed / total_weight if total_weight > 0 else np.zeros(shape, dtype=np.float64)
    return CombinedScore(score=score, contributions=contributions, evidence=evidence)


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
    words: set[str] = set()
    for text in texts:
        for word in _WORD_RE.findall((text or "").lower().replace("ё", "е")):
            if len(word) >= 3 and word not in _STOP_WORDS:
                words.add(word[:_STEM])
    return frozenset(words)


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
    tag_tokens: list[frozenset[str]]  # one token set per tag
    text_tokens: frozenset[str]
    category_codes: frozenset[str]
    capacity: int = 0  # mentors: free places now
    problem_code: str = ""  # why the person cannot take part (empty: can)
    problem: str = ""
    # What a mentor offers: competency tags and taught subjects (computed once, used per pair).
    offered: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.offered = frozenset().union(*self.tag_tokens, tokens(self.person.subjects))

    @classmethod
    def of(
        cls, participation: Participation, tag_names: Iterable[str], category_codes: Iterable[str]
    ) -> Candidate:
        """A candidate from a loaded participation (with its person) and its tags' names."""
        return cls(
            participation=participation,
            person=participation.person,
            tag_tokens=[t for t in (tokens(name) for name in tag_names) if t],
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
    fmt = math.nan
    mentee_form = mentee.participation.preferred_form_id
    mentor_form = mentor.participation.preferred_form_id
    if mentee_form and mentor_form:
        if mentee_form == mentor_form:
            fmt = 1.0
        elif form_family.get(mentee_form) is None or form_family.get(mentor_form) is None:
            fmt = 0.5  # one chose the form itself, the other a variant of it
        else:
            fmt = 0.0  # two different variants
    return {
        "requests": requests,
        "text": text,
        "mentee_choice": _preference_factor(preferences.by_mentee, stated_mentees, key, mentee.person.pk),
        "mentor_choice": _preference_factor(preferences.by_mentor, stated_mentors, key, mentor.person.pk),
        "format": fmt,
    }


def _ranks(
    score: FloatArray,
    edges: Sequence[tuple[int, int]],
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    stated_ranks: Mapping[tuple[int, int], int],
    stated_people: set[int],
    mentee_side: bool,
) -> FloatArray:
    """Preference ranks per edge for the stable solver (lower = preferred): a person who ranked
    candidates prefers them in that order, then the rest by score; the others go by score."""
    ranks: FloatArray = -np.asarray(score, dtype=np.float64).copy()
    if not stated_people:
        return ranks
    for e, (i, j) in enumerate(edges):
        key = (mentees[i].person.pk, mentors[j].person.pk)
        who = key[0] if mentee_side else key[1]
        if who not in stated_people:
            continue
        rank = stated_ranks.get(key)
        ranks[e] = float(rank) if rank else 1_000_000.0 - float(score[e])
    return ranks


@dataclass(frozen=True, eq=False)
class ScoredPairs:
    """The scores of the allowed pairs, in the order they were given (the caller's edge order)."""

    edge_factors: list[dict[str, float]]  # per edge: similarities
    combined: CombinedScore
    mentee_rank: FloatArray
    mentor_rank: FloatArray


def score_pairs(
    edges: Sequence[tuple[int, int]],
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    *,
    family: Mapping[int, int | None],
    preferences: StatedPreferences,
    weights: Mapping[str, float],
) -> ScoredPairs:
    """Factors, combined scores and both sides' ranks of the allowed (mentee, mentor) pairs."""
    stated_mentees = {i for i, _ in preferences.by_mentee}
    stated_mentors = {j for _, j in preferences.by_mentor}
    edge_factors = [
        pair_factors(mentees[i], mentors[j], family, preferences, stated_mentees, stated_mentors)
        for i, j in edges
    ]
    combined = combine_factors(
        {name: np.array([f[name] for f in edge_factors], dtype=np.float64) for name in weights},
        weights,
    )
    return ScoredPairs(
        edge_factors=edge_factors,
        combined=combined,
        mentee_rank=_ranks(
            combined.score, edges, mentees, mentors, preferences.by_mentee, stated_mentees, True
        ),
        mentor_rank=_ranks(
            combined.score, edges, mentees, mentors, preferences.by_mentor, stated_mentors, False
        ),
    )
