"""A realistic, deterministic demo region: one municipality, two schools of about 500 students
each and a centre of additional education, with teachers, parents, consents (some missing),
programs of the current academic year, roadmaps, questionnaires, pairs and monitoring targets,
and a user for every role.

This is the orchestrator: each app builds its own part (accounts/demo.py, orgs/demo.py,
registry/demo.py, roadmaps/demo.py, surveys/demo.py, monitoring/demo.py; `load_demo` then calls
mentoring/demo.py for the pairs at work). A lower app's demo never imports a higher app: what
one part needs of another (the organisations, the curators, the people) is passed from here.
All parts draw from one seeded random generator in this order, so the same seed and day give
the same data.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from nastavnik.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_staff_users
from nastavnik.accounts.models import User
from nastavnik.base.db import refresh_planner_statistics
from nastavnik.calendars.demo import build_calendars_demo
from nastavnik.home.reference import ensure_reference_data
from nastavnik.mentoring.demo import build_networking_demo
from nastavnik.mentors.demo import build_mentors_demo, demo_trainees
from nastavnik.monitoring.demo import add_demo_monitoring
from nastavnik.notifications.demo import build_notifications_demo
from nastavnik.orgs.demo import (
    DEMO_REGION,
    DemoOrganisations,
    demo_exists,
    demo_organisations_create,
    demo_programs_create,
)
from nastavnik.orgs.models import Program, academic_year_of
from nastavnik.partners.demo import build_partners_demo
from nastavnik.programdocs.demo import build_documents_demo
from nastavnik.readiness.demo import build_readiness_demo
from nastavnik.recognition.demo import build_recognition_demo
from nastavnik.recommendations.demo import build_recommendations_demo
from nastavnik.registry.demo import RegistryDemo
from nastavnik.roadmaps.demo import build_roadmaps_demo
from nastavnik.surveys.demo import build_survey_demo
from nastavnik.training.demo import build_training_demo, curator_card


def _mentor_path_programs(
    orgs: DemoOrganisations, programs: dict[int, tuple[Program, Program | None]]
) -> dict[str, Program]:
    students1, teachers1 = programs[orgs.school1.pk]
    assert teachers1 is not None
    return {
        "teachers_program": teachers1,
        "students_program": students1,
        "school7_program": programs[orgs.school7.pk][0],
    }


__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_REGION", "DemoBuilder", "build_reach_demo", "demo_exists"]


def build_reach_demo(today: dt.date) -> None:
    """Calendar feeds, messenger links, recommendations and readiness over the pairs at work
    (each part idempotent: run by every `load_demo`)."""
    build_calendars_demo()
    build_notifications_demo()
    build_recommendations_demo(today)
    build_readiness_demo()


class DemoBuilder:
    def __init__(self, today: dt.date, seed: int = 2026) -> None:
        self.today = today
        self.year = academic_year_of(today)
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets

    @transaction.atomic
    def build(self) -> None:
        ensure_reference_data()
        orgs = demo_organisations_create()
        registry = RegistryDemo(self.today, self.rng)
        registry.tags_create()
        people1 = registry.populate(orgs.school1, classes_per_grade=2, grades=range(1, 12), teachers=42)
        people7 = registry.populate(orgs.school7, classes_per_grade=2, grades=range(1, 12), teachers=38)
        people_c = registry.populate(
            orgs.centre, classes_per_grade=0, grades=range(0), teachers=14, centre_students=160
        )
        registry.populate(orgs.other_school, classes_per_grade=1, grades=range(1, 12), teachers=20)

        users = demo_staff_users(
            region=orgs.region,
            municipality=orgs.municipality,
            school1=orgs.school1,
            school7=orgs.school7,
            centre=orgs.centre,
        )
        users |= registry.participants_link_accounts(orgs.school1, people1)
        programs = {}
        for organisation, people, curator, teacher_program, employer_form in (
            (orgs.school1, people1, users["curator1"], True, False),
            (orgs.school7, people7, users["curator7"], False, False),
            (orgs.centre, people_c, users["curator_cdt"], False, True),
        ):
            program, teachers_program = demo_programs_create(
                organisation, curator, self.year, teacher_program=teacher_program, employer_form=employer_form
            )
            registry.participations_create(program, teachers_program, people)
            programs[organisation.pk] = (program, teachers_program)
        build_roadmaps_demo(
            today=self.today,
            year=self.year,
            rng=self.rng,
            municipality=orgs.municipality,
            school=orgs.school1,
            users=users,
        )
        build_survey_demo()
        # The region's people are in now: without fresh statistics PostgreSQL's planner takes the
        # tables for nearly empty and the questionnaire's people query ran for minutes.
        refresh_planner_statistics()
        build_networking_demo()
        build_partners_demo(today=self.today, year=self.year, school1=orgs.school1, centre=orgs.centre)
        add_demo_monitoring(self.today, self.rng)
        build_documents_demo(year=self.year, school1=orgs.school1, school7=orgs.school7)
        # After the pairs at work: the candidates are the mentors not in a pair yet.
        self.build_mentor_path(orgs, users, programs)
        build_recognition_demo(
            today=self.today,
            year=self.year,
            municipality=orgs.municipality,
            school=orgs.school1,
            other_school=orgs.school7,
            curator=users["curator1"],
        )

    def build_mentor_path(
        self,
        orgs: DemoOrganisations,
        users: dict[str, User],
        programs: dict[int, tuple[Program, Program | None]],
    ) -> None:
        """Training at the three levels, then candidates, admission and the municipal base."""
        chosen = _mentor_path_programs(orgs, programs)
        curators = [
            curator_card(users["curator1"], orgs.school1, self.today, "Заместитель директора по УВР"),
            curator_card(users["curator7"], orgs.school7, self.today, "Заместитель директора по ВР"),
        ]
        build_training_demo(
            today=self.today,
            region=orgs.region,
            municipality=orgs.municipality,
            school=orgs.school1,
            mentors=demo_trainees(self.today, users, **chosen),
            curators=curators,
            creators=users,
        )
        build_mentors_demo(today=self.today, users=users, **chosen)
