"""A parent's children, as the access layer reads them once for every app."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from nastavnik.accounts.models import Role
from nastavnik.registry.access import visible_people_for, wards_of
from nastavnik.registry.models import GuardianLink, Person
from tests.factories import PersonFactory, guardian_for, user_with_role


def wards(user) -> set[int]:
    return set(Person.objects.filter(pk__in=wards_of(user)).values_list("pk", flat=True))


def test_wards_of_returns_exactly_a_parents_children(school_x, school_y):
    first, second, stranger = (PersonFactory(organisation=school_x) for _ in range(3))
    parent = guardian_for(first)
    GuardianLink.objects.create(child=second, guardian=parent, relation="мать")
    guardian_for(stranger)  # another parent's child
    PersonFactory(organisation=school_y)
    parent.user = user_with_role(Role.PARENT, organisation=school_x)
    parent.save()
    assert wards(parent.user) == {first.pk, second.pk}


def test_wards_of_is_empty_for_a_user_who_is_not_a_legal_representative(school_x, school_x_curator):
    child = PersonFactory(organisation=school_x)
    parent = guardian_for(child)
    parent.user = school_x_curator  # linked as a guardian, but without the parent's role
    parent.save()
    assert wards(school_x_curator) == set()
    assert not wards_of(AnonymousUser()).exists()


def test_a_condition_on_no_wards_adds_nothing_to_the_people_a_curator_reads(school_x, school_x_curator):
    PersonFactory(organisation=school_x)
    assert visible_people_for(school_x_curator).count() == 1
