"""Who did it: every service that writes personal data runs inside `acting_as(user)`.

django-auditlog records each change of a registered model (field diffs, time). Its own
`set_actor` context is not safe to nest (the request middleware already opened one), so we keep
the acting user in a context variable of our own and fill in the log entry's actor from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.models import LogEntry

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
