"""The production set-up in deploy/: Django's deployment check passes with the documented
environment, gunicorn reads its settings from the environment, cron runs real commands."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def documented_environment() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "nastavnik.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_the_deployment_check_passes_with_the_documented_environment(tmp_path):
    # The test process's own switches stay out: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE,
    # which no deployment has.
    test_only = {"NASTAVNIK_DEV", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(documented_environment())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    # The check reads settings only; a throwaway SQLite file stands in for the PostgreSQL server.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr.upper()


def test_the_documented_environment_switches_https_on():
    env = documented_environment()
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ):
        assert env[name] == "1"
    assert int(env["SECURE_HSTS_SECONDS"]) >= 31536000
    assert env["PRIVATE_FILES_SERVE"] == "nginx"


def test_gunicorn_takes_2_cpus_plus_1_workers_capped_and_a_60_second_timeout(monkeypatch):
    for name in list(os.environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    config = runpy.run_path(str(ROOT / "nastavnik" / "gunicorn.conf.py"))
    assert config["workers"] == 5
    assert config["timeout"] == 60 and config["graceful_timeout"] == 30
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["bind"] == ["127.0.0.1:8000"]
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    assert runpy.run_path(str(ROOT / "nastavnik" / "gunicorn.conf.py"))["workers"] == 9
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(ROOT / "nastavnik" / "gunicorn.conf.py"))["workers"] == 3


def test_the_nginx_location_for_private_files_is_internal():
    config = (DEPLOY / "nginx.conf").read_text()
    block = re.search(r"location /_private/ \{(.*?)\}", config, re.S)
    assert block is not None
    assert "internal;" in block.group(1)
    # X-Accel-Redirect names a file of the private storage: nginx must look for it there.
    alias = re.search(r"^\s*alias (\S+);", block.group(1), re.M)
    assert alias is not None
    assert Path(alias.group(1)) == Path(documented_environment()["PRIVATE_FILE_ROOT"])
    assert alias.group(1).endswith("/")  # alias + the rest of the URI: the slash joins them
    assert not re.search(r"^\s*location /media/", config, re.M)  # it would publish the scans
    assert "client_max_body_size" in config and "Strict-Transport-Security" in config


def cron_lines() -> dict[str, tuple[str, str]]:
    """Each command of the cron file: (its five time fields, its arguments)."""
    lines = {}
    for line in (DEPLOY / "nastavnik.cron").read_text().splitlines():
        found = re.match(r"^((?:\S+\s+){5})nastavnik\s+\$M (\w+)(.*)$", line)
        if found:
            lines[found.group(2)] = (" ".join(found.group(1).split()), found.group(3).strip())
    return lines


@pytest.mark.parametrize(
    ("name", "when", "arguments"),
    [
        ("send_reminders", "daily", ""),
        ("send_survey_reminders", "daily", ""),
        ("send_meeting_reminders", "daily", ""),
        ("cleanup_uploads", "hourly", ""),  # HELD_UPLOAD_MAX_AGE_HOURS decides the age
        ("apply_retention", "daily", ""),  # not --dry-run: it anonymises
        ("backup", "daily", "--dir /var/backups/nastavnik --keep 14"),
    ],
)
def test_cron_runs_the_periodic_commands(name, when, arguments):
    schedule, given = cron_lines()[name]
    minute, hour, day, month, weekday = schedule.split()
    assert minute.isdigit() and (day, month, weekday) == ("*", "*", "*")
    assert hour.isdigit() if when == "daily" else hour == "*"
    assert given == arguments


def test_every_command_in_the_cron_file_exists():
    from django.core.management import get_commands

    assert set(cron_lines()) - set(get_commands()) == set()
