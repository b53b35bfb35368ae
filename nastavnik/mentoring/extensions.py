"""Extension points of mentoring for the apps above it (they connect in `AppConfig.ready()`).

- `my_page_panels(sender=None, request=…)`: receivers return an HTML fragment (a SafeString) to
  show in «Мой кабинет», or "" when the user has nothing there (the calendar feed, messengers).
- `item_links(sender=None, user=…, item=…)`: receivers return a list of (label, url) links for a
  meeting or program event page that the user may open («в календарь»), or []."""

from __future__ import annotations

from typing import Any, cast

from django.dispatch import Signal
from django.utils.safestring import SafeString, mark_safe

my_page_panels = Signal()
item_links = Signal()


def panels_for(request: Any) -> SafeString:
    parts = [str(html) for _, html in my_page_panels.send(sender=None, request=request) if html]
    return mark_safe("".join(parts))  # noqa: S308 — each receiver renders an escaped template


def links_for(user: Any, item: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for _, links in item_links.send(sender=None, user=user, item=item):
        found.extend(cast(list[tuple[str, str]], links or []))
    return found
