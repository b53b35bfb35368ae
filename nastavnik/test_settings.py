"""Settings for the test suite: a developer's settings, whatever the shell exports."""

import os

os.environ.setdefault("NASTAVNIK_DEV", "1")

from nastavnik.settings import *  # noqa: E402, F403

# Login protection counts failures across tests (and `Client.login()` passes no request, which
# django-axes refuses): only the lockout tests turn it on.
AXES_ENABLED = False

# Background tasks run at once, in the request that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

# Passwords hashed the cheap way: the production hasher (PBKDF2, a million rounds) takes about a
# second per password on a busy CI machine, and the demo alone sets nineteen of them, in every
# test that loads it. The tests of passwords check behaviour (accepted, changed, refused), which
# does not depend on the algorithm.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
