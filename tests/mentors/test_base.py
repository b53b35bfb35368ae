"""The municipal base of mentors: a school proposes its admitted mentor, the municipality approves
or returns them, another school of the municipality takes the mentor for its mentee (a
cross-school pair) and the home school sees the load; the base page's queries are constant."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.mentoring.models import MentoringGroup
from nastavnik.mentors import services
from nastavnik.mentors.models import BaseEntryStatus, NetworkMentoring
from nastavnik.mentors.selectors import base_rows
from nastavnik.registry.models import ParticipationStatus
from tests.builders import builtin_form, take_part, teacher, teacher_program
from tests.factories import user_with_role
from tests.mentors.conftest import interview

pytestmark = pytest.mark.django_db


def admitted_mentor(program, curator, **names):
    person = teacher(program.organisation, experience=15, **names)
    candidacy = services.candidacy_nominate(acting_user=curator, program=program, person=person)
    interview(candidacy, curator)
    services.candidacy_admit(acting_user=curator, candidacy=candidacy)
    candidacy.participation.refresh_from_db()
    return candidacy.participation


@pytest.fixture
def approved_entry(program_x, school_x_curator, municipal_curator_a):
    participation = admitted_mentor(program_x, school_x_curator, last_name="Орлова")
    entry = services.base_propose(acting_user=school_x_curator, participation=participation, capacity=2)
    return services.base_decide(acting_user=municipal_curator_a, entry=entry, approve=True)


def test_a_candidate_cannot_be_proposed_to_the_base(program_x, candidacy, school_x_curator):
    with pytest.raises(ValidationError, match="не допущен"):
        services.base_propose(acting_user=school_x_curator, participation=candidacy.participation, capacity=2)


def test_the_municipality_returns_a_mentor_with_a_comment_and_the_school_proposes_again(
    program_x, school_x_curator, municipal_curator_a
):
    participation = admitted_mentor(program_x, school_x_curator)
    entry = services.base_propose(acting_user=school_x_curator, participation=participation, capacity=2)
    with pytest.raises(ValidationError, match="почему"):
        services.base_decide(acting_user=municipal_curator_a, entry=entry, approve=False)
    services.base_decide(
        acting_user=municipal_curator_a, entry=entry, approve=False, comment="Нет удостоверения"
    )
    assert entry.status == BaseEntryStatus.RETURNED
    again = services.base_propose(acting_user=school_x_curator, participation=participation, capacity=3)
    assert again.pk == entry.pk and again.status == BaseEntryStatus.PROPOSED and again.capacity == 3


def test_only_the_municipality_of_the_school_decides(program_x, school_x_curator, school_z, regional_user):
    participation = admitted_mentor(program_x, school_x_curator)
    entry = services.base_propose(acting_user=school_x_curator, participation=participation, capacity=2)
    other = user_with_role("municipal_curator", municipality=school_z.municipality)
    for user in (other, regional_user, school_x_curator):
        with pytest.raises(PermissionDenied):
            services.base_decide(acting_user=user, entry=entry, approve=True)


def test_another_school_takes_a_base_mentor_and_the_home_school_sees_the_load(
    approved_entry, school_y, school_y_curator, school_x_curator
):
    host = teacher_program(school_y)
    young = take_part(host, teacher(school_y, experience=1), "mentee")
    group = services.network_pair_create(
        acting_user=school_y_curator,
        entry=approved_entry,
        program=host,
        form=builtin_form("teacher-teacher"),
        mentee=young,
    )
    assert group.program == host and group.mentor.person == approved_entry.person
    assert group.mentor.status == ParticipationStatus.IN_PAIR
    assert NetworkMentoring.objects.get(participation=group.mentor).entry == approved_entry
    # The home school sees its mentor in the base with one place taken, and where.
    row = next(r for r in base_rows(school_x_curator) if r.entry.pk == approved_entry.pk)
    assert (row.load, row.free, row.hosts) == (1, 1, ["Школа Y"])


def test_a_base_mentor_is_not_given_beyond_the_free_places(approved_entry, school_y, school_y_curator):
    host = teacher_program(school_y)
    form = builtin_form("teacher-teacher")
    for _n in range(2):
        mentee = take_part(host, teacher(school_y, experience=1), "mentee")
        services.network_pair_create(
            acting_user=school_y_curator, entry=approved_entry, program=host, form=form, mentee=mentee
        )
    third = take_part(host, teacher(school_y, experience=1), "mentee")
    with pytest.raises(ValidationError, match="нет свободных мест"):
        services.network_pair_create(
            acting_user=school_y_curator, entry=approved_entry, program=host, form=form, mentee=third
        )
    assert MentoringGroup.objects.filter(program=host).count() == 1  # one group of two


def test_a_school_of_another_municipality_cannot_take_the_mentor(approved_entry, school_z):
    curator_z = user_with_role("program_curator", organisation=school_z)
    host = teacher_program(school_z)
    mentee = take_part(host, teacher(school_z, experience=1), "mentee")
    with pytest.raises(ValidationError, match="другого муниципалитета"):
        services.network_pair_create(
            acting_user=curator_z,
            entry=approved_entry,
            program=host,
            form=builtin_form("teacher-teacher"),
            mentee=mentee,
        )


def test_the_base_is_seen_by_its_municipality_region_and_schools_only(
    approved_entry, municipal_curator_a, regional_user, school_y_curator, school_z, client_for
):
    name = approved_entry.person.full_name
    for user in (municipal_curator_a, regional_user, school_y_curator):
        assert name in client_for(user).get(reverse("mentors:base")).content.decode()
    other_municipality = user_with_role("municipal_curator", municipality=school_z.municipality)
    assert name not in client_for(other_municipality).get(reverse("mentors:base")).content.decode()
    mentor_user = user_with_role("mentor", organisation=approved_entry.person.organisation)
    assert client_for(mentor_user).get(reverse("mentors:base")).status_code == 403


def test_the_cross_school_pair_is_made_from_the_base_page(
    approved_entry, school_y, school_y_curator, client_for
):
    host = teacher_program(school_y)
    mentee = take_part(host, teacher(school_y, experience=1), "mentee")
    form = builtin_form("teacher-teacher")
    client = client_for(school_y_curator)
    url = reverse("mentors:base_request", args=[approved_entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"program": host.pk, "form": form.pk, "mentee": mentee.pk})
    group = MentoringGroup.objects.get(program=host)
    assert response.status_code == 302 and response["Location"] == reverse(
        "mentoring:group_detail", args=[group.pk]
    )


@pytest.mark.parametrize("mentors", [1, 3])
def test_the_base_page_runs_a_constant_number_of_queries(
    mentors, program_x, school_x_curator, municipal_curator_a, client_for, django_assert_num_queries
):
    for _n in range(mentors):
        participation = admitted_mentor(program_x, school_x_curator)
        entry = services.base_propose(acting_user=school_x_curator, participation=participation, capacity=2)
        services.base_decide(acting_user=municipal_curator_a, entry=entry, approve=True)
    client = client_for(municipal_curator_a)
    client.get(reverse("mentors:base"))
    with django_assert_num_queries(QUERIES_BASE):
        assert client.get(reverse("mentors:base")).status_code == 200


QUERIES_BASE = 10
