"""Until the owner of a new account (or of a reissued slip) sets their own password, every
page leads to the page where they set it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# What such a user may still open: the page itself, logging out, and files.
ALLOWED_URL_NAMES = frozenset({"password_setup", "logout"})


class PasswordSetupMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_set_password", False):
            path = request.path_info
            setup = reverse("password_setup")
            if path != setup and not self._allowed(path):
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return redirect(f"{setup}?{query}" if query else setup)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        if path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))):
            return True
        return path in {reverse(name) for name in ALLOWED_URL_NAMES}
