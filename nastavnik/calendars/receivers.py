"""What calendars adds to mentoring's pages (through `mentoring.extensions`)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from nastavnik.mentoring.models import Meeting, ProgramEvent

from .access import own_feed_of


def feed_panel(sender: Any, request: Any, **kwargs: Any) -> str:
    feed = own_feed_of(request.user)
    context: dict[str, Any] = {"feed": feed}
    if feed is not None:
        url = request.build_absolute_uri(reverse("calendars:feed", args=[feed.token]))
        context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
    return render_to_string("calendars/_my_panel.html", context, request=request)


def ics_links(sender: Any, user: Any, item: Any, **kwargs: Any) -> list[tuple[str, str]]:
    """Shown on a page the user already opened (the page checked the access)."""
    if isinstance(item, Meeting):
        return [("В календарь (.ics)", reverse("calendars:meeting_ics", args=[item.group_id, item.pk]))]
    if isinstance(item, ProgramEvent):
        return [("В календарь (.ics)", reverse("calendars:event_ics", args=[item.pk]))]
    return []
