"""combine_factors: unknown answers never help a candidate, and the explanation adds up."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nastavnik.matching.scoring import combine_factors

NAN = float("nan")
WEIGHTS = {"requests": 3.0, "text": 1.0, "preference": 2.0}


def test_empty_questionnaire_does_not_outrank_a_well_described_candidate() -> None:
    # Candidate 0 answered nothing; candidate 1 answered everything with modest fit;
    # candidate 2 answered half, fitting perfectly on what he answered.
    combined = combine_factors(
        {
            "requests": [NAN, 0.4, 1.0],
            "text": [NAN, 0.3, NAN],
            "preference": [NAN, 0.0, NAN],
        },
        WEIGHTS,
    )
    assert combined.score.tolist() == pytest.approx([0.0, 1.5, 3.0])
    assert combined.evidence.tolist() == pytest.approx([0.0, 1.0, 0.5])


def test_unknown_factor_counts_like_a_known_mismatch_not_like_an_average() -> None:
    known_mismatch = combine_factors({"requests": [0.0], "text": [1.0], "preference": [0.0]}, WEIGHTS)
    unknown = combine_factors({"requests": [NAN], "text": [1.0], "preference": [NAN]}, WEIGHTS)
    assert unknown.score[0] == known_mismatch.score[0] == 1.0


def test_contributions_explain_the_score() -> None:
    combined = combine_factors(
        {"requests": np.array([0.5, NAN]), "text": np.array([0.2, 0.9]), "preference": np.array([1.0, 1.0])},
        WEIGHTS,
    )
    assert combined.contributions["requests"].tolist() == pytest.approx([1.5, 0.0])
    assert combined.contributions["preference"].tolist() == pytest.approx([2.0, 2.0])
    total = sum(combined.contributions.values())
    assert np.allclose(total, combined.score)


def test_coverage_shrinks_a_factor_computed_on_little_evidence() -> None:
    # The same perfect tag overlap, once from a full answer, once from 2 of 10 items.
    combined = combine_factors(
        {"requests": [1.0, 1.0], "text": [NAN, NAN], "preference": [NAN, NAN]},
        WEIGHTS,
        coverage={"requests": [1.0, 0.2]},
    )
    assert combined.score.tolist() == pytest.approx([3.0, 0.6])
    assert combined.evidence.tolist() == pytest.approx([0.5, 0.1])


def test_scalars_are_accepted_for_a_single_pair() -> None:
    combined = combine_factors({"requests": 0.5, "text": NAN, "preference": 1.0}, WEIGHTS)
    assert float(combined.score) == pytest.approx(3.5)


@pytest.mark.parametrize(
    ("factors", "weights", "coverage", "message"),
    [
        ({"requests": [0.5]}, {"requets": 1.0}, None, "exactly the factors"),
        ({"requests": [1.5]}, {"requests": 1.0}, None, r"\[0, 1\]"),
        ({"requests": [-0.1]}, {"requests": 1.0}, None, r"\[0, 1\]"),
        ({"requests": [0.5]}, {"requests": -1.0}, None, "non-negative"),
        ({"requests": [0.5]}, {"requests": 1.0}, {"text": [1.0]}, "not scored"),
        ({"requests": [0.5]}, {"requests": 1.0}, {"requests": [2.0]}, "coverage"),
    ],
)
def test_bad_inputs_are_refused(
    factors: dict[str, list[float]],
    weights: dict[str, float],
    coverage: dict[str, list[float]] | None,
    message: str,
) -> None:
    with pytest.raises(ValueError, match=message):
        combine_factors(factors, weights, coverage)


def test_explain_gives_the_factors_of_one_pair() -> None:
    combined = combine_factors(
        {"requests": [0.5, 1.0], "text": [NAN, 0.5], "preference": [0.0, 1.0]},
        WEIGHTS,
    )
    assert combined.explain(1) == {"requests": 3.0, "text": 0.5, "preference": 2.0}
    assert combined.explain(0) == {"requests": 1.5, "text": 0.0, "preference": 0.0}


@pytest.mark.parametrize("seed", range(5))
def test_combined_scores_equal_the_definition_pair_by_pair(seed: int) -> None:
    # Random similarities with gaps, a factor nobody answered, and odd weights: the arrays are
    # the per-pair sums of the definition to the last bit (the scores shown and stored).
    rng = np.random.default_rng(seed)
    n = 500
    factors = {
        "requests": np.where(rng.random(n) < 0.3, np.nan, rng.integers(0, 4, n) / 3),
        "text": np.where(rng.random(n) < 0.6, np.nan, rng.random(n)),
        "preference": np.full(n, np.nan),
        "format": np.where(rng.random(n) < 0.5, np.nan, rng.choice([0.0, 0.5, 1.0], n)),
    }
    weights = {"requests": 3.0, "text": 0.7, "preference": 2.0, "format": 1.3}
    combined = combine_factors(factors, weights)
    total = sum(weights.values())
    for k in range(n):
        score = 0.0
        backed = 0.0
        for name, values in factors.items():
            known = not np.isnan(values[k])
            part = weights[name] * float(values[k]) if known else 0.0
            assert combined.contributions[name][k] == part
            score += part
            backed += weights[name] if known else 0.0
        assert combined.score[k] == score
        assert combined.evidence[k] == backed / total


def test_many_pairs_are_explained_as_each_one_is() -> None:
    rng = np.random.default_rng(3)
    factors = {name: np.where(rng.random(50) < 0.3, np.nan, rng.random(50)) for name in WEIGHTS}
    combined = combine_factors(factors, WEIGHTS)
    picked = np.array([7, 0, 49, 7, 13])
    assert combined.explain_many(picked) == [combined.explain(int(k)) for k in picked]
    assert combined.explain_many(np.array([], dtype=np.int64)) == []


def test_many_pairs_are_explained_as_the_json_text_json_dumps_makes() -> None:
    rng = np.random.default_rng(5)
    factors = {name: np.where(rng.random(60) < 0.3, np.nan, rng.random(60)) for name in WEIGHTS}
    factors["text"][:3] = [1e-300, 1 / 3, 0.1 + 0.2]  # repr's shortest round trip, tiny values
    combined = combine_factors(factors, {**WEIGHTS, "requests": 1e17})
    picked = np.arange(60)[::-1]
    texts = combined.explain_json_many(picked)
    assert texts == [json.dumps(factors) for factors in combined.explain_many(picked)]
    assert [json.loads(text) for text in texts] == combined.explain_many(picked)
    assert combine_factors({}, {}).explain_json_many(np.array([0, 1])) == ["{}", "{}"]


def test_a_contribution_that_is_not_finite_is_still_valid_json(monkeypatch: pytest.MonkeyPatch) -> None:
    # Never so as combined (similarities in [0, 1], finite weights), but not a broken JSON text
    # if it were.
    combined = combine_factors({"requests": [0.5], "text": [0.2]}, {"requests": 1.0, "text": 1.0})
    factor = combined.factors["text"]
    contribution = type(factor).contribution
    monkeypatch.setattr(
        type(factor),
        "contribution",
        lambda self, at: np.full(np.shape(at), np.nan) if self is factor else contribution(self, at),
    )
    text = combined.explain_json_many(np.array([0]))[0]
    assert json.loads(text.replace("NaN", "null")) == {"requests": 0.5, "text": None}
