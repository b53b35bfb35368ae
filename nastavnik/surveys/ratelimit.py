"""Refuse link guessing without locking out a whole school.

Unknown tokens are counted per client address and per token prefix: after too many bad tokens
starting like this one from one address within a window, that address gets a 429 page for links
that start so until the window ends. A pupil who mistypes a link blocks only links that begin
like it (a school's computer room shares one address); a client trying tokens at random meets a
second, higher limit on the whole address.

The client address is REMOTE_ADDR, or, when REMOTE_ADDR is one of settings.TRUSTED_PROXIES, the
address that proxy saw (the right-most untrusted entry of X-Forwarded-For): behind the HTTPS
proxy of deploy/ every respondent would otherwise share the proxy's address. The counters live
in Django's cache: the database cache of the settings, shared by every worker process.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from nastavnik.base.http import client_address

# Bad tokens allowed per address and token prefix, and the window in seconds (settings may
# override); the limit on the whole address is ADDRESS_FACTOR times higher.
DEFAULT_LIMIT = 20
DEFAULT_WINDOW = 15 * 60
ADDRESS_FACTOR = 10
# Tokens are 43 characters of URL-safe base64: 4 characters make 16 million groups, so two real
# links practically never share one.
PREFIX_LENGTH = 4


def _limit() -> int:
    return int(getattr(settings, "SURVEY_LINK_FAILURE_LIMIT", DEFAULT_LIMIT))


def _address_limit() -> int:
    return int(getattr(settings, "SURVEY_LINK_ADDRESS_FAILURE_LIMIT", _limit() * ADDRESS_FACTOR))


def _window() -> int:
    return int(getattr(settings, "SURVEY_LINK_FAILURE_WINDOW", DEFAULT_WINDOW))


def _keys(request: HttpRequest, token: str) -> tuple[str, str]:
    address = client_address(request)
    return f"surveys:bad-link:{address}:{token[:PREFIX_LENGTH]}", f"surveys:bad-link:{address}"


def is_blocked(request: HttpRequest, token: str) -> bool:
    prefix_key, address_key = _keys(request, token)
    counts = cache.get_many([prefix_key, address_key])
    return int(counts.get(prefix_key, 0)) >= _limit() or int(counts.get(address_key, 0)) >= _address_limit()


def _count(key: str) -> None:
    # add() sets the window only on the first failure; incr() keeps it.
    cache.add(key, 0, timeout=_window())
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=_window())


def record_failure(request: HttpRequest, token: str) -> None:
    for key in _keys(request, token):
        _count(key)


def retry_after_seconds() -> int:
    return _window()
