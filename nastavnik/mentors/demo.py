"""The demo region's mentor selection: candidates of school № 1's program for teachers in every
state (a self-application, an interview scheduled with the psychologist, postponed, not admitted,
admitted), the program's rules (only admitted mentors in matching, training required), school № 7's
candidates, the municipal base with mentors of both schools (approved, returned with a comment,
proposed), and a cross-school pair: a teacher of school № 1 mentoring a student of school № 7."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nastavnik.accounts.models import User
from nastavnik.mentoring.models import GroupMembership
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.consents import consent_state
from nastavnik.registry.models import (
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Person,
    Tag,
    TagVocabulary,
)

from . import services
from .models import Candidacy, CandidacyOrigin, InterviewOutcome


def _mentors(program: Program) -> list[Participation]:
    return list(
        Participation.objects.filter(
            program=program, role=ParticipationRole.MENTOR, status=ParticipationStatus.CANDIDATE
        )
        .select_related("person__organisation", "program__organisation")
        .order_by("pk")
    )


def _free_teachers(program: Program, today: dt.date, count: int) -> list[Person]:
    """Experienced teachers of the program's school with a valid consent, not yet in the program:
    the demo's candidates (the mentors already there are at work in pairs)."""
    taken = Participation.objects.filter(program=program).values("person_id")
    chosen = []
    for person in (
        Person.objects.filter(
            organisation=program.organisation, kind="teacher", user__isnull=True, left_on__isnull=True
        )
        .exclude(pk__in=taken)
        .filter(experience_years__gte=5)
        .order_by("pk")
    ):
        if consent_state(person, today).is_valid:
            chosen.append(person)
        if len(chosen) == count:
            break
    return chosen


def _teachers_at_work(program: Program) -> list[Participation]:
    return list(
        Participation.objects.filter(
            program=program,
            role=ParticipationRole.MENTOR,
            status=ParticipationStatus.IN_PAIR,
            person__kind="teacher",
        )
        .select_related("person__organisation", "program__organisation")
        .order_by("pk")
    )


def _interview(candidacy: Candidacy, curator: User, day: dt.date, outcome: str, **extra: Any) -> None:
    services.interview_save(
        acting_user=curator, candidacy=candidacy, held_on=day, interviewer=curator, outcome=outcome, **extra
    )


def _admitted(
    program: Program, person: Person, curator: User, psychologist: User | None, day: dt.date
) -> Participation:
    candidacy = services.candidacy_nominate(
        acting_user=curator,
        program=program,
        person=person,
        motivation="Опытный педагог, готов вести молодых коллег",
    )
    _interview(
        candidacy,
        curator,
        day,
        InterviewOutcome.ADMITTED,
        psychologist=psychologist,
        notes="Мотивация высокая; умеет слушать; есть опыт методической работы.",
    )
    services.candidacy_admit(acting_user=curator, candidacy=candidacy)
    participation = candidacy.participation
    participation.refresh_from_db()
    if not participation.tags.exists():  # what the base shows as the mentor's competencies
        competencies = list(Tag.objects.filter(vocabulary=TagVocabulary.COMPETENCY).order_by("pk"))
        if competencies:
            start = person.pk % len(competencies)
            participation.tags.set((competencies + competencies)[start : start + 2])
    return participation


def demo_trainees(
    today: dt.date,
    users: dict[str, User],
    teachers_program: Program,
    students_program: Program,
    school7_program: Program,
) -> list[tuple[Person, bool]]:
    """Who is on the regional course, and whether they complete it: the teachers admitted below
    (their program requires training), mentor1, a candidate still studying, school № 7's teacher."""
    pool = _free_teachers(teachers_program, today, 7)
    mentor1 = next(p for p in _mentors(students_program) if p.person.user_id == users["mentor1"].pk)
    pool7 = _teachers_at_work(school7_program)
    return [
        (pool[0], True),
        (pool[1], True),
        (pool[2], True),
        (mentor1.person, True),
        (pool[3], False),
        (pool7[0].person, True),
    ]


def build_mentors_demo(
    *,
    today: dt.date,
    users: dict[str, User],
    teachers_program: Program,
    students_program: Program,
    school7_program: Program,
) -> None:
    curator, psych, mun, curator7 = users["curator1"], users["psych1"], users["mun"], users["curator7"]
    services.program_admission_save(
        acting_user=curator, program=teachers_program, admitted_mentors_only=True, requires_training=True
    )
    pool = _free_teachers(teachers_program, today, 7)
    interviewed = today - dt.timedelta(days=20)
    # Admitted (they completed the regional course), then proposed to the municipal base.
    admitted = [_admitted(teachers_program, p, curator, psych, interviewed) for p in pool[:3]]
    # mentor1 (the demo account) is admitted in the program for students.
    mentor1 = next(p for p in _mentors(students_program) if p.person.user_id == users["mentor1"].pk)
    admitted.append(_admitted(students_program, mentor1.person, curator, psych, interviewed))
    # Postponed, not admitted, an interview ahead, a self-application.
    postponed = services.candidacy_nominate(acting_user=curator, program=teachers_program, person=pool[3])
    _interview(
        postponed,
        curator,
        interviewed,
        InterviewOutcome.POSTPONED,
        psychologist=psych,
        notes="Нагрузка 1,5 ставки, классное руководство.",
        reason="Вернуться к решению после каникул: сейчас большая нагрузка",
    )
    rejected = services.candidacy_nominate(acting_user=curator, program=teachers_program, person=pool[4])
    _interview(
        rejected,
        curator,
        interviewed,
        InterviewOutcome.REJECTED,
        notes="Не готов(а) к регулярным встречам.",
        reason="Кандидат сам(а) отказался(ась) от наставничества в этом году",
    )
    ahead = services.candidacy_nominate(acting_user=curator, program=teachers_program, person=pool[5])
    _interview(ahead, curator, today + dt.timedelta(days=3), InterviewOutcome.PLANNED, psychologist=psych)
    Candidacy.objects.create(
        participation=Participation.objects.create(
            program=teachers_program,
            person=pool[6],
            role=ParticipationRole.MENTOR,
            added_on=today - dt.timedelta(days=2),
            details="Хочу помогать молодым коллегам освоиться в школе.",
        ),
        origin=CandidacyOrigin.APPLICATION,
        submitted_on=today - dt.timedelta(days=2),
        motivation="Хочу помогать молодым коллегам освоиться в школе.",
    )
    # School № 7: a teacher already mentoring there (admitted before the product) and, if any
    # teacher is still a candidate, a new nomination.
    admitted7 = _teachers_at_work(school7_program)[0]
    waiting7 = [p for p in _mentors(school7_program) if p.person.kind == "teacher"]
    if waiting7:
        services.candidacy_nominate(acting_user=curator7, program=school7_program, person=waiting7[0].person)
    # The municipal base.
    entries = [
        services.base_propose(acting_user=curator, participation=p, capacity=3)
        for p in admitted[:2] + admitted[3:]
    ]
    entries.append(services.base_propose(acting_user=curator7, participation=admitted7, capacity=2))
    for entry in (entries[0], entries[2], entries[3]):
        services.base_decide(acting_user=mun, entry=entry, approve=True)
    services.base_decide(
        acting_user=mun,
        entry=entries[1],
        approve=False,
        comment="Уточните компетенции наставника: какие предметы и запросы он ведёт",
    )
    services.base_propose(acting_user=curator, participation=admitted[2], capacity=2)
    # A cross-school pair: school № 7 takes a teacher of school № 1 for its student.
    busy = GroupMembership.objects.filter(left_on__isnull=True).values("mentee_id")
    mentee = (
        Participation.objects.filter(program=school7_program, role=ParticipationRole.MENTEE)
        .exclude(pk__in=busy)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if mentee is not None:
        services.network_pair_create(
            acting_user=curator7,
            entry=entries[0],
            program=school7_program,
            form=MentoringForm.objects.get(code="teacher-student", organisation__isnull=True),
            mentee=mentee,
        )
