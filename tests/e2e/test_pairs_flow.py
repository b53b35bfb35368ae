"""A mentor works from a phone: records a meeting that took place and ticks plan tasks; the
curator's board shows the new last meeting and plan fulfilment. A mentee answers the
satisfaction questionnaire from «Мой кабинет», and stage 1 of monitoring counts it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.time import local_today
from nastavnik.home.demo import DEMO_PASSWORD
from nastavnik.mentoring.models import GroupStatus, MeetingStatus, MentoringGroup, PlanTask
from nastavnik.mentoring.services import meetings
from nastavnik.mentoring.services.pair_feedback import questionnaire_for
from nastavnik.mentoring.services.plans import plan_progress
from nastavnik.monitoring import stages
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.surveys.models import Response

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, live_server, username, lands_on):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{lands_on}")


def test_a_mentor_records_a_meeting_and_ticks_tasks_on_a_phone(phone_page, page, live_server):
    call_command("load_demo")
    mentor = User.objects.get(username="mentor1")
    # mentor1's pair at work with mentee1 (the demo also holds a completed pair of theirs, with a case)
    group = MentoringGroup.objects.get(
        mentor__person__user=mentor,
        status=GroupStatus.ACTIVE,
        memberships__mentee__person__user__username="mentee1",
    )
    # A meeting that began a few minutes ago, still to be recorded.
    meeting = meetings.meeting_create(
        acting_user=mentor,
        group=group,
        kind="regular",
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        topic="Задачи на проценты",
    )
    plan = group.plans.get(is_current=True)
    today = local_today(group.program.organisation)
    before = plan_progress(plan, today)

    phone = phone_page
    log_in(phone, live_server, "mentor1", "/pairs/my/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click("text=Отметьте, как прошла встреча «Задачи на проценты»")
    phone.wait_for_url(f"**/pairs/{group.pk}/meetings/{meeting.pk}/")
    phone.fill("#id_notes", "Разобрали пять задач из ОГЭ")
    phone.fill("#id_mentor_reflection", "Тема пошла легче, чем в прошлый раз")
    phone.click("#record button[type=submit]")
    phone.wait_for_selector("text=Встреча отмечена как состоявшаяся")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.attendance.get().present is True

    phone.click("nav.tabs >> text=План")
    phone.wait_for_url(f"**/pairs/{group.pk}/plan/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    open_tasks = list(plan.tasks.filter(done=False).order_by("due_on", "number", "pk")[:2])
    for task in open_tasks:
        phone.click(f"#task-{task.pk} button.tick")
        phone.wait_for_selector(f"#task-{task.pk}.done")
    assert PlanTask.objects.filter(pk__in=[t.pk for t in open_tasks], done=True).count() == 2
    after = plan_progress(plan, today)
    assert after.done == before.done + 2
    assert f"{after.overall_percent}%" in phone.inner_text("#plan-progress")

    # The curator's board shows it.
    log_in(page, live_server, "curator1", "/")
    page.goto(f"{live_server.url}/pairs/board/")
    row = page.locator(f"#group-{group.pk}")
    assert row.locator(".last-meeting").inner_text() == today.strftime("%d.%m.%Y")
    assert row.locator(".plan-cell a").inner_text() == f"{after.overall_percent}%"


def test_a_mentee_answers_the_satisfaction_questionnaire_on_a_phone_and_stage_1_counts_it(
    phone_page, page, live_server
):
    call_command("load_demo")
    mentee = User.objects.get(username="mentee1")
    group = MentoringGroup.objects.get(memberships__mentee__person__user=mentee)
    organisation = group.program.organisation
    scope = Scope(ORGANISATION, organisation, organisation.timezone)
    curator = User.objects.get(username="curator1")
    day = local_today(organisation)
    before = stages.stage1(curator, scope, day).total

    phone = phone_page
    log_in(phone, live_server, "mentee1", "/pairs/my/")
    phone.click("text=Ответьте на несколько вопросов о работе с наставником")
    phone.wait_for_url(f"**/pairs/{group.pk}/feedback/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    questionnaire = questionnaire_for(group.program, "mentee")
    for question in questionnaire.questions.all():
        if question.kind == "scale10":
            phone.click(f"#q-{question.pk} input[value='9'] + span")
        elif question.code in ("sat_glad", "sat_continue"):
            phone.check(f"#q-{question.pk} input[value='yes']")
    phone.fill(f"#q-{questionnaire.questions.get(code='sat_best').pk} textarea", "Олимпиадные задачи")
    phone.click("text=Отправить анкету")
    phone.wait_for_selector("text=Спасибо! Анкета сохранена.")
    answered = Response.objects.get(pair_feedback__group=group, respondent__user=mentee)
    assert answered.answers.filter(number=9).count() == 6
    assert "Ответьте на несколько вопросов" not in phone.goto(f"{live_server.url}/pairs/my/").text()

    # The curator's stage 1 page counts the mentee among those who answered (and are satisfied).
    after = stages.stage1(curator, scope, day).total
    assert (after.respondents, after.satisfied) == (before.respondents + 1, before.satisfied + 1)
    log_in(page, live_server, "curator1", "/")
    page.goto(f"{live_server.url}{reverse('monitoring:stage1', args=[ORGANISATION, organisation.pk])}")
    stat = page.locator(".stat", has_text="ответили на анкеты").locator(".value")
    assert stat.inner_text() == str(after.respondents)
