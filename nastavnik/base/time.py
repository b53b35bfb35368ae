"""Local dates: Russia spans eleven time zones, so «today» belongs to an organisation."""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone


class HasTimezone(Protocol):
    timezone: str


def today_in(tz_name: str | None = None) -> dt.date:
    """Today's date in the named time zone (the project's default zone when None)."""
    tz = ZoneInfo(tz_name) if tz_name else timezone.get_current_timezone()
    return timezone.now().astimezone(tz).date()


def local_today(organisation: HasTimezone | None = None) -> dt.date:
    """Today in the organisation's time zone (Russia spans 11 of them)."""
    return today_in(organisation.timezone if organisation else None)


def years_before(day: dt.date, years: int) -> dt.date:
    """The date `years` years before `day`; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def full_years_between(start: dt.date, day: dt.date) -> int:
    """Whole years from `start` to `day` (an age, a length of service); negative before `start`."""
    before_anniversary = (day.month, day.day) < (start.month, start.day)
    return day.year - start.year - int(before_anniversary)


def until_end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the active time zone: `field__lt=until_end_of(day)` keeps
    the rows of `field__date__lte=day`, but compares the stored value itself. On SQLite `__date`
    casts every row in a Python function (most of the time of the demo's monitoring stage 2),
    and no index on the field can serve it."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())
