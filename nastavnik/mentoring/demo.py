"""Demo pairs of the demo school (МБОУ «СОШ № 1»): the demo mentor with the demo mentee and
a few more pairs in different states, with plans, meetings, a mentee's reflection, the
program's final event ahead and the satisfaction questionnaires some of them answered about their
pair — so that «Мой кабинет», the curator's board and stage 1 of monitoring show real work. (The
demo mentee has not answered yet: «Мой кабинет» asks them to. The program's networking meeting,
with the preference questionnaire after it: `build_networking_demo()`.)

Built through the services (acting as the demo curator, mentor and mentee), after the demo
region is loaded. Deterministic (people are taken in key order, dates relative to today) and
idempotent: nothing happens if the demo mentor already has a pair."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.time import local_today
from nastavnik.orgs.models import MentoringForm, Program, ProgramKind
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person
from nastavnik.registry.services.people import ensure_can_take_part
from nastavnik.surveys.models import QuestionKind, Questionnaire
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from nastavnik.surveys.services import responses as response_services

from .models import MeetingKind, MentoringGroup, PairStage, ProgramEventKind
from .services import events, meetings, pair_feedback, plans, preferences
from .services import groups as group_services


def _posted(data: dict[str, list[str]]) -> Callable[[str], list[str]]:
    """Answers as a browser posts them, for the services that read form values."""
    return lambda name: data.get(name, [])


def _at(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=zone)


def _held(
    mentor: User, group: MentoringGroup, kind: str, day: dt.date, topic: str, zone: ZoneInfo, note: str
) -> None:
    meeting = meetings.meeting_create(
        acting_user=mentor, group=group, kind=kind, starts_at=_at(day, 15, zone), topic=topic
    )
    present = {a.mentee_id for a in meeting.attendance.all()}
    meetings.meeting_record(
        acting_user=mentor,
        meeting=meeting,
        present=present,
        notes=note,
        mentor_reflection="Работали с интересом.",
    )


def _can_take_part(person: Person, day: dt.date) -> bool:
    try:
        ensure_can_take_part(person, day)
    except ValidationError:
        return False
    return True


def _first_day(people: list[Person], start: dt.date, limit: dt.date) -> dt.date:
    """The first day from `start` on which everyone has a valid consent (demo consents were
    signed on different September and October days)."""
    day = start
    while day < limit and not all(_can_take_part(p, day) for p in people):
        day += dt.timedelta(days=1)
    return day


def _feedback(
    user: User, group: MentoringGroup, respondent: Participation, score: int, *, go_on: bool, best: str = ""
) -> None:
    """An interim satisfaction questionnaire about the pair: every 1–10 item `score`."""
    role = ParticipationRole.MENTOR if respondent.pk == group.mentor_id else ParticipationRole.MENTEE
    answers = {pair_feedback.GLAD: "yes", pair_feedback.CONTINUE: "yes" if go_on else "no", "sat_best": best}
    posted: dict[str, list[str]] = {}
    for question in pair_feedback.questionnaire_for(group.program, role).questions.all():
        value = str(score) if question.kind == QuestionKind.SCALE10 else answers.get(question.code, "")
        if value:
            posted[f"q{question.pk}"] = [value]
    result = pair_feedback.pair_feedback_submit(
        acting_user=user,
        group=group,
        respondent=respondent,
        stage=PairStage.INTERIM,
        get_values=lambda name: posted.get(name, []),
    )
    assert result.response is not None, result.errors


def _approved_plan(mentor: User, curator: User, group: MentoringGroup, start: dt.date, done: int) -> None:
    plan = plans.plan_create(acting_user=mentor, group=group, starts_on=start)
    plans.plan_submit(acting_user=mentor, plan=plan)
    plans.plan_approve(acting_user=curator, plan=plan)
    today = min(timezone.now().astimezone(ZoneInfo(group.program.organisation.timezone)).date(), plan.ends_on)
    for task in list(plan.tasks.order_by("due_on", "number"))[:done]:
        plans.task_set_done(acting_user=mentor, task=task, done=True, done_on=min(task.due_on, today))


@transaction.atomic
def build_pairs_demo(today: dt.date) -> bool:
    """Create the demo pairs; False if they exist already."""
    mentor_user = User.objects.filter(username="mentor1").first()
    if mentor_user is None or MentoringGroup.objects.filter(mentor__person__user=mentor_user).exists():
        return False
    curator = User.objects.get(username="curator1")
    mentee_user = User.objects.get(username="mentee1")
    program = (
        Program.objects.select_related("organisation")
        .filter(curator=curator, kind=ProgramKind.STUDENTS)
        .order_by("-academic_year", "pk")
        .first()
    )
    if program is None:
        return False
    zone = ZoneInfo(program.organisation.timezone)
    forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True)}
    participations = Participation.objects.filter(program=program).select_related("person").order_by("pk")
    mentor = participations.get(person__user=mentor_user, role=ParticipationRole.MENTOR)
    mentee = participations.get(person__user=mentee_user, role=ParticipationRole.MENTEE)

    # The demo pair: formed six weeks ago, the opening meetings held, a regular one next week.
    started = _first_day(
        [mentor.person, mentee.person], today - dt.timedelta(weeks=6), today - dt.timedelta(weeks=4)
    )
    pair = group_services.group_create(
        acting_user=curator,
        program=program,
        form=forms["teacher-student"],
        mentor=mentor,
        mentees=[mentee],
        started_on=started,
    )
    _held(
        mentor_user,
        pair,
        MeetingKind.INTRO,
        started + dt.timedelta(days=2),
        "Знакомство: интересы и ожидания",
        zone,
        "Рассказали о себе, договорились встречаться по четвергам.",
    )
    _held(
        mentor_user,
        pair,
        MeetingKind.TRIAL,
        started + dt.timedelta(days=9),
        "Разбор олимпиадной задачи",
        zone,
        "Решили две задачи школьного этапа.",
    )
    _held(
        mentor_user,
        pair,
        MeetingKind.PLANNING,
        started + dt.timedelta(days=16),
        "Цели и план на полугодие",
        zone,
        "Составили индивидуальный план.",
    )
    _approved_plan(mentor_user, curator, pair, started + dt.timedelta(days=16), done=3)
    _held(
        mentor_user,
        pair,
        MeetingKind.REGULAR,
        today - dt.timedelta(days=6),
        "Подготовка к муниципальному этапу",
        zone,
        "Прорешали вариант прошлого года.",
    )
    intro = pair.meetings.get(kind=MeetingKind.INTRO)
    meetings.meeting_reflect(
        acting_user=mentee_user, meeting=intro, text="Было интересно, наставник понятно объясняет."
    )
    _feedback(mentor_user, pair, mentor, 8, go_on=True, best="Ученик сам предлагает задачи.")
    meetings.meeting_create(
        acting_user=mentor_user,
        group=pair,
        kind=MeetingKind.REGULAR,
        starts_at=_at(today + dt.timedelta(days=3), 15, zone),
        topic="Геометрия: задачи на построение",
        place="каб. 21",
    )

    # More pairs of student mentors for the curator's board.
    free_mentors = [
        p
        for p in participations.filter(role=ParticipationRole.MENTOR, status=ParticipationStatus.CANDIDATE)
        if p.person.kind == "student" and _can_take_part(p.person, started)
    ][:3]
    free_mentees = [
        p
        for p in participations.filter(role=ParticipationRole.MENTEE, status=ParticipationStatus.CANDIDATE)
        if _can_take_part(p.person, started)
    ][:3]
    form = forms["student-student"]
    if len(free_mentors) >= 3 and len(free_mentees) >= 3:
        # Met a month ago and not since: needs attention.
        quiet = group_services.group_create(
            acting_user=curator,
            program=program,
            form=form,
            mentor=free_mentors[0],
            mentees=[free_mentees[0]],
            started_on=started,
        )
        _held(
            curator,
            quiet,
            MeetingKind.INTRO,
            started + dt.timedelta(days=3),
            "Знакомство",
            zone,
            "Познакомились.",
        )
        # Formed last week: too early to judge; the plan waits for approval.
        fresh = group_services.group_create(
            acting_user=curator,
            program=program,
            form=form,
            mentor=free_mentors[1],
            mentees=[free_mentees[1]],
            started_on=today - dt.timedelta(days=5),
        )
        plan = plans.plan_create(acting_user=curator, group=fresh, starts_on=today - dt.timedelta(days=5))
        plans.plan_submit(acting_user=curator, plan=plan)
        # A steady pair: meets every two weeks, plan on track.
        steady = group_services.group_create(
            acting_user=curator,
            program=program,
            form=forms["student-student-1"],
            mentor=free_mentors[2],
            mentees=[free_mentees[2]],
            started_on=started,
        )
        for week, kind in (
            (0, MeetingKind.INTRO),
            (1, MeetingKind.TRIAL),
            (2, MeetingKind.PLANNING),
            (4, MeetingKind.REGULAR),
        ):
            _held(
                curator,
                steady,
                kind,
                started + dt.timedelta(weeks=week, days=1),
                kind.label,
                zone,
                "Работали по плану.",
            )
        _approved_plan(curator, curator, steady, started + dt.timedelta(days=15), done=3)
        # Interim questionnaires on paper, entered by the curator: the steady pair's mentee is
        # glad, the quiet pair's is not and would rather stop.
        _feedback(curator, steady, free_mentees[2], 9, go_on=True, best="Разбор задач вместе")
        _feedback(curator, quiet, free_mentees[0], 5, go_on=False)

    # The final event ahead.
    if program.ends_on:
        final = events.event_create(
            acting_user=curator,
            program=program,
            kind=ProgramEventKind.FINAL_GAME,
            title="Итоговая встреча всех пар: деловая игра «Наставник года»",
            starts_at=_at(program.ends_on - dt.timedelta(days=10), 14, zone),
            place="Актовый зал",
        )
        events.event_invite_participants(acting_user=curator, event=final)
    _partner_pair(today, forms)
    return True


def _partner_pair(today: dt.date, forms: dict[str, MentoringForm]) -> None:
    """A meeting and a questionnaire in a pair of the centre's program whose mentor works at the
    partner plant: its contact (partner1) follows the pair, its plan and meetings, but not the
    mentor's reflection or the mentee's answers, which the centre's curator reads."""
    curator = User.objects.filter(username="curator_cdt").first()
    program = (
        Program.objects.filter(curator=curator, kind=ProgramKind.STUDENTS).order_by("-academic_year").first()
    )
    if curator is None or program is None:
        return
    of_contact = {
        "mentor__person__partner_employment__partner__employees__person__user__username": "partner1"
    }
    pair = MentoringGroup.objects.filter(program=program, **of_contact).order_by("pk").first()
    if pair is None:
        pair = _partner_pair_create(program, curator, today, forms)
    member = pair.memberships.filter(left_on__isnull=True).select_related("mentee").first() if pair else None
    if pair is None or member is None:
        return
    _held(
        curator,
        pair,
        MeetingKind.INTRO,
        max(pair.started_on, today - dt.timedelta(days=10)),
        "Экскурсия в литейный цех",
        ZoneInfo(program.organisation.timezone),
        "Посмотрели участок литья, поговорили о профессии технолога.",
    )
    _feedback(curator, pair, member.mentee, 8, go_on=True, best="Понравилось в цехе, хочу ещё")


def _partner_pair_create(
    program: Program, curator: User, today: dt.date, forms: dict[str, MentoringForm]
) -> MentoringGroup | None:
    """A pair of a free plant employee and a free mentee of the program (None if none is free)."""
    of_program = Participation.objects.filter(program=program, status=ParticipationStatus.CANDIDATE)
    mentor = (
        of_program.filter(
            role=ParticipationRole.MENTOR,
            person__partner_employment__partner__employees__person__user__username="partner1",
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )
    start = today - dt.timedelta(weeks=4)
    mentees = of_program.filter(role=ParticipationRole.MENTEE).select_related("person").order_by("pk")
    mentee = next((p for p in mentees if _can_take_part(p.person, start)), None)
    if mentor is None or mentee is None:
        return None
    return group_services.group_create(
        acting_user=curator,
        program=program,
        form=forms["employer-pupil"],
        mentor=mentor,
        mentees=[mentee],
        started_on=_first_day([mentor.person, mentee.person], start, today - dt.timedelta(weeks=2)),
    )


@transaction.atomic
def build_networking_demo(seed: int = 2026) -> None:
    """The networking meeting of curator1's student program, held as a program event with its
    attendance, and the preference questionnaire after it (after `build_survey_demo()`, which
    copies the templates into the program). Runs once."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    curator = User.objects.get(username="curator1")
    program = Program.objects.filter(curator=curator, kind=ProgramKind.STUDENTS).order_by("pk").first()
    if program is None or program.program_events.filter(kind=ProgramEventKind.NETWORKING).exists():
        return
    today = local_today(program.organisation)
    meeting = events.event_create(
        acting_user=curator,
        program=program,
        kind=ProgramEventKind.NETWORKING,
        title=ProgramEventKind.NETWORKING.label,
        starts_at=_at(today - dt.timedelta(days=2), 15, ZoneInfo(program.organisation.timezone)),
        place="Актовый зал",
        description="Знакомство наставников и наставляемых перед формированием пар.",
    )
    events.event_invite_participants(acting_user=curator, event=meeting)
    invited = list(meeting.invitations.order_by("pk"))
    events.event_mark_attendance(
        acting_user=curator, event=meeting, present=[i.pk for i in invited if rng.random() < 0.8]
    )
    source = Questionnaire.objects.get(program__isnull=True, builtin_code="preference", is_latest=True)
    preference = questionnaire_services.questionnaire_copy(
        acting_user=curator, source=source, program=program
    )
    after_meeting = preferences.preference_campaign_create(
        acting_user=curator,
        event=meeting,
        questionnaire=preference,
        title="Выбор наставника после общей встречи",
        deadline_on=today + dt.timedelta(days=3),
    )
    campaign_services.campaign_add_rank_candidates(acting_user=curator, campaign=after_meeting)
    ranking = preference.questions.get(kind=QuestionKind.RANK_PEOPLE)
    for response in after_meeting.responses.order_by("pk"):
        options = [c.person_id for c in response_services.allowed_people_for(ranking, response)]
        if options and rng.random() < 0.75:
            chosen = rng.sample(options, k=min(3, len(options)))
            data = {f"q{ranking.pk}": [str(p) for p in chosen]}
            response_services.response_save(response=response, get_values=_posted(data), submit=True)
