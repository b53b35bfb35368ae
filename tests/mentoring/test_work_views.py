"""Pages of the pairs' work: nobody reaches another pair's plan or meetings (every URL), the
participants' own pages work, completion reaches the registry, query counts stay constant."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring.models import (
    GroupStatus,
    MeetingStatus,
    MentoringGroup,
    MentorReport,
    ProgramEventKind,
    ReminderLog,
)
from nastavnik.mentoring.services import events, meetings, plans
from nastavnik.orgs.models import Program
from nastavnik.registry.models import ParticipationStatus
from nastavnik.surveys.models import Response, TemplateKind
from tests.builders import builtin_form, mentee, mentor
from tests.mentoring.conftest import (
    account_for,
    at,
    base,
    feedback_answers,
    give_feedback,
    hold,
    make_pair,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_pair(pair, mentor_user, school_x_curator):
    """The pair with a plan and a held and a planned meeting."""
    plan = plans.plan_create(acting_user=mentor_user, group=pair, starts_on=base())
    plans.plan_submit(acting_user=mentor_user, plan=plan)
    hold(pair, mentor_user, base() + dt.timedelta(days=7), kind="intro")
    meetings.meeting_create(
        acting_user=mentor_user,
        group=pair,
        kind="trial",
        starts_at=at(today_in() + dt.timedelta(days=3)),
        topic="Пробная",
    )
    return pair


def group_urls(group):
    """Every URL of one pair's pages, with the method the page takes."""
    meeting = group.meetings.first()
    task = group.plans.get().tasks.first()
    pk = group.pk
    gets = [
        reverse("mentoring:group_detail", args=[pk]),
        reverse("mentoring:group_history", args=[pk]),
        reverse("mentoring:plan", args=[pk]),
        reverse("mentoring:meeting_list", args=[pk]),
        reverse("mentoring:meeting_new", args=[pk]),
        reverse("mentoring:meeting_held", args=[pk]),
        reverse("mentoring:meeting_detail", args=[pk, meeting.pk]),
        reverse("mentoring:meeting_edit", args=[pk, meeting.pk]),
        reverse("mentoring:feedback", args=[pk]),
        reverse("mentoring:report", args=[pk]),
    ]
    posts = [
        reverse("mentoring:group_end", args=[pk]),
        reverse("mentoring:group_complete", args=[pk]),
        reverse("mentoring:plan_create", args=[pk]),
        reverse("mentoring:task_tick", args=[pk, task.pk]),
        reverse("mentoring:meeting_opening", args=[pk]),
        reverse("mentoring:meeting_action", args=[pk, meeting.pk, "record"]),
        reverse("mentoring:meeting_action", args=[pk, meeting.pk, "reflect"]),
        reverse("mentoring:meeting_action", args=[pk, meeting.pk, "cancel"]),
        reverse("mentoring:feedback", args=[pk]),
        reverse("mentoring:report", args=[pk]),
        *[
            reverse("mentoring:plan_action", args=[pk, action])
            for action in (
                "header",
                "goal-add",
                "goal-delete",
                "task-add",
                "task-edit",
                "task-delete",
                "submit",
                "approve",
                "return",
                "revise",
            )
        ],
    ]
    return gets, posts


def test_the_url_list_covers_every_pair_page():
    from nastavnik.mentoring import urls

    per_pair = {p.name for p in urls.urlpatterns if str(p.pattern).startswith("<int:pk>/")}
    covered = {
        "group_detail",
        "group_history",
        "plan",
        "meeting_list",
        "meeting_new",
        "meeting_held",
        "meeting_detail",
        "meeting_edit",
        "feedback",
        "report",
        "group_end",
        "group_complete",
        "plan_create",
        "task_tick",
        "meeting_opening",
        "meeting_action",
        "plan_action",
        "mentee_remove",
    }
    assert per_pair <= covered


@pytest.mark.parametrize("who", ["mentor", "mentee", "parent", "school_y"])
def test_nobody_reaches_another_pairs_plan_or_meetings(
    who, worked_pair, other_pair, school_y_curator, client_for
):
    from nastavnik.registry.models import GuardianLink

    other_mentee = other_pair.memberships.get().mentee.person
    user = {
        "mentor": lambda: account_for(other_pair.mentor.person, Role.MENTOR),
        "mentee": lambda: account_for(other_mentee, Role.MENTEE),
        "parent": lambda: account_for(
            GuardianLink.objects.filter(child=other_mentee).first().guardian, Role.PARENT
        ),
        "school_y": lambda: school_y_curator,
    }[who]()
    client = client_for(user)
    gets, posts = group_urls(worked_pair)
    membership = worked_pair.memberships.get()
    posts.append(reverse("mentoring:mentee_remove", args=[worked_pair.pk, membership.pk]))
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"done": "1", "reflection": "x", "comment": "x"}).status_code == 404, url
    assert worked_pair.plans.get().tasks.filter(done=True).count() == 0
    assert worked_pair.meetings.filter(status=MeetingStatus.CANCELLED).count() == 0


def test_the_pairs_own_people_read_their_pages(
    worked_pair, mentor_user, mentee_user, parent_user, client_for
):
    gets, _ = group_urls(worked_pair)
    readable = [
        u for u in gets if "/edit/" not in u and not u.endswith(("/new/", "/held/")) and "/report/" not in u
    ]
    for user in (mentor_user, mentee_user, parent_user):
        client = client_for(user)
        for url in readable:
            assert client.get(url).status_code == 200, (user, url)
    mentee_client = client_for(mentee_user)
    assert mentee_client.get(reverse("mentoring:meeting_new", args=[worked_pair.pk])).status_code == 403
    assert mentee_client.get(reverse("mentoring:meeting_held", args=[worked_pair.pk])).status_code == 403
    assert mentee_client.get(reverse("mentoring:report", args=[worked_pair.pk])).status_code == 404
    task = worked_pair.plans.get().tasks.first()
    assert (
        mentee_client.post(
            reverse("mentoring:task_tick", args=[worked_pair.pk, task.pk]), {"done": "1"}
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert not task.done


def test_a_mentor_records_a_meeting_and_the_mentee_reflects(
    worked_pair, mentor_user, mentee_user, client_for
):
    meeting = worked_pair.meetings.get(status=MeetingStatus.PLANNED)
    meeting.starts_at = timezone.now() - dt.timedelta(hours=2)
    meeting.save()
    member = worked_pair.memberships.get().mentee
    client_for(mentor_user).post(
        reverse("mentoring:meeting_action", args=[worked_pair.pk, meeting.pk, "record"]),
        {
            "present": [member.pk],
            "mentor_present": "on",
            "notes": "Решали задачи",
            "mentor_reflection": "Хорошо",
        },
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.notes == "Решали задачи"
    assert meeting.attendance.get().present is True
    client_for(mentee_user).post(
        reverse("mentoring:meeting_action", args=[worked_pair.pk, meeting.pk, "reflect"]),
        {"reflection": "Понравилось"},
    )
    assert meeting.attendance.get().reflection == "Понравилось"


def test_a_new_mentee_does_not_see_the_previous_mentees_meetings(program, school_x_curator, client_for):
    from nastavnik.mentoring.services import groups as group_services

    group = make_pair(program, school_x_curator)
    old = hold(group, school_x_curator, base() + dt.timedelta(days=5))
    first = group.memberships.get()
    newcomer = mentee(program)
    group_services.group_add_mentee(
        acting_user=school_x_curator, group=group, mentee=newcomer, joined_on=base() + dt.timedelta(days=30)
    )
    group_services.group_remove_mentee(
        acting_user=school_x_curator,
        group=group,
        mentee=first.mentee,
        left_on=base() + dt.timedelta(days=30),
        reason="Переезд",
    )
    client = client_for(account_for(newcomer.person, Role.MENTEE))
    assert client.get(reverse("mentoring:meeting_detail", args=[group.pk, old.pk])).status_code == 404
    assert old not in client.get(reverse("mentoring:meeting_list", args=[group.pk])).context["meetings"]


def test_the_opening_meetings_follow_the_methodology(pair, mentor_user, client_for):
    client_for(mentor_user).post(
        reverse("mentoring:meeting_opening", args=[pair.pk]),
        {"date": (today_in() + dt.timedelta(days=1)).isoformat(), "time": "16:00", "format": "in_person"},
    )
    kinds = list(pair.meetings.order_by("starts_at").values_list("kind", flat=True))
    assert kinds == ["intro", "trial", "planning", "final"]
    starts = list(pair.meetings.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts[1] - starts[0] == dt.timedelta(weeks=1) == starts[2] - starts[1]


def test_the_suggested_next_meeting(pair, mentor_user):
    steps = []
    for kind in ("intro", "trial", "planning"):
        suggestion = meetings.suggest_next(pair, list(pair.meetings.all()), base() + dt.timedelta(days=1))
        steps.append(suggestion.kind.value)
        hold(pair, mentor_user, base() + dt.timedelta(days=len(steps) * 7), kind=kind)
    steps.append(
        meetings.suggest_next(pair, list(pair.meetings.all()), base() + dt.timedelta(days=22)).kind.value
    )
    assert steps == ["intro", "trial", "planning", "regular"]
    end = pair.program.ends_on
    assert (
        meetings.suggest_next(pair, list(pair.meetings.all()), base() + dt.timedelta(days=130)).kind
        == "reflective"
    )
    assert meetings.suggest_next(pair, list(pair.meetings.all()), end - dt.timedelta(days=10)).kind == "final"


def test_the_personal_page_shows_the_mentors_pairs_and_todos(worked_pair, mentor_user, client_for):
    response = client_for(mentor_user).get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("mentoring:my")
    card = response.context["overview"].as_mentor[0]
    assert card.group == worked_pair and [m.topic for m in card.upcoming] == ["Пробная"]
    assert any("рефлексию" in t.text for t in card.todos)


def test_the_personal_page_query_count_does_not_grow(program, school_x_curator, client_for):
    from nastavnik.mentoring.services import groups as group_services

    first = make_pair(program, school_x_curator)
    user = account_for(first.mentor.person, Role.MENTOR)
    client = client_for(user)

    def work(group):
        plans.plan_create(acting_user=school_x_curator, group=group, starts_on=base())
        hold(group, school_x_curator, base() + dt.timedelta(days=3))
        give_feedback(user, group, group.mentor)

    work(first)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("mentoring:my"))
    for _ in range(2):
        group = group_services.group_create(
            acting_user=school_x_curator,
            program=program,
            form=builtin_form("student-student"),
            mentor=first.mentor,
            mentees=[mentee(program)],
            started_on=base(),
        )
        work(group)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("mentoring:my"))
    assert len(response.context["overview"].as_mentor) == 3
    assert len(one) == len(three)


def test_the_calendars_place_meetings_on_local_days_with_constant_queries(
    program, school_x_curator, client_for
):
    program.organisation.timezone = "Asia/Vladivostok"
    program.organisation.save()
    group = make_pair(program, school_x_curator)
    user = account_for(group.mentor.person)
    day = today_in() + dt.timedelta(days=10)
    # 08:00 in Vladivostok is 22:00 UTC the day before: it must show on the local day.
    meetings.meeting_create(
        acting_user=school_x_curator,
        group=group,
        kind="intro",
        starts_at=at(day, 8, "Asia/Vladivostok"),
        topic="Утро",
    )
    month = f"?month={day:%Y-%m}"
    with CaptureQueriesContext(connection) as one:
        response = client_for(user).get(reverse("mentoring:my_calendar") + month)
    cells = [c for week in response.context["weeks"] for c in week if c.items]
    assert [(c.day, c.items[0].local.hour) for c in cells] == [(day, 8)]
    for n in range(3):
        meetings.meeting_create(
            acting_user=school_x_curator,
            group=group,
            kind="regular",
            starts_at=at(day + dt.timedelta(days=n + 1), 9, "Asia/Vladivostok"),
            topic=f"Ещё {n}",
        )
    with CaptureQueriesContext(connection) as four:
        client_for(user).get(reverse("mentoring:my_calendar") + month)
    assert len(one) == len(four)
    curator = client_for(school_x_curator)
    with CaptureQueriesContext(connection) as program_one:
        response = curator.get(reverse("mentoring:program_calendar", args=[program.pk]) + month)
    assert sum(len(c.items) for w in response.context["weeks"] for c in w) >= 1
    make_pair(program, school_x_curator)
    meetings.meeting_create(
        acting_user=school_x_curator,
        group=MentoringGroup.objects.last(),
        kind="intro",
        starts_at=at(day, 10, "Asia/Vladivostok"),
        topic="Другая пара",
    )
    with CaptureQueriesContext(connection) as program_two:
        curator.get(reverse("mentoring:program_calendar", args=[program.pk]) + month)
    assert len(program_one) == len(program_two)


def test_school_y_gets_404_on_school_x_program_pages(program, school_y_curator, client_for):
    client = client_for(school_y_curator)
    for name in ("program_calendar", "event_list", "plans_order"):
        assert client.get(reverse(f"mentoring:{name}", args=[program.pk])).status_code == 404, name


def test_meeting_reminders_are_sent_once_and_again_after_a_reschedule(pair, mentor_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pair.mentor.person.email = "mentor@example.org"
    pair.mentor.person.save()
    meeting = meetings.meeting_create(
        acting_user=mentor_user,
        group=pair,
        kind="intro",
        starts_at=timezone.now() + dt.timedelta(hours=5),
        topic="Знакомство",
    )
    call_command("send_meeting_reminders", stdout=io.StringIO())
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert "mentor@example.org" in recipients
    assert len(recipients) == ReminderLog.objects.count()
    call_command("send_meeting_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == len(recipients)
    meetings.meeting_update(
        acting_user=mentor_user,
        meeting=meeting,
        kind="intro",
        starts_at=meeting.starts_at + dt.timedelta(hours=1),
        topic="Знакомство",
        duration_minutes=45,
        format="in_person",
        place="",
    )
    call_command("send_meeting_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2 * len(recipients)


def test_program_event_attendance_share(program, school_x_curator, client_for):
    pairs = [make_pair(program, school_x_curator) for _ in range(5)]  # 10 participants
    event = events.event_create(
        acting_user=school_x_curator,
        program=program,
        kind=ProgramEventKind.NETWORKING,
        title="Общая встреча",
        starts_at=timezone.now() - dt.timedelta(hours=3),
    )
    assert (
        events.event_invite_participants(acting_user=school_x_curator, event=event, with_guardians=True) > 10
    )
    assert events.event_invite_participants(acting_user=school_x_curator, event=event) == 0
    participants = list(event.invitations.filter(participation__isnull=False).order_by("pk"))
    assert len(participants) == 2 * len(pairs)
    guest = event.invitations.filter(participation__isnull=True).first()
    result = events.event_mark_attendance(
        acting_user=school_x_curator, event=event, present=[i.pk for i in participants[:9]] + [guest.pk]
    )
    assert (result.invited, result.present, result.percent, result.meets_target) == (10, 9, 90, True)
    # Bulk writes send no signals: the services leave one history entry each on the event.
    history = LogEntry.objects.get_for_object(event).order_by("pk")
    assert [(e.actor, list(e.changes)) for e in history][-2:] == [
        (school_x_curator, ["приглашены"]),
        (school_x_curator, ["присутствовали"]),
    ]
    invited = event.invitations.count()
    assert history.last().changes == {"присутствовали": [f"0 из {invited}", f"10 из {invited}"]}
    response = client_for(school_x_curator).post(
        reverse("mentoring:event_action", args=[event.pk, "attendance"]),
        {"present": [i.pk for i in participants[:8]]},
        follow=True,
    )
    assert "Присутствовали 8 из 10 участников (80%)" in response.content.decode()


def test_the_networking_meeting_invites_the_candidates_before_pairs_are_formed(program, school_x_curator):
    paired = make_pair(program, school_x_curator)
    candidates = [mentee(program), mentor(program)]
    withdrawn = mentee(program)
    withdrawn.status = ParticipationStatus.WITHDRAWN
    withdrawn.save()

    def invited(kind):
        event = events.event_create(
            acting_user=school_x_curator,
            program=program,
            kind=kind,
            title=kind.label,
            starts_at=timezone.now() + dt.timedelta(days=7),
        )
        events.event_invite_participants(acting_user=school_x_curator, event=event)
        return set(event.invitations.values_list("participation_id", flat=True))

    in_pair = {paired.mentor_id, paired.memberships.get().mentee_id}
    assert invited(ProgramEventKind.NETWORKING) == in_pair | {p.pk for p in candidates}
    assert invited(ProgramEventKind.FINAL_GAME) == in_pair


def test_the_surveys_pages_open_the_event_form_for_a_networking_meeting(
    program, school_x_curator, client_for
):
    page = client_for(school_x_curator).get(
        reverse("mentoring:event_list", args=[program.pk]), {"kind": "networking"}
    )
    form = page.context["form"]
    assert (form["kind"].value(), form["title"].value()) == (
        ProgramEventKind.NETWORKING,
        "Общая встреча наставников и наставляемых",
    )


def test_completion_reaches_the_registry_and_the_person_card(
    worked_pair, mentor_user, mentee_user, school_x_curator, client_for
):
    client_for(mentee_user).post(
        reverse("mentoring:feedback", args=[worked_pair.pk]),
        {"stage": "final", **feedback_answers(worked_pair.program, sat_continue="no", sat_comment="Спасибо")},
    )
    answered = Response.objects.get(pair_feedback__group=worked_pair)
    assert (answered.campaign.questionnaire.kind, answered.pair_feedback.stage) == (
        TemplateKind.SATISFACTION_MENTEE,
        "final",
    )
    client_for(mentor_user).post(
        reverse("mentoring:report", args=[worked_pair.pk]),
        {"work_done": "12 встреч", "mentee_progress": "Четвёрка по алгебре", "submit": "1"},
    )
    assert MentorReport.objects.get(group=worked_pair).submitted
    response = client_for(school_x_curator).post(
        reverse("mentoring:group_complete", args=[worked_pair.pk]),
        {
            "decision": "completed",
            "ended_on": today_in().isoformat(),
            "result_summary": "Повысил успеваемость по алгебре",
        },
    )
    assert response.status_code == 302
    worked_pair.refresh_from_db()
    assert worked_pair.status == GroupStatus.COMPLETED
    mentee_participation = worked_pair.memberships.get().mentee
    mentee_participation.refresh_from_db()
    assert mentee_participation.status == ParticipationStatus.COMPLETED
    card = client_for(school_x_curator).get(
        reverse("registry:person_detail", args=[mentee_participation.person_id])
    )
    page = card.content.decode()
    assert "Повысил успеваемость по алгебре" in page and worked_pair.mentor.person.full_name in page


def test_a_continued_pair_is_reformed_in_next_years_program(pair, school_x_curator, program):
    from nastavnik.mentoring.services import completion

    following = Program.objects.create(
        organisation=program.organisation,
        kind=program.kind,
        title=program.title,
        academic_year=program.academic_year + 1,
    )
    following.forms.set(program.forms.all())
    completion.group_complete(
        acting_user=school_x_curator,
        group=pair,
        decision="continued",
        result_summary="Продолжим",
        next_program=following,
    )
    follow_up = MentoringGroup.objects.get(program=following)
    assert follow_up.continued_from == pair and follow_up.mentor.person == pair.mentor.person
    assert [m.mentee.person for m in follow_up.memberships.all()] == [pair.memberships.get().mentee.person]


def test_the_order_approving_plans_lists_the_approved_ones(
    worked_pair, other_pair, school_x_curator, client_for, program
):
    plans.plan_approve(acting_user=school_x_curator, plan=worked_pair.plans.get())
    plans.plan_create(acting_user=school_x_curator, group=other_pair)  # a draft: not in the order
    response = client_for(school_x_curator).get(
        reverse("mentoring:plans_order", args=[program.pk]),
        {"download": "1", "number": "12-о", "date": today_in().isoformat()},
    )
    document = Document(io.BytesIO(response.content))
    rows = list(document.tables[0].rows)[1:]
    assert [r.cells[1].text for r in rows] == [worked_pair.mentor.person.full_name]
    assert any("№ 12-о" in p.text for p in document.paragraphs)
