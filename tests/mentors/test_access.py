"""Interview notes are read only by the school's curator, administration and psychologist: not by
mentors, mentees, parents, other schools, the municipality or the region. A municipality sees the
candidates and outcomes of its own schools only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.mentors.models import InterviewOutcome
from tests.factories import guardian_for, user_with_role
from tests.mentors.conftest import interview

pytestmark = pytest.mark.django_db

NOTES = "Секретные заметки психолога"
REASON = "Нужен опыт работы с группой"


@pytest.fixture
def interviewed(candidacy, school_x_curator, school_x_specialist):
    interview(
        candidacy,
        school_x_curator,
        InterviewOutcome.POSTPONED,
        reason=REASON,
        psychologist=school_x_specialist,
        notes=NOTES,
    )
    return candidacy


def page(client, candidacy):
    return client.get(reverse("mentors:candidate", args=[candidacy.pk]))


def test_the_curator_administration_and_psychologist_read_the_notes(
    interviewed, school_x_curator, school_x_admin, school_x_specialist, client_for
):
    for user in (school_x_curator, school_x_admin, school_x_specialist):
        text = page(client_for(user), interviewed).content.decode()
        assert NOTES in text and REASON in text


def test_the_municipality_and_region_see_the_outcome_but_not_the_notes(
    interviewed, municipal_curator_a, regional_user, client_for
):
    for user in (municipal_curator_a, regional_user):
        response = page(client_for(user), interviewed)
        text = response.content.decode()
        assert response.status_code == 200 and "Отложено" in text
        assert NOTES not in text and REASON not in text


def test_the_candidate_sees_their_status_but_not_the_notes(interviewed, client_for):
    person = interviewed.participation.person
    person.user = user_with_role("mentor", organisation=person.organisation)
    person.save()
    client = client_for(person.user)
    text = page(client, interviewed).content.decode()
    assert "Решение отложено" in text and NOTES not in text and REASON not in text
    card = client.get(reverse("mentors:person_panel", args=[person.pk])).content.decode()
    assert NOTES not in card and REASON not in card


def test_mentors_mentees_parents_and_other_schools_get_nothing(
    interviewed, school_x, school_y_curator, client_for
):
    mentee_user = user_with_role("mentee", organisation=school_x)
    other_mentor = user_with_role("mentor", organisation=school_x)
    parent = user_with_role("parent", organisation=school_x)
    guardian = guardian_for(interviewed.participation.person)
    guardian.user = parent
    guardian.save()
    for user in (mentee_user, other_mentor, parent, school_y_curator):
        client = client_for(user)
        assert page(client, interviewed).status_code == 404
        assert NOTES not in client.get(reverse("mentors:candidates")).content.decode()


def test_a_municipality_sees_only_its_schools_candidates(
    interviewed, school_z, municipal_curator_a, client_for
):
    name = interviewed.participation.person.full_name
    assert name in client_for(municipal_curator_a).get(reverse("mentors:candidates")).content.decode()
    other = user_with_role("municipal_curator", municipality=school_z.municipality)
    response = client_for(other).get(reverse("mentors:candidates"))
    assert response.status_code == 200 and name not in response.content.decode()
    assert page(client_for(other), interviewed).status_code == 404


def test_only_the_schools_staff_record_interviews_and_admit(
    interviewed, municipal_curator_a, school_x_specialist, client_for
):
    for user in (municipal_curator_a, school_x_specialist):
        client = client_for(user)
        assert client.post(reverse("mentors:admit", args=[interviewed.pk])).status_code in (403, 404)
        response = client.post(
            reverse("mentors:interview_save", args=[interviewed.pk]),
            {"held_on": "2026-01-10", "interviewer": user.pk, "outcome": "admitted"},
        )
        assert response.status_code in (302, 403, 404)
    interviewed.refresh_from_db()
    assert interviewed.interviews.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_candidates_list_runs_a_constant_number_of_queries(
    count, program_x, school_x, school_x_curator, client_for, django_assert_num_queries
):
    from nastavnik.mentors import services
    from tests.builders import teacher

    for _n in range(count):
        candidacy = services.candidacy_nominate(
            acting_user=school_x_curator, program=program_x, person=teacher(school_x, experience=10)
        )
        interview(candidacy, school_x_curator)
    client = client_for(school_x_curator)
    client.get(reverse("mentors:candidates"))
    with django_assert_num_queries(6):
        assert client.get(reverse("mentors:candidates")).status_code == 200
