import datetime as dt

import pytest

from nastavnik.registry.consents import (
    consent_state,
    given_consents,
    missing_for,
    with_consent_state,
    years_before,
)
from nastavnik.registry.models import Person, PersonKind
from tests.factories import PersonFactory, TeacherFactory, give_consent, guardian_for

TODAY = dt.date(2026, 11, 23)


def born(years_ago: int, days: int = 0) -> dt.date:
    return years_before(TODAY, years_ago) + dt.timedelta(days=days)


def test_years_before_maps_leap_day_to_28_february():
    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)


@pytest.mark.django_db
class TestConsentRule:
    def test_a_child_under_14_needs_only_a_representative(self):
        child = PersonFactory(birth_date=born(14, days=1))  # 14 tomorrow
        parent = guardian_for(child)
        assert consent_state(child, TODAY).missing == ["нет согласия законного представителя"]
        give_consent(child, by=parent)
        state = consent_state(child, TODAY)
        assert state.is_valid
        assert not state.needs_own

    def test_from_the_14th_birthday_the_own_consent_is_needed_too(self):
        teen = PersonFactory(birth_date=born(14))  # 14 today
        parent = guardian_for(teen)
        give_consent(teen, by=parent)
        assert consent_state(teen, TODAY).missing == ["нет собственного согласия участника"]
        give_consent(teen)
        assert consent_state(teen, TODAY).is_valid

    def test_an_adult_needs_only_their_own_consent_from_the_18th_birthday(self):
        student = PersonFactory(birth_date=born(18), grade=11)
        parent = guardian_for(student)
        give_consent(student, by=parent)
        assert not consent_state(student, TODAY).is_valid
        give_consent(student)
        assert consent_state(student, TODAY).is_valid
        assert not consent_state(student, TODAY).needs_representative

    def test_a_learner_without_birth_date_is_treated_as_a_young_child(self):
        student = PersonFactory(birth_date=None)
        assert consent_state(student, TODAY).needs_representative
        assert not consent_state(student, TODAY).needs_own

    def test_a_teacher_without_birth_date_is_an_adult(self):
        teacher = TeacherFactory(birth_date=None)
        assert consent_state(teacher, TODAY).missing == ["нет собственного согласия участника"]

    def test_revoked_expired_and_future_consents_do_not_count(self):
        teacher = TeacherFactory()
        give_consent(teacher, signed_on=dt.date(2026, 9, 1), revoked_on=dt.date(2026, 11, 1))
        give_consent(teacher, signed_on=dt.date(2025, 9, 1), valid_until=dt.date(2026, 8, 31))
        give_consent(teacher, signed_on=dt.date(2026, 12, 1))
        assert not consent_state(teacher, TODAY).is_valid
        # ...but each was valid on its own dates.
        assert consent_state(teacher, dt.date(2026, 10, 31)).is_valid
        assert consent_state(teacher, dt.date(2026, 8, 31)).is_valid
        assert consent_state(teacher, dt.date(2026, 12, 1)).is_valid

    def test_a_consent_revoked_today_no_longer_counts_today(self):
        teacher = TeacherFactory()
        give_consent(teacher, revoked_on=TODAY)
        assert not consent_state(teacher, TODAY).is_valid
        assert consent_state(teacher, TODAY - dt.timedelta(days=1)).is_valid

    def test_distribution_consent_does_not_replace_processing_consent(self):
        teacher = TeacherFactory()
        give_consent(teacher, kind="distribution")
        assert not consent_state(teacher, TODAY).is_valid


@pytest.mark.django_db
@pytest.mark.parametrize("on_date", [TODAY, dt.date(2026, 9, 1), dt.date(2027, 3, 15), dt.date(2030, 1, 1)])
def test_the_sql_annotation_agrees_with_the_python_rule(on_date):
    people = [
        PersonFactory(birth_date=born(13, days=-1)),
        PersonFactory(birth_date=born(14)),
        PersonFactory(birth_date=born(14, days=1)),
        PersonFactory(birth_date=born(17, days=200)),
        PersonFactory(birth_date=born(18)),
        PersonFactory(birth_date=born(18, days=1)),
        PersonFactory(birth_date=None),
        TeacherFactory(),
        TeacherFactory(birth_date=None),
        PersonFactory(kind=PersonKind.PARENT, birth_date=None, grade=None, class_letter=""),
    ]
    for index, person in enumerate(people):
        if person.kind == PersonKind.PARENT:
            continue
        parent = guardian_for(person)
        if index % 2 == 0:
            give_consent(person, by=parent)
        if index % 3 != 1:
            give_consent(
                person, signed_on=dt.date(2026, 9, 1), revoked_on=dt.date(2027, 1, 1) if index == 4 else None
            )
    give_consent(people[1], kind="distribution")  # not a consent to processing
    annotated = {
        p.pk: p for p in with_consent_state(Person.objects.filter(pk__in=[p.pk for p in people]), on_date)
    }
    given = given_consents(Person.objects.filter(pk__in=[p.pk for p in people]), on_date)
    for person in people:
        assert list(missing_for(person, on_date, given)) == consent_state(person, on_date).missing, person
    for person in people:
        python_state = consent_state(person, on_date)
        row = annotated[person.pk]
        assert row.consent_valid == python_state.is_valid, person
        assert row.needs_own_consent == python_state.needs_own, person
        assert row.needs_representative_consent == python_state.needs_representative, person
