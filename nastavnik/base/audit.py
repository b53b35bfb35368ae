"""Who did it: every service that writes personal data runs inside `acting_as(user)`.

django-auditlog records each change of a registered model (field diffs, time). Its own
`set_actor` context is not safe to nest (the request middleware already opened one), so we keep
the acting user in a context variable of our own and fill in the log entry's actor from it.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Model
from django.utils import timezone

_acting_user: ContextVar[Any] = ContextVar("nastavnik_acting_user", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    token = _acting_user.set(actor)
    try:
        yield
    finally:
        _acting_user.reset(token)


def fill_actor(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    actor = _acting_user.get()
    if actor is not None and instance.actor_id is None:
        instance.actor = actor
        instance.actor_email = getattr(actor, "email", None) or None


def log_bulk(
    instances: Sequence[Model],
    *,
    action: int,
    changes: Callable[[Model], dict[str, Any]],
    actor: Any = None,
    describe: Callable[[Model], str] = str,
) -> None:
    """Audit rows for objects written by `bulk_create` / `bulk_update`, which bypass
    django-auditlog's signals: one INSERT for all of them, in the same shape auditlog writes
    (`{"field": [old, new]}`), with the acting user (or the one of `acting_as`); `describe`
    names an object without reading its relations one query at a time."""
    if not instances:
        return
    log_entries(
        type(instances[0]),
        ((instance.pk, describe(instance), changes(instance)) for instance in instances),
        action=action,
        actor=actor,
    )


def log_entries(
    model: type[Model],
    entries: Iterable[tuple[Any, str, dict[str, Any]]],
    *,
    action: int,
    actor: Any = None,
) -> None:
    """`log_bulk` for objects given as (pk, representation, changes): the rows a `LogEntry`
    would save, built as query parameters directly. Making a `LogEntry` per record and preparing
    its sixteen fields one by one cost more than the rest of an import's write; here the columns
    that are the same for every record are prepared once. The values are those auditlog's own
    entries get: each record's time when it is made, the acting user and the e-mail, the defaults
    of the other columns."""
    actor = actor if actor is not None else _acting_user.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    content_type = ContentType.objects.get_for_model(model)
    connection = connections[router.db_for_write(LogEntry)]
    fields = _insert_fields(LogEntry)
    prepare = _preparers(LogEntry, connection)
    fixed = {
        "content_type_id": content_type.pk,
        "action": action,
        "actor_id": actor.pk if actor is not None else None,
        "actor_email": getattr(actor, "email", None) or None,
    }
    template: list[Any] = []
    for field, prepared in zip(fields, prepare, strict=True):
        value = fixed[field.attname] if field.attname in fixed else field.get_default()
        template.append(prepared(value) if prepared is not None else value)
    at = {field.attname: index for index, field in enumerate(fields)}
    pk_at, id_at, repr_at, changes_at, time_at = (
        at["object_pk"],
        at["object_id"],
        at["object_repr"],
        at["changes"],
        at["timestamp"],
    )
    prepare_changes, prepare_time = prepare[changes_at], prepare[time_at]
    assert prepare_changes is not None and prepare_time is not None  # noqa: S101 - JSON and a time
    stamp = _clock(connection, prepare_time)
    rows = []
    for pk, representation, change in entries:
        row = template.copy()
        row[pk_at] = str(pk)
        row[id_at] = pk if isinstance(pk, int) else None
        row[repr_at] = representation
        row[changes_at] = prepare_changes(change)
        row[time_at] = stamp()
        rows.append(row)
    _execute_many(connection, LogEntry, fields, rows)


def _clock(connection: BaseDatabaseWrapper, prepare_time: Callable[[Any], Any]) -> Callable[[], Any]:
    """`prepare_time(timezone.now())` for each record, without reading the settings each time. On
    SQLite, whose connection keeps times in UTC, the text it stores is made directly (SQLite's
    `adapt_datetimefield_value` makes the time naive in UTC and takes `str`): a third of the
    cost of preparing a record."""
    if not settings.USE_TZ:
        return lambda: prepare_time(dt.datetime.now())  # noqa: DTZ005 - naive, as timezone.now() then
    if connection.vendor == "sqlite" and connection.timezone == dt.UTC:
        now = dt.datetime.now
        return lambda: str(now(dt.UTC).replace(tzinfo=None))
    return lambda: prepare_time(dt.datetime.now(dt.UTC))


@functools.cache
def _concrete_fields(model: type[Model]) -> tuple[tuple[str, str], ...]:
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    return tuple((field.name, field.attname) for field in fields)


def created_changes(instance: Model) -> dict[str, list[str]]:
    """What django-auditlog records for a created object (`{"field": ["None", "value"]}`, a
    foreign key as its id, a time in UTC), for `log_bulk`: its own diff reads every reverse
    relation too and takes half a millisecond an object."""
    model = type(instance)
    return created_changes_of(model, _read_concrete(model)(instance))


@functools.cache
def _read_concrete(model: type[Model]) -> Callable[[Model], tuple[Any, ...]]:
    return operator.attrgetter(*(attname for _, attname in _concrete_fields(model)))


def created_changes_of(model: type[Model], values: Sequence[Any]) -> dict[str, list[str]]:
    """`created_changes` of an object given as the values of its concrete fields, in order."""
    changes: dict[str, list[str]] = {}
    for (name, _), value in zip(_concrete_fields(model), values, strict=True):
        if value is None:
            continue
        changes[name] = ["None", _utc_text(value) if isinstance(value, dt.datetime) else str(value)]
    return changes


@functools.lru_cache(maxsize=16)
def _utc_text(value: dt.datetime) -> str:
    # the objects written together share their auto_now time: converted once
    if not timezone.is_naive(value):
        value = timezone.make_naive(value, timezone=dt.UTC)
    return str(value)


def _overrides_nothing(field: Field[Any, Any], base: type[Field[Any, Any]]) -> bool:
    """`field` prepares its values as `base` does (the classes below `base` add other things)."""
    kind = type(field)
    return (
        isinstance(field, base)
        and kind.get_prep_value is base.get_prep_value
        and kind.get_db_prep_value is base.get_db_prep_value
        and kind.get_db_prep_save is Field.get_db_prep_save
    )


def _preparer(field: Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    """How a value of `field` becomes a query parameter, as `get_db_prep_save` makes it, without
    its dispatch per value; None when the value goes as it is. The values given to `insert_many`,
    `create_many` and `log_entries` are already of the field's Python type (what `to_python`
    returns), so `get_prep_value`'s conversions have nothing to do."""
    ops = connection.ops
    if isinstance(field, models.ForeignKey):
        return _preparer(field.target_field, connection)
    if isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return None  # an id: `AutoFieldMixin.get_db_prep_value` checks it, nothing else
    if _overrides_nothing(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if _overrides_nothing(field, models.DateField):
        return ops.adapt_datefield_value
    if (
        isinstance(field, models.JSONField)
        and type(field).get_db_prep_value is models.JSONField.get_db_prep_value
    ):
        adapt, encoder = ops.adapt_json_value, field.encoder
        return lambda value: None if value is None else adapt(value, encoder)  # None is SQL NULL
    if _overrides_nothing(field, models.IntegerField):
        if type(ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value:
            return None
        return functools.partial(ops.adapt_integerfield_value, internal_type=field.get_internal_type())
    if _overrides_nothing(field, models.CharField) or _overrides_nothing(field, models.TextField):
        return None
    if _overrides_nothing(field, models.BooleanField):
        return None
    return functools.partial(field.get_db_prep_save, connection=connection)


def _insert_fields(model: type[Model]) -> list[Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _preparers(model: type[Model], connection: BaseDatabaseWrapper) -> list[Callable[[Any], Any] | None]:
    return [_preparer(field, connection) for field in _insert_fields(model)]


def _rows(
    objects: Sequence[Model],
    fields: Sequence[Field[Any, Any]],
    prepare: Sequence[Callable[[Any], Any] | None],
) -> list[tuple[Any, ...]]:
    """The query parameters of `objects`, as `bulk_create` makes them: `pre_save` of each field
    (an auto_now time is taken once for all the objects, as one statement writes them), then
    `get_db_prep_save`; column by column, so a value the same for every row is prepared once."""
    columns: list[list[Any]] = []
    for field, step in zip(fields, prepare, strict=True):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            now = field.pre_save(objects[0], True)
            for obj in objects[1:]:
                setattr(obj, field.attname, now)
            columns.append([step(now) if step is not None else now] * len(objects))
            continue
        if type(field).pre_save is Field.pre_save or isinstance(field, models.DateField):
            column = [getattr(obj, field.attname) for obj in objects]
        else:  # e.g. a file field saves its file here
            column = [field.pre_save(obj, True) for obj in objects]
        columns.append(column if step is None else [step(value) for value in column])
    return list(zip(*columns, strict=True))


def _execute_many(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    fields: Sequence[Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
) -> None:
    """INSERT the rows: on PostgreSQL by COPY, on SQLite as multi-row VALUES.

    PostgreSQL: psycopg's `executemany` sends each row as a statement of its own, its values
    quoted one by one on the client (Django's cursors bind on the client), which took more than
    half of an import's write there; COPY sends them in one stream, each value made text by
    psycopg's own dumpers (in C).

    SQLite: `executemany` steps its statement once a row and releases and retakes the GIL each
    time. Beside a busy thread (a matching run stores one proposal while the other is solved)
    2,000 rows took 40 ms, most of it waiting for the GIL, against 4 ms as multi-row VALUES;
    alone, 11 against 4 ms. As many rows a statement as SQLite's limits on parameters and on
    the length of a statement allow."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            columns = ", ".join(quote(field.column) for field in fields)
            # the statement is ours: quoted names of the model's table and columns
            statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            # COPY is psycopg's own cursor's: logged as one query where Django logs them (DEBUG,
            # query counts in tests), as the executemany was
            logged = cursor.debug_sql(statement) if hasattr(cursor, "debug_sql") else nullcontext()
            with logged, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        head = f"{_insert_head(connection, model, fields)}VALUES "
        row_placeholders = _placeholders(fields)
        per_statement = _values_rows_per_statement(connection, len(head), len(row_placeholders), len(fields))
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            values = ", ".join([row_placeholders] * len(batch))
            cursor.execute(f"{head}{values}", [value for row in batch for value in row])


def _values_rows_per_statement(
    connection: BaseDatabaseWrapper, head_length: int, row_length: int, columns: int
) -> int:
    """Rows a multi-row `INSERT … VALUES` may carry: its parameters within the database's limit
    and, on SQLite, its text (each row's placeholders and the ", " between rows) within the
    compiled length limit."""
    by_params = _max_params(connection) // columns
    if connection.vendor != "sqlite":
        return max(1, by_params)
    # connected: `_max_params` has asked SQLite for its other limit
    max_length = int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH))
    return max(1, min(by_params, (max_length - head_length) // (row_length + 2)))


def _insert_head(
    connection: BaseDatabaseWrapper, model: type[Model], fields: Sequence[Field[Any, Any]]
) -> str:
    quote = connection.ops.quote_name
    return f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - quoted names; values are parameters


def _placeholders(fields: Sequence[Field[Any, Any]]) -> str:
    return f"({', '.join(['%s'] * len(fields))})"


def _unnest(connection: BaseDatabaseWrapper, fields: Sequence[Field[Any, Any]]) -> str | None:
    """PostgreSQL: the rows as one array a column, `SELECT * FROM UNNEST(…)`, as `bulk_create`
    sends them (Django 5.2): one parameter a column instead of one a value, which psycopg would
    otherwise quote value by value and the server plan row by row. None where that does not
    apply (other databases, fields whose type has no array of its own)."""
    if connection.vendor != "postgresql" or any(
        hasattr(field, "get_placeholder")
        or (field.target_field if field.is_relation else field).get_internal_type()  # type: ignore[attr-defined]
        not in connection.data_types
        for field in fields
    ):
        return None
    # without the lengths (varchar, not varchar(50)), as Django does: nothing is cut short
    db_types = [str(field.db_type(connection)).split("(")[0] for field in fields]
    return f"SELECT * FROM UNNEST({', '.join(f'(%s)::{db_type}[]' for db_type in db_types)})"  # noqa: S608 - types of our fields


def insert_many(objects: Iterable[Model]) -> None:
    """INSERT rows whose ids nobody reads back (audit records, m2m links) in as few statements
    as the database takes (`_execute_many`): `bulk_create` compiles its SQL value by value,
    which costs more than the database's own work. Fields are prepared as `bulk_create`
    prepares them; no signals."""
    rows = list(objects)
    if not rows:
        return
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    fields = _insert_fields(model)
    _execute_many(connection, model, fields, _rows(rows, fields, _preparers(model, connection)))


class EncodedJSON(str):
    """A JSON field's value given to `insert_values` already written as JSON text: it is stored
    as it is, not encoded again (a matching run writes each pair's factors, thousands of rows,
    with one format string in a third of the time of `json.dumps` of each)."""


def _passing_encoded(step: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: str(value) if type(value) is EncodedJSON else step(value)


def insert_values(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """`insert_many` of rows given as values of their fields' Python types, one a named field
    (by attname: `proposal_id`) in the order of `names`: no model object is made a row (a
    matching run writes thousands of pairs, whose objects cost more than their INSERT). Every
    field but the id is named, so no default is left to fill, and none sets its value when
    saved (auto_now, files)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    by_attname = {field.attname: field for field in _insert_fields(model)}
    if sorted(names) != sorted(by_attname):
        raise ValueError(f"name every field of {model.__name__} but its id: {sorted(by_attname)}")
    fields = [by_attname[name] for name in names]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise ValueError(f"{field.name} is set when saved: use insert_many")
        if type(field).pre_save is not Field.pre_save and not isinstance(field, models.DateField):
            raise ValueError(f"{field.name} is set when saved: use insert_many")
    # A float goes as it is: FloatField's preparation is float(value), and the values are given
    # as floats (as insert_many's are of their field's Python type).
    steps = [
        None if _overrides_nothing(field, models.FloatField) else _preparer(field, connection)
        for field in fields
    ]
    steps = [
        _passing_encoded(step) if step is not None and isinstance(field, models.JSONField) else step
        for field, step in zip(fields, steps, strict=True)
    ]
    if any(step is not None for step in steps):
        columns = [
            list(column) if step is None else [step(value) for value in column]
            for step, column in zip(steps, zip(*rows, strict=True), strict=True)
        ]
        rows = list(zip(*columns, strict=True))
    _execute_many(connection, model, fields, rows)


def create_many(objects: Sequence[Model], *, batch_size: int | None = None) -> None:
    """`bulk_create` for new objects whose ids are needed (they are set on the objects): one
    multi-row `INSERT … RETURNING` per batch, the SQL built once and the values prepared field
    kind by field kind instead of by Django's compiler value by value. No signals, like
    `bulk_create`; the ids come back in the order of the rows, as `bulk_create` takes them.
    `batch_size`: rows a statement at most; by default as many as the database takes in one."""
    if not objects:
        return
    model = type(objects[0])
    connection = connections[router.db_for_write(model)]
    assert connection.features.can_return_rows_from_bulk_insert  # noqa: S101 - PostgreSQL, SQLite 3.35+
    fields = _insert_fields(model)
    unnest = _unnest(connection, fields)
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 - a concrete model
    head = _insert_head(connection, model, fields)
    placeholders = _placeholders(fields)
    returning = f" RETURNING {connection.ops.quote_name(pk.column)}"
    # UNNEST takes one parameter a column, whatever the number of rows: only `batch_size` cuts
    # the statements there; a VALUES list, one parameter a value, is cut by the database's limits.
    per_statement = (
        len(objects)
        if unnest is not None
        else _values_rows_per_statement(
            connection, len(head) + len("VALUES ") + len(returning), len(placeholders), len(fields)
        )
    )
    if batch_size is not None:
        per_statement = min(per_statement, batch_size)
    per_statement = max(1, per_statement)
    prepare = _preparers(model, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_statement):
            batch = objects[start : start + per_statement]
            rows = _rows(batch, fields, prepare)
            if unnest is not None:
                cursor.execute(
                    head + unnest + returning, [list(column) for column in zip(*rows, strict=True)]
                )
            else:
                cursor.execute(
                    f"{head}VALUES {', '.join([placeholders] * len(rows))}{returning}",
                    [value for row in rows for value in row],
                )
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
            assert len(ids) == len(batch)  # noqa: S101 - one id a row
            for obj, pk_value in zip(batch, ids, strict=True):
                obj.pk = pk_value
                obj._state.adding = False
                obj._state.db = connection.alias


def _max_params(connection: BaseDatabaseWrapper) -> int:
    """How many parameters one statement may carry: SQLite's limit as compiled (Django assumes
    the old default of 999), PostgreSQL's protocol limit."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return connection.features.max_query_params or 65_535
