"""A candidate's path: nomination or application → interview → admission (registry status
«допущен(а)»), the program's training rule, and matching taking only admitted mentors."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.matching import services as matching
from nastavnik.matching.models import RunMentor
from nastavnik.mentors import services
from nastavnik.mentors.models import CandidacyOrigin, CandidacyStatus, InterviewOutcome
from nastavnik.registry.models import ParticipationStatus
from tests.builders import builtin_form, mentee, mentor, student_program
from tests.factories import user_with_role
from tests.mentors.conftest import completed_course, interview

pytestmark = pytest.mark.django_db

MATH = ("Повышение успеваемости по математике",)
MATH_MENTOR = ("Математика",)


def test_a_nominated_candidate_is_admitted_after_a_successful_interview(candidacy, school_x_curator):
    assert candidacy.origin == CandidacyOrigin.NOMINATION
    assert candidacy.participation.status == ParticipationStatus.CANDIDATE
    interview(candidacy, school_x_curator)
    services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    candidacy.refresh_from_db()
    candidacy.participation.refresh_from_db()
    assert candidacy.status == CandidacyStatus.ADMITTED
    assert candidacy.decided_by == school_x_curator
    assert candidacy.participation.status == ParticipationStatus.ADMITTED


def test_admission_needs_an_interview_with_the_outcome_admitted(candidacy, school_x_curator):
    with pytest.raises(ValidationError, match="после собеседования"):
        services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    interview(candidacy, school_x_curator, InterviewOutcome.POSTPONED, reason="Нет опыта работы с группой")
    candidacy.refresh_from_db()
    assert candidacy.status == CandidacyStatus.POSTPONED
    with pytest.raises(ValidationError, match="после собеседования"):
        services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)


def test_not_admitting_or_postponing_needs_a_reason(candidacy, school_x_curator):
    with pytest.raises(ValidationError) as error:
        interview(candidacy, school_x_curator, InterviewOutcome.REJECTED)
    assert "причину" in str(error.value)


def test_a_rejected_candidate_leaves_the_program(candidacy, school_x_curator):
    interview(candidacy, school_x_curator, InterviewOutcome.REJECTED, reason="Не готов к нагрузке")
    candidacy.refresh_from_db()
    candidacy.participation.refresh_from_db()
    assert candidacy.status == CandidacyStatus.REJECTED
    assert candidacy.participation.status == ParticipationStatus.WITHDRAWN


def test_the_psychologist_must_be_a_specialist_of_the_school(
    candidacy, school_x_curator, school_x_specialist, school_y
):
    interview(candidacy, school_x_curator, psychologist=school_x_specialist)
    stranger = user_with_role("specialist", organisation=school_y)
    with pytest.raises(ValidationError, match="Психолог"):
        interview(candidacy, school_x_curator, psychologist=stranger)


def test_a_program_requiring_training_refuses_admission_with_a_clear_message(
    candidacy, program_x, school_x, school_x_curator
):
    services.admission_rule_save(acting_user=school_x_curator, program=program_x, requires_training=True)
    interview(candidacy, school_x_curator)
    with pytest.raises(ValidationError) as error:
        services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    assert "только после обучения" in str(error.value)
    assert "Орловой А. П." in str(error.value)  # the name in the genitive
    completed_course(school_x_curator, school_x, candidacy.participation.person)
    services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    candidacy.participation.refresh_from_db()
    assert candidacy.participation.status == ParticipationStatus.ADMITTED


def test_a_self_application_comes_from_the_persons_own_account(
    program_x, candidate_teacher, school_y_curator
):
    user = user_with_role("mentor", organisation=program_x.organisation)
    candidate_teacher.user = user
    candidate_teacher.save()
    candidacy = services.candidacy_apply(
        acting_user=user, program=program_x, motivation="Хочу помогать молодым"
    )
    assert candidacy.origin == CandidacyOrigin.APPLICATION
    with pytest.raises(PermissionDenied):
        services.candidacy_apply(acting_user=school_y_curator, program=program_x, motivation="x")


def test_another_schools_curator_cannot_nominate_or_interview(
    program_x, candidacy, candidate_teacher, school_y_curator
):
    with pytest.raises(PermissionDenied):
        services.candidacy_nominate(acting_user=school_y_curator, program=program_x, person=candidate_teacher)
    with pytest.raises(PermissionDenied):
        interview(candidacy, school_y_curator)


def test_matching_takes_only_admitted_mentors_where_the_program_says_so(school_x, school_x_curator):
    program = student_program(school_x)
    program.admitted_mentors_only = True
    program.save()
    form = builtin_form("student-student")
    wanted = mentee(program, tags=MATH)
    admitted = mentor(program, tags=MATH_MENTOR)
    not_admitted = mentor(program, tags=MATH_MENTOR)
    candidacy = services.candidacy_nominate(
        acting_user=school_x_curator, program=program, person=admitted.person
    )
    interview(candidacy, school_x_curator)
    services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    run = matching.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    skipped = {m.participation_id: m.skipped_reason for m in RunMentor.objects.filter(run=run)}
    assert skipped[admitted.pk] == ""
    assert "не допущен" in skipped[not_admitted.pk]
    for proposal in run.proposals.all():
        assert {(p.mentee_id, p.mentor_id) for p in proposal.pairs.all()} == {(wanted.pk, admitted.pk)}


def test_without_the_setting_candidates_are_matched_as_before(school_x, school_x_curator):
    program = student_program(school_x)
    form = builtin_form("student-student")
    wanted = mentee(program, tags=MATH)
    candidate = mentor(program, tags=MATH_MENTOR)
    run = matching.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    assert {(p.mentee_id, p.mentor_id) for p in run.proposals.first().pairs.all()} == {
        (wanted.pk, candidate.pk)
    }
