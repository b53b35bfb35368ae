"""One way to hold an upload between its preview and its import (class lists, roadmaps).

    token = hold_upload(data, "roadmap", name="карта.docx")   # the caller keeps the token in the session
    data = read_held(token)                                   # HeldUploadMissing if gone
    discard_held(token)

Held files live in the private storage (`held/<uuid4 hex><extension>`), never under MEDIA_ROOT;
`manage.py cleanup_uploads` (cron) removes those older than `HELD_UPLOAD_MAX_AGE_HOURS`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from .files import private_storage

HELD_FOLDER = "held"
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,5})?$")


class HeldUploadMissing(Exception):
    """The held upload is gone (imported, cancelled or cleaned up); the message is for the user."""

    def __init__(self) -> None:
        hours = settings.HELD_UPLOAD_MAX_AGE_HOURS
        self.message = f"Загруженный файл не найден (возможно, прошло больше {hours} ч): загрузите его снова."
        super().__init__(self.message)


def _path(token: str) -> str:
    if not isinstance(token, str) or not _TOKEN_RE.match(token):
        raise HeldUploadMissing
    return f"{HELD_FOLDER}/{token}"


def hold_upload(data: bytes, kind: str, *, name: str) -> str:
    """Keep an upload's bytes (already checked by the caller) and return its token. `kind` names
    what it waits for ("class-list", "roadmap"), for the logs of the storage."""
    suffix = PurePosixPath(name).suffix.lower()
    if not re.match(r"^\.[a-z0-9]{1,5}$", suffix):
        suffix = ""
    token = f"{uuid.uuid4().hex}{suffix}"
    saved = private_storage().save(_path(token), ContentFile(data))
    assert saved == _path(token), f"held {kind} upload saved under an unexpected name {saved!r}"
    return token


def read_held(token: str) -> bytes:
    storage = private_storage()
    path = _path(token)
    try:
        with storage.open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise HeldUploadMissing from None


def discard_held(token: str) -> None:
    try:
        path = _path(token)
    except HeldUploadMissing:
        return
    private_storage().delete(path)


def discard_stale_held(max_age: dt.timedelta) -> int:
    """Remove held uploads older than `max_age`; returns how many."""
    storage = private_storage()
    folder = Path(storage.path(HELD_FOLDER))
    if not folder.is_dir():
        return 0
    cutoff = (timezone.now() - max_age).timestamp()
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
