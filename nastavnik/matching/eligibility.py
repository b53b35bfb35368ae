"""Who may take part in a run and which pairs the rules allow, over data already loaded.

No query runs here: :func:`~nastavnik.matching.selectors.program_candidates` read the program,
the consent was decided in SQL for everyone at once, and the mentor's capacity and the inactive
statuses are the mentoring app's own rules (the ones that check a pair when it is formed).

* **who takes part** — participations whose person's kind is the form's mentor/mentee kind,
  whose preferred form (if any) is this form or one of its variants, whose participation is
  still active and who are not already in a working pair; people without a valid consent or who
  left the organisation are *kept as left out with the reason*, never silently dropped;
* **hard rules** (:class:`RunRules`, configurable per run) — e.g. ученик–ученик: the mentor is
  15–18 years old and at least two grades (or, without grades, two years) older; учитель–учитель:
  an experienced teacher with a young specialist; the mentor's free places; the curator's
  exclusions; fixed pairs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from nastavnik.base.text import count_ru
from nastavnik.mentoring.services.groups import INACTIVE_PARTICIPATION, mentor_capacity
from nastavnik.orgs.models import MentoringForm, ParticipantKind, Program
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person

from .instance import BoolArray, Instance, IntArray
from .scoring import Candidate
from .selectors import CandidateRow, FixedPairRow, ProgramCandidates


@dataclass(frozen=True)
class RunRules:
    """Hard rules of the forms, with the defaults of the methodology (configurable per run)."""

    # ученик–ученик (and any form whose mentor is a school student)
    min_mentor_age: int = 15
    max_mentor_age: int = 18
    min_grade_gap: int = 2
    # учитель–учитель
    min_mentor_experience: int = 3
    young_specialist_max_experience: int = 3
    mentee_must_be_young_specialist: bool = True
    # A region-wide program: a mentor takes mentees of their own organisation only.
    same_organisation: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RunRules:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


# --------------------------------------------------------------------------------------------
# One person


def person_problem(person: Person, consent_missing: Sequence[str], on_date: dt.date) -> tuple[str, str]:
    """(code, reason) why the person cannot take part on the day at all; empty when they can."""
    if person.left_on and person.left_on <= on_date:
        return "left", f"выбыл(а) {person.left_on:%d.%m.%Y}"
    if consent_missing:
        return "no_consent", "нет согласия: " + "; ".join(consent_missing)
    return "", ""


def mentor_problem(mentor: Candidate, form: MentoringForm, rules: RunRules, day: dt.date) -> str:
    """Why a mentor cannot mentor in this form at all (empty string: they can)."""
    person = mentor.person
    if form.mentor_kind == ParticipantKind.STUDENT:
        age = person.age_on(day)
        if age is None:
            return "не указана дата рождения"
        if not rules.min_mentor_age <= age <= rules.max_mentor_age:
            return (
                f"{count_ru(age, 'год,года,лет')}, а наставник-обучающийся — от {rules.min_mentor_age} "
                f"до {count_ru(rules.max_mentor_age, 'года,лет,лет')}"
            )
    if form.mentor_kind == ParticipantKind.TEACHER and form.mentee_kind == ParticipantKind.TEACHER:
        experience = person.experience_at(day)
        if experience is None:
            return "не указан педагогический стаж"
        if experience < rules.min_mentor_experience:
            return (
                f"стаж {experience} г., а наставнику нужен стаж не менее "
                f"{count_ru(rules.min_mentor_experience, 'года,лет,лет')}"
            )
    return ""


def not_admitted_problem(participation: Participation) -> str:
    """In a program that takes only admitted mentors into matching, a candidate who has not been
    admitted (no interview and admission yet, or not admitted) is left out with this reason."""
    if participation.status == ParticipationStatus.CANDIDATE:
        return "не допущен(а) к наставнической деятельности: в подбор программы идут только допущенные"
    return ""


def mentee_problem(mentee: Candidate, form: MentoringForm, rules: RunRules, day: dt.date) -> str:
    """Why a mentee cannot be mentored in this form at all (empty string: they can)."""
    person = mentee.person
    if (
        form.mentor_kind == ParticipantKind.TEACHER
        and form.mentee_kind == ParticipantKind.TEACHER
        and rules.mentee_must_be_young_specialist
    ):
        experience = person.experience_at(day)
        young = person.is_young_specialist or (
            experience is not None and experience <= rules.young_specialist_max_experience
        )
        if not young:
            return "не молодой специалист (наставляемый в форме «учитель – учитель» — молодой специалист)"
    return ""


# --------------------------------------------------------------------------------------------
# Everyone of the program


@dataclass
class Eligibility:
    """The candidates of a run in name order: those who take part, and those left out with why."""

    mentees: list[Candidate] = field(default_factory=list)
    mentors: list[Candidate] = field(default_factory=list)
    left_out_mentees: list[Candidate] = field(default_factory=list)  # with problem_code / problem
    left_out_mentors: list[Candidate] = field(default_factory=list)  # with problem
    already_paired: int = 0  # mentees already in a working pair or group: not in the run


def judge_mentor(
    candidate: Candidate,
    *,
    program: Program,
    load: int,
    form: MentoringForm,
    rules: RunRules,
    on_date: dt.date,
) -> None:
    """Set the mentor's free places (the mentoring rule of capacity minus the current load) and,
    if they cannot take part, the reason."""
    capacity = mentor_capacity(candidate.participation, program)
    candidate.capacity = max(capacity - load, 0)
    if not candidate.problem and program.admitted_mentors_only:
        candidate.problem = not_admitted_problem(candidate.participation)
    if not candidate.problem:
        candidate.problem = mentor_problem(candidate, form, rules, on_date)
    if not candidate.problem and candidate.capacity == 0:
        candidate.problem = f"нет свободных мест (уже {load} из {capacity})"


def _candidate(row: CandidateRow, on_date: dt.date) -> Candidate:
    candidate = Candidate.of(row.participation, row.tag_names, row.category_codes)
    candidate.problem_code, candidate.problem = person_problem(candidate.person, row.consent_missing, on_date)
    return candidate


def sort_candidates(
    data: ProgramCandidates, *, program: Program, form: MentoringForm, rules: RunRules, on_date: dt.date
) -> Eligibility:
    """Split the program's participations into the run's mentees and mentors and the left out."""
    result = Eligibility()
    family, in_groups = data.form_family, data.mentees_in_groups
    for row in data.rows:
        participation = row.participation
        is_mentor = participation.role == ParticipationRole.MENTOR
        # Who takes part at all (the others are simply not in the run): an active participation
        # of the form's kind of mentor or mentee, whose preferred form (if any) is of the family.
        if (
            participation.status in INACTIVE_PARTICIPATION
            or participation.person.kind != (form.mentor_kind if is_mentor else form.mentee_kind)
            or (participation.preferred_form_id is not None and participation.preferred_form_id not in family)
        ):
            continue
        if not is_mentor:
            if participation.id in in_groups:
                result.already_paired += 1
                continue
            candidate = _candidate(row, on_date)
            if not candidate.problem:
                problem = mentee_problem(candidate, form, rules, on_date)
                if problem:
                    candidate.problem_code, candidate.problem = "not_eligible", problem
            (result.left_out_mentees if candidate.problem else result.mentees).append(candidate)
        else:
            candidate = _candidate(row, on_date)
            load = data.mentor_load.get(participation.id, 0)
            judge_mentor(candidate, program=program, load=load, form=form, rules=rules, on_date=on_date)
            (result.left_out_mentors if candidate.problem else result.mentors).append(candidate)
    return result


# --------------------------------------------------------------------------------------------
# Pairs


def pair_problem(
    mentee: Candidate, mentor: Candidate, form: MentoringForm, rules: RunRules, day: dt.date
) -> str:
    """Why this mentor cannot mentor this mentee (empty string: the pair is allowed)."""
    if mentee.person.pk == mentor.person.pk:
        return "один и тот же человек"
    if rules.same_organisation and mentee.person.organisation_id != mentor.person.organisation_id:
        return "наставник из другой организации"
    if form.mentor_kind == ParticipantKind.STUDENT and form.mentee_kind == ParticipantKind.STUDENT:
        if mentor.person.grade and mentee.person.grade:
            gap = mentor.person.grade - mentee.person.grade
            if gap < rules.min_grade_gap:
                return f"наставник старше всего на {gap} кл., нужно не меньше {rules.min_grade_gap}"
        else:
            mentor_age, mentee_age = mentor.person.age_on(day), mentee.person.age_on(day)
            if mentor_age is None or mentee_age is None:
                return "не указан возраст"
            if mentor_age - mentee_age < rules.min_grade_gap:
                return f"наставник старше меньше чем на {count_ru(rules.min_grade_gap, 'год,года,лет')}"
    if form.mentor_kind == ParticipantKind.TEACHER and form.mentee_kind == ParticipantKind.TEACHER:
        mentor_exp, mentee_exp = mentor.person.experience_at(day), mentee.person.experience_at(day)
        if mentor_exp is not None and mentee_exp is not None and mentor_exp <= mentee_exp:
            return "стаж наставника не больше стажа наставляемого"
    return ""


@dataclass(frozen=True)
class PairTraits:
    """What the form's pair rules read about each candidate of one side, as arrays (index =
    position in the run), so that the rules run over a whole mentee × mentor matrix at once."""

    person: IntArray
    organisation: IntArray
    grade: IntArray  # 0 where not given (the rules treat 0 and "not given" alike)
    age: IntArray  # meaningful only where age_known
    age_known: BoolArray
    experience: IntArray  # meaningful only where experience_known
    experience_known: BoolArray

    @classmethod
    def of(cls, candidates: Sequence[Candidate], day: dt.date) -> PairTraits:
        people = [c.person for c in candidates]
        ages = [p.age_on(day) for p in people]
        experience = [p.experience_at(day) for p in people]
        return cls(
            person=np.array([p.pk for p in people], dtype=np.int64),
            organisation=np.array([p.organisation_id or 0 for p in people], dtype=np.int64),
            grade=np.array([p.grade or 0 for p in people], dtype=np.int64),
            age=np.array([a or 0 for a in ages], dtype=np.int64),
            age_known=np.array([a is not None for a in ages], dtype=bool),
            experience=np.array([e or 0 for e in experience], dtype=np.int64),
            experience_known=np.array([e is not None for e in experience], dtype=bool),
        )

    def rows(self, start: int, stop: int) -> PairTraits:
        return PairTraits(*(getattr(self, f.name)[start:stop] for f in fields(self)))

    def take(self, indices: IntArray) -> PairTraits:
        return PairTraits(*(getattr(self, f.name)[indices] for f in fields(self)))


def pair_rule_matrix(
    mentees: PairTraits, mentors: PairTraits, form: MentoringForm, rules: RunRules
) -> BoolArray:
    """Which (mentee, mentor) pairs :func:`pair_problem` allows, as a mentees × mentors matrix:
    the same rules, written over arrays (a test compares both on random people)."""
    allowed: BoolArray = mentees.person[:, None] != mentors.person[None, :]
    if rules.same_organisation:
        allowed &= mentees.organisation[:, None] == mentors.organisation[None, :]
    if form.mentor_kind == ParticipantKind.STUDENT and form.mentee_kind == ParticipantKind.STUDENT:
        # Each side's least allowed value is a vector, so each rule is one comparison a cell
        # (no matrix of differences); the ages are looked at only if someone's grade is missing.
        by_grade = mentors.grade[None, :] >= (mentees.grade + rules.min_grade_gap)[:, None]
        if bool((mentees.grade != 0).all()) and bool((mentors.grade != 0).all()):
            allowed &= by_grade
        else:
            both_grades = (mentees.grade != 0)[:, None] & (mentors.grade != 0)[None, :]
            both_ages = mentees.age_known[:, None] & mentors.age_known[None, :]
            by_age = both_ages & (mentors.age[None, :] >= (mentees.age + rules.min_grade_gap)[:, None])
            allowed &= np.where(both_grades, by_grade, by_age)
    if form.mentor_kind == ParticipantKind.TEACHER and form.mentee_kind == ParticipantKind.TEACHER:
        both_known = mentees.experience_known[:, None] & mentors.experience_known[None, :]
        allowed &= ~(both_known & (mentors.experience[None, :] <= mentees.experience[:, None]))
    return allowed


@dataclass(frozen=True, eq=False)
class AllowedPairs:
    """The (mentee, mentor) index pairs the form's rules allow, sorted by mentee, then mentor."""

    mentee: IntArray
    mentor: IntArray
    forbidden: IntArray  # (k, 2): of them, those the curator excluded
    rule_ok: dict[int, int]  # mentee index -> pairs passing the form's rules


@dataclass(frozen=True)
class PairRules:
    """What decides whether a mentor may take a mentee in a run: the form, the run's rules on its
    date, and the (mentee, mentor) participation ids the curator excluded."""

    form: MentoringForm
    rules: RunRules
    on_date: dt.date
    excluded: set[tuple[int, int]]

    def problem(self, mentee: Candidate, mentor: Candidate) -> str:
        """Why the rules refuse the pair (empty string: allowed); the exclusions are not looked at."""
        return pair_problem(mentee, mentor, self.form, self.rules, self.on_date)

    def why_not(self, mentee: Candidate, mentor: Candidate) -> str:
        """The rule that forbids a pair of the run's candidates, in Russian (empty if allowed):
        a person who cannot take part, the form's rules, then the curator's exclusions."""
        if mentee.problem:
            return f"{mentee.person.short_name}: {mentee.problem}"
        if mentor.problem:
            return f"{mentor.person.short_name}: {mentor.problem}"
        problem = self.problem(mentee, mentor)
        if problem:
            return problem
        if (mentee.participation.pk, mentor.participation.pk) in self.excluded:
            return "пара запрещена куратором (вето, конфликт или разорвана ранее)"
        return ""


# Mentee rows per block of the rule matrix: a block stays at a few million cells, so a region of
# 20 000 × 5 000 never holds the whole 100M-cell matrix at once.
_BLOCK_CELLS = 4_000_000


def mentee_blocks(n_mentees: int, n_mentors: int) -> list[tuple[int, int]]:
    """(start, stop) of the mentee blocks a mentees × mentors computation goes through."""
    rows = max(1, _BLOCK_CELLS // max(n_mentors, 1))
    return [(start, min(start + rows, n_mentees)) for start in range(0, n_mentees, rows)]


def allowed_pairs(
    mentees: Sequence[Candidate], mentors: Sequence[Candidate], pair_rules: PairRules
) -> AllowedPairs:
    """The pairs :meth:`PairRules.problem` allows (the exclusions among them listed apart), for
    every mentee and mentor at once."""
    mentee_traits = PairTraits.of(mentees, pair_rules.on_date)
    mentor_traits = PairTraits.of(mentors, pair_rules.on_date)
    edge_mentee: list[IntArray] = []
    edge_mentor: list[IntArray] = []
    groups = _organisations(mentee_traits, mentor_traits) if pair_rules.rules.same_organisation else None
    everyone: list[tuple[None, None]] = [(None, None)]
    parts: Sequence[tuple[IntArray | None, IntArray | None]] = everyone if groups is None else groups
    for group_mentees, group_mentors in parts:
        of_mentees = mentee_traits if group_mentees is None else mentee_traits.take(group_mentees)
        of_mentors = mentor_traits if group_mentors is None else mentor_traits.take(group_mentors)
        for start, stop in mentee_blocks(of_mentees.person.shape[0], of_mentors.person.shape[0]):
            block = pair_rule_matrix(
                of_mentees.rows(start, stop), of_mentors, pair_rules.form, pair_rules.rules
            )
            rows, cols = _cells(block)  # row-major: sorted by mentee, then mentor
            rows += start  # new arrays: shifted in place, not copied
            edge_mentee.append(rows if group_mentees is None else group_mentees[rows])
            edge_mentor.append(cols if group_mentors is None else group_mentors[cols])
    mentee, mentor = _joined(edge_mentee), _joined(edge_mentor)
    if groups is not None:  # the groups' edges one after another: sorted by mentee, then mentor
        width = max(len(mentors), 1)
        keys = mentee * width + mentor
        keys.sort()
        mentee, mentor = keys // width, keys % width
    counts = np.bincount(mentee, minlength=len(mentees))
    having = np.flatnonzero(counts)
    rule_ok = dict(zip(having.tolist(), counts[having].tolist(), strict=True))
    return AllowedPairs(
        mentee=mentee,
        mentor=mentor,
        forbidden=_excluded_edges(mentee, mentor, mentees, mentors, pair_rules.excluded),
        rule_ok=rule_ok,
    )


def _cells(block: BoolArray) -> tuple[IntArray, IntArray]:
    """(rows, columns) of the allowed cells, row-major, as new int64 arrays: those of np.nonzero,
    and of a block where every pair is allowed (everyone may pair with everyone, the usual
    program) the whole grid at once, without looking at each of its million cells again."""
    if bool(block.all()):
        n_rows, n_cols = block.shape
        return (
            np.repeat(np.arange(n_rows, dtype=np.int64), n_cols),
            np.tile(np.arange(n_cols, dtype=np.int64), n_rows),
        )
    rows, cols = np.nonzero(block)
    return rows.astype(np.int64, copy=False), cols.astype(np.int64, copy=False)


def _organisations(mentees: PairTraits, mentors: PairTraits) -> list[tuple[IntArray, IntArray]]:
    """(mentees, mentors) of each organisation that has both, for a run that pairs people of one
    organisation only: the rules then look at each organisation's pairs, not at all the region's
    (20 000 × 5 000 in 40 schools: 2.5 million pairs instead of 100 million)."""
    if not (mentees.person.shape[0] and mentors.person.shape[0]):
        return []
    mentee_order = np.argsort(mentees.organisation, kind="stable")
    mentor_order = np.argsort(mentors.organisation, kind="stable")
    mentee_orgs, mentee_first = np.unique(mentees.organisation[mentee_order], return_index=True)
    mentor_orgs, mentor_first = np.unique(mentors.organisation[mentor_order], return_index=True)
    mentee_groups = dict(zip(mentee_orgs.tolist(), np.split(mentee_order, mentee_first[1:]), strict=True))
    mentor_groups = dict(zip(mentor_orgs.tolist(), np.split(mentor_order, mentor_first[1:]), strict=True))
    return [(mentee_groups[org], mentor_groups[org]) for org in sorted(mentee_groups.keys() & mentor_groups)]


def _joined(parts: list[IntArray]) -> IntArray:
    """The blocks' edges one after another (one block, the usual case: as it is)."""
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _excluded_edges(
    mentee: IntArray,
    mentor: IntArray,
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    excluded: set[tuple[int, int]],
) -> IntArray:
    """The allowed pairs the curator excluded, as (mentee index, mentor index) rows in edge order."""
    if not excluded or not mentee.shape[0]:
        return np.empty((0, 2), dtype=np.int64)
    mentee_index = {c.participation.pk: i for i, c in enumerate(mentees)}
    mentor_index = {c.participation.pk: j for j, c in enumerate(mentors)}
    pairs = [
        (mentee_index[a], mentor_index[b]) for a, b in excluded if a in mentee_index and b in mentor_index
    ]
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    wanted = np.array(pairs, dtype=np.int64)
    n_mentors = max(len(mentors), 1)
    keys = mentee * n_mentors + mentor
    hit = np.isin(keys, wanted[:, 0] * n_mentors + wanted[:, 1])
    return np.stack((mentee[hit], mentor[hit]), axis=1)


def usable_fixed_pairs(
    fixed_pairs: Sequence[FixedPairRow],
    mentees: Sequence[Candidate],
    mentors: Sequence[Candidate],
    pair_rules: PairRules,
    *,
    warnings: list[str],
) -> list[tuple[int, int]]:
    """Fixed pairs the rules allow, as (mentee index, mentor index); the others are named in the
    warnings, never dropped silently."""
    if not fixed_pairs:  # the usual run: no index of the people to build
        return []
    mentee_index = {c.participation.pk: i for i, c in enumerate(mentees)}
    mentor_index = {c.participation.pk: j for j, c in enumerate(mentors)}
    pairs: list[tuple[int, int]] = []
    load: dict[int, int] = defaultdict(int)
    for fixed in fixed_pairs:
        name = f"{fixed.mentee_name} — {fixed.mentor_name}"
        i = mentee_index.get(fixed.mentee_id)
        j = mentor_index.get(fixed.mentor_id)
        if i is None or j is None:
            who = fixed.mentee_name if i is None else fixed.mentor_name
            warnings.append(
                f"Закреплённая пара {name} не учтена: {who} сейчас не может участвовать в подборе."
            )
            continue
        problem = pair_rules.problem(mentees[i], mentors[j])
        if (fixed.mentee_id, fixed.mentor_id) in pair_rules.excluded:
            problem = "пара запрещена куратором"
        if problem:
            warnings.append(f"Закреплённая пара {name} не учтена: {problem}.")
            continue
        if load[j] >= mentors[j].capacity:
            warnings.append(f"Закреплённая пара {name} не учтена: у наставника не осталось мест.")
            continue
        load[j] += 1
        pairs.append((i, j))
    return pairs


def no_edge_reasons(
    instance: Instance, rule_ok: Mapping[int, int], has_mentors: bool
) -> dict[int, tuple[str, str]]:
    """(code, detail) for each mentee left without any allowed pair in the instance."""
    degree = np.diff(instance.edge_ptr)
    no_edge: dict[int, tuple[str, str]] = {}
    for i in np.flatnonzero(degree == 0).tolist():
        if rule_ok.get(i):
            no_edge[i] = ("all_excluded", "все подходящие наставники исключены куратором (вето, конфликт)")
        elif not has_mentors:
            no_edge[i] = ("no_compatible_mentor", "нет наставников, которые могут участвовать в подборе")
        else:
            no_edge[i] = (
                "no_compatible_mentor",
                "ни один наставник не проходит по правилам формы (возраст, класс, стаж)",
            )
    return no_edge
