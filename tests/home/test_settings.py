"""Safe defaults: outside a developer machine there is no fallback secret key, yet the
command-line importer works on a plain checkout (it is how roadmaps are tried out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "fixtures" / "roadmaps" / "roadmap-school-cmn-2020.txt"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"NASTAVNIK_DEV", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_importer_command_runs_without_a_secret_key_or_developer_mode():
    result = run("manage.py", "import_roadmap", str(SEED), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["events"]) == 19


def test_the_web_application_refuses_to_start_without_a_secret_key():
    result = run("-c", "import nastavnik.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_postgresql_connections_run_without_jit(db):
    """One grouped query counts every indicator; PostgreSQL's JIT took seconds to compile it
    (and minutes at the size of a region) for a query that runs in milliseconds."""
    from django.db import connection

    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # the other database the suite runs on: no JIT there
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
