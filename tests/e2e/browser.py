"""What the browser tests do alike: sign in through the login form, and check that a page is no
wider than the screen."""

from __future__ import annotations

from typing import Any

from tests.factories import PASSWORD


def log_in(page: Any, live_server: Any, user: Any) -> None:
    """Sign `user` in (a factory's user, whose password is `PASSWORD`) and wait for the home page."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def fits(page: Any, width: int = 390) -> bool:
    """Nothing on the page is wider than a screen of `width` pixels."""
    return bool(page.evaluate("document.documentElement.scrollWidth") <= width)
