"""Refuse link guessing: after too many unknown tokens from one address within a window, every
personal-link request from that address gets a 429 page until the window ends.

The counter lives in Django's cache (the local-memory cache by default: per process; configure a
shared cache such as Redis or the database cache when running several processes)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# Bad tokens allowed per address, and the window in seconds (settings may override).
DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 15 * 60


def _limit() -> int:
    return int(getattr(settings, "SURVEY_LINK_FAILURE_LIMIT", DEFAULT_LIMIT))


def _window() -> int:
    return int(getattr(settings, "SURVEY_LINK_FAILURE_WINDOW", DEFAULT_WINDOW))


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(address: str) -> str:
    return f"surveys:bad-link:{address}"


def is_blocked(request: HttpRequest) -> bool:
    return int(cache.get(_key(client_address(request)), 0)) >= _limit()


def record_failure(request: HttpRequest) -> None:
    key = _key(client_address(request))
    # add() sets the window only on the first failure; incr() keeps it.
    cache.add(key, 0, timeout=_window())
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=_window())


def retry_after_seconds() -> int:
    return _window()
