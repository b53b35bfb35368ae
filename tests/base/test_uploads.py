"""Uploads held between preview and import: one private place, read back by token, removed by
`cleanup_uploads` once older than HELD_UPLOAD_MAX_AGE_HOURS (and what earlier versions left)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from nastavnik.base.uploads import HeldUploadMissing, discard_held, hold_upload, read_held


def test_a_held_upload_is_read_back_and_discarded(settings):
    token = hold_upload(b"data", "roadmap", name="Карта Иванова.DOCX")
    assert token.endswith(".docx") and "Иванов" not in token
    assert (Path(settings.PRIVATE_FILE_ROOT) / "held" / token).exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert read_held(token) == b"data"
    discard_held(token)
    with pytest.raises(HeldUploadMissing, match="загрузите его снова"):
        read_held(token)


@pytest.mark.parametrize("token", ["../../etc/passwd", "", "x" * 32, "0" * 32 + "/x"])
def test_a_forged_token_finds_nothing(token):
    with pytest.raises(HeldUploadMissing):
        read_held(token)


def test_cleanup_uploads_removes_old_and_abandoned_uploads_and_keeps_fresh_ones(settings):
    old = hold_upload(b"old", "class-list", name="7Б.xlsx")
    fresh = hold_upload(b"fresh", "roadmap", name="карта.docx")
    two_days_ago = time.time() - 48 * 3600
    os.utime(Path(settings.PRIVATE_FILE_ROOT) / "held" / old, (two_days_ago, two_days_ago))
    abandoned = Path(settings.MEDIA_ROOT) / "roadmap-imports" / "abc.docx"
    abandoned.parent.mkdir(parents=True)
    abandoned.write_bytes(b"preview left by an earlier version")

    call_command("cleanup_uploads")

    with pytest.raises(HeldUploadMissing):
        read_held(old)
    assert read_held(fresh) == b"fresh"
    assert not abandoned.exists()
    call_command("cleanup_uploads", hours=0)
    with pytest.raises(HeldUploadMissing):
        read_held(fresh)
