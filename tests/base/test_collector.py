"""The garbage collector around a worker's life: start-up objects frozen once the application is
loaded (`nastavnik.wsgi`), so a full collection walks only what requests left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_started_worker_has_its_start_up_objects_frozen_url_map_included():
    code = (
        "import gc\n"
        "assert gc.get_freeze_count() == 0\n"
        "import nastavnik.wsgi\n"
        "from django.urls import get_resolver\n"
        "resolver = get_resolver()\n"
        # the URL map was loaded before the freeze: it is among the frozen objects
        "assert resolver._populated, 'URL map not loaded before the freeze'\n"
        "print(gc.get_freeze_count())\n"
    )
    env = {**os.environ, "NASTAVNIK_DEV": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    # Django, the project's models and the URL map: tens of thousands of objects
    assert int(result.stdout.strip()) > 20_000
