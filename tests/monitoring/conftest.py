"""A hand-made school whose every indicator was computed by hand (see test_indicators.py).

The date is D = 15 March 2026 (academic year 2025/2026). Names tell what matters about a person;
pairs and groups are made directly (the mentoring services date them today, these are in the past),
with the participation statuses the services would have left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from nastavnik.mentoring.models import (
    EventInvitation,
    GroupMembership,
    IndividualPlan,
    MentoringGroup,
    PlanStatus,
    PlanTask,
    ProgramEvent,
    ProgramEventKind,
)
from nastavnik.orgs.models import MentoringForm, Organisation, Program, ProgramKind
from nastavnik.registry.models import Category, Participation, Person
from nastavnik.surveys.models import Answer, Campaign, Questionnaire, Response, ResponseStatus
from tests.factories import ParentFactory, PersonFactory, TeacherFactory, give_consent

D = dt.date(2026, 3, 15)
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")


@dataclass
class HandMade:
    school: Organisation
    people: dict[str, Person]
    program: Program
    teachers_program: Program


OCT_1 = dt.date(2025, 10, 1)


def take_part(program, person, role, status="in_pair", added_on=OCT_1) -> Participation:  # type: ignore[no-untyped-def]
    return Participation.objects.create(
        program=program, person=person, role=role, status=status, added_on=added_on
    )


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo("Europe/Moscow"))


def submit(  # type: ignore[no-untyped-def]
    program: Program,
    template_code: str,
    person: Person,
    answers: dict,
    on: dt.date,
    status: str = ResponseStatus.SUBMITTED,
) -> Response:
    """A questionnaire of a built-in template answered by `person` on `on` (made directly: the
    services date responses now). Integers are scale answers, strings are choice ids."""
    questionnaire = Questionnaire.objects.get(
        program__isnull=True, builtin_code=template_code, is_latest=True
    )
    campaign, _ = Campaign.objects.get_or_create(
        program=program,
        questionnaire=questionnaire,
        title=f"{template_code} {on}",
        defaults={"deadline": at_noon(on + dt.timedelta(days=7))},
    )
    response = Response.objects.create(
        campaign=campaign,
        respondent=person,
        status=status,
        submitted_at=at_noon(on) if status == ResponseStatus.SUBMITTED else None,
    )
    questions = {q.code: q for q in questionnaire.questions.all()}
    for code, value in answers.items():
        Answer.objects.create(
            response=response,
            question=questions[code],
            value=value,
            number=value if isinstance(value, int) else None,
        )
    return response


SAT_ITEMS = ("sat_expected", "sat_real", "sat_comfort", "sat_meetings", "sat_clarity", "sat_support")


def satisfaction(values: tuple[int, ...], glad: str, go_on: str) -> dict:  # type: ignore[type-arg]
    items = SAT_ITEMS if len(values) == 6 else (*SAT_ITEMS, "sat_self_realisation")
    return {**dict(zip(items, values, strict=True)), "sat_glad": glad, "sat_continue": go_on}


def add_satisfaction(hm: HandMade) -> None:
    """Satisfaction questionnaires of the hand-made school (see test_stages.py for the arithmetic)."""
    p, students = hm.people, hm.program
    sent = dt.date(2026, 3, 2)
    mentee, mentor = "satisfaction_mentee", "satisfaction_mentor"
    # mentees: expected, real, comfort, meetings, clarity, support
    submit(students, mentee, p["s1"], satisfaction((10, 8, 8, 6, 7, 9), "yes", "yes"), sent)
    submit(students, mentee, p["s2"], satisfaction((9, 6, 7, 6, 7, 8), "yes", "no"), sent)
    submit(students, mentee, p["s6"], satisfaction((5, 7, 7, 7, 7, 7), "no", "no"), sent)
    # mentors: … and self-realisation
    submit(students, mentor, p["s3"], satisfaction((8, 9, 10, 9, 8, 7, 9), "yes", "yes"), sent)
    submit(hm.teachers_program, mentor, p["t4"], satisfaction((6, 5, 6, 5, 6, 4, 5), "yes", "no"), sent)
    # not counted on D: s7 left the school before D, s14 has not sent it, s10's is of last year,
    # s8 sent it after D
    submit(students, mentee, p["s7"], satisfaction((10,) * 6, "yes", "yes"), dt.date(2026, 1, 20))
    submit(
        students, mentee, p["s14"], satisfaction((10,) * 6, "yes", "yes"), sent, ResponseStatus.IN_PROGRESS
    )
    last_year = Program.objects.get(organisation=hm.school, academic_year=2024)
    submit(last_year, mentee, p["s10"], satisfaction((10,) * 6, "yes", "yes"), dt.date(2025, 5, 20))
    submit(students, mentor, p["s8"], satisfaction((2,) * 7, "no", "no"), dt.date(2026, 3, 20))


def build_hand_made(school: Organisation) -> HandMade:
    ovz = Category.objects.get(code="ovz")
    at_risk = Category.objects.get(code="at-risk")
    program = Program.objects.create(
        organisation=school, kind=ProgramKind.STUDENTS, title="Ученики", academic_year=2025
    )
    last_year = Program.objects.create(
        organisation=school, kind=ProgramKind.STUDENTS, title="Ученики (прошлый год)", academic_year=2024
    )
    teachers_program = Program.objects.create(
        organisation=school, kind=ProgramKind.TEACHERS, title="Педагоги", academic_year=2025
    )

    def student(name: str, born: dt.date, **fields: object) -> Person:
        return PersonFactory(organisation=school, last_name=name, birth_date=born, **fields)

    def teacher(name: str, experience: int, **fields: object) -> Person:
        return TeacherFactory(organisation=school, last_name=name, experience_years=experience, **fields)

    p = {
        # age on D in the comment
        "s1": student("Одиннадцать-сегодня", dt.date(2015, 3, 15)),  # 11: birthday on D
        "s2": student("Десять-завтра-одиннадцать", dt.date(2015, 3, 16)),  # 10
        "s3": student("Восемнадцать-завтра-девятнадцать", dt.date(2007, 3, 16)),  # 18
        "s4": student("Девятнадцать-сегодня", dt.date(2007, 3, 15)),  # 19: birthday on D
        "s5": student("ОВЗ-кандидат", dt.date(2011, 1, 1)),  # 15
        "s6": student("ОВЗ-учёт", dt.date(2011, 6, 1)),  # 14
        "s7": student("Учёт-выбыл-до-даты", dt.date(2012, 1, 1), left_on=dt.date(2026, 2, 1)),  # 14
        "s8": student("Учёт-выбудет-после", dt.date(2010, 5, 5), left_on=dt.date(2026, 4, 1)),  # 15
        "s9": student("Учёт-совершеннолетний", dt.date(2008, 1, 1)),  # 18
        "s10": student("Прошлый-год", dt.date(2013, 9, 1)),  # 12
        "s11": student("Добавлен-после-даты", dt.date(2014, 1, 1)),  # 12
        "s12": student("Пришёл-после-даты", dt.date(2013, 1, 1), joined_on=dt.date(2026, 4, 1)),  # 13
        "s13": student("Учёт-не-охвачен", dt.date(2009, 6, 1)),  # 16
        "s14": student("Девять-завтра-десять", dt.date(2016, 3, 16)),  # 9
        "t1": teacher("Молодой-наставляемый", 1),
        "t2": teacher("Молодой-специалист-по-отметке", 10, is_young_specialist=True),
        "t3": teacher("Молодой-кандидат", 2),
        "t4": teacher("Опытный-наставник", 20),
        "t5": teacher("Молодой-выбыл", 0, left_on=dt.date(2026, 1, 10)),
    }
    parent = ParentFactory(organisation=school, last_name="Родитель")
    p["parent"] = parent
    for key in ("s5", "s6"):
        p[key].categories.add(ovz)
    for key in ("s6", "s7", "s8", "s9", "s13"):
        p[key].categories.add(at_risk)

    def part(
        key: str, role: str, status: str, prog: Program = program, added_on: dt.date = OCT_1
    ) -> Participation:
        return take_part(prog, p[key], role, status=status, added_on=added_on)

    pp = {
        "s1": part("s1", "mentee", "in_pair"),
        "s2": part("s2", "mentee", "in_pair"),
        "s3": part("s3", "mentor", "in_pair"),
        "s4": part("s4", "mentor", "completed"),
        "s5": part("s5", "mentee", "candidate"),
        "s6": part("s6", "mentee", "completed"),
        "s7": part("s7", "mentee", "in_pair"),
        "s8": part("s8", "mentor", "in_pair"),
        "s9": part("s9", "mentee", "withdrawn"),
        "s10": part("s10", "mentee", "completed", last_year, dt.date(2024, 10, 1)),
        "s13": part("s13", "mentor", "completed", last_year, dt.date(2024, 10, 1)),
        "s11": part("s11", "mentee", "in_pair", added_on=dt.date(2026, 4, 1)),
        "s14": part("s14", "mentee", "in_pair"),
        "t1": part("t1", "mentee", "in_pair", teachers_program),
        "t3": part("t3", "mentee", "admitted", teachers_program),
        "t4": part("t4", "mentor", "in_pair", teachers_program),
        "t5": part("t5", "mentee", "in_pair", teachers_program),
    }
    student_form = MentoringForm.objects.get(code="student-student", organisation__isnull=True)
    variant = MentoringForm.objects.get(code="student-student-1", organisation__isnull=True)
    teacher_form = MentoringForm.objects.get(code="teacher-teacher", organisation__isnull=True)

    def group(
        mentor: str, form: MentoringForm, members: dict[str, tuple[dt.date, dt.date | None]], **fields: object
    ) -> MentoringGroup:
        started = fields.pop("started_on", OCT_1)
        g = MentoringGroup.objects.create(
            program=pp[mentor].program, form=form, mentor=pp[mentor], started_on=started, **fields
        )
        for key, (joined, left) in members.items():
            GroupMembership.objects.create(group=g, mentee=pp[key], joined_on=joined, left_on=left)
        return g

    # G1, working: s1, s2, s14 since October; s11 joins after D; s9 left the group in December
    group(
        "s3",
        student_form,
        {
            "s1": (OCT_1, None),
            "s2": (OCT_1, None),
            "s14": (OCT_1, None),
            "s11": (dt.date(2026, 4, 1), None),
            "s9": (OCT_1, dt.date(2025, 12, 1)),
        },
    )
    # G2, a role variant of ученик–ученик, completed its work before D: both still count this year
    group(
        "s4",
        variant,
        {"s6": (OCT_1, dt.date(2026, 2, 28))},
        status="completed",
        ended_on=dt.date(2026, 2, 28),
    )
    # G3, working; its mentee s7 left the school before D
    group("s8", student_form, {"s7": (OCT_1, None)})
    # G4, last year's pair (program of 2024/25), completed in May 2025
    group(
        "s13",
        student_form,
        {"s10": (dt.date(2024, 10, 1), dt.date(2025, 5, 31))},
        status="completed",
        ended_on=dt.date(2025, 5, 31),
        started_on=dt.date(2024, 10, 1),
    )
    # G5, teachers, working: t1 and t5 (t5 left the school before D)
    group("t4", teacher_form, {"t1": (OCT_1, None), "t5": (OCT_1, None)})
    # G6, teachers, ended early in November: t3 is not a mentee on D
    group(
        "t4",
        teacher_form,
        {"t3": (OCT_1, dt.date(2025, 11, 15))},
        status="ended_early",
        ended_on=dt.date(2025, 11, 15),
        end_reason="Не сложилось",
    )

    signed = dt.date(2025, 9, 10)
    give_consent(p["s1"], by=parent, signed_on=signed)  # child: representative's consent is enough
    give_consent(p["s3"], signed_on=signed)  # adult
    give_consent(p["s4"], signed_on=signed)  # adult
    give_consent(p["s5"], by=parent, signed_on=signed)  # teen without own consent: not valid
    give_consent(p["s6"], by=parent, signed_on=signed)
    give_consent(p["s6"], signed_on=signed)  # teen with both
    give_consent(p["s8"], by=parent, signed_on=signed)
    give_consent(p["s8"], signed_on=signed)
    give_consent(p["s14"], by=parent, signed_on=signed)
    give_consent(p["t1"], signed_on=signed)
    give_consent(p["t4"], signed_on=signed, revoked_on=dt.date(2026, 3, 1))  # revoked before D
    hm = HandMade(school=school, people=p, program=program, teachers_program=teachers_program)
    add_satisfaction(hm)
    add_plans(hm)
    return hm


def add_plans(hm: HandMade) -> None:
    """Individual plans, for «планы выполнены на 90 %» (arithmetic in test_indicators.py):
    G1 (s3's pair) approved, 9 of 10 tasks done by D; G2 (s4's, completed) approved, 3 of 4 done
    by D and the 4th on 20 March; G3 (s8's, its mentee left) approved, all done; G5 (t4's with t1)
    only submitted, not approved."""
    p = hm.people
    approved = at_noon(dt.date(2025, 11, 1))

    def plan(group: MentoringGroup, status: str, done_on: list[dt.date | None]) -> IndividualPlan:
        made = IndividualPlan.objects.create(
            group=group,
            status=status,
            title="План",
            starts_on=OCT_1,
            ends_on=dt.date(2026, 5, 31),
            approved_at=approved if status == PlanStatus.APPROVED else None,
        )
        for number, day in enumerate(done_on, start=1):
            PlanTask.objects.create(
                plan=made,
                number=number,
                title=f"Задача {number}",
                due_on=dt.date(2026, 1, 1) + dt.timedelta(days=10 * number),
                done=day is not None,
                done_on=day,
            )
        return made

    by_d = dt.date(2026, 3, 1)
    plan(MentoringGroup.objects.get(mentor__person=p["s3"]), PlanStatus.APPROVED, [by_d] * 9 + [None])
    plan(
        MentoringGroup.objects.get(mentor__person=p["s4"]),
        PlanStatus.APPROVED,
        [by_d] * 3 + [dt.date(2026, 3, 20)],
    )
    plan(MentoringGroup.objects.get(mentor__person=p["s8"]), PlanStatus.APPROVED, [by_d, by_d])
    plan(
        MentoringGroup.objects.get(mentor__person=p["t4"], memberships__mentee__person=p["t1"]),
        PlanStatus.SUBMITTED,
        [by_d],
    )


def diag(motivation: int, goals: int) -> dict[str, int]:
    return {"diag_motivation": motivation, "diag_goals": goals}


def add_diagnostics(hm: HandMade) -> None:
    """Diagnostics at entry and exit of the hand-made school (see test_stages.py for the arithmetic)."""
    p, students, teachers = hm.people, hm.program, hm.teachers_program
    for key, program, before, after in (
        ("s1", students, (4, 5), (7, 6)),
        ("s2", students, (6, 6), (5, 6)),
        ("s6", students, (3, 3), (5, 4)),
        ("t1", teachers, (8, 7), (8, 9)),
    ):
        submit(program, "diagnostic", p[key], diag(*before), OCT_1)
        submit(program, "diagnostic", p[key], diag(*after), dt.date(2026, 3, 1))
    submit(students, "diagnostic", p["s2"], diag(1, 1), dt.date(2025, 12, 1))
    submit(students, "diagnostic", p["s14"], diag(5, 5), OCT_1)
    submit(students, "diagnostic", p["s8"], diag(5, 5), OCT_1)
    submit(students, "diagnostic", p["s8"], diag(9, 9), dt.date(2026, 3, 20))
    last_year = Program.objects.get(organisation=hm.school, academic_year=2024)
    submit(last_year, "diagnostic", p["s10"], diag(1, 1), dt.date(2024, 10, 1))
    submit(last_year, "diagnostic", p["s10"], diag(9, 9), dt.date(2025, 5, 1))


def add_events(hm: HandMade) -> None:
    """Program events of the hand-made school, in Vladivostok time (test_annual_report.py):
    10 Feb 2026, a networking meeting: s1 and s2 present, s3 absent, the parent (a guest) present
      but not counted → 2 of 3;
    15 Mar 2026 at 23:00 in Vladivostok, the final game: t1 invited, attendance not marked → 0 of 1;
      all events by D: 2 of 4 = 50 % (for a school in Vladivostok);
    16 Mar 2026 at 00:30 in Vladivostok (still 15 March in Moscow): after D there, not counted."""
    p = hm.people

    def event(program: Program, title: str, at: dt.datetime, invited: dict[str, bool | None]) -> None:
        made = ProgramEvent.objects.create(
            program=program, kind=ProgramEventKind.OTHER, title=title, starts_at=at
        )
        for key, attended in invited.items():
            participation = Participation.objects.filter(program=program, person=p[key]).first()
            EventInvitation.objects.create(
                event=made, person=p[key], participation=participation, attended=attended
            )

    event(
        hm.program,
        "Общая встреча",
        dt.datetime(2026, 2, 10, 15, tzinfo=VLADIVOSTOK),
        {"s1": True, "s2": True, "s3": False, "parent": True},
    )
    event(hm.teachers_program, "Деловая игра", dt.datetime(2026, 3, 15, 23, tzinfo=VLADIVOSTOK), {"t1": None})
    event(hm.program, "Праздник", dt.datetime(2026, 3, 16, 0, 30, tzinfo=VLADIVOSTOK), {"s1": True})


@pytest.fixture
def hand_made(school_x) -> HandMade:  # type: ignore[no-untyped-def]
    return build_hand_made(school_x)
