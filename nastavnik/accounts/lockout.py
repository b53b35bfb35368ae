"""Login protection with django-axes: the client's address, the lockout page, unlocking, and
forgetting a person's login attempts when their data is erased.

django-axes counts failed logins per login name and per address (settings.AXES_*); these are the
pieces it calls back into, and the reads and writes the administration uses on a person's card.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nastavnik.base.http import client_address

from .models import User

logger = logging.getLogger(__name__)


def client_ip_address(request: HttpRequest) -> str:
    """The address axes counts: the same client address every limit uses (see base/http.py)."""
    return client_address(request)


def _minutes(delta: dt.timedelta | None) -> int:
    return max(1, round(delta.total_seconds() / 60)) if delta else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out login gets: the site's frame, in Russian, status 429."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": _minutes(get_cool_off(request)), "is_admin_login": request.path.startswith("/admin/")},
        status=429,
    )


def login_is_locked(user: User) -> bool:
    """Whether logging in as this user is refused now for too many wrong passwords."""
    if not settings.AXES_ENABLED:
        return False
    attempts = AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=get_failure_limit(None, None)
    )
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


def login_unlock(*, acting_user: User, user: User) -> int:
    """Forget the failed logins of this user (the caller checked `can_unlock_login`)."""
    removed = reset(username=user.get_username())
    logger.warning("Login of %s unlocked by %s (%d records)", user.get_username(), acting_user, removed)
    return removed


def login_attempts_forget(*, login_names: Iterable[str]) -> int:
    """Delete every record django-axes keeps of logins under these names (erasure, 152-ФЗ): the
    failed attempts (their rows hold the name and the form's fields), the failure log and the
    access log; the name is matched as typed, in any case. Returns how many rows went."""
    condition = Q()
    for name in {n.strip() for n in login_names if n and n.strip()}:
        condition |= Q(username__iexact=name)
    if not condition:
        return 0
    return sum(
        model.objects.filter(condition).delete()[0] for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )
