"""Building the matching instance from the registry: who takes part, the forms' rules, factors."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from nastavnik.base.time import today_in
from nastavnik.matching.compatibility import (
    RunRules,
    StatedPreferences,
    load_preferences,
    load_program_instance,
)
from nastavnik.matching.scoring import containment, tokens
from tests.builders import builtin_form, mentee, mentor, student_program, take_part, teacher, teacher_program


def test_tokens_meet_across_word_forms():
    assert tokens("Повышение успеваемости по математике") & tokens("Математика")
    assert tokens("Подготовка к ОГЭ") == {"подго", "огэ"}
    assert tokens("и в по") == frozenset()


def test_containment_is_unknown_when_a_side_said_nothing():
    assert math.isnan(containment(frozenset(), tokens("математика")))
    assert math.isnan(containment(tokens("математика"), frozenset()))
    assert containment(tokens("математика физика"), tokens("математика")) == 0.5


@pytest.mark.django_db
def test_people_without_consent_are_left_out_with_the_reason(school_x):
    program = student_program(school_x)
    ok, without = mentee(program), mentee(program, consent=False)
    no_consent_mentor = mentor(program, consent=False)
    data = load_program_instance(program=program, form=builtin_form("student-student"), on_date=today_in())
    assert [c.participation for c in data.mentees] == [ok]
    assert [(c.participation, c.problem_code) for c in data.left_out_mentees] == [(without, "no_consent")]
    assert "нет согласия законного представителя" in data.left_out_mentees[0].problem
    assert [c.participation for c in data.left_out_mentors] == [no_consent_mentor]


@pytest.mark.django_db
def test_a_student_mentor_must_be_old_enough_and_two_grades_above(school_x):
    program = student_program(school_x)
    form = builtin_form("student-student")
    young = mentee(program, grade=7)
    too_old = mentor(program, grade=11, age=19)
    close = mentor(program, grade=8, age=15)
    fine = mentor(program, grade=9, age=15)
    data = load_program_instance(program=program, form=form, on_date=today_in())
    assert "19\xa0лет" in next(c.problem for c in data.left_out_mentors if c.participation == too_old)
    i = data.mentee_index[young.pk]
    assert data.factors_of(i, data.mentor_index[close.pk]) is None
    assert data.factors_of(i, data.mentor_index[fine.pk]) is not None
    assert "на 1 кл." in data.why_not(data.mentees[i], data.mentors[data.mentor_index[close.pk]])

    # The gap is the curator's setting for the run.
    relaxed = load_program_instance(
        program=program, form=form, on_date=today_in(), rules=RunRules(min_grade_gap=1)
    )
    assert relaxed.factors_of(relaxed.mentee_index[young.pk], relaxed.mentor_index[close.pk]) is not None


@pytest.mark.django_db
def test_teacher_pairs_need_an_experienced_mentor_and_a_young_specialist(school_x):
    program = teacher_program(school_x)
    novice_mentor = take_part(program, teacher(school_x, experience=2), "mentor")
    senior = take_part(program, teacher(school_x, experience=15), "mentor")
    young = take_part(program, teacher(school_x, experience=1), "mentee")
    mid = take_part(program, teacher(school_x, experience=8), "mentee")
    data = load_program_instance(program=program, form=builtin_form("teacher-teacher"), on_date=today_in())
    assert [c.participation for c in data.mentors] == [senior]
    assert (
        "стаж 2" in data.left_out_mentors[0].problem
        and data.left_out_mentors[0].participation == novice_mentor
    )
    assert [c.participation for c in data.mentees] == [young]
    assert data.left_out_mentees[0].participation == mid
    assert data.left_out_mentees[0].problem_code == "not_eligible"


@pytest.mark.django_db
def test_people_of_another_form_are_not_candidates(school_x):
    program = student_program(school_x, "student-student", "teacher-student")
    take_part(program, teacher(school_x, experience=10), "mentor")
    student_mentor = mentor(program)
    data = load_program_instance(program=program, form=builtin_form("student-student"), on_date=today_in())
    assert [c.participation for c in data.mentors] == [student_mentor]


@pytest.mark.django_db
def test_matching_requests_score_above_an_empty_questionnaire(school_x):
    program = student_program(school_x)
    described = mentee(program, tags=("Повышение успеваемости по математике",), details="Хочу понять алгебру")
    empty = mentee(program)
    m = mentor(program, tags=("Математика",), details="Алгебра и геометрия, олимпиады")
    data = load_program_instance(program=program, form=builtin_form("student-student"), on_date=today_in())
    j = data.mentor_index[m.pk]
    score_described, evidence, factors = data.factors_of(data.mentee_index[described.pk], j)
    score_empty, evidence_empty, _ = data.factors_of(data.mentee_index[empty.pk], j)
    assert score_described > score_empty == 0
    assert factors["requests"] == 3.0  # the default weight times a full match
    assert factors["text"] > 0
    assert evidence > evidence_empty == 0


@pytest.mark.django_db
def test_stated_preferences_of_both_sides_are_factors_and_ranks(school_x):
    program = student_program(school_x)
    a, b = mentee(program), mentee(program)
    m1, m2 = mentor(program), mentor(program)
    prefs = StatedPreferences(
        by_mentee={(a.person_id, m2.person_id): 1, (a.person_id, m1.person_id): 2},
        by_mentor={(b.person_id, m1.person_id): 1},
    )
    data = load_program_instance(
        program=program, form=builtin_form("student-student"), on_date=today_in(), preferences=prefs
    )
    i_a, i_b = data.mentee_index[a.pk], data.mentee_index[b.pk]
    j1, j2 = data.mentor_index[m1.pk], data.mentor_index[m2.pk]
    assert data.factors_of(i_a, j2)[2]["mentee_choice"] == 2.0  # weight 2 x first choice
    assert data.factors_of(i_a, j1)[2]["mentee_choice"] == 1.0  # weight 2 x 1/2
    assert data.factors_of(i_b, j1)[2]["mentor_choice"] == 1.0
    assert data.factors_of(i_b, j2)[2]["mentee_choice"] == 0.0  # b stated nothing: unknown adds 0
    inst = data.instance
    rank_of = {
        (int(i), int(j)): r
        for i, j, r in zip(inst.edge_mentee, inst.edge_mentor, inst.mentee_rank, strict=True)
    }
    assert rank_of[(i_a, j2)] < rank_of[(i_a, j1)]


@pytest.mark.django_db
def test_a_program_without_a_preference_questionnaire_has_no_stated_preferences(school_x):
    program = student_program(school_x)
    assert not load_preferences(program)


@pytest.mark.django_db
def test_the_instance_is_loaded_in_a_fixed_number_of_queries(school_x, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program = student_program(school_x)
    form = builtin_form("student-student")
    mentee(program, tags=("Подготовка к ОГЭ",))
    mentor(program, tags=("Математика",))
    with CaptureQueriesContext(connection) as small:
        load_program_instance(program=program, form=form, on_date=today_in())
    for _ in range(4):
        mentee(program, tags=("Подготовка к ОГЭ", "Выбор профессии"))
        mentor(program, tags=("Математика",))
    with CaptureQueriesContext(connection) as large:
        data = load_program_instance(program=program, form=form, on_date=today_in())
    assert len(data.mentees) == 5
    assert len(small) == len(large)


def _program_with_candidates(organisation, copies: int):
    """A program where every query of the loading has rows to read, `copies` times over."""
    from nastavnik.matching.models import Exclusion, ExclusionKind, FixedPair, FixedPairKind
    from nastavnik.mentoring.models import GroupMembership, MentoringGroup
    from nastavnik.registry.models import ParticipationStatus

    program = student_program(organisation)
    form = builtin_form("student-student")
    for _ in range(copies):
        described = mentee(program, tags=("Подготовка к ОГЭ", "Выбор профессии"), details="Хочу сдать ОГЭ")
        mentee(program, consent=False)
        paired = mentee(program)
        first = mentor(program, tags=("Математика",), details="Олимпиады по математике")
        busy = mentor(program, capacity=2)
        mentor(program, consent=False)
        withdrawn = mentor(program)
        withdrawn.status = ParticipationStatus.WITHDRAWN
        withdrawn.save()
        take_part(program, teacher(organisation, experience=10), "mentor")
        group = MentoringGroup.objects.create(program=program, form=form, mentor=busy, started_on=today_in())
        GroupMembership.objects.create(group=group, mentee=paired, joined_on=today_in())
        Exclusion.objects.create(program=program, mentee=described, mentor=busy, kind=ExclusionKind.CONFLICT)
        FixedPair.objects.create(
            program=program, form=form, mentee=described, mentor=first, kind=FixedPairKind.MUTUAL
        )
    return program, form


@pytest.mark.django_db
@pytest.mark.parametrize("copies", [1, 3])
def test_loading_a_programs_instance_takes_the_same_queries_for_three_times_the_people(
    school_x, copies, django_assert_num_queries
):
    program, form = _program_with_candidates(school_x, copies)
    # form family, participations, tag links and the tags' names, categories, consent,
    # memberships, exclusions, fixed pairs, and the networking meetings the stated preferences
    # come from (none: nothing more).
    with django_assert_num_queries(10):
        data = load_program_instance(program=program, form=form, on_date=today_in())
    assert len(data.mentees) == copies
    assert len(data.mentors) == 2 * copies  # the busy mentor still has a place
    assert len(data.left_out_mentees) == len(data.left_out_mentors) == copies
    assert len(data.fixed_pairs) == copies and data.warnings


def _ignore(**kwargs):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize("listened", [False, True], ids=["made-directly", "made-by-from_db"])
def test_candidates_are_the_objects_select_related_gives_with_the_fields_the_run_reads(school_x, listened):
    from django.db.models.signals import post_init

    from nastavnik.matching.selectors import CANDIDATE_FIELDS, CANDIDATE_PERSON_FIELDS, program_candidates
    from nastavnik.registry.models import Participation, Person

    program = student_program(school_x)
    mentee(program, tags=("Математика",), details="олимпиада")
    mentor(program, capacity=2)
    mentee(program, consent=False)
    if listened:  # a listener of the models' initialisation: the objects come from `from_db`
        post_init.connect(_ignore, sender=Person)
    try:
        rows = program_candidates(program, builtin_form("student-student"), today_in()).rows
    finally:
        post_init.disconnect(_ignore, sender=Person)
    expected = list(
        Participation.objects.filter(program=program)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )

    def values(obj, names):
        # With the types: the rows are read by the cursor, as the drivers give them (a 1 for
        # True would compare equal).
        return {name: (type(getattr(obj, name)), getattr(obj, name)) for name in names}

    assert [values(r.participation, CANDIDATE_FIELDS) for r in rows] == [
        values(p, CANDIDATE_FIELDS) for p in expected
    ]
    assert [values(r.participation.person, CANDIDATE_PERSON_FIELDS) for r in rows] == [
        values(p.person, CANDIDATE_PERSON_FIELDS) for p in expected
    ]
    for row in rows:
        participation, person = row.participation, row.participation.person
        assert (participation._state.adding, participation._state.db, person._state.adding) == (
            False,
            "default",
            False,
        )
        # The rest is deferred: read only if asked for, by a query of its own.
        assert (
            participation.get_deferred_fields()
            == {f.attname for f in Participation._meta.concrete_fields} - CANDIDATE_FIELDS
        )
        assert person.get_deferred_fields() == {f.attname for f in Person._meta.concrete_fields} - (
            CANDIDATE_PERSON_FIELDS
        )
    assert rows[0].participation.added_on == expected[0].added_on  # fetched when read
    assert {type(r.participation.person.birth_date) for r in rows} == {dt.date}
    assert {type(r.participation.person.is_young_specialist) for r in rows} == {bool}


@pytest.mark.django_db
def test_candidates_narrowed_to_nobody_are_none(school_x):
    from django.db.models import Q

    from nastavnik.matching.selectors import program_candidates

    program = student_program(school_x)
    mentee(program)
    narrowed = program_candidates(program, builtin_form("student-student"), today_in(), within=Q(pk__in=[]))
    assert narrowed.rows == []


@pytest.mark.django_db
def test_same_organisation_rule_pairs_people_of_one_organisation_only(school_x, school_y):
    program = student_program(school_x)
    own = mentee(program)
    other = mentee(program)
    other.person.organisation = school_y
    other.person.save()
    mentor_of_x = mentor(program)
    form = builtin_form("student-student")
    free = load_program_instance(program=program, form=form, on_date=today_in())
    assert free.factors_of(free.mentee_index[other.pk], free.mentor_index[mentor_of_x.pk]) is not None
    data = load_program_instance(
        program=program, form=form, on_date=today_in(), rules=RunRules(same_organisation=True)
    )
    j = data.mentor_index[mentor_of_x.pk]
    assert data.factors_of(data.mentee_index[own.pk], j) is not None
    assert data.factors_of(data.mentee_index[other.pk], j) is None
    i = data.mentee_index[other.pk]
    assert data.why_not(data.mentees[i], data.mentors[j]) == "наставник из другой организации"


def test_a_programs_current_memberships_count_each_membership_once(school_x):
    """The mentors' load and the mentees already in groups: every active membership of the
    program's groups or of its mentees, once (the two are read apart and joined), and none of a
    group that ended, of a mentee who left or of another program."""
    from nastavnik.matching.selectors import program_candidates
    from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup

    form = builtin_form("student-student")
    program, other = student_program(school_x), student_program(school_x)
    busy, idle, elsewhere = mentor(program), mentor(program), mentor(other)
    paired, left, ended_pair, outsider, free = (mentee(program) for _ in range(5))
    foreign = mentee(other)

    def group(of, mentor_participation, *mentees, status=GroupStatus.ACTIVE, left_on=None):
        created = MentoringGroup.objects.create(
            program=of, form=form, mentor=mentor_participation, status=status, started_on=today_in()
        )
        for participation in mentees:
            GroupMembership.objects.create(
                group=created, mentee=participation, joined_on=today_in(), left_on=left_on
            )

    group(program, busy, paired, foreign)  # a mentee of another program in this program's group
    group(program, busy, left, left_on=today_in())
    group(program, idle, ended_pair, status=GroupStatus.COMPLETED)
    group(other, elsewhere, outsider)  # this program's mentee in another program's group

    candidates = program_candidates(program, form, today_in())
    assert candidates.mentor_load == {busy.pk: 2}
    assert candidates.mentees_in_groups == {paired.pk, outsider.pk}
    assert free.pk not in candidates.mentees_in_groups


@pytest.mark.django_db
def test_a_candidates_tags_come_in_the_tags_order_whatever_order_they_were_linked_in(school_x):
    """The links are read unsorted and put in the tags' order (vocabulary, then name) in Python."""
    from nastavnik.matching.selectors import program_candidates
    from nastavnik.registry.models import Tag, TagVocabulary

    program = student_program(school_x)
    Tag.objects.create(vocabulary=TagVocabulary.REQUEST, name="Физика")  # ids not in name order
    e = mentee(program, tags=("Физика", "Алгебра", "Литература"))
    other = mentee(program, tags=("Литература",))
    competency = Tag.objects.create(vocabulary=TagVocabulary.COMPETENCY, name="Астрономия")
    e.tags.add(competency)
    rows = {
        row.participation.pk: row.tag_names
        for row in program_candidates(program, builtin_form("student-student"), today_in()).rows
    }
    expected = [t.name for t in sorted(e.tags.all(), key=lambda t: (t.vocabulary, t.name))]
    assert list(rows[e.pk]) == expected
    assert set(expected) == {"Физика", "Алгебра", "Литература", "Астрономия"}
    assert rows[other.pk] == ("Литература",)
