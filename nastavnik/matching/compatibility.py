"""Compatibility of candidate mentors and mentees of one program and form, from the registry.

This module turns the database into one :class:`ProgramInstance`, in four steps:

1. **loading** — :func:`~nastavnik.matching.selectors.program_candidates` reads the program's
   participations, people, requests/competencies, questionnaire answers, consent and current
   memberships into plain data, in a fixed number of queries whatever the number of people;
2. **eligibility** — :mod:`~nastavnik.matching.eligibility` decides who takes part, who is left
   out and why, and which pairs the forms' hard rules (:class:`RunRules`) allow;
3. **scoring** — :func:`~nastavnik.matching.scoring.score_pairs` turns the soft factors into
   scores with the curator's weights — requests vs competencies (tags), similarity of the
   free-text answers, stated preferences of both sides (preferences.py), the preferred variant of the form. An
   empty answer is "unknown" (NaN) and adds nothing, so it never outranks a described candidate;
4. **building** — :func:`build_program_instance` validates everything into an
   :class:`~nastavnik.matching.instance.Instance`.

Steps 2–4 run no query: they are tested on plain data without a database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from nastavnik.orgs.models import MentoringForm, Program

from .eligibility import (
    PairRules,
    RunRules,
    allowed_pairs,
    no_edge_reasons,
    sort_candidates,
    usable_fixed_pairs,
)
from .instance import FloatArray, Instance, build_instance
from .preferences import StatedPreferences, load_preferences
from .scoring import Candidate, CombinedScore, score_pairs
from .selectors import ProgramCandidates, program_candidates

__all__ = [
    "DEFAULT_WEIGHTS",
    "FACTOR_LABELS",
    "ProgramInstance",
    "RunRules",
    "StatedPreferences",
    "build_program_instance",
    "load_preferences",
    "load_program_instance",
    "normalise_weights",
]

# --------------------------------------------------------------------------------------------
# Settings of a run

FACTOR_LABELS = {
    "requests": "запросы и компетенции",
    "text": "сходство ответов анкеты",
    "mentee_choice": "выбор наставляемого",
    "mentor_choice": "выбор наставника",
    "format": "вариант формы",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "requests": 3.0,
    "text": 1.0,
    "mentee_choice": 2.0,
    "mentor_choice": 1.0,
    "format": 1.0,
}


def normalise_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """The curator's weights for every factor (missing ones take the default)."""
    result = dict(DEFAULT_WEIGHTS)
    for name, value in (weights or {}).items():
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown factor {name!r}")
        value = float(value)
        if not math.isfinite(value) or value < 0:
            raise ValueError("factor weights must be finite and non-negative")
        result[name] = value
    return result


# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Loading the program


@dataclass
class ProgramInstance:
    """Everything a run needs: candidates (index = position in the instance), the instance,
    the scored edges, and what is known about those left out."""

    program: Program
    form: MentoringForm
    rules: RunRules
    weights: dict[str, float]
    preferences: StatedPreferences
    on_date: dt.date
    mentees: list[Candidate]  # in the instance
    mentors: list[Candidate]  # in the instance
    left_out_mentees: list[Candidate]  # with problem_code / problem
    left_out_mentors: list[Candidate]  # with problem
    instance: Instance
    combined: CombinedScore  # indexed by the caller's edge order (instance.edge_origin)
    similarities: dict[str, FloatArray]  # per factor, per caller edge (NaN = unknown)
    mentee_index: dict[int, int]  # participation id -> index
    mentor_index: dict[int, int]
    no_edge: dict[int, tuple[str, str]]  # mentee index -> (code, detail) when no allowed edge
    warnings: list[str]
    fixed_pairs: list[tuple[int, int]]  # (mentee index, mentor index)
    excluded: set[tuple[int, int]]  # (mentee, mentor) participation ids the curator forbade

    def factors_of(self, mentee: int, mentor: int) -> tuple[float, float, dict[str, float]] | None:
        """(score, evidence, contributions) of an allowed pair, None if the pair is not allowed."""
        edge = int(self.instance.edge_ids([mentee], [mentor])[0])
        if edge < 0:
            return None
        origin = int(self.instance.origin_of(np.array([edge]))[0])
        return (
            float(self.combined.score[origin]),
            float(self.combined.evidence_of(np.array([origin]))[0]),
            self.combined.explain(origin),
        )

    def why_not(self, mentee: Candidate, mentor: Candidate) -> str:
        """The rule that forbids a pair, in Russian (empty if the pair is allowed)."""
        pair_rules = PairRules(form=self.form, rules=self.rules, on_date=self.on_date, excluded=self.excluded)
        return pair_rules.why_not(mentee, mentor)


def load_program_instance(
    *,
    program: Program,
    form: MentoringForm,
    on_date: dt.date,
    rules: RunRules | None = None,
    weights: Mapping[str, float] | None = None,
    preferences: StatedPreferences | None = None,
    use_fixed: bool = True,
) -> ProgramInstance:
    """Load the program's candidates and build the run's instance from them (a fixed number of
    queries, whatever the number of people; the steps after loading run none)."""
    weights = normalise_weights(weights)
    preferences = preferences if preferences is not None else load_preferences(program)
    candidates = program_candidates(program, form, on_date, with_fixed_pairs=use_fixed)
    return build_program_instance(
        candidates,
        program=program,
        form=form,
        on_date=on_date,
        rules=rules or RunRules(),
        weights=weights,
        preferences=preferences,
    )


def build_program_instance(
    candidates: ProgramCandidates,
    *,
    program: Program,
    form: MentoringForm,
    on_date: dt.date,
    rules: RunRules,
    weights: dict[str, float],
    preferences: StatedPreferences,
) -> ProgramInstance:
    """Apply the rules to loaded candidates, score the allowed pairs and build the instance."""
    people = sort_candidates(candidates, program=program, form=form, rules=rules, on_date=on_date)
    mentees, mentors = people.mentees, people.mentors
    pair_rules = PairRules(form=form, rules=rules, on_date=on_date, excluded=candidates.excluded)
    pairs = allowed_pairs(mentees, mentors, pair_rules)
    scored = score_pairs(
        pairs.mentee,
        pairs.mentor,
        mentees,
        mentors,
        family=candidates.form_family,
        preferences=preferences,
        weights=weights,
    )
    warnings: list[str] = []
    if people.already_paired:
        warnings.append(
            f"Наставляемых уже в парах (группах) этой программы: {people.already_paired} — в подбор не включены."
        )
    fixed_pairs = usable_fixed_pairs(candidates.fixed_pairs, mentees, mentors, pair_rules, warnings=warnings)
    instance = build_instance(
        n_mentees=len(mentees),
        n_mentors=len(mentors),
        capacity=[m.capacity for m in mentors],
        edge_mentee=pairs.mentee,
        edge_mentor=pairs.mentor,
        edge_score=scored.combined.score,
        fixed=fixed_pairs,
        forbidden=pairs.forbidden,
        mentee_rank=scored.mentee_rank,
        mentor_rank=scored.mentor_rank,
        edge_keys=scored.edge_keys,
    )
    return ProgramInstance(
        program=program,
        form=form,
        rules=rules,
        weights=weights,
        preferences=preferences,
        on_date=on_date,
        mentees=mentees,
        mentors=mentors,
        left_out_mentees=people.left_out_mentees,
        left_out_mentors=people.left_out_mentors,
        instance=instance,
        combined=scored.combined,
        similarities=scored.similarities,
        mentee_index={c.participation.pk: i for i, c in enumerate(mentees)},
        mentor_index={c.participation.pk: j for j, c in enumerate(mentors)},
        no_edge=no_edge_reasons(instance, pairs.rule_ok, bool(mentors)),
        warnings=warnings,
        fixed_pairs=fixed_pairs,
        excluded=candidates.excluded,
    )
