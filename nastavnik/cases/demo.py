"""The case bank of the demo region: pairs of both demo schools that completed a short program this
autumn, and their cases at every stage of the review — accepted by the region and published with
names (everyone consented to dissemination), accepted by the municipality and published
anonymised, submitted, waiting for the municipality, returned with a comment, and mentor1's draft."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from nastavnik.accounts.models import User
from nastavnik.mentoring.models import GroupStatus, MeetingKind, MentoringGroup
from nastavnik.mentoring.services import completion, meetings
from nastavnik.mentoring.services import groups as group_services
from nastavnik.orgs.models import MentoringForm, Program, ProgramKind
from nastavnik.registry.consents import age_group
from nastavnik.registry.models import (
    ConsentGiver,
    ConsentKind,
    GuardianLink,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Person,
)
from nastavnik.registry.services.people import consent_record, ensure_can_take_part

from . import services
from .models import Case


@dataclass(frozen=True)
class DemoCase:
    title: str
    topic: str
    request: str
    work_done: str
    result: str


CASES = [
    DemoCase(
        "Математика без страха",
        "успеваемость",
        "Шестиклассник боялся отвечать у доски и получал тройки по математике.",
        "Еженедельные встречи после уроков: разбор домашних задач, «объясни мне» — наставляемый сам объяснял решение.",
        "За четверть оценка выросла до «4», наставляемый дважды сам вызвался к доске.",
    ),
    DemoCase(
        "Первый месяц в новой школе",
        "адаптация",
        "Ученица пришла из другого города и никого не знала в классе.",
        "Наставник познакомил с кружками, вместе готовили выступление для классного часа.",
        "Ученица записалась в театральную студию; по анкете комфорт в классе вырос с 4 до 8 баллов.",
    ),
    DemoCase(
        "Проект к научно-практической конференции",
        "проектная деятельность",
        "Наставляемый хотел сделать первый исследовательский проект, но не знал, с чего начать.",
        "Выбрали тему о качестве воды в реке, составили план, провели замеры и оформили презентацию.",
        "Проект представлен на школьной конференции, диплом II степени.",
    ),
    DemoCase(
        "Профессия инженера: знакомство на практике",
        "профориентация",
        "Девятиклассник выбирал профиль 10 класса и колебался между технологическим и социально-экономическим.",
        "Экскурсия на предприятие, встреча с инженером, пробный проект по черчению.",
        "Выбран технологический профиль, наставляемый участвует в инженерной смене.",
    ),
    DemoCase(
        "Лидер класса",
        "вовлечённость",
        "Пассивный ученик не участвовал в жизни класса.",
        "Наставник вовлёк в подготовку школьного праздника.",
        "Ученик провёл часть праздника как ведущий.",
    ),
]
RETURN_COMMENT = "Добавьте результаты диагностики на входе и на выходе и опишите, что делал наставляемый сам."


def _free(program: Program, role: str, day: dt.date, kind: str | None = None) -> list[Participation]:
    rows = Participation.objects.filter(program=program, role=role, status=ParticipationStatus.CANDIDATE)
    if kind:
        rows = rows.filter(person__kind=kind)
    found = []
    for participation in rows.select_related("person").order_by("pk")[:80]:
        try:
            ensure_can_take_part(participation.person, day)
        except ValidationError:
            continue
        found.append(participation)
    return found


def _completed(
    curator: User,
    program: Program,
    form: MentoringForm,
    mentor: Participation,
    mentee: Participation,
    today: dt.date,
) -> MentoringGroup:
    started, ended = today - dt.timedelta(days=40), today - dt.timedelta(days=6)
    group = group_services.group_create(
        acting_user=curator, program=program, form=form, mentor=mentor, mentees=[mentee], started_on=started
    )
    zone = ZoneInfo(program.organisation.timezone)
    for days, kind, topic in (
        (2, MeetingKind.INTRO, "Знакомство"),
        (16, MeetingKind.REGULAR, "Работа по плану"),
        (32, MeetingKind.FINAL, "Итоговая встреча"),
    ):
        meeting = meetings.meeting_create(
            acting_user=curator,
            group=group,
            kind=kind,
            topic=topic,
            starts_at=dt.datetime.combine(started + dt.timedelta(days=days), dt.time(15), tzinfo=zone),
        )
        meetings.meeting_record(
            acting_user=curator, meeting=meeting, present={a.mentee_id for a in meeting.attendance.all()}
        )
    completion.report_save(
        acting_user=curator,
        group=group,
        submit=True,
        work_done="Три встречи по плану и самостоятельные задания между ними.",
        mentee_progress="Наставляемый увереннее работает самостоятельно.",
    )
    completion.group_complete(
        acting_user=curator,
        group=group,
        decision=GroupStatus.COMPLETED,
        ended_on=ended,
        result_summary="Цели индивидуального плана достигнуты.",
    )
    return group


def _allow_distribution(curator: User, person: Person, day: dt.date) -> None:
    group = age_group(person, day)
    if group in {"teen", "child"}:
        link = GuardianLink.objects.filter(child=person).select_related("guardian").first()
        if link is None:
            return
        consent_record(
            acting_user=curator,
            subject=person,
            kind=ConsentKind.DISTRIBUTION,
            given_by=ConsentGiver.REPRESENTATIVE,
            representative=link.guardian,
            signed_on=day,
        )
    if group in {"teen", "adult"}:
        consent_record(
            acting_user=curator,
            subject=person,
            kind=ConsentKind.DISTRIBUTION,
            given_by=ConsentGiver.SELF,
            signed_on=day,
        )


def _write(author: User, group: MentoringGroup, story: DemoCase) -> Case:
    return services.case_create(
        acting_user=author,
        group=group,
        title=story.title,
        topic=story.topic,
        request=story.request,
        work_done=story.work_done,
        result=story.result,
    )


def build_cases_demo(today: dt.date) -> bool:
    """Create the demo cases; False if there are some already (or the demo users are missing)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["curator1", "curator7", "mun", "rnc", "mentor1"])
    }
    if Case.objects.exists() or len(users) < 5:
        return False
    curator1, curator7, mun, rnc, mentor1 = (
        users[n] for n in ("curator1", "curator7", "mun", "rnc", "mentor1")
    )
    forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
    day = today - dt.timedelta(days=40)
    school1 = (
        Program.objects.filter(curator=curator1, kind=ProgramKind.STUDENTS).order_by("-academic_year").first()
    )
    school7 = (
        Program.objects.filter(curator=curator7, kind=ProgramKind.STUDENTS).order_by("-academic_year").first()
    )
    if school1 is None or school7 is None:
        return False
    mentors1, mentees1 = (
        _free(school1, ParticipationRole.MENTOR, day, "student"),
        _free(school1, ParticipationRole.MENTEE, day),
    )
    mentors7, mentees7 = (
        _free(school7, ParticipationRole.MENTOR, day),
        _free(school7, ParticipationRole.MENTEE, day),
    )
    if len(mentors1) < 4 or len(mentees1) < 5 or not mentors7 or not mentees7:
        return False
    pairs1 = [
        _completed(curator1, school1, forms["student-student"], mentors1[i], mentees1[i], today)
        for i in range(4)
    ]
    form7 = forms["student-student" if mentors7[0].person.kind == "student" else "teacher-student"]
    pair7 = _completed(curator7, school7, form7, mentors7[0], mentees7[0], today)

    named = _write(curator1, pairs1[0], CASES[0])
    for person in (pairs1[0].mentor.person, *[m.mentee.person for m in pairs1[0].memberships.all()]):
        _allow_distribution(curator1, person, today - dt.timedelta(days=20))
    anonymous = _write(curator1, pairs1[1], CASES[1])
    for case in (named, anonymous):
        services.case_submit(acting_user=curator1, case=case)
        services.case_accept(acting_user=curator1, case=case)
        services.case_accept(acting_user=mun, case=case, comment="Рекомендуем в региональный банк.")
    services.case_accept(acting_user=rnc, case=named, comment="Включён в сборник лучших практик.")
    services.case_publish(acting_user=curator1, case=named, named=True)
    services.case_publish(acting_user=curator1, case=anonymous, named=False)
    submitted = _write(curator1, pairs1[2], CASES[2])
    services.case_submit(acting_user=curator1, case=submitted)
    waiting = _write(curator7, pair7, CASES[3])
    services.case_submit(acting_user=curator7, case=waiting)
    services.case_accept(acting_user=curator7, case=waiting)
    returned = _write(curator1, pairs1[3], CASES[4])
    services.case_submit(acting_user=curator1, case=returned)
    services.case_accept(acting_user=curator1, case=returned)
    services.case_return(acting_user=mun, case=returned, comment=RETURN_COMMENT)
    _mentor_draft(mentor1, curator1, school1, forms, mentees1[4], today)
    return True


def _mentor_draft(
    mentor1: User,
    curator: User,
    program: Program,
    forms: dict[str, MentoringForm],
    mentee: Participation,
    today: dt.date,
) -> None:
    """mentor1's earlier short pair, completed, with the case mentor1 is drafting."""
    mentor = Participation.objects.filter(
        program=program, person__user=mentor1, role=ParticipationRole.MENTOR
    ).first()
    if mentor is None:
        return
    group = _completed(curator, program, forms["teacher-student"], mentor, mentee, today)
    services.case_create(
        acting_user=mentor1, group=group, title="Олимпиадная математика: первые шаги", topic="олимпиады"
    )
