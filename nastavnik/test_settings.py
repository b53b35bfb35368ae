"""Settings for the test suite: a developer's settings, whatever the shell exports."""

import os

os.environ.setdefault("NASTAVNIK_DEV", "1")

from nastavnik.settings import *  # noqa: E402, F403
