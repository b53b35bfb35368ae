"""iCalendar (RFC 5545) files, built with the `icalendar` library: the personal feed and the
«в календарь» file of one meeting or event. Times carry their organisation's zone (TZID with a
VTIMEZONE generated from the zone database); every item has a stable UID and the SEQUENCE of the
model, so a calendar that already holds it replaces it on a change or a cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from nastavnik.mentoring.models import Meeting, MeetingFormat, MeetingStatus, ProgramEvent

from .selectors import Deadline, FeedContent

UID_DOMAIN = "nastavnik"


def _site() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Наставник//Календарь наставничества//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_component(meeting: Meeting) -> Event:
    zone = ZoneInfo(meeting.group.program.organisation.timezone)
    start = meeting.starts_at.astimezone(zone)
    item = Event()
    item.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    item.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    item.add("dtstart", start)
    item.add("dtend", start + dt.timedelta(minutes=meeting.duration_minutes))
    item.add("summary", f"{meeting.get_kind_display()}: {meeting.topic}")
    where = "Онлайн" if meeting.format == MeetingFormat.ONLINE else "Очно"
    item.add("location", f"{where}, {meeting.place}" if meeting.place else where)
    item.add("description", f"Наставник: {meeting.group.mentor.person.full_name}")
    status = {MeetingStatus.CANCELLED: "CANCELLED"}.get(MeetingStatus(meeting.status), "CONFIRMED")
    item.add("status", status)
    url = reverse("mentoring:meeting_detail", args=[meeting.group_id, meeting.pk])
    if _site():
        item.add("url", _site() + url)
    return item


def event_component(event: ProgramEvent) -> Event:
    zone = ZoneInfo(event.program.organisation.timezone)
    start = event.starts_at.astimezone(zone)
    item = Event()
    item.add("uid", f"event-{event.pk}@{UID_DOMAIN}")
    item.add("sequence", event.sequence)
    item.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    item.add("last-modified", event.updated_at.astimezone(dt.UTC))
    item.add("dtstart", start)
    item.add("dtend", start + dt.timedelta(minutes=event.duration_minutes))
    item.add("summary", event.title)
    if event.place:
        item.add("location", event.place)
    description = event.program.title
    if event.is_cancelled:
        description = f"Отменено: {event.cancel_reason}\n{description}"
    item.add("description", description)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if _site():
        item.add("url", _site() + reverse("mentoring:event_detail", args=[event.pk]))
    return item


def deadline_component(deadline: Deadline, stamp: dt.datetime) -> Event:
    event = deadline.event
    item = Event()
    item.add("uid", f"roadmap-{event.pk}-{deadline.due_on:%Y%m%d}@{UID_DOMAIN}")
    item.add("dtstamp", stamp)
    item.add("dtstart", deadline.due_on)
    item.add("dtend", deadline.due_on + dt.timedelta(days=1))
    item.add("transp", "TRANSPARENT")
    item.add("summary", f"Срок: {event.number} {event.title}".replace("  ", " "))
    item.add("description", f"Дорожная карта «{deadline.roadmap.title}»")
    return item


def _with_zones(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def feed_ics(content: FeedContent, stamp: dt.datetime) -> bytes:
    calendar = _calendar("Наставник")
    for meeting in content.meetings:
        calendar.add_component(meeting_component(meeting))
    for event in content.events:
        calendar.add_component(event_component(event))
    for deadline in content.deadlines:
        calendar.add_component(deadline_component(deadline, stamp))
    return _with_zones(calendar)


def single_ics(items: Iterable[Event]) -> bytes:
    calendar = _calendar("Наставник")
    for item in items:
        calendar.add_component(item)
    return _with_zones(calendar)
