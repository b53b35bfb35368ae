"""Stored files leave the disk with the rows that held them.

A consent scan, a roadmap result or an order PDF names a child. Django deletes rows, never
their files: a roadmap deleted with its events, an event marked not done again (its completions
go), a result replaced by a newer upload, a program deleted in the back office with its runs —
each left the file on the disk, unreachable through the product and outside erasure.

`connect_file_cleanup()` (called once the models are loaded, in `BaseConfig.ready`) hooks
every model with a `FileField`:

- a row deleted (also by a cascade or a queryset's `delete()`: a receiver turns Django's fast
  delete off for the model) — its files are discarded;
- a row saved with another file name than the one it was loaded with (an upload replacing the
  old file, or the field emptied) — the old file is discarded.

A file is discarded *after the commit* (a rolled-back deletion keeps it) and only when no row of
any model names it any more: two rows may share one stored file (an event keeps the result
of its last completion under the same name), and a row restored from a backup names its file
again. Erasure deletes a person's files itself, at once; discarding a missing file does nothing.
"""

from __future__ import annotations

import logging
from functools import cache, partial
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_init, post_save

logger = logging.getLogger(__name__)

# The names an object's file fields had when it was loaded (or last saved), on the object.
_LOADED = "_stored_file_names"


@cache  # asked on every load, save and delete of such a row; the models do not change
def file_fields(model: type[models.Model]) -> tuple[models.FileField, ...]:
    return tuple(f for f in model._meta.concrete_fields if isinstance(f, models.FileField))


def _names(instance: models.Model, fields: tuple[models.FileField, ...]) -> dict[str, str]:
    """The stored file names of the object's loaded file fields. A deferred field is not in
    `__dict__` (reading it would cost a query); a new upload not yet saved is no stored file
    (its name is the sender's, not one in the storage)."""
    values = instance.__dict__
    names = {}
    for field in fields:
        name = _stored_name(values.get(field.attname))
        if name is not None:
            names[field.attname] = name
    return names


def _stored_name(value: Any) -> str | None:
    if isinstance(value, str):  # as the row was read
        return value
    if isinstance(value, FieldFile) and getattr(value, "_committed", False):
        return value.name or ""
    return None


def is_referenced(storage: Storage, name: str, using: str) -> bool:
    """Whether any row of any model names the file `name` of `storage`."""
    for model in apps.get_models():
        for field in file_fields(model):
            if field.storage is not storage:
                continue
            if model._base_manager.using(using).filter(**{field.attname: name}).exists():
                return True
    return False


def discard_unreferenced_file(storage: Storage, name: str, using: str) -> bool:
    """Delete the stored file `name` unless a row still names it; True when it was deleted."""
    if not name or is_referenced(storage, name, using):
        return False
    try:
        storage.delete(name)
    except OSError:
        # The rows are committed already: a file that cannot go now is logged for the
        # administrator rather than failing the user's action after the fact.
        logger.exception("Could not delete the stored file %s", name)
        return False
    return True


def _discard_after_commit(storage: Storage, name: str, using: str) -> None:
    if name:
        transaction.on_commit(partial(discard_unreferenced_file, storage, name, using), using=using)


def _remember_names(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    setattr(instance, _LOADED, _names(instance, file_fields(sender)))


def _discard_replaced(
    sender: type[models.Model], instance: models.Model, raw: bool, using: str, **kwargs: Any
) -> None:
    fields = file_fields(sender)
    current = _names(instance, fields)
    loaded: dict[str, str] = getattr(instance, _LOADED, {})
    setattr(instance, _LOADED, current)
    if raw:  # loading fixtures or a backup: the files come with the rows
        return
    for field in fields:
        old = loaded.get(field.attname, "")
        if old and current.get(field.attname, old) != old:
            _discard_after_commit(field.storage, old, using)


def _discard_deleted(sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any) -> None:
    for field in file_fields(sender):
        name = _stored_name(instance.__dict__.get(field.attname))
        if name is None and field.attname not in instance.__dict__:
            # Deleted with this field deferred (a cascade loads every field, so the caller
            # deferred it): its name went with the row, and the file stays.
            logger.warning("A %s was deleted with its file field deferred", sender.__name__)
        elif name:
            _discard_after_commit(field.storage, name, using)


def connect_file_cleanup() -> None:
    for model in apps.get_models():
        if not file_fields(model):
            continue
        uid = f"nastavnik_file_cleanup_{model._meta.label_lower}"
        post_init.connect(_remember_names, sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(_discard_replaced, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_discard_deleted, sender=model, weak=False, dispatch_uid=uid)
