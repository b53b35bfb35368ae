"""Backup and restore: into a fresh database and fresh folders, a restore gives back every row of
every model, the audit log entry for entry (no made-up history) and every file — a consent scan
served by the restored instance's own view to the curator of its school — on the engine the
suite runs on (SQLite, or PostgreSQL when DATABASE_URL points at one)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from nastavnik.base.backup import BackupError, backup_create, backup_prune, backup_restore, read_manifest
from nastavnik.base.uploads import HELD_FOLDER, hold_upload
from nastavnik.registry.models import Consent
from tests.base.instance_snapshot import describe
from tests.builders import student, teacher

ROOT = Path(__file__).resolve().parents[2]
SCAN = b"%PDF-1.4\n% a scanned consent\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def instance(school_x, school_x_curator, settings):
    """A small instance with history and files: people, consents, one scan and one upload held
    for import (both in the private storage), one file in the public media folder."""
    student(school_x, 8, last_name="Петрова")
    anna = teacher(school_x, experience=2, last_name="Смирнова")
    anna.last_name = "Смирнова-Ковалёва"
    anna.save()  # an update in the audit log
    consent = Consent.objects.filter(subject=anna).first()
    consent.document.save("scan.pdf", ContentFile(SCAN))
    token = hold_upload(b"pending import", "class-list", name="Список 8А.xlsx")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "logo.png").write_bytes(b"public")
    assert LogEntry.objects.count() >= 4
    return {
        **describe(),
        "scan_url": reverse("registry:consent_document", args=[consent.pk]),
        "curator": school_x_curator.username,
        "held": f"{HELD_FOLDER}/{token}",
    }


class FreshInstance:
    """An empty database and empty folders, used through manage.py in subprocesses."""

    def __init__(self, tmp_path: Path):
        self.root = tmp_path / "restored"
        self.root.mkdir()
        self.database_url, self.drop = self._new_database()
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DJANGO_SETTINGS_MODULE", "PRIVATE_UPLOAD_ROOT"}
            },
            "NASTAVNIK_DEV": "1",
            "DJANGO_SETTINGS_MODULE": "nastavnik.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.root / "media"),
            "PRIVATE_FILE_ROOT": str(self.root / "private"),
            # Streamed by Django itself: the bytes are in the response.
            "PRIVATE_FILES_SERVE": "django",
        }

    def _new_database(self) -> tuple[str, str | None]:
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.root / 'db.sqlite3'}", None
        params = connection.settings_dict
        name = f"nastavnik_restore_{secrets.token_hex(4)}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
        return f"postgres://{auth}@{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{name}", name

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600
        )

    def restore(self, archive: Path) -> None:
        result = self.run("manage.py", "restore", str(archive))
        assert result.returncode == 0, result.stdout + result.stderr

    def describe(self) -> dict:
        result = self.run("-m", "tests.base.instance_snapshot")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def fetch_as(self, username: str, path: str) -> tuple[int, bytes]:
        """A page of the restored instance through its own URLs and views, as `username`."""
        body = self.root / "fetched"
        result = self.run("-m", "tests.base.fetch_as", username, path, str(body))
        assert result.returncode == 0, result.stderr
        return int(result.stdout.strip().splitlines()[-1]), body.read_bytes()

    def close(self) -> None:
        if self.drop:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.drop}" WITH (FORCE)')


@pytest.fixture
def fresh(tmp_path):
    target = FreshInstance(tmp_path)
    yield target
    target.close()


def test_a_restore_gives_back_every_row_the_audit_log_and_the_files(instance, fresh, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    manifest = backup_create(archive)
    assert manifest["database"] != "database.xml"  # the engine's own dump
    assert manifest["counts"] == instance["counts"]
    fresh.restore(archive)
    restored = fresh.describe()
    assert restored["counts"] == instance["counts"]
    assert restored["audit"] == instance["audit"]
    assert restored["files"] == instance["files"] and len(instance["files"]) == 1
    assert fresh.fetch_as(instance["curator"], instance["scan_url"]) == (200, SCAN)
    assert (fresh.root / "private" / instance["held"]).read_bytes() == b"pending import"
    assert (fresh.root / "media" / "logo.png").read_bytes() == b"public"


def test_a_portable_restore_makes_up_no_history(instance, fresh, tmp_path):
    """Loading Django's serialized data saves every object: with the audit log on, each save would add an
    entry that never happened (5,515 of them for the demo region)."""
    archive = tmp_path / "portable.tar.gz"
    assert backup_create(archive, portable=True)["database"] == "database.xml"
    fresh.restore(archive)
    restored = fresh.describe()
    assert restored["counts"] == instance["counts"]
    assert restored["audit"] == instance["audit"]
    assert restored["files"] == instance["files"]
    assert fresh.fetch_as(instance["curator"], instance["scan_url"]) == (200, SCAN)


def test_a_restore_refuses_an_instance_that_holds_data(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    with pytest.raises(BackupError, match="--force"):
        backup_restore(archive)
    assert describe() == {k: instance[k] for k in ("counts", "audit", "files")}


def test_the_archive_is_readable_by_the_service_account_only(instance, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    assert archive.stat().st_mode & 0o077 == 0
    # The private storage holds the scan and the held upload; the public folder its one file.
    assert read_manifest(archive)["folders"] == {"PRIVATE_FILE_ROOT": 2, "MEDIA_ROOT": 1}


def test_the_cron_form_names_archives_by_time_and_keeps_the_newest(db, tmp_path, capsys):
    for stamp in ("20260101-020000", "20260102-020000", "20260103-020000"):
        (tmp_path / f"nastavnik-{stamp}.tar.gz").write_bytes(b"old")
    call_command("backup", "--dir", str(tmp_path), "--keep", "2")
    kept = sorted(p.name for p in tmp_path.glob("nastavnik-*.tar.gz"))
    assert len(kept) == 2 and kept[0] == "nastavnik-20260103-020000.tar.gz"
    assert "удалён старый архив" in capsys.readouterr().out
    assert backup_prune(tmp_path, 5) == []
