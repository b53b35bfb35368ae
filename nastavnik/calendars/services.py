"""Writes: renew (or first create) and revoke the user's feed address."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as

from .models import CalendarFeed


def feed_renew(*, acting_user: User) -> CalendarFeed:
    """A new secret address; the previous one stops working at once."""
    with transaction.atomic(), acting_as(acting_user):
        feed, _ = CalendarFeed.objects.get_or_create(
            user=acting_user, defaults={"token": secrets.token_urlsafe(32)}
        )
        if not _:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token"])
    return feed


def feed_revoke(*, acting_user: User) -> None:
    with transaction.atomic(), acting_as(acting_user):
        for feed in CalendarFeed.objects.filter(user=acting_user):
            feed.delete()


def feed_touch(feed: CalendarFeed) -> None:
    """Remember when a calendar last read the feed (no audit: it is not a change by a person)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
