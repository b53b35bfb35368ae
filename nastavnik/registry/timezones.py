"""One organisation, one clock: every time shown to a user is in the time zone of their
organisation (`Organisation.timezone`; a municipality's or region's staff see their region's).

The zone is chosen once, at login (`remember_user_timezone`, connected in `apps.ready`), and kept
in the session, so a page costs no query for it; `UserTimezoneMiddleware` activates it for each
request. A page about one organisation's object that anyone may open (a survey link without an
account) activates that organisation's zone itself with `timezone.override`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nastavnik.accounts.models import RoleAssignment

from .models import Person

SESSION_KEY = "timezone"


def user_timezone_name(user: Any) -> str:
    """The zone of the user's organisation: that of their first role (an organisation's own zone,
    a municipality's or region's the region's), else of the person they are, else the default."""
    assignment = (
        RoleAssignment.objects.filter(user=user)
        .select_related("organisation", "municipality__region", "region")
        .order_by("pk")
        .first()
    )
    if assignment is not None:
        if assignment.organisation is not None:
            return assignment.organisation.timezone
        if assignment.municipality is not None:
            return assignment.municipality.region.timezone
        if assignment.region is not None:
            return assignment.region.timezone
    person = Person.objects.filter(user=user).select_related("organisation").first()
    return person.organisation.timezone if person is not None else settings.TIME_ZONE


def remember_user_timezone(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login: the user's zone into the session (the `user_logged_in` signal)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_timezone_name(user)


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class UserTimezoneMiddleware:
    """Activates the zone of the logged-in user's organisation for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:  # no session, no user: nothing to read
            name = request.session.get(SESSION_KEY)
            user = getattr(request, "user", None)
            if name is None and user is not None and user.is_authenticated:
                name = request.session[SESSION_KEY] = user_timezone_name(user)  # a session from before
            zone = _zone(name) if name else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
