"""Compatibility of candidate mentors and mentees of one program and form, from the registry.

This module turns the database into one :class:`~nastavnik.matching.instance.Instance`:

* **who takes part** — participations of the program whose person's kind is the form's
  mentor/mentee kind, whose preferred form (if any) is this form or one of its variants, and
  who are not already in a working pair; people without a valid consent or who left the
  organisation are *kept as unmatched with the reason*, never silently dropped;
* **hard rules** (:class:`RunRules`, configurable per run) — e.g. ученик–ученик: the mentor is
  15–18 years old and at least two grades (or, without grades, two years) older; учитель–учитель:
  an experienced teacher with a young specialist; the mentor's free places; the curator's
  exclusions; fixed pairs;
* **soft factors**, combined by :func:`~nastavnik.matching.scoring.combine_factors` with the
  curator's weights — requests vs competencies (tags), similarity of the free-text answers,
  stated preferences of both sides (preferences.py), the preferred variant of the form. An empty answer is
  "unknown" (NaN) and adds nothing, so it never outranks a described candidate.

Everything is loaded in a fixed number of queries, whatever the number of people.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from nastavnik.orgs.models import MentoringForm, ParticipantKind, Program
from nastavnik.registry.consents import missing_from_annotations, with_consent_state
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person

from .instance import Instance, build_instance
from .preferences import StatedPreferences, load_preferences
from .scoring import CombinedScore, combine_factors

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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> RunRules:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


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
# Candidates and rules


@dataclass
class Candidate:
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


def _age(person: Person, day: dt.date) -> int | None:
    return person.age_on(day)


def mentor_problem(mentor: Candidate, form: MentoringForm, rules: RunRules, day: dt.date) -> str:
    """Why a mentor cannot mentor in this form at all (empty string: they can)."""
    person = mentor.person
    if form.mentor_kind == ParticipantKind.STUDENT:
        age = _age(person, day)
        if age is None:
            return "не указана дата рождения"
        if not rules.min_mentor_age <= age <= rules.max_mentor_age:
            return (
                f"{age} лет, а наставник-обучающийся — от {rules.min_mentor_age} "
                f"до {rules.max_mentor_age} лет"
            )
    if form.mentor_kind == ParticipantKind.TEACHER and form.mentee_kind == ParticipantKind.TEACHER:
        experience = person.experience_at(day)
        if experience is None:
            return "не указан педагогический стаж"
        if experience < rules.min_mentor_experience:
            return f"стаж {experience} г., а наставнику нужен стаж не менее {rules.min_mentor_experience} лет"
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


def pair_problem(
    mentee: Candidate, mentor: Candidate, form: MentoringForm, rules: RunRules, day: dt.date
) -> str:
    """Why this mentor cannot mentor this mentee (empty string: the pair is allowed)."""
    if mentee.person.pk == mentor.person.pk:
        return "один и тот же человек"
    if form.mentor_kind == ParticipantKind.STUDENT and form.mentee_kind == ParticipantKind.STUDENT:
        if mentor.person.grade and mentee.person.grade:
            gap = mentor.person.grade - mentee.person.grade
            if gap < rules.min_grade_gap:
                return f"наставник старше всего на {gap} кл., нужно не меньше {rules.min_grade_gap}"
        else:
            mentor_age, mentee_age = _age(mentor.person, day), _age(mentee.person, day)
            if mentor_age is None or mentee_age is None:
                return "не указан возраст"
            if mentor_age - mentee_age < rules.min_grade_gap:
                return f"наставник старше меньше чем на {rules.min_grade_gap} года"
    if form.mentor_kind == ParticipantKind.TEACHER and form.mentee_kind == ParticipantKind.TEACHER:
        mentor_exp, mentee_exp = mentor.person.experience_at(day), mentee.person.experience_at(day)
        if mentor_exp is not None and mentee_exp is not None and mentor_exp <= mentee_exp:
            return "стаж наставника не больше стажа наставляемого"
    return ""


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
    edge_factors: list[dict[str, float]]  # per caller edge: similarities
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
        origin = int(self.instance.edge_origin[edge])
        return (
            float(self.combined.score[origin]),
            float(self.combined.evidence[origin]),
            self.combined.explain(origin),
        )

    def why_not(self, mentee: Candidate, mentor: Candidate) -> str:
        """The rule that forbids a pair, in Russian (empty if the pair is allowed)."""
        if mentee.problem:
            return f"{mentee.person.short_name}: {mentee.problem}"
        if mentor.problem:
            return f"{mentor.person.short_name}: {mentor.problem}"
        problem = pair_problem(mentee, mentor, self.form, self.rules, self.on_date)
        if problem:
            return problem
        if (mentee.participation.pk, mentor.participation.pk) in self.excluded:
            return "пара запрещена куратором (вето, конфликт или разорвана ранее)"
        return ""


def form_family(form: MentoringForm) -> dict[int, int | None]:
    """Ids of the form and its variants (or, for a variant, of itself) -> parent id."""
    if form.parent_id:  # a run for a variant takes only that variant and the generic form
        return {form.parent_id: None, form.pk: form.parent_id}
    family: dict[int, int | None] = {form.pk: None}
    for variant_id in MentoringForm.objects.filter(parent=form).values_list("pk", flat=True):
        family[variant_id] = form.pk
    return family


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
    """Load candidates, apply the rules, score the allowed pairs and build the instance."""
    from nastavnik.mentoring.models import GroupMembership, GroupStatus

    from .models import Exclusion

    rules = rules or RunRules()
    weights = normalise_weights(weights)
    preferences = preferences if preferences is not None else load_preferences(program)
    family = form_family(form)
    kinds: dict[str, str] = {
        ParticipationRole.MENTOR.value: form.mentor_kind,
        ParticipationRole.MENTEE.value: form.mentee_kind,
    }

    participations = list(
        Participation.objects.filter(program=program)
        .exclude(status__in=[ParticipationStatus.WITHDRAWN, ParticipationStatus.COMPLETED])
        .select_related("person")
        .prefetch_related("tags", "person__categories")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )
    participations = [
        p
        for p in participations
        if p.person.kind == kinds[p.role] and (p.preferred_form_id is None or p.preferred_form_id in family)
    ]
    consent = {
        row.pk: row
        for row in with_consent_state(
            Person.objects.filter(pk__in={p.person_id for p in participations}), on_date
        ).only("pk", "birth_date", "kind")
    }
    in_groups = set(
        GroupMembership.objects.filter(
            mentee__program=program, left_on__isnull=True, group__status=GroupStatus.ACTIVE
        ).values_list("mentee_id", flat=True)
    )
    load: dict[int, int] = defaultdict(int)
    for mentor_id in GroupMembership.objects.filter(
        group__program=program, group__status=GroupStatus.ACTIVE, left_on__isnull=True
    ).values_list("group__mentor_id", flat=True):
        load[mentor_id] += 1

    mentees: list[Candidate] = []
    mentors: list[Candidate] = []
    left_out_mentees: list[Candidate] = []
    left_out_mentors: list[Candidate] = []
    already_paired = 0
    for p in participations:
        person = p.person
        candidate = Candidate(
            participation=p,
            person=person,
            tag_tokens=[t for t in (tokens(tag.name) for tag in p.tags.all()) if t],
            text_tokens=tokens(p.details),
            category_codes=frozenset(c.code for c in person.categories.all()),
        )
        annotated = consent[person.pk]
        if person.left_on and person.left_on <= on_date:
            candidate.problem_code, candidate.problem = "left", f"выбыл(а) {person.left_on:%d.%m.%Y}"
        elif not annotated.consent_valid:  # type: ignore[attr-defined]
            candidate.problem_code = "no_consent"
            candidate.problem = "нет согласия: " + "; ".join(missing_from_annotations(annotated))
        if p.role == ParticipationRole.MENTEE:
            if p.pk in in_groups:
                already_paired += 1
                continue
            if not candidate.problem:
                problem = mentee_problem(candidate, form, rules, on_date)
                if problem:
                    candidate.problem_code, candidate.problem = "not_eligible", problem
            (left_out_mentees if candidate.problem else mentees).append(candidate)
        else:
            capacity = p.capacity if p.capacity is not None else program.max_mentees_per_mentor
            candidate.capacity = max(capacity - load[p.pk], 0)
            if not candidate.problem:
                candidate.problem = mentor_problem(candidate, form, rules, on_date)
            if not candidate.problem and candidate.capacity == 0:
                candidate.problem = f"нет свободных мест (уже {load[p.pk]} из {capacity})"
            (left_out_mentors if candidate.problem else mentors).append(candidate)

    mentee_index = {c.participation.pk: i for i, c in enumerate(mentees)}
    mentor_index = {c.participation.pk: j for j, c in enumerate(mentors)}
    excluded = set(Exclusion.objects.filter(program=program).values_list("mentee_id", "mentor_id"))
    stated_mentees = {i for i, _ in preferences.by_mentee}
    stated_mentors = {j for _, j in preferences.by_mentor}

    edge_mentee: list[int] = []
    edge_mentor: list[int] = []
    edge_factors: list[dict[str, float]] = []
    rule_ok: dict[int, int] = defaultdict(int)  # mentee index -> pairs passing the form's rules
    forbidden: list[tuple[int, int]] = []
    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            if pair_problem(mentee, mentor, form, rules, on_date):
                continue
            rule_ok[i] += 1
            if (mentee.participation.pk, mentor.participation.pk) in excluded:
                forbidden.append((i, j))
            edge_mentee.append(i)
            edge_mentor.append(j)
            edge_factors.append(
                pair_factors(mentee, mentor, family, preferences, stated_mentees, stated_mentors)
            )

    combined = combine_factors(
        {name: np.array([f[name] for f in edge_factors], dtype=np.float64) for name in weights},
        weights,
    )
    mentee_rank = _ranks(
        combined.score,
        edge_mentee,
        edge_mentor,
        mentees,
        mentors,
        preferences.by_mentee,
        stated_mentees,
        True,
    )
    mentor_rank = _ranks(
        combined.score,
        edge_mentee,
        edge_mentor,
        mentees,
        mentors,
        preferences.by_mentor,
        stated_mentors,
        False,
    )

    warnings: list[str] = []
    if already_paired:
        warnings.append(
            f"Наставляемых уже в парах (группах) этой программы: {already_paired} — в подбор не включены."
        )
    fixed_pairs: list[tuple[int, int]] = []
    if use_fixed:
        fixed_pairs = _usable_fixed_pairs(
            program, form, mentees, mentors, mentee_index, mentor_index, excluded, rules, on_date, warnings
        )

    instance = build_instance(
        n_mentees=len(mentees),
        n_mentors=len(mentors),
        capacity=[m.capacity for m in mentors],
        edge_mentee=np.array(edge_mentee, dtype=np.int64),
        edge_mentor=np.array(edge_mentor, dtype=np.int64),
        edge_score=combined.score,
        fixed=fixed_pairs,
        forbidden=forbidden,
        mentee_rank=mentee_rank,
        mentor_rank=mentor_rank,
    )
    degree = np.diff(instance.edge_ptr)
    no_edge: dict[int, tuple[str, str]] = {}
    for i in np.flatnonzero(degree == 0).tolist():
        if rule_ok[i]:
            no_edge[i] = ("all_excluded", "все подходящие наставники исключены куратором (вето, конфликт)")
        elif not mentors:
            no_edge[i] = ("no_compatible_mentor", "нет наставников, которые могут участвовать в подборе")
        else:
            no_edge[i] = (
                "no_compatible_mentor",
                "ни один наставник не проходит по правилам формы (возраст, класс, стаж)",
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
        left_out_mentees=left_out_mentees,
        left_out_mentors=left_out_mentors,
        instance=instance,
        combined=combined,
        edge_factors=edge_factors,
        mentee_index=mentee_index,
        mentor_index=mentor_index,
        no_edge=no_edge,
        warnings=warnings,
        fixed_pairs=fixed_pairs,
        excluded=excluded,
    )


def _ranks(
    score: np.ndarray,
    edge_mentee: list[int],
    edge_mentor: list[int],
    mentees: list[Candidate],
    mentors: list[Candidate],
    stated_ranks: Mapping[tuple[int, int], int],
    stated_people: set[int],
    mentee_side: bool,
) -> np.ndarray:
    """Preference ranks per edge for the stable solver (lower = preferred): a person who ranked
    candidates prefers them in that order, then the rest by score; the others go by score."""
    ranks = -np.asarray(score, dtype=np.float64).copy()
    if not stated_people:
        return ranks
    for e, (i, j) in enumerate(zip(edge_mentee, edge_mentor, strict=True)):
        key = (mentees[i].person.pk, mentors[j].person.pk)
        who = key[0] if mentee_side else key[1]
        if who not in stated_people:
            continue
        rank = stated_ranks.get(key)
        ranks[e] = float(rank) if rank else 1_000_000.0 - float(score[e])
    return ranks


def _usable_fixed_pairs(
    program: Program,
    form: MentoringForm,
    mentees: list[Candidate],
    mentors: list[Candidate],
    mentee_index: dict[int, int],
    mentor_index: dict[int, int],
    excluded: set[tuple[int, int]],
    rules: RunRules,
    on_date: dt.date,
    warnings: list[str],
) -> list[tuple[int, int]]:
    """Fixed pairs the rules allow; the others are named in the warnings, never dropped silently."""
    from .models import FixedPair

    pairs: list[tuple[int, int]] = []
    load: dict[int, int] = defaultdict(int)
    for fixed in (
        FixedPair.objects.filter(program=program, form=form)
        .select_related("mentee__person", "mentor__person")
        .order_by("created_at", "pk")
    ):
        name = f"{fixed.mentee.person.short_name} — {fixed.mentor.person.short_name}"
        i = mentee_index.get(fixed.mentee_id)
        j = mentor_index.get(fixed.mentor_id)
        if i is None or j is None:
            who = fixed.mentee.person.short_name if i is None else fixed.mentor.person.short_name
            warnings.append(
                f"Закреплённая пара {name} не учтена: {who} сейчас не может участвовать в подборе."
            )
            continue
        problem = pair_problem(mentees[i], mentors[j], form, rules, on_date)
        if (fixed.mentee_id, fixed.mentor_id) in excluded:
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
