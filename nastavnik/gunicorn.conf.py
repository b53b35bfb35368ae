"""Production server settings for gunicorn, read from the environment.

    gunicorn -c nastavnik/gunicorn.conf.py nastavnik.wsgi

deploy/nastavnik.service runs exactly this behind nginx (deploy/nginx.conf). Each setting has an
environment variable; the defaults fit one school server or a small municipality.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# nginx on the same machine talks to 127.0.0.1:8000; never expose gunicorn itself.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# 2 × CPU + 1 synchronous workers (the usual rule for requests that wait on the database),
# capped: every worker holds a database connection and the memory of a Django process (~120 MB).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, _int("GUNICORN_MAX_WORKERS", 9)))
# The slowest legitimate request is the region's annual report (seconds, not minutes); a worker
# stuck longer is killed and replaced rather than holding a slot for ever.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then (any slow leak stays bounded); the jitter keeps them from all
# restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The proxy whose X-Forwarded-Proto is believed: the same list the application uses for the
# client address (settings.TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The worker heartbeat in memory, not on a disk that may stall (as gunicorn's documentation
# advises for containers and busy disks); gunicorn makes its files there with mkstemp.
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", SHM if os.path.isdir(SHM) else None)
# No control socket in the home directory: systemd manages the process, and two instances on
# one machine (a test copy, the benchmark) must not fight over one socket.
control_socket_disable = True
proc_name = "nastavnik"
