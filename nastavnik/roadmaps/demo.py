"""The demo region's roadmaps: the municipality's and the demo school's program roadmap, made from
the templates by their owners, with the autumn's work done (and some of it overdue).

Called by the orchestrator, nastavnik/home/demo.py, with the demo's seeded random generator.
"""

from __future__ import annotations

import datetime as dt
import random

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Municipality, Organisation, Program, ProgramKind

from .models import EventStatus
from .services import event_set_status, roadmap_create_from_template


def build_roadmaps_demo(
    *,
    today: dt.date,
    year: int,
    rng: random.Random,
    municipality: Municipality,
    school: Organisation,
    users: dict[str, User],
) -> None:
    """A municipal roadmap (by `users["mun"]`) and the school's program roadmap (by
    `users["curator1"]`) of academic year `year`."""
    program = Program.objects.get(organisation=school, kind=ProgramKind.STUDENTS, academic_year=year)
    roadmaps = [
        roadmap_create_from_template(
            acting_user=users["mun"],
            template_key="municipal",
            academic_year=year,
            municipality=municipality,
        ),
        roadmap_create_from_template(
            acting_user=users["curator1"],
            template_key="students",
            academic_year=year,
            program=program,
        ),
    ]
    for roadmap, actor in zip(roadmaps, (users["mun"], users["curator1"]), strict=True):
        # Most of what fell due before last week is done; the rest shows up as overdue.
        for event in roadmap.events.filter(ends_on__lt=today - dt.timedelta(days=7), recurrence="once"):
            if rng.random() < 0.8:
                event_set_status(
                    acting_user=actor,
                    event=event,
                    status=EventStatus.DONE,
                    done_on=min(event.ends_on or today, today),
                )
