import datetime as dt

import pytest
from django.db.models.signals import post_init

from nastavnik.registry.import_write import _new, person_from_fields
from nastavnik.registry.models import GuardianLink, Person, PersonKind

FIELDS = {
    "kind": PersonKind.STUDENT,
    "last_name": "Смирнова",
    "first_name": "Анна",
    "middle_name": "Сергеевна",
    "birth_date": dt.date(2012, 2, 10),
    "grade": 7,
    "class_letter": "Б",
    "phone": "+7 900 123-45-67",
}


def _state(obj):
    return {key: value for key, value in vars(obj).items() if key != "_state"}


def test_a_person_made_for_an_import_is_the_one_the_constructor_makes(school_x):
    made = person_from_fields(FIELDS, organisation_id=school_x.pk)
    expected = Person(organisation_id=school_x.pk, **FIELDS)

    assert _state(made) == _state(expected)
    assert (made._state.adding, made._state.db) == (True, None)
    assert made.organisation == school_x
    assert made.full_name == "Смирнова Анна Сергеевна"


def test_a_link_made_for_an_import_is_the_one_the_constructor_makes():
    assert _state(_new(GuardianLink, {"child_id": 1, "guardian_id": 2})) == _state(
        GuardianLink(child_id=1, guardian_id=2)
    )


def test_the_constructor_runs_when_something_listens_to_its_signals(school_x):
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.last_name)

    post_init.connect(listener, sender=Person)
    try:
        made = person_from_fields(FIELDS, organisation_id=school_x.pk)
    finally:
        post_init.disconnect(listener, sender=Person)
    assert heard == ["Смирнова"]
    assert _state(made) == _state(Person(organisation_id=school_x.pk, **FIELDS))


def test_an_import_on_sqlite_has_a_roomy_page_cache_and_gives_it_back(school_x):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.registry.import_write import SQLITE_IMPORT_CACHE_KIB, roomy_page_cache

    if connection.vendor != "sqlite":  # other databases keep their own caches: nothing is sent
        with CaptureQueriesContext(connection) as sent, roomy_page_cache():
            pass
        assert sent.captured_queries == []
        with pytest.raises(RuntimeError), roomy_page_cache():
            raise RuntimeError("the import failed")
        return

    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    with roomy_page_cache():
        assert cache_size() == -SQLITE_IMPORT_CACHE_KIB
    assert cache_size() == before
    with pytest.raises(RuntimeError), roomy_page_cache():
        raise RuntimeError("the import failed")
    assert cache_size() == before
