"""Demo: mentor1 and parent1 already subscribed their phones to their calendar feeds."""

from __future__ import annotations

import hashlib

from nastavnik.accounts.models import User

from .models import CalendarFeed

DEMO_FEED_USERS = ("mentor1", "parent1", "curator1")


def build_calendars_demo() -> int:
    made = 0
    for user in User.objects.filter(username__in=DEMO_FEED_USERS):
        # A deterministic address for the demo only (real ones come from secrets.token_urlsafe).
        token = hashlib.sha256(f"demo-feed-{user.username}".encode()).hexdigest()[:43]
        _, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
        made += created
    return made
