"""Roles in the UI: who may grant what where, the «Сотрудники и роли» pages, the card's «Роли»."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.accounts.grants import grantable_roles
from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.accounts.services import role_grant, role_revoke
from nastavnik.orgs.roles import assignment_target, role_target
from tests.factories import TeacherFactory, UserFactory


@pytest.fixture
def teacher_x(school_x):
    return TeacherFactory(organisation=school_x, last_name="Смирнова", user=UserFactory())


def staff_url(level, scope):
    return reverse("registry:staff_roles", kwargs={"level": level, "pk": scope.pk})


def test_a_school_administration_grants_curators_and_specialists_of_its_own_school_only(
    school_x_admin, school_x, school_y, municipality_a, region
):
    assert grantable_roles(school_x_admin, role_target(school_x)) == [Role.PROGRAM_CURATOR, Role.SPECIALIST]
    assert grantable_roles(school_x_admin, role_target(school_y)) == []
    assert grantable_roles(school_x_admin, role_target(municipality_a)) == []
    assert grantable_roles(school_x_admin, role_target(region)) == []


def test_a_school_administration_cannot_grant_a_municipal_role(school_x_admin, teacher_x, municipality_a):
    with pytest.raises(PermissionDenied):
        role_grant(
            acting_user=school_x_admin,
            user=teacher_x.user,
            role=Role.MUNICIPAL_CURATOR,
            target=role_target(municipality_a),
        )
    assert not RoleAssignment.objects.filter(user=teacher_x.user).exists()


def test_a_school_administration_cannot_grant_in_another_school(school_x_admin, school_y):
    teacher_y = TeacherFactory(organisation=school_y, user=UserFactory())
    with pytest.raises(PermissionDenied):
        role_grant(
            acting_user=school_x_admin,
            user=teacher_y.user,
            role=Role.PROGRAM_CURATOR,
            target=role_target(school_y),
        )


def test_a_municipal_curator_appoints_the_administration_of_the_municipality_schools_only(
    municipal_curator_a, school_x, school_z, municipality_a
):
    assert Role.ORG_ADMIN in grantable_roles(municipal_curator_a, role_target(school_x))
    assert grantable_roles(municipal_curator_a, role_target(school_z)) == []
    assert grantable_roles(municipal_curator_a, role_target(municipality_a)) == []


def test_the_regional_centre_appoints_municipal_curators_but_not_its_own_role(
    regional_user, municipality_a, region, other_region_municipality
):
    assert grantable_roles(regional_user, role_target(municipality_a)) == [Role.MUNICIPAL_CURATOR]
    assert grantable_roles(regional_user, role_target(region)) == []
    assert grantable_roles(regional_user, role_target(other_region_municipality)) == []


def test_a_curator_grants_nothing(school_x_curator, school_x):
    assert grantable_roles(school_x_curator, role_target(school_x)) == []


def test_a_grant_and_a_revocation_are_audited_with_the_acting_user(school_x_admin, teacher_x, school_x):
    assignment = role_grant(
        acting_user=school_x_admin, user=teacher_x.user, role=Role.SPECIALIST, target=role_target(school_x)
    )
    pk = assignment.pk
    role_revoke(acting_user=school_x_admin, assignment=assignment, target=assignment_target(assignment))
    entries = LogEntry.objects.get_for_model(RoleAssignment).filter(object_pk=pk).order_by("pk")
    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, school_x_admin),
        (LogEntry.Action.DELETE, school_x_admin),
    ]
    assert not RoleAssignment.objects.filter(user=teacher_x.user).exists()


def test_the_administration_grants_a_role_on_the_page_and_the_card_shows_who_and_when(
    client_for, school_x_admin, teacher_x, school_x
):
    client = client_for(school_x_admin)
    response = client.post(
        staff_url("organisation", school_x),
        {"person": teacher_x.pk, "role": Role.PROGRAM_CURATOR, "place": f"organisation:{school_x.pk}"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=teacher_x.user)
    assert assignment.role == Role.PROGRAM_CURATOR and assignment.organisation == school_x

    page = client.get(staff_url("organisation", school_x)).content.decode()
    assert "Смирнова" in page and "Куратор программы" in page and str(school_x_admin) in page

    card = client.get(reverse("registry:person_detail", args=[teacher_x.pk])).content.decode()
    assert "Роли" in card and "Куратор программы: Школа X" in card and str(school_x_admin) in card


def test_a_revoked_role_stays_on_the_card_with_who_revoked_it(
    client_for, school_x_admin, teacher_x, school_x
):
    assignment = role_grant(
        acting_user=school_x_admin, user=teacher_x.user, role=Role.SPECIALIST, target=role_target(school_x)
    )
    client = client_for(school_x_admin)
    url = reverse(
        "registry:staff_role_revoke",
        kwargs={"level": "organisation", "pk": school_x.pk, "assignment_pk": assignment.pk},
    )
    assert client.post(url).status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    card = client.get(reverse("registry:person_detail", args=[teacher_x.pk]))
    records = card.context["role_records"]
    assert len(records) == 1
    assert records[0].revoked_by == school_x_admin and records[0].granted_by == school_x_admin


def test_the_page_refuses_to_grant_a_role_the_user_may_not_grant(
    client_for, school_x_admin, teacher_x, school_x
):
    response = client_for(school_x_admin).post(
        staff_url("organisation", school_x),
        {"person": teacher_x.pk, "role": Role.ORG_ADMIN, "place": f"organisation:{school_x.pk}"},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=teacher_x.user).exists()


def test_a_school_administration_cannot_revoke_the_municipal_curator(
    client_for, school_x_admin, municipal_curator_a, municipality_a
):
    assignment = RoleAssignment.objects.get(user=municipal_curator_a)
    url = reverse(
        "registry:staff_role_revoke",
        kwargs={"level": "municipality", "pk": municipality_a.pk, "assignment_pk": assignment.pk},
    )
    assert client_for(school_x_admin).post(url).status_code in (403, 404)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_municipal_curator_appoints_a_school_administration_from_the_municipality_page(
    client_for, municipal_curator_a, teacher_x, school_x, municipality_a
):
    client = client_for(municipal_curator_a)
    response = client.post(
        staff_url("municipality", municipality_a),
        {"person": teacher_x.pk, "role": Role.ORG_ADMIN, "place": f"organisation:{school_x.pk}"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=teacher_x.user, role=Role.ORG_ADMIN, organisation=school_x
    ).exists()


def test_the_regional_centre_appoints_a_municipal_curator(
    client_for, regional_user, teacher_x, municipality_a, region
):
    response = client_for(regional_user).post(
        staff_url("region", region),
        {
            "person": teacher_x.pk,
            "role": Role.MUNICIPAL_CURATOR,
            "place": f"municipality:{municipality_a.pk}",
        },
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=teacher_x.user, role=Role.MUNICIPAL_CURATOR, municipality=municipality_a
    ).exists()


def test_a_stranger_does_not_open_the_staff_page_of_another_school(client_for, school_y_curator, school_x):
    assert client_for(school_y_curator).get(staff_url("organisation", school_x)).status_code == 404


def test_a_specialist_does_not_open_the_staff_page_of_their_school(client_for, school_x_specialist, school_x):
    assert client_for(school_x_specialist).get(staff_url("organisation", school_x)).status_code == 403


def test_the_staff_page_offers_only_teachers_and_staff_with_an_account(
    client_for, school_x_admin, teacher_x, school_x
):
    TeacherFactory(organisation=school_x, last_name="Безучётная")
    response = client_for(school_x_admin).get(staff_url("organisation", school_x))
    offered = list(response.context["form"].fields["person"].queryset)
    assert offered == [teacher_x]


def test_the_staff_page_takes_the_same_queries_for_one_and_for_three_roles(
    client_for, school_x_admin, school_x, django_assert_max_num_queries
):
    client = client_for(school_x_admin)
    url = staff_url("organisation", school_x)

    def grant_specialist():
        teacher = TeacherFactory(organisation=school_x, user=UserFactory())
        role_grant(
            acting_user=school_x_admin, user=teacher.user, role=Role.SPECIALIST, target=role_target(school_x)
        )

    grant_specialist()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    grant_specialist()
    grant_specialist()
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_an_organisation_role_goes_to_that_organisation_staff_only(
    client_for, municipal_curator_a, teacher_x, school_y, municipality_a
):
    response = client_for(municipal_curator_a).post(
        staff_url("municipality", municipality_a),
        {"person": teacher_x.pk, "role": Role.ORG_ADMIN, "place": f"organisation:{school_y.pk}"},
    )
    assert response.status_code == 200
    assert not RoleAssignment.objects.filter(user=teacher_x.user).exists()
