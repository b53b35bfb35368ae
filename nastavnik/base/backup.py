"""Backup and restore of a whole instance: the database and every folder of uploaded files, in
one archive (`manage.py backup`, `manage.py restore`).

The archive is a .tar.gz with
- manifest.json: the format, the version of «Наставник», the database engine, the last applied
  migration of each app, and the number of rows of every model (the restore checks them);
- the database in the engine's own format, so a restore brings back exactly what was there,
  audit log included, without running a single save() (loading fixtures through the ORM fires
  django-auditlog's signals: 5,515 made-up history entries for the demo region):
  SQLite — a copy made by SQLite's online backup API (consistent while the site runs);
  PostgreSQL — `pg_dump --format=custom` (from PATH or /usr/lib/postgresql/<version>/bin),
  or, where pg_dump is missing, Django's dumpdata, loaded back with the audit log switched off
  (as XML: Django's JSON cuts the audit log's times to milliseconds); `--portable` writes that
  dump on any engine, to move an instance from SQLite to PostgreSQL;
- files/<SETTING>/…: the folders named by the settings in FILE_ROOT_SETTINGS.

Models are found through django.apps, so this module imports nothing of the apps above it.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
# Folders of uploaded files, by the name of the setting that holds each (a setting the instance
# does not define is skipped): the private storage (consent scans, attachments, uploads held
# until their import: nastavnik.base.files and .uploads) and the public media folder.
FILE_ROOT_SETTINGS = ("PRIVATE_FILE_ROOT", "MEDIA_ROOT")
DUMP_SQLITE = "database.sqlite3"
DUMP_PG = "database.pgdump"
DUMP_PORTABLE = "database.xml"
ARCHIVE_PATTERN = "nastavnik-*.tar.gz"


class BackupError(Exception):
    """A refusal with a message for the operator (in Russian, as the commands speak)."""


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    counts: dict[str, int]
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: dict[str, int] = field(default_factory=dict)


def file_roots() -> dict[str, Path]:
    """The folders to back up, by setting name (one folder named twice is kept once)."""
    roots: dict[str, Path] = {}
    for name in FILE_ROOT_SETTINGS:
        value = getattr(settings, name, None)
        if value and Path(value).resolve() not in {p.resolve() for p in roots.values()}:
            roots[name] = Path(value)
    return roots


def model_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows of every model, many-to-many tables included, by label."""
    return {
        model._meta.label: model._base_manager.using(using).count()
        for model in apps.get_models(include_auto_created=True)
    }


def app_version() -> str:
    try:
        return metadata.version("nastavnik")
    except metadata.PackageNotFoundError:
        return "unknown"


def _migrations(connection: BaseDatabaseWrapper) -> dict[str, str]:
    last: dict[str, str] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        last[app_label] = max(last.get(app_label, name), name)
    return last


def pg_tool(name: str, connection: BaseDatabaseWrapper | None = None) -> str | None:
    """pg_dump / pg_restore: the server's major version first, then PATH, then the newest."""
    candidates = []
    version = getattr(connection, "pg_version", None)
    if version:
        candidates.append(f"/usr/lib/postgresql/{version // 10000}/bin/{name}")
    candidates.append(shutil.which(name) or "")
    candidates += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _pg_command(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    args = ["--no-owner", "--no-privileges", "--dbname", str(params["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args += [flag, str(params[key])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} завершился с ошибкой: {result.stderr.strip()}")


def _dump_sqlite(connection: BaseDatabaseWrapper, directory: Path) -> tuple[str, dict[str, int]]:
    connection.ensure_connection()
    target = sqlite3.connect(directory / DUMP_SQLITE)
    try:
        connection.connection.backup(target)
        # Counted in the copy itself: exactly what the archive holds.
        counts = {
            model._meta.label: target.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]  # noqa: S608
            for model in apps.get_models(include_auto_created=True)
        }
    finally:
        target.close()
    return DUMP_SQLITE, counts


def _dump_postgresql(
    connection: BaseDatabaseWrapper, directory: Path, pg_dump: str
) -> tuple[str, dict[str, int]]:
    args, env = _pg_command(connection)
    command = [pg_dump, "--format=custom", "--file", str(directory / DUMP_PG), *args]
    if connection.in_atomic_block:  # inside a caller's transaction: no snapshot to share
        counts = model_counts(connection.alias)
        _run(command, env)
        return DUMP_PG, counts
    # The counts and pg_dump read one snapshot, so the manifest describes exactly the dump.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = model_counts(connection.alias)
        _run([*command, f"--snapshot={snapshot}"], env)
    return DUMP_PG, counts


def _dump_portable(connection: BaseDatabaseWrapper, directory: Path) -> tuple[str, dict[str, int]]:
    with transaction.atomic(using=connection.alias):
        counts = model_counts(connection.alias)
        call_command(
            "dumpdata",
            natural_foreign=True,
            # Made by migrate itself; natural keys refer to them.
            exclude=["contenttypes", "auth.permission"],
            database=connection.alias,
            format="xml",
            output=str(directory / DUMP_PORTABLE),
            verbosity=0,
        )
    return DUMP_PORTABLE, counts


def _dump_database(
    connection: BaseDatabaseWrapper, directory: Path, portable: bool
) -> tuple[str, dict[str, int]]:
    if portable:
        return _dump_portable(connection, directory)
    if connection.vendor == "sqlite":
        return _dump_sqlite(connection, directory)
    if connection.vendor == "postgresql" and (pg_dump := pg_tool("pg_dump", connection)):
        return _dump_postgresql(connection, directory, pg_dump)
    return _dump_portable(connection, directory)


def backup_create(target: Path, *, portable: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the archive to `target` (through a temporary name: a half-written archive never
    looks like a backup); returns its manifest. `portable`: the database as Django's serialized
    data, which restores on any engine (moving from SQLite to PostgreSQL), slower than the engine's dump."""
    connection = connections[using]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nastavnik-backup-") as tmp:
        dump, counts = _dump_database(connection, Path(tmp), portable)
        roots = {name: path for name, path in file_roots().items() if path.is_dir()}
        manifest = {
            "format": FORMAT,
            "version": app_version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": dump,
            "migrations": _migrations(connection),
            "counts": counts,
            "folders": {name: sum(1 for p in path.rglob("*") if p.is_file()) for name, path in roots.items()},
        }
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(dt.datetime.now(dt.UTC).timestamp()), 0o600
            archive.addfile(info, fileobj=io.BytesIO(data))
            archive.add(Path(tmp) / dump, arcname=dump)
            for name, path in roots.items():
                archive.add(path, arcname=f"files/{name}")
        os.chmod(partial, 0o600)  # personal data: readable by the service account only
        os.replace(partial, target)
    return manifest


def backup_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives in `directory`; returns the deleted ones."""
    archives = sorted(directory.glob(ARCHIVE_PATTERN))
    doomed = archives[: max(0, len(archives) - keep)]
    for path in doomed:
        path.unlink()
    return doomed


def read_manifest(archive_path: Path) -> dict[str, Any]:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path}: в архиве нет {MANIFEST}.")
        manifest: dict[str, Any] = json.load(member)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: неизвестный формат архива {manifest.get('format')!r}.")
    return manifest


def database_is_empty(connection: BaseDatabaseWrapper) -> bool:
    """A fresh instance: no tables yet, or no users and no audit history."""
    tables = set(connection.introspection.table_names())
    for model in (get_user_model(), apps.get_model("auditlog", "LogEntry")):
        if model._meta.db_table in tables and model._base_manager.using(connection.alias).exists():
            return False
    return True


def _check_target(connection: BaseDatabaseWrapper, manifest: dict[str, Any], force: bool) -> list[str]:
    problems = []
    if manifest["database"] != DUMP_PORTABLE and manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Архив сделан на {manifest['engine']}, а база — {connection.vendor}: восстановите на той же СУБД."
        )
    if not database_is_empty(connection):
        problems.append("в базе уже есть пользователи или журнал изменений")
    roots = file_roots()
    for name in manifest["folders"]:
        if name not in roots:
            raise BackupError(f"В архиве есть папка {name}, но этот экземпляр её не настраивает.")
        if roots[name].is_dir() and any(roots[name].iterdir()):
            problems.append(f"папка {roots[name]} ({name}) не пуста")
    if problems and not force:
        raise BackupError(
            "Восстановление делается в новый, пустой экземпляр: " + "; ".join(problems) + ". "
            "Чтобы заменить данные, добавьте --force."
        )
    return problems


def _restore_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Page by page over whatever the target held: the same bytes, tables and rows.
        source.backup(connection.connection)
    finally:
        source.close()
        connection.close()


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    pg_restore = pg_tool("pg_restore", connection)
    if pg_restore is None:
        raise BackupError("Не найден pg_restore (пакет postgresql-client).")
    connection.ensure_connection()
    args, env = _pg_command(connection)
    connection.close()
    _run(
        [pg_restore, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", *args, str(dump)],
        env,
    )


def _restore_portable(connection: BaseDatabaseWrapper, dump: Path) -> None:
    from auditlog.context import disable_auditlog

    call_command("migrate", database=connection.alias, interactive=False, verbosity=0)
    call_command("flush", database=connection.alias, interactive=False, verbosity=0)
    # Loading saves every object through the ORM: without this, each one would add a history
    # entry that never happened.
    with disable_auditlog():
        call_command("loaddata", str(dump), database=connection.alias, verbosity=0)


def _restore_folder(archive: tarfile.TarFile, name: str, root: Path) -> int:
    prefix = f"files/{name}"
    members = [m for m in archive.getmembers() if m.name == prefix or m.name.startswith(prefix + "/")]
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(staging, members=members, filter="data")
        if root.exists():
            shutil.rmtree(root)
        (staging / prefix).replace(root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sum(1 for m in members if m.isfile())


def backup_restore(
    archive_path: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreReport:
    """Bring an archive back into this instance: its database, then its folders; then migrate
    (an archive of an older version) and compare the rows with the manifest."""
    manifest = read_manifest(archive_path)
    connection = connections[using]
    _check_target(connection, manifest, force)
    folders: dict[str, int] = {}
    with tarfile.open(archive_path, "r:gz") as archive, tempfile.TemporaryDirectory() as tmp:
        archive.extractall(tmp, members=[archive.getmember(manifest["database"])], filter="data")
        dump = Path(tmp) / manifest["database"]
        restorers = {
            DUMP_SQLITE: _restore_sqlite,
            DUMP_PG: _restore_postgresql,
            DUMP_PORTABLE: _restore_portable,
        }
        restorers[manifest["database"]](connection, dump)
        roots = file_roots()
        for name in manifest["folders"]:
            folders[name] = _restore_folder(archive, name, roots[name])
    call_command("migrate", database=using, interactive=False, verbosity=0)
    counts = model_counts(using)
    differences = {
        label: (expected, counts[label])
        for label, expected in manifest["counts"].items()
        if label in counts and counts[label] != expected
    }
    return RestoreReport(manifest=manifest, counts=counts, differences=differences, folders=folders)
