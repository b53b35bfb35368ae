"""Isolation: who sees whose personal data. Every person-scoped page refuses a stranger."""

import pytest
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.orgs.access import visible_organisations_for
from nastavnik.registry.access import visible_people_for
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    give_consent,
    guardian_for,
    user_with_role,
)


@pytest.fixture
def people(school_x, school_y, school_z):
    """A student and a teacher in each school."""
    return {
        "x_student": PersonFactory(organisation=school_x),
        "x_teacher": TeacherFactory(organisation=school_x),
        "y_student": PersonFactory(organisation=school_y),
        "z_student": PersonFactory(organisation=school_z),
    }


def visible(user):
    return set(visible_people_for(user).values_list("pk", flat=True))


class TestVisiblePeople:
    def test_a_school_curator_sees_only_their_school(self, people, school_x_curator):
        assert visible(school_x_curator) == {people["x_student"].pk, people["x_teacher"].pk}

    def test_a_municipal_curator_sees_only_their_municipality(self, people, municipal_curator_a):
        assert visible(municipal_curator_a) == {
            people["x_student"].pk,
            people["x_teacher"].pk,
            people["y_student"].pk,
        }

    def test_the_regional_centre_sees_its_region_only(self, people, regional_user, other_region_municipality):
        outsider = PersonFactory(organisation__municipality=other_region_municipality)
        assert outsider.pk not in visible(regional_user)
        assert {p.pk for p in people.values()} <= visible(regional_user)

    def test_a_specialist_sees_learners_of_their_school_but_not_staff(self, people, school_x_specialist):
        assert visible(school_x_specialist) == {people["x_student"].pk}

    def test_a_mentee_sees_only_themselves_and_a_parent_their_child(self, people, school_x):
        mentee_user = user_with_role(Role.MENTEE, organisation=school_x)
        student = people["x_student"]
        student.user = mentee_user
        student.save()
        assert visible(mentee_user) == {student.pk}
        parent = guardian_for(student)
        parent_user = user_with_role(Role.PARENT, organisation=school_x)
        parent.user = parent_user
        parent.save()
        assert visible(parent_user) == {student.pk, parent.pk}

    def test_a_user_without_roles_sees_nothing(self, people, no_role_user):
        assert visible(no_role_user) == set()
        assert not visible_organisations_for(no_role_user).exists()


PERSON_PAGES = [
    ("registry:person_detail", "get"),
    ("registry:person_edit", "get"),
    ("registry:consent_add", "get"),
    ("registry:guardian_add", "get"),
    ("registry:participation_add", "get"),
    ("registry:person_edit", "post"),
    ("registry:consent_add", "post"),
]


@pytest.mark.parametrize(("url_name", "method"), PERSON_PAGES)
def test_a_user_of_school_y_gets_404_for_every_page_of_a_person_of_school_x(
    url_name, method, people, school_y_curator, client_for
):
    client = client_for(school_y_curator)
    url = reverse(url_name, args=[people["x_student"].pk])
    response = client.post(url, {}) if method == "post" else client.get(url)
    assert response.status_code == 404


def test_revoking_a_consent_of_another_school_is_404_and_changes_nothing(
    people, school_y_curator, client_for
):
    consent = give_consent(people["x_teacher"])
    response = client_for(school_y_curator).post(
        reverse("registry:consent_revoke", args=[consent.pk]), {"revoked_on": "2026-10-01"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_the_registry_list_of_school_y_never_shows_school_x(people, school_y_curator, client_for):
    response = client_for(school_y_curator).get(
        reverse("registry:person_list"), {"organisation": people["x_student"].organisation_id}
    )
    assert response.status_code == 200
    assert people["x_student"].last_name not in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_a_municipal_curator_may_read_a_card_but_not_edit_it(people, municipal_curator_a, client_for):
    client = client_for(municipal_curator_a)
    person = people["x_student"]
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("registry:person_edit", args=[person.pk])).status_code == 403
    assert client.get(reverse("registry:person_detail", args=[people["z_student"].pk])).status_code == 404


def test_a_mentee_cannot_open_another_students_card(people, school_x, client_for):
    mentee_user = user_with_role(Role.MENTEE, organisation=school_x)
    PersonFactory(organisation=school_x, user=mentee_user)
    response = client_for(mentee_user).get(reverse("registry:person_detail", args=[people["x_student"].pk]))
    assert response.status_code == 404


def test_programs_of_another_school_are_404(school_x, school_y_curator, client_for):
    program = ProgramFactory(organisation=school_x)
    client = client_for(school_y_curator)
    assert client.get(reverse("orgs:program_detail", args=[program.pk])).status_code == 404
    assert client.get(reverse("orgs:program_edit", args=[program.pk])).status_code == 404


def test_the_organisation_list_is_for_municipal_and_regional_users(
    school_x, school_y, school_z, municipal_curator_a, school_x_curator, client_for
):
    assert client_for(school_x_curator).get(reverse("orgs:organisation_list")).status_code == 403
    response = client_for(municipal_curator_a).get(reverse("orgs:organisation_list"))
    assert response.status_code == 200
    shown = {org.pk for org, _ in response.context["rows"]}
    assert shown == {school_x.pk, school_y.pk}
    assert (
        client_for(municipal_curator_a)
        .get(reverse("orgs:organisation_detail", args=[school_z.pk]))
        .status_code
        == 404
    )


def test_anonymous_users_are_sent_to_login(people, client):
    response = client.get(reverse("registry:person_detail", args=[people["x_student"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
