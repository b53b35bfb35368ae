"""A mentor works from a phone: records a meeting that took place and ticks plan tasks; the
curator's board shows the new last meeting and plan fulfilment."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.core.demo import DEMO_PASSWORD
from nastavnik.mentoring import meetings
from nastavnik.mentoring.models import MeetingStatus, MentoringGroup, PlanTask
from nastavnik.mentoring.plans import plan_progress
from nastavnik.registry.services import local_today

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
    group = MentoringGroup.objects.get(mentor__person__user=mentor)
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
