import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from nastavnik.base.audit import (
    acting_as,
    create_many,
    created_changes,
    insert_many,
    insert_values,
    log_bulk,
)
from nastavnik.registry.models import Category, Person, PersonKind


def _people(organisation, count):
    return [
        Person(organisation=organisation, kind=PersonKind.STUDENT, last_name=f"Орлов{n}", first_name="Иван")
        for n in range(count)
    ]


def test_create_many_gives_each_object_the_id_of_its_row(school_x):
    people = _people(school_x, 7)
    people[3].birth_date = dt.date(2012, 3, 4)
    create_many(people, batch_size=3)  # three statements
    saved = dict(Person.objects.values_list("pk", "last_name"))
    assert {person.pk: person.last_name for person in people} == saved
    assert Person.objects.get(pk=people[3].pk).birth_date == dt.date(2012, 3, 4)
    assert all(not person._state.adding for person in people)
    stamped = Person.objects.get(pk=people[0].pk)
    assert stamped.created_at == people[0].created_at is not None  # auto_now_add, as bulk_create sets it


def test_create_many_writes_thousands_of_wide_rows_in_few_statements(school_x):
    """PostgreSQL: one INSERT for all the rows (UNNEST takes a parameter a column, so the
    protocol's 65,535 parameters do not cut it); SQLite: as many rows a statement as it is
    compiled for, fewer statements than bulk_create's batches of 999 values."""
    import math

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = _people(school_x, 3000)
    columns = len([f for f in Person._meta.concrete_fields if not f.primary_key])
    assert 3000 * columns > 65_535  # wider than one VALUES statement of PostgreSQL could carry
    with CaptureQueriesContext(connection) as queries:
        create_many(people, batch_size=len(people))
    inserts = sum(1 for q in queries if q["sql"].startswith("INSERT"))
    if connection.vendor == "postgresql":
        assert inserts == 1
    else:
        assert inserts < math.ceil(3000 / (999 // columns))
    assert Person.objects.filter(pk__in=[p.pk for p in people]).count() == 3000


def test_insert_many_writes_the_rows(school_x):
    person = Person.objects.create(
        organisation=school_x, kind=PersonKind.STUDENT, last_name="А", first_name="Б"
    )
    through = Person.categories.through
    categories = list(Category.objects.all()[:2])
    insert_many(through(person_id=person.pk, category_id=category.pk) for category in categories)
    assert set(person.categories.all()) == set(categories)


def test_insert_values_writes_the_rows_in_the_order_of_the_names(school_x):
    person = Person.objects.create(
        organisation=school_x, kind=PersonKind.STUDENT, last_name="А", first_name="Б"
    )
    through = Person.categories.through
    categories = list(Category.objects.all()[:2])
    insert_values(
        through, ("category_id", "person_id"), [(category.pk, person.pk) for category in categories]
    )
    assert set(person.categories.all()) == set(categories)


def test_insert_values_stores_encoded_json_as_it_is_and_encodes_the_rest(school_x):
    import datetime as dt

    from django.utils import timezone

    from nastavnik.base.audit import EncodedJSON
    from nastavnik.monitoring.models import StatisticsSnapshot

    now = timezone.now()
    values = [
        EncodedJSON('{"1": "Фамилия", "n": 2.5}'),
        {"1": "Фамилия", "n": 2.5},
        "a JSON string, not an object",
    ]
    insert_values(
        StatisticsSnapshot,
        ("organisation_id", "day", "data", "computed_at"),
        [(school_x.pk, dt.date(2026, 9, k + 1), value, now) for k, value in enumerate(values)],
    )
    stored = list(
        StatisticsSnapshot.objects.filter(organisation=school_x)
        .order_by("day")
        .values_list("data", flat=True)
    )
    assert stored == [{"1": "Фамилия", "n": 2.5}, {"1": "Фамилия", "n": 2.5}, "a JSON string, not an object"]


def test_insert_values_splits_rows_beyond_one_statement_and_keeps_every_value(school_x, monkeypatch):
    """SQLite writes the rows as multi-row VALUES, as many a statement as its parameter limit
    allows (here cut to ten: five rows of two columns); PostgreSQL streams them by COPY. Rows
    beyond one statement go into the next, none lost or repeated, each value in its column."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.base import audit

    monkeypatch.setattr(audit, "_max_params", lambda connection: 10)
    categories = list(Category.objects.all()[:2])
    through = Person.categories.through
    people = _people(school_x, 12)
    create_many(people)
    rows = [(person.pk, categories[n % 2].pk) for n, person in enumerate(people)]
    with CaptureQueriesContext(connection) as queries:
        insert_values(through, ("person_id", "category_id"), rows)
    written = sorted(through.objects.filter(person__in=people).values_list("person_id", "category_id"))
    assert written == sorted(rows)
    if connection.vendor == "sqlite":
        assert [q["sql"].count("), (") + 1 for q in queries] == [5, 5, 2]
    else:
        assert len(queries) == 1  # one COPY


def test_insert_values_refuses_a_field_left_out_or_set_when_saved(school_x):
    with pytest.raises(ValueError, match="name every field"):
        insert_values(Person.categories.through, ("person_id",), [(1,)])
    names = [field.attname for field in Person._meta.concrete_fields if not field.primary_key]
    with pytest.raises(ValueError, match="set when saved"):
        insert_values(Person, names, [tuple(None for _ in names)])


def test_log_bulk_writes_what_auditlog_would(school_x, school_x_curator):
    people = _people(school_x, 2)
    create_many(people)
    before = timezone.now()
    with acting_as(school_x_curator):
        log_bulk(people, action=LogEntry.Action.CREATE, changes=created_changes)
    entries = list(LogEntry.objects.get_for_objects(Person.objects.all()).order_by("pk"))
    assert [(e.object_pk, e.object_id, e.object_repr) for e in entries] == [
        (str(p.pk), p.pk, p.full_name) for p in people
    ]
    entry = entries[0]
    assert entry.action == LogEntry.Action.CREATE
    assert (entry.actor_id, entry.actor_email) == (school_x_curator.pk, school_x_curator.email or None)
    assert entry.changes["last_name"] == ["None", "Орлов0"]
    assert entry.changes["organisation"] == ["None", str(school_x.pk)]
    assert "birth_date" not in entry.changes  # None is left out, as auditlog does
    assert before <= entry.timestamp <= timezone.now()
    assert (entry.changes_text, entry.cid, entry.remote_addr, entry.remote_port) == ("", None, None, None)
    # SQL NULL, not a JSON null: auditlog's own entries are found by isnull
    assert LogEntry.objects.filter(
        pk=entry.pk, serialized_data__isnull=True, additional_data__isnull=True
    ).exists()


def test_log_bulk_stores_each_time_as_django_would_on_sqlite(school_x):
    from django.db import connection

    before = timezone.now()
    people = _people(school_x, 3)
    create_many(people)
    log_bulk(people, action=LogEntry.Action.CREATE, changes=created_changes)
    entries = list(LogEntry.objects.get_for_objects(Person.objects.all()).order_by("pk"))
    assert all(before <= entry.timestamp <= timezone.now() for entry in entries)
    if connection.vendor != "sqlite":  # the driver sends the datetime itself: read back above
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CAST(timestamp AS TEXT) FROM {LogEntry._meta.db_table} WHERE id IN (%s, %s, %s) ORDER BY id",  # noqa: S608
            [entry.pk for entry in entries],
        )
        stored = [value for (value,) in cursor.fetchall()]
    assert stored == [connection.ops.adapt_datetimefield_value(entry.timestamp) for entry in entries]
    assert all(timezone.is_aware(entry.timestamp) for entry in entries)


def test_sqlite_rows_a_statement_keep_within_both_limits():
    """Rows of a multi-row INSERT: cut by the parameters (250,000 / 7 columns) or, when SQLite is
    built with a short statement length, by the text of their placeholders."""
    import sqlite3
    from types import SimpleNamespace

    from nastavnik.base.audit import _values_rows_per_statement

    def connection(max_length):
        limits = {sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 250_000, sqlite3.SQLITE_LIMIT_SQL_LENGTH: max_length}
        return SimpleNamespace(
            vendor="sqlite",
            ensure_connection=lambda: None,
            connection=SimpleNamespace(getlimit=limits.__getitem__),
        )

    assert _values_rows_per_statement(connection(1_000_000_000), 100, 30, 7) == 250_000 // 7
    # the statement's text: 100 characters of head, then 32 a row (its 30 and ", ")
    assert _values_rows_per_statement(connection(1_000_000), 100, 30, 7) == (1_000_000 - 100) // 32
    assert _values_rows_per_statement(connection(120), 100, 30, 7) == 1  # at least a row
