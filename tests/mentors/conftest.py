from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nastavnik.base.time import today_in
from nastavnik.mentors import services
from nastavnik.mentors.models import InterviewOutcome
from nastavnik.training import services as training
from nastavnik.training.models import CourseFormat, Provider, TraineeRole
from tests.builders import student_program, teacher, teacher_program


@pytest.fixture
def program_x(school_x):
    return teacher_program(school_x)


@pytest.fixture
def candidate_teacher(school_x):
    return teacher(school_x, experience=12, last_name="Орлова", first_name="Анна", middle_name="Петровна")


@pytest.fixture
def candidacy(program_x, candidate_teacher, school_x_curator):
    return services.candidacy_nominate(
        acting_user=school_x_curator,
        program=program_x,
        person=candidate_teacher,
        motivation="Опытный педагог",
    )


def interview(
    candidacy,
    user,
    outcome=InterviewOutcome.ADMITTED,
    reason="",
    psychologist=None,
    notes="Секретные заметки",
):
    return services.interview_save(
        acting_user=user,
        candidacy=candidacy,
        held_on=today_in() - dt.timedelta(days=1),
        interviewer=user,
        psychologist=psychologist,
        notes=notes,
        outcome=outcome,
        reason=reason,
    )


def completed_course(user, level, person, *, days_ago: int = 10):
    day = today_in() - dt.timedelta(days=days_ago)
    course = training.course_create(
        acting_user=user,
        level=level,
        title="Школа наставника",
        provider=Provider.SCHOOL,
        format=CourseFormat.IN_PERSON,
        hours=Decimal(8),
        starts_on=day,
        ends_on=day,
    )
    enrolment = training.enrolment_create(
        acting_user=user, course=course, person=person, role=TraineeRole.MENTOR
    )
    training.enrolment_complete(acting_user=user, enrolment=enrolment, completed_on=day, number="У-1")
    return course, enrolment


__all__ = ["student_program", "interview", "completed_course"]
