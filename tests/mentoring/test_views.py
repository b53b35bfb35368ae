"""Pages of pairs and groups: who sees which, the curator's actions, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.mentoring.models import GroupStatus
from nastavnik.mentoring.services import groups as group_services
from tests.builders import builtin_form, mentee, mentor, student_program
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(school_x):
    return student_program(school_x)


def make_group(program, curator, n_mentees=1):
    return group_services.group_create(
        acting_user=curator,
        program=program,
        form=builtin_form("student-student"),
        mentor=mentor(program),
        mentees=[mentee(program) for _ in range(n_mentees)],
        started_on=dt.date(2026, 10, 1),
    )


def account_for(person, role):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, organisation=person.organisation)
    person.user = user
    person.save()
    return user


def test_a_curator_sees_the_groups_and_their_history(program, school_x_curator, client_for):
    group = make_group(program, school_x_curator, n_mentees=2)
    client = client_for(school_x_curator)
    listing = client.get(reverse("mentoring:group_list"))
    assert [g.pk for g in listing.context["groups"]] == [group.pk]
    page = client.get(reverse("mentoring:group_detail", args=[group.pk])).content.decode()
    assert "Группа наставника" in page and "История изменений" in page
    for membership in group.memberships.all():
        assert membership.mentee.person.full_name in page


def test_a_mentor_sees_only_their_own_group(program, school_x_curator, client_for):
    mine = make_group(program, school_x_curator)
    other = make_group(program, school_x_curator)
    user = account_for(mine.mentor.person, Role.MENTOR)
    client = client_for(user)
    assert [g.pk for g in client.get(reverse("mentoring:group_list")).context["groups"]] == [mine.pk]
    page = client.get(reverse("mentoring:group_detail", args=[mine.pk])).content.decode()
    assert "История изменений" not in page and "Завершить работу" not in page
    assert client.get(reverse("mentoring:group_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("mentoring:group_end", args=[mine.pk]), {}).status_code == 403


def test_a_parent_sees_the_childs_group(program, school_x_curator, client_for):
    from nastavnik.registry.models import GuardianLink

    group = make_group(program, school_x_curator)
    child = group.memberships.get().mentee.person
    guardian = GuardianLink.objects.filter(child=child).get().guardian
    client = client_for(account_for(guardian, Role.PARENT))
    assert client.get(reverse("mentoring:group_detail", args=[group.pk])).status_code == 200
    other = make_group(program, school_x_curator)
    assert client.get(reverse("mentoring:group_detail", args=[other.pk])).status_code == 404


def test_school_y_sees_nothing_of_school_x(program, school_x_curator, school_y_curator, client_for):
    group = make_group(program, school_x_curator)
    client = client_for(school_y_curator)
    assert client.get(reverse("mentoring:group_detail", args=[group.pk])).status_code == 404
    assert client.post(reverse("mentoring:group_end", args=[group.pk]), {}).status_code == 404
    assert client.get(reverse("mentoring:group_list"), {"status": "all"}).context["groups"] == []


def test_a_curator_ends_a_group_from_its_page(program, school_x_curator, client_for):
    group = make_group(program, school_x_curator)
    response = client_for(school_x_curator).post(
        reverse("mentoring:group_end", args=[group.pk]),
        {"status": "ended_early", "ended_on": "2026-12-01", "reason": "Переезд наставляемого"},
        follow=True,
    )
    assert "Работа пары (группы) завершена" in response.content.decode()
    group.refresh_from_db()
    assert (group.status, group.ended_on, group.end_reason) == (
        GroupStatus.ENDED_EARLY,
        dt.date(2026, 12, 1),
        "Переезд наставляемого",
    )


def test_a_curator_takes_a_mentee_out_of_a_group(program, school_x_curator, client_for):
    group = make_group(program, school_x_curator, n_mentees=2)
    membership = group.memberships.first()
    client_for(school_x_curator).post(
        reverse("mentoring:mentee_remove", args=[group.pk, membership.pk]),
        {"left_on": "2026-11-01", "reason": "Сменил школу"},
    )
    membership.refresh_from_db()
    group.refresh_from_db()
    assert membership.left_on == dt.date(2026, 11, 1) and membership.leave_reason == "Сменил школу"
    assert group.status == GroupStatus.ACTIVE


def test_the_group_list_query_count_does_not_grow(program, school_x_curator, client_for):
    client = client_for(school_x_curator)
    make_group(program, school_x_curator)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mentoring:group_list"))
    for n in (1, 2, 3):
        make_group(program, school_x_curator, n_mentees=n)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("mentoring:group_list"))
    assert len(response.context["groups"]) == 4
    assert len(one) == len(four)
