"""The consent to dissemination (152-ФЗ art. 10.1): the same age rule as processing, over consents
of kind DISTRIBUTION, in Python and in SQL — and the two agree."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik.base.time import today_in
from nastavnik.registry.consents import distribution_allowed, distribution_allowed_q
from nastavnik.registry.models import ConsentKind, Person
from tests.builders import student, teacher
from tests.factories import give_consent, guardian_for


def signed() -> dt.date:
    return today_in() - dt.timedelta(days=10)


def people(school):
    adult = teacher(school, experience=10)
    give_consent(adult, kind=ConsentKind.DISTRIBUTION, signed_on=signed())
    adult_processing_only = teacher(school, experience=10)
    child = student(school, 3, age=9)
    give_consent(child, by=guardian_for(child), kind=ConsentKind.DISTRIBUTION, signed_on=signed())
    teen_own_only = student(school, 9, age=15)
    give_consent(teen_own_only, kind=ConsentKind.DISTRIBUTION, signed_on=signed())
    teen_both = student(school, 9, age=15)
    give_consent(teen_both, kind=ConsentKind.DISTRIBUTION, signed_on=signed())
    give_consent(teen_both, by=guardian_for(teen_both), kind=ConsentKind.DISTRIBUTION, signed_on=signed())
    revoked = teacher(school, experience=4)
    give_consent(revoked, kind=ConsentKind.DISTRIBUTION, signed_on=signed(), revoked_on=today_in())
    expired = teacher(school, experience=4)
    give_consent(
        expired,
        kind=ConsentKind.DISTRIBUTION,
        signed_on=signed(),
        valid_until=today_in() - dt.timedelta(days=1),
    )
    return {
        adult: True,
        adult_processing_only: False,
        child: True,
        teen_own_only: False,
        teen_both: True,
        revoked: False,
        expired: False,
    }


def test_the_rule_in_python_and_in_sql_agree_and_follow_the_age(school_x):
    expected = people(school_x)
    for person, allowed in expected.items():
        assert distribution_allowed(person, today_in()) is allowed, person
    in_sql = set(Person.objects.filter(distribution_allowed_q(today_in())).values_list("pk", flat=True))
    assert in_sql == {p.pk for p, allowed in expected.items() if allowed}


@pytest.mark.parametrize("days", [-30, 0])
def test_a_consent_signed_later_does_not_count_before(days, school_x):
    adult = teacher(school_x, experience=10)
    give_consent(adult, kind=ConsentKind.DISTRIBUTION, signed_on=today_in() + dt.timedelta(days=1))
    day = today_in() + dt.timedelta(days=days)
    assert not distribution_allowed(adult, day)
    assert not Person.objects.filter(distribution_allowed_q(day), pk=adult.pk).exists()
