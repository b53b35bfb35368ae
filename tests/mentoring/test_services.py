"""Pairs and groups: the services keep the rules (consent, roles, capacity) and the history."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.mentoring.models import GroupMembership, GroupStatus
from nastavnik.mentoring.services import groups as group_services
from nastavnik.registry.models import ParticipationStatus
from tests.builders import builtin_form, mentee, mentor, student_program, take_part, teacher, teacher_program

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 1)


@pytest.fixture
def program(school_x):
    return student_program(school_x)


@pytest.fixture
def form():
    return builtin_form("student-student")


def test_a_curator_forms_a_pair_and_everyone_is_in_pair(program, form, school_x_curator):
    m, e = mentor(program), mentee(program)
    group = group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=m, mentees=[e], started_on=DAY
    )
    assert group.status == GroupStatus.ACTIVE
    assert [ms.mentee for ms in group.memberships.all()] == [e]
    m.refresh_from_db()
    e.refresh_from_db()
    assert m.status == e.status == ParticipationStatus.IN_PAIR
    assert LogEntry.objects.get_for_object(group).filter(actor=school_x_curator).exists()


def test_a_curator_of_another_school_cannot_form_pairs(program, form, school_y_curator):
    with pytest.raises(PermissionDenied):
        group_services.group_create(
            acting_user=school_y_curator,
            program=program,
            form=form,
            mentor=mentor(program),
            mentees=[mentee(program)],
        )


def test_a_mentee_without_consent_cannot_be_put_into_a_pair(program, form, school_x_curator):
    e = mentee(program, consent=False)
    with pytest.raises(ValidationError, match="согласия"):
        group_services.group_create(
            acting_user=school_x_curator, program=program, form=form, mentor=mentor(program), mentees=[e]
        )
    assert not GroupMembership.objects.exists()


def test_a_mentor_cannot_take_more_mentees_than_the_capacity(program, form, school_x_curator):
    m = mentor(program, capacity=2)
    group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=m, mentees=[mentee(program)]
    )
    group = group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=m, mentees=[mentee(program)]
    )
    with pytest.raises(ValidationError, match="не осталось мест"):
        group_services.group_add_mentee(acting_user=school_x_curator, group=group, mentee=mentee(program))


def test_the_program_limit_applies_when_the_mentor_sets_none(school_x, form, school_x_curator):
    program = student_program(school_x, max_mentees=1)
    with pytest.raises(ValidationError, match="не осталось мест"):
        group_services.group_create(
            acting_user=school_x_curator,
            program=program,
            form=form,
            mentor=mentor(program),
            mentees=[mentee(program), mentee(program)],
        )


def test_the_mentor_must_be_of_the_forms_kind(school_x, school_x_curator):
    program = student_program(school_x, "student-student", "teacher-student")
    t = take_part(program, teacher(school_x, experience=10), "mentor")
    with pytest.raises(ValidationError, match="не может быть наставником"):
        group_services.group_create(
            acting_user=school_x_curator,
            program=program,
            form=builtin_form("student-student"),
            mentor=t,
            mentees=[mentee(program)],
        )
    group = group_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("teacher-student"),
        mentor=t,
        mentees=[mentee(program)],
    )
    assert group.pk


def test_a_form_outside_the_program_is_refused(program, school_x_curator):
    with pytest.raises(ValidationError, match="не включена"):
        group_services.group_create(
            acting_user=school_x_curator,
            program=program,
            form=builtin_form("employer-pupil"),
            mentor=mentor(program),
            mentees=[mentee(program)],
        )


def test_a_mentee_is_in_one_working_group_of_a_program_at_a_time(program, form, school_x_curator):
    e = mentee(program)
    group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=mentor(program), mentees=[e]
    )
    with pytest.raises(ValidationError, match="уже в паре"):
        group_services.group_create(
            acting_user=school_x_curator, program=program, form=form, mentor=mentor(program), mentees=[e]
        )


def test_a_re_formed_pair_keeps_its_history(program, form, school_x_curator):
    first, second = mentor(program), mentor(program)
    e = mentee(program)
    old = group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=first, mentees=[e], started_on=DAY
    )
    group_services.group_remove_mentee(
        acting_user=school_x_curator,
        group=old,
        mentee=e,
        left_on=DAY + dt.timedelta(days=30),
        reason="Не сработались",
    )
    old.refresh_from_db()
    assert old.status == GroupStatus.ENDED_EARLY and old.end_reason == "Не сработались"
    new = group_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=form,
        mentor=second,
        mentees=[e],
        started_on=DAY + dt.timedelta(days=31),
    )
    history = list(GroupMembership.objects.filter(mentee=e).order_by("joined_on"))
    assert [(h.group_id, h.joined_on, h.left_on) for h in history] == [
        (old.pk, DAY, DAY + dt.timedelta(days=30)),
        (new.pk, DAY + dt.timedelta(days=31), None),
    ]
    first.refresh_from_db()
    assert first.status == ParticipationStatus.ADMITTED


def test_removing_needs_a_reason(program, form, school_x_curator):
    e = mentee(program)
    group = group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=mentor(program), mentees=[e]
    )
    with pytest.raises(ValidationError, match="причину"):
        group_services.group_remove_mentee(acting_user=school_x_curator, group=group, mentee=e, reason=" ")


def test_ending_a_group_closes_memberships_and_completes_participations(program, form, school_x_curator):
    m, e1, e2 = mentor(program), mentee(program), mentee(program)
    group = group_services.group_create(
        acting_user=school_x_curator, program=program, form=form, mentor=m, mentees=[e1, e2], started_on=DAY
    )
    end = dt.date(2027, 5, 25)
    group_services.group_end(
        acting_user=school_x_curator, group=group, status=GroupStatus.COMPLETED, ended_on=end
    )
    assert set(group.memberships.values_list("left_on", flat=True)) == {end}
    for participation in (m, e1, e2):
        participation.refresh_from_db()
        assert participation.status == ParticipationStatus.COMPLETED


def test_ending_early_needs_a_reason(program, form, school_x_curator):
    group = group_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=form,
        mentor=mentor(program),
        mentees=[mentee(program)],
    )
    with pytest.raises(ValidationError):
        group_services.group_end(
            acting_user=school_x_curator, group=group, status=GroupStatus.ENDED_EARLY, reason=""
        )


def test_teacher_pairs_follow_the_teacher_form(school_x, school_x_curator):
    program = teacher_program(school_x)
    experienced = take_part(program, teacher(school_x, experience=12), "mentor")
    young = take_part(program, teacher(school_x, experience=1), "mentee")
    group = group_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("teacher-teacher"),
        mentor=experienced,
        mentees=[young],
    )
    assert group.mentor.person.experience_years == 12
