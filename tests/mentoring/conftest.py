"""Pairs at work: a program of school X with pairs formed some weeks ago, accounts for their
mentor and mentee, and helpers to hold meetings on given days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.base.time import today_in
from nastavnik.mentoring.services import groups as group_services
from nastavnik.mentoring.services import meetings, pair_feedback
from nastavnik.registry.models import GuardianLink
from tests.builders import builtin_form, mentee, mentor, student_program
from tests.factories import UserFactory

# The questionnaire fixtures (a program of school X with the built-in templates copied into it,
# campaigns opened with personal links), for the preference questionnaire of a networking meeting.
from tests.surveys.conftest import copy_template, open_campaign, program_x, program_y  # noqa: F401


def base() -> dt.date:
    """Pairs in these tests start this long ago, so that every meeting they hold is in the past."""
    return today_in() - dt.timedelta(days=120)


def at(day: dt.date, hour: int = 15, zone: str = "Europe/Moscow") -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(zone))


def account_for(person, role=Role.MENTOR):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, organisation=person.organisation)
    person.user = user
    person.save()
    return user


def make_pair(program, curator, *, started_on=None, n_mentees=1, form="student-student"):
    started_on = started_on or base()
    return group_services.group_create(
        acting_user=curator,
        program=program,
        form=builtin_form(form),
        mentor=mentor(program, capacity=3),
        mentees=[mentee(program) for _ in range(n_mentees)],
        started_on=started_on,
    )


def hold(group, user, day, *, present=None, kind="regular"):
    """A meeting held on `day`; `present`: participation ids (default: everyone that day)."""
    meeting = meetings.meeting_create(
        acting_user=user, group=group, kind=kind, starts_at=at(day), topic=f"Встреча {day:%d.%m}"
    )
    ids = {a.mentee_id for a in meeting.attendance.all()} if present is None else present
    return meetings.meeting_record(acting_user=user, meeting=meeting, present=ids)


def feedback_answers(program, role="mentee", **by_code):
    """The pair's satisfaction questionnaire as a browser posts it: 8 for every 1–10 item and
    «да» to both yes/no questions unless `by_code` says otherwise (None leaves a question out)."""
    defaults = {"sat_glad": "yes", "sat_continue": "yes"}
    data = {}
    for question in pair_feedback.questionnaire_for(program, role).questions.all():
        value = by_code.get(question.code, "8" if question.kind == "scale10" else defaults.get(question.code))
        if value is not None:
            data[f"q{question.pk}"] = [str(value)]
    return data


def give_feedback(user, group, respondent, *, stage="interim", **by_code):
    """`user` submits `respondent`'s questionnaire about `group` (see feedback_answers)."""
    role = "mentor" if respondent.pk == group.mentor_id else "mentee"
    data = feedback_answers(group.program, role, **by_code)
    return pair_feedback.pair_feedback_submit(
        acting_user=user,
        group=group,
        respondent=respondent,
        stage=stage,
        get_values=lambda n: data.get(n, []),
    )


@pytest.fixture
def program(school_x):
    program = student_program(school_x, "student-student", "teacher-student")
    program.starts_on = base()
    program.ends_on = today_in() + dt.timedelta(days=120)
    program.save()
    return program


@pytest.fixture
def pair(program, school_x_curator):
    return make_pair(program, school_x_curator)


@pytest.fixture
def other_pair(program, school_x_curator):
    return make_pair(program, school_x_curator)


@pytest.fixture
def mentor_user(pair):
    return account_for(pair.mentor.person, Role.MENTOR)


@pytest.fixture
def mentee_user(pair):
    return account_for(pair.memberships.get().mentee.person, Role.MENTEE)


@pytest.fixture
def parent_user(pair):
    child = pair.memberships.get().mentee.person
    return account_for(GuardianLink.objects.filter(child=child).first().guardian, Role.PARENT)
