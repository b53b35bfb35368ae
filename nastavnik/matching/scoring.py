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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nastavnik.matching.instance import FloatArray

__all__ = ["CombinedScore", "combine_factors"]


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
