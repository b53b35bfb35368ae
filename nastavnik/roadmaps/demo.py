"""The demo region's roadmaps: the municipality's and the demo school's program roadmap, made from
the templates by their owners, with the autumn's work done (and some of it overdue).

Called by the orchestrator, nastavnik/home/demo.py, with the demo's seeded random generator.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile

from nastavnik.accounts.models import MANAGER_ROLES, RoleAssignment, User
from nastavnik.orgs.models import Municipality, Organisation, Program, ProgramKind

from .models import EventStatus, Roadmap, SchoolStatus
from .school_duties import duty_due, is_school_duty, schools_of
from .services import event_set_status, roadmap_create_from_template, school_status_set


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
            if is_school_duty(event, roadmap):
                continue
            if rng.random() < 0.8:
                event_set_status(
                    acting_user=actor,
                    event=event,
                    status=EventStatus.DONE,
                    done_on=min(event.ends_on or today, today),
                )

    build_school_duties_demo(today=today, rng=rng, roadmap=roadmaps[0], school=school, users=users)


def build_school_duties_demo(
    *, today: dt.date, rng: random.Random, roadmap: Roadmap, school: Organisation, users: dict[str, User]
) -> None:
    """Each school's part of the municipal events every school carries out: most of what fell due
    is done (some with a report attached), some is running, and a few schools are late."""
    actors = {school.pk: users["curator1"]}
    for assignment in RoleAssignment.objects.filter(
        organisation__municipality=roadmap.municipality, role__in=MANAGER_ROLES
    ).select_related("user"):
        actors.setdefault(assignment.organisation_id or 0, assignment.user)
    events = [
        e
        for e in roadmap.events.prefetch_related("responsibles").order_by("position")
        if is_school_duty(e, roadmap)
    ]
    # the demo school does everything that fell due; the others are behind in different ways
    patterns = [SchoolStatus.DONE, SchoolStatus.IN_PROGRESS, SchoolStatus.NOT_STARTED]
    for index, organisation in enumerate(schools_of([roadmap.municipality_id or 0])):
        actor = actors.get(organisation.pk)
        if actor is None:
            continue
        for position, event in enumerate(events):
            due = duty_due(event, roadmap)
            if due is None:
                continue
            status = SchoolStatus.DONE if organisation.pk == school.pk else patterns[(index + position) % 3]
            if due >= today:
                status = SchoolStatus.IN_PROGRESS if rng.random() < 0.5 else SchoolStatus.NOT_STARTED
            if status == SchoolStatus.NOT_STARTED:
                continue
            done = status == SchoolStatus.DONE
            report = ContentFile(
                f"Отчёт {organisation.short_name} о выполнении: {event.title}\n".encode(), name="otchet.txt"
            )
            school_status_set(
                acting_user=actor,
                event=event,
                organisation=organisation,
                status=status,
                done_on=min(due, today) if done else None,
                comment="Приказ издан, документы на сайте школы." if done else "Готовим документы.",
                result_file=report if done and position % 2 == 0 else None,
            )
