from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from nastavnik.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `login_required` view receives (for the type checker)."""

    user: User
    htmx: HtmxDetails
