"""Local dates: Russia spans eleven time zones, so «today» belongs to an organisation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone


def today_in(tz_name: str | None = None) -> dt.date:
    """Today's date in the named time zone (the project's default zone when None)."""
    tz = ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
    return timezone.now().astimezone(tz).date()
