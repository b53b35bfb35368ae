"""Numbers on the recognition pages agree with their nouns (1 пара, 2 пары, 5 пар)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
from nastavnik.monitoring.scopes import Scope
from nastavnik.recognition.models import CompetitionLevel, CompetitionResult
from tests.builders import mentee, student_program, teacher
from tests.home.test_numerals import disagreements, page_text
from tests.recognition.conftest import YEAR, compete, make_pair, nominate, procedure_for_school

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 2, 5])
def test_every_number_on_the_recognition_pages_agrees_with_its_noun(
    n, monkeypatch, school_x, school_x_curator, client_for
):
    monkeypatch.setattr(Scope, "today", lambda self: dt.date(YEAR + 1, 6, 1))
    program = student_program(school_x)
    program.academic_year = YEAR
    program.save()
    person = teacher(school_x, experience=10)
    first = make_pair(program, person, status=GroupStatus.COMPLETED)
    for _ in range(n - 1):
        extra = MentoringGroup.objects.create(
            program=program,
            form=first.form,
            mentor=first.mentor,
            status=GroupStatus.COMPLETED,
            started_on=first.started_on,
        )
        GroupMembership.objects.create(group=extra, mentee=mentee(program), joined_on=first.started_on)
    nominate(person, n)
    for _ in range(n):
        compete(person, CompetitionLevel.REGIONAL, CompetitionResult.PARTICIPANT)
    procedure_for_school(school_x, pairs_completed=10, nominations=10, competitions=10)
    client = client_for(school_x_curator)
    problems = {}
    for url in (
        reverse("recognition:ranking", args=["organisation", school_x.pk]),
        reverse("recognition:competitions", args=["organisation", school_x.pk]),
        reverse("recognition:assessments", args=[school_x.pk]),
        reverse("recognition:awards", args=[school_x.pk]),
    ):
        response = client.get(url + f"?year={YEAR}")
        assert response.status_code == 200, url
        if found := disagreements(page_text(response.content.decode())):
            problems[url] = found
    assert not problems
