"""The array versions of the pair rules and of the scoring give what the per-pair definitions
(`pair_problem`, `pair_factors`) give, on random people: a run never has to call them per pair."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest

from nastavnik.matching import eligibility, scoring
from nastavnik.matching.compatibility import RunRules, StatedPreferences, normalise_weights
from nastavnik.matching.eligibility import PairRules, allowed_pairs, pair_problem
from nastavnik.matching.scoring import Candidate, combine_factors, pair_factors, score_pairs
from nastavnik.orgs.models import MentoringForm
from nastavnik.registry.models import Participation, Person

DAY = dt.date(2026, 10, 1)
FORMS = {
    "student-student": MentoringForm(
        pk=1, code="student-student", mentor_kind="student", mentee_kind="student"
    ),
    "teacher-teacher": MentoringForm(
        pk=1, code="teacher-teacher", mentor_kind="teacher", mentee_kind="teacher"
    ),
    "teacher-student": MentoringForm(
        pk=1, code="teacher-student", mentor_kind="teacher", mentee_kind="student"
    ),
}
# The form (1), two variants of it (2, 3) and a form outside the family (4).
FAMILY: dict[int, int | None] = {1: None, 2: 1, 3: 1}
TAGS = ["Математика", "Физика", "Помощь по математике", "Олимпиада по физике", "Робототехника", "Чтение"]
WORDS = ["алгебра", "геометрия", "олимпиада", "проект", "чтение", "роботы", "физика", "история"]


def _person(rng: random.Random, pk: int) -> Person:
    birth = None if rng.random() < 0.15 else DAY - dt.timedelta(days=rng.randint(8 * 365, 20 * 365))
    experience = rng.choice([None, 0, 1, 2, 3, 5, 10])
    teaching_since = None
    if experience is not None and rng.random() < 0.5:
        teaching_since = DAY - dt.timedelta(days=rng.randint(0, 12 * 365))
    return Person(
        pk=pk,
        kind="student",
        last_name=f"Иванов{pk}",
        first_name="Иван",
        grade=rng.choice([None, 0, *range(1, 12)]),
        birth_date=birth,
        experience_years=experience,
        teaching_since=teaching_since,
        subjects=rng.choice(["", "Физика", "математика, информатика"]),
        organisation_id=rng.choice([None, 1, 2]),
    )


def _candidate(rng: random.Random, pk: int, person: Person, role: str) -> Candidate:
    participation = Participation(
        pk=pk,
        person=person,
        role=role,
        details=" ".join(rng.sample(WORDS, rng.randint(0, 3))),
        preferred_form_id=rng.choice([None, 1, 2, 3, 4]),
    )
    return Candidate.of(participation, rng.sample(TAGS, rng.randint(0, 3)), ())


def _people(seed: int) -> tuple[list[Candidate], list[Candidate]]:
    rng = random.Random(seed)
    persons = [_person(rng, pk) for pk in range(1, 40)]
    mentees = [_candidate(rng, 100 + k, rng.choice(persons), "mentee") for k in range(rng.randint(0, 25))]
    # Some mentors are the very people of some mentees (the "same person" rule).
    mentors = [_candidate(rng, 200 + k, rng.choice(persons), "mentor") for k in range(rng.randint(0, 12))]
    return mentees, mentors


@pytest.mark.parametrize("form_code", sorted(FORMS))
@pytest.mark.parametrize("seed", range(24))
def test_allowed_pairs_are_the_pairs_pair_problem_allows(form_code, seed, monkeypatch):
    if seed % 2:  # many mentee blocks instead of one
        monkeypatch.setattr(eligibility, "_BLOCK_CELLS", 7)
    form = FORMS[form_code]
    rules = RunRules(min_grade_gap=1 + seed % 3, same_organisation=seed % 4 < 2)
    mentees, mentors = _people(seed)
    rng = random.Random(seed)
    excluded = {
        (i.participation.pk, j.participation.pk) for i in mentees for j in mentors if rng.random() < 0.1
    }
    pairs = allowed_pairs(mentees, mentors, PairRules(form=form, rules=rules, on_date=DAY, excluded=excluded))

    expected = [
        (i, j)
        for i, mentee in enumerate(mentees)
        for j, mentor in enumerate(mentors)
        if not pair_problem(mentee, mentor, form, rules, DAY)
    ]
    assert list(zip(pairs.mentee.tolist(), pairs.mentor.tolist(), strict=True)) == expected
    assert [tuple(p) for p in pairs.forbidden.tolist()] == [
        (i, j) for i, j in expected if (mentees[i].participation.pk, mentors[j].participation.pk) in excluded
    ]
    counts: dict[int, int] = {}
    for i, _ in expected:
        counts[i] = counts.get(i, 0) + 1
    assert pairs.rule_ok == counts


def _reference_ranks(score, edges, mentees, mentors, stated_ranks, stated_people, mentee_side):
    """The per-edge rule: a person who ranked candidates prefers them in that order, then the
    rest by score; the others go by score."""
    ranks = []
    for e, (i, j) in enumerate(edges):
        key = (mentees[i].person.pk, mentors[j].person.pk)
        who = key[0] if mentee_side else key[1]
        if who not in stated_people:
            ranks.append(-score[e])
        else:
            rank = stated_ranks.get(key)
            ranks.append(float(rank) if rank else 1_000_000.0 - float(score[e]))
    return ranks


@pytest.mark.parametrize("seed", range(24))
@pytest.mark.parametrize("way", ["matrix", "blocks", "edge by edge"])
def test_score_pairs_gives_the_factors_of_pair_factors_and_the_same_ranks(seed, way, monkeypatch):
    if way == "blocks":  # many mentee blocks instead of one
        monkeypatch.setattr(eligibility, "_BLOCK_CELLS", 7)
    # Edge by edge whatever the share of pairs, or never.
    monkeypatch.setattr(scoring, "_EDGE_BY_EDGE_SHARE", 2.0 if way == "edge by edge" else 0.0)
    mentees, mentors = _people(seed)
    rng = random.Random(seed)
    # Every pair in order (the matrices are read as they are), some pairs in order, some shuffled
    # (any edge order: the results follow the caller's order).
    share = 1.0 if seed % 3 == 0 else 0.7
    edges = [(i, j) for i in range(len(mentees)) for j in range(len(mentors)) if rng.random() < share]
    if seed % 3 == 2:
        rng.shuffle(edges)
    mentee_people = sorted({c.person.pk for c in mentees})
    mentor_people = sorted({c.person.pk for c in mentors})
    preferences = StatedPreferences(
        by_mentee={
            (a, b): rng.randint(1, 4)
            for a in rng.sample(mentee_people, len(mentee_people) // 2)
            for b in mentor_people
            if rng.random() < 0.4
        },
        by_mentor={
            (a, b): rng.randint(1, 4)
            for b in rng.sample(mentor_people, len(mentor_people) // 2)
            for a in mentee_people
            if rng.random() < 0.4
        },
    )
    if seed >= 9:  # nobody ranked anyone (every edge order once): both sides go by score
        preferences = StatedPreferences()
    weights = normalise_weights({"text": 1.5, "format": 0.5})
    scored = score_pairs(
        [i for i, _ in edges],
        [j for _, j in edges],
        mentees,
        mentors,
        family=FAMILY,
        preferences=preferences,
        weights=weights,
    )

    stated_mentees = {a for a, _ in preferences.by_mentee}
    stated_mentors = {b for _, b in preferences.by_mentor}
    expected = [
        pair_factors(mentees[i], mentors[j], FAMILY, preferences, stated_mentees, stated_mentors)
        for i, j in edges
    ]
    for e, factors in enumerate(expected):
        assert scored.factors(e).keys() == factors.keys()
    combined = _assert_scored_as(expected, scored, weights)
    for name in weights:
        assert np.array_equal(scored.combined.contributions[name], combined.contributions[name])
    score = combined.score
    assert scored.mentee_rank.tolist() == _reference_ranks(
        score, edges, mentees, mentors, preferences.by_mentee, stated_mentees, True
    )
    assert scored.mentor_rank.tolist() == _reference_ranks(
        score, edges, mentees, mentors, preferences.by_mentor, stated_mentors, False
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("everyone", [False, True])
def test_allowed_pairs_when_every_grade_is_known_or_every_pair_allowed(seed, everyone, monkeypatch):
    """The shortcuts of the usual program: the ages are not looked at when every grade is known,
    and a block where everyone may pair with everyone is taken as the whole grid."""
    if seed % 2:
        monkeypatch.setattr(eligibility, "_BLOCK_CELLS", 7)
    rng = random.Random(seed)
    mentees, mentors = _people(seed)
    for k, candidate in enumerate(mentees + mentors):
        if everyone:  # other people, younger mentees, one school: no rule refuses a pair
            candidate.person = Person(
                pk=1000 + k,
                kind="student",
                grade=3 if candidate.participation.role == "mentee" else 10,
                organisation_id=1,
            )
        else:
            candidate.person.grade = rng.randint(1, 11)
    form = FORMS["student-student"]
    rules = RunRules(min_grade_gap=1 + seed % 3, same_organisation=seed % 4 < 2)
    pairs = allowed_pairs(mentees, mentors, PairRules(form=form, rules=rules, on_date=DAY, excluded=set()))
    expected = [
        (i, j)
        for i, mentee in enumerate(mentees)
        for j, mentor in enumerate(mentors)
        if not pair_problem(mentee, mentor, form, rules, DAY)
    ]
    if everyone:
        assert len(expected) == len(mentees) * len(mentors)
    assert list(zip(pairs.mentee.tolist(), pairs.mentor.tolist(), strict=True)) == expected


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("way", ["matrix", "edge by edge"])
@pytest.mark.parametrize("chosen", [None, 2])
def test_format_factor_when_everyone_chose_alike(seed, way, chosen, monkeypatch):
    """Nobody chose a variant of the form, or everyone the same one: one value for every pair,
    the value pair_factors gives."""
    monkeypatch.setattr(scoring, "_EDGE_BY_EDGE_SHARE", 2.0 if way == "edge by edge" else 0.0)
    mentees, mentors = _people(seed)
    for candidate in mentees + mentors:
        candidate.participation.preferred_form_id = chosen
    edges = [(i, j) for i in range(len(mentees)) for j in range(len(mentors))]
    weights = normalise_weights(None)
    scored = score_pairs(
        [i for i, _ in edges],
        [j for _, j in edges],
        mentees,
        mentors,
        family=FAMILY,
        preferences=StatedPreferences(),
        weights=weights,
    )
    expected = [
        pair_factors(mentees[i], mentors[j], FAMILY, StatedPreferences(), set(), set()) for i, j in edges
    ]
    _assert_scored_as(expected, scored, weights)


def _assert_scored_as(expected, scored, weights):  # type: ignore[no-untyped-def]
    """Every factor of every edge as `pair_factors` gives it (NaN where it gives NaN), and the
    combined score and evidence as `combine_factors` makes them of those; returns the latter."""
    for e, factors in enumerate(expected):
        got = scored.factors(e)
        for name, value in factors.items():
            assert (math.isnan(value) and math.isnan(got[name])) or got[name] == value, (e, name)
    combined = combine_factors(
        {name: np.array([f[name] for f in expected], dtype=np.float64) for name in weights}, weights
    )
    assert np.array_equal(scored.combined.score, combined.score)
    assert np.array_equal(scored.combined.evidence, combined.evidence)
    return combined
