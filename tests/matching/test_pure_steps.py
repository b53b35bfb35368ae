"""The steps after loading run on plain data, without a database: eligibility (who takes part,
who is left out and why), scoring and the building of the instance."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from nastavnik.matching.compatibility import (
    RunRules,
    StatedPreferences,
    build_program_instance,
    normalise_weights,
)
from nastavnik.matching.eligibility import PairRules, allowed_pairs, sort_candidates
from nastavnik.matching.scoring import Candidate, score_pairs
from nastavnik.matching.selectors import CandidateRow, FixedPairRow, ProgramCandidates
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Participation, ParticipationStatus, Person

DAY = dt.date(2026, 10, 1)
FORM = MentoringForm(pk=1, code="student-student", mentor_kind="student", mentee_kind="student")
PROGRAM = Program(pk=1, title="Программа", max_mentees_per_mentor=2)
_ids = itertools.count(1)


def row(
    role: str,
    grade: int,
    *,
    tags: tuple[str, ...] = (),
    details: str = "",
    status: str = ParticipationStatus.ADMITTED,
    capacity: int | None = None,
    consent_missing: tuple[str, ...] = (),
    kind: str = "student",
) -> CandidateRow:
    """A participation with its person, as the selector hands it over (nothing saved)."""
    pk = next(_ids)
    person = Person(
        pk=pk,
        kind=kind,
        last_name=f"Петров{pk}",
        first_name="Иван",
        grade=grade,
        birth_date=DAY.replace(year=DAY.year - grade - 7),
    )
    participation = Participation(
        pk=pk, person=person, role=role, status=status, details=details, capacity=capacity
    )
    return CandidateRow(
        participation=participation,
        tag_names=tags,
        category_codes=frozenset(),
        consent_missing=consent_missing,
    )


def program_of(
    *rows: CandidateRow,
    load: dict[int, int] | None = None,
    in_groups: tuple[int, ...] = (),
    excluded: tuple[tuple[int, int], ...] = (),
    fixed: tuple[FixedPairRow, ...] = (),
) -> ProgramCandidates:
    return ProgramCandidates(
        rows=list(rows),
        form_family={FORM.pk: None},
        mentor_load=load or {},
        mentees_in_groups=frozenset(in_groups),
        excluded=set(excluded),
        fixed_pairs=list(fixed),
    )


def sort(data: ProgramCandidates):
    return sort_candidates(data, program=PROGRAM, form=FORM, rules=RunRules(), on_date=DAY)


def build(data: ProgramCandidates, preferences: StatedPreferences | None = None):
    return build_program_instance(
        data,
        program=PROGRAM,
        form=FORM,
        on_date=DAY,
        rules=RunRules(),
        weights=normalise_weights(None),
        preferences=preferences or StatedPreferences(),
    )


def pk(candidate_row: CandidateRow) -> int:
    return candidate_row.participation.pk


# --------------------------------------------------------------------------------------------
# Eligibility


def test_a_mentor_at_capacity_is_left_out_with_the_places_counted():
    own_limit = row("mentor", 10, capacity=1)
    program_limit = row("mentor", 10)
    free = row("mentor", 10)
    people = sort(program_of(own_limit, program_limit, free, load={pk(own_limit): 1, pk(program_limit): 2}))
    assert [c.participation for c in people.mentors] == [free.participation]
    assert people.mentors[0].capacity == 2  # the program's limit, nobody yet
    problems = {c.participation.pk: c.problem for c in people.left_out_mentors}
    assert problems == {
        pk(own_limit): "нет свободных мест (уже 1 из 1)",
        pk(program_limit): "нет свободных мест (уже 2 из 2)",
    }


def test_a_mentor_with_one_place_left_takes_part_with_one_place():
    busy = row("mentor", 10, capacity=3)
    people = sort(program_of(busy, load={pk(busy): 2}))
    assert [(c.participation, c.capacity) for c in people.mentors] == [(busy.participation, 1)]


@pytest.mark.parametrize("status", [ParticipationStatus.WITHDRAWN, ParticipationStatus.COMPLETED])
def test_an_inactive_mentor_is_not_a_candidate_at_all(status):
    inactive = row("mentor", 10, status=status)
    people = sort(program_of(inactive, row("mentee", 6)))
    assert people.mentors == people.left_out_mentors == []
    assert len(people.mentees) == 1


def test_a_mentor_without_consent_is_left_out_with_what_is_missing():
    without = row("mentor", 10, consent_missing=("нет согласия законного представителя",))
    people = sort(program_of(without))
    assert people.mentors == []
    [left_out] = people.left_out_mentors
    assert left_out.participation == without.participation
    assert (left_out.problem_code, left_out.problem) == (
        "no_consent",
        "нет согласия: нет согласия законного представителя",
    )


def test_a_mentee_without_consent_is_left_out_and_one_already_in_a_pair_is_only_counted():
    without = row("mentee", 6, consent_missing=("нет собственного согласия участника",))
    paired = row("mentee", 6)
    people = sort(program_of(without, paired, in_groups=(pk(paired),)))
    assert [c.problem_code for c in people.left_out_mentees] == ["no_consent"]
    assert people.mentees == [] and people.already_paired == 1


def test_people_of_another_kind_are_not_candidates_of_the_form():
    people = sort(program_of(row("mentor", 10, kind="teacher"), row("mentee", 6, kind="teacher")))
    assert people.mentors == people.mentees == people.left_out_mentors == people.left_out_mentees == []


def test_the_forms_rules_allow_only_pairs_two_grades_apart():
    mentees = [Candidate.of(row("mentee", 8).participation, (), ())]
    mentors = [Candidate.of(row("mentor", g).participation, (), ()) for g in (9, 10)]
    pair_rules = PairRules(form=FORM, rules=RunRules(), on_date=DAY, excluded=set())
    pairs = allowed_pairs(mentees, mentors, pair_rules)
    assert list(zip(pairs.mentee.tolist(), pairs.mentor.tolist(), strict=True)) == [(0, 1)]


# --------------------------------------------------------------------------------------------
# Scoring and building


def test_scoring_puts_a_described_match_above_an_empty_questionnaire():
    described = row(
        "mentee", 6, tags=("Повышение успеваемости по математике",), details="Хочу понять алгебру"
    )
    empty = row("mentee", 6)
    teacher_like = row("mentor", 10, tags=("Математика",), details="Алгебра и геометрия")
    data = build(program_of(described, empty, teacher_like))
    j = data.mentor_index[pk(teacher_like)]
    score, evidence, factors = data.factors_of(data.mentee_index[pk(described)], j)
    score_empty, evidence_empty, _ = data.factors_of(data.mentee_index[pk(empty)], j)
    assert score > score_empty == 0
    assert factors["requests"] == 3.0 and factors["text"] > 0
    assert evidence > evidence_empty == 0


def test_stated_preferences_become_factors_and_ranks():
    mentee_row = row("mentee", 6)
    first, second = row("mentor", 10), row("mentor", 10)
    people = [Candidate.of(r.participation, (), ()) for r in (mentee_row, first, second)]
    person = [r.participation.person.pk for r in (mentee_row, first, second)]
    preferences = StatedPreferences(by_mentee={(person[0], person[2]): 1, (person[0], person[1]): 2})
    scored = score_pairs(
        [0, 0],
        [0, 1],
        people[:1],
        people[1:],
        family={FORM.pk: None},
        preferences=preferences,
        weights=normalise_weights(None),
    )
    assert scored.similarities["mentee_choice"].tolist() == [0.5, 1.0]
    assert scored.mentee_rank.tolist() == [2.0, 1.0]
    assert scored.combined.score.tolist() == [1.0, 2.0]


def test_an_excluded_pair_is_no_edge_and_the_mentee_learns_why():
    mentee_row, mentor_row = row("mentee", 6), row("mentor", 10)
    data = build(program_of(mentee_row, mentor_row, excluded=((pk(mentee_row), pk(mentor_row)),)))
    assert data.instance.n_edges == 0
    assert data.no_edge == {
        0: ("all_excluded", "все подходящие наставники исключены куратором (вето, конфликт)")
    }
    assert "запрещена куратором" in data.why_not(data.mentees[0], data.mentors[0])


def test_fixed_pairs_are_kept_when_allowed_and_named_in_the_warnings_when_not():
    kept, refused = row("mentee", 6), row("mentee", 7)
    mentor_row, close = row("mentor", 10), row("mentor", 8)
    data = build(
        program_of(
            kept,
            refused,
            mentor_row,
            close,
            fixed=(
                FixedPairRow(pk(kept), pk(mentor_row), "Петров И.", "Сидоров И."),
                FixedPairRow(pk(refused), pk(close), "Иванов И.", "Смирнов И."),
            ),
        )
    )
    i, j = data.mentee_index[pk(kept)], data.mentor_index[pk(mentor_row)]
    assert data.fixed_pairs == [(i, j)]
    assert data.instance.fixed_mentor.tolist()[i] == j
    assert data.warnings == [
        "Закреплённая пара Иванов И. — Смирнов И. не учтена: наставник старше всего на 1 кл., нужно не меньше 2."
    ]


def test_a_mentee_without_any_mentor_is_told_there_are_none():
    data = build(program_of(row("mentee", 6)))
    assert data.no_edge == {
        0: ("no_compatible_mentor", "нет наставников, которые могут участвовать в подборе")
    }
