"""What a person's feed holds: the meetings of their pairs and the program events they are
invited to (the selection of the HTML calendar, `mentoring.calendars`), and for curators and
administrations the open deadlines of the roadmaps they keep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nastavnik.accounts.models import User
from nastavnik.mentoring.calendars import person_events, person_meetings
from nastavnik.mentoring.models import Meeting, ProgramEvent
from nastavnik.roadmaps.access import can_manage_roadmap, visible_roadmaps_for
from nastavnik.roadmaps.models import Roadmap, RoadmapEvent
from nastavnik.roadmaps.selectors import event_state, roadmap_events
from nastavnik.roadmaps.services import roadmap_today

# Deadlines this far back and ahead: a feed is re-read every few hours and must stay small.
DEADLINES_PAST_DAYS = 60
DEADLINES_AHEAD_DAYS = 400


@dataclass(frozen=True)
class Deadline:
    event: RoadmapEvent
    roadmap: Roadmap
    due_on: dt.date


@dataclass
class FeedContent:
    meetings: list[Meeting]
    events: list[ProgramEvent]
    deadlines: list[Deadline]


def managed_roadmaps(user: User) -> list[Roadmap]:
    roadmaps = visible_roadmaps_for(user).select_related("organisation", "municipality__region")
    return [r for r in roadmaps.order_by("pk") if can_manage_roadmap(user, r)]


def roadmap_deadlines(user: User) -> list[Deadline]:
    roadmaps = {r.pk: r for r in managed_roadmaps(user)}
    found: list[Deadline] = []
    for event in roadmap_events(roadmaps.keys()):
        roadmap = roadmaps[event.roadmap_id]
        today = roadmap_today(roadmap)
        state = event_state(event, roadmap, today)
        first = today - dt.timedelta(days=DEADLINES_PAST_DAYS)
        last = today + dt.timedelta(days=DEADLINES_AHEAD_DAYS)
        found += [
            Deadline(event, roadmap, o.due_on)
            for o in state.occurrences
            if not o.done and first <= o.due_on <= last
        ]
    return found


def feed_content(user: User) -> FeedContent:
    return FeedContent(
        meetings=person_meetings(user),
        events=list(person_events(user).select_related("program__organisation").order_by("starts_at", "pk")),
        deadlines=roadmap_deadlines(user),
    )
