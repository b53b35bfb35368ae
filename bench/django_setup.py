"""Django for a benchmark run: the developer's settings on a throwaway SQLite file (re-created)
or, with `configured_db`, the database of DATABASE_URL; migrated, with the test environment's
in-memory e-mail, the test client's host and DEBUG off as in production (no query log)."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(db: Path, configured_db: bool) -> None:
    os.environ.setdefault("NASTAVNIK_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nastavnik.settings")
    if not configured_db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    call_command("migrate", verbosity=0)
