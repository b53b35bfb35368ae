"""Signing in with a login slip: the login and the one-time code printed on it.

An authentication backend rather than a view of its own, so that `authenticate()` reports a
wrong code like a wrong password (the `user_login_failed` signal login protection listens to)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User
from .services import slip_code_redeem


class AccessCodeBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        access_code: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not access_code:
            return None
        user = slip_code_redeem(username=username, code=access_code)
        return user if user is not None and self.user_can_authenticate(user) else None
