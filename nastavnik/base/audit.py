"""Who did it: every service that writes personal data runs inside `acting_as(user)`.

django-auditlog records each change of a registered model (field diffs, time). Its own
`set_actor` context is not safe to nest (the request middleware already opened one), so we keep
the acting user in a context variable of our own and fill in the log entry's actor from it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
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
    actor = actor if actor is not None else _acting_user.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    content_type = ContentType.objects.get_for_model(type(instances[0]))
    insert_many(
        LogEntry(
            content_type=content_type,
            object_pk=str(instance.pk),
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            object_repr=describe(instance),
            action=action,
            changes=changes(instance),
            actor=actor,
            actor_email=getattr(actor, "email", None) or None,
        )
        for instance in instances
    )


@functools.cache
def _concrete_fields(model: type[Model]) -> tuple[tuple[str, str], ...]:
    fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
    return tuple((field.name, field.attname) for field in fields)


def created_changes(instance: Model) -> dict[str, list[str]]:
    """What django-auditlog records for a created object (`{"field": ["None", "value"]}`, a
    foreign key as its id, a time in UTC), for `log_bulk`: its own diff reads every reverse
    relation too and takes half a millisecond an object."""
    changes: dict[str, list[str]] = {}
    for name, attname in _concrete_fields(type(instance)):
        value = getattr(instance, attname)
        if value is None:
            continue
        if isinstance(value, dt.datetime) and not timezone.is_naive(value):
            value = timezone.make_naive(value, timezone=dt.UTC)
        changes[name] = ["None", str(value)]
    return changes


def insert_many(objects: Iterable[Model]) -> None:
    """INSERT rows whose ids nobody reads back (audit records) with one prepared statement
    (`executemany`): `bulk_create` compiles its SQL value by value, which costs more than the
    database's own work. Fields are prepared as `bulk_create` prepares them; no signals."""
    rows = list(objects)
    if not rows:
        return
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - quoted names; values are parameters
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [
        [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
