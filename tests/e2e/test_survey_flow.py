"""A curator builds a questionnaire from a template, sends it to a class, a student opens the
personal link on a phone without logging in, answers (each answer saved at once, so a reload
loses nothing) and submits; the curator sees the answer in the results."""

import datetime as dt

import pytest

from nastavnik.accounts.models import Role
from nastavnik.base.time import local_today
from nastavnik.surveys.models import Question, Questionnaire, Response
from tests.e2e.browser import log_in
from tests.factories import OrganisationFactory, ProgramFactory, user_with_role
from tests.surveys.conftest import student

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_class_answers_a_questionnaire_through_personal_links(page, phone_page, live_server):
    school = OrganisationFactory(short_name="МБОУ «СОШ № 5»")
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    program = ProgramFactory(organisation=school, curator=curator, title="Наставничество обучающихся")
    masha = student(school, grade=7, letter="Б", last_name="Кузнецова", first_name="Мария")
    student(school, grade=7, letter="Б", last_name="Орлов", first_name="Пётр")
    student(school, grade=7, letter="Б", last_name="Беззаявленный", consent=False)
    student(school, grade=8, letter="Б", last_name="Восьмиклассник")

    # The curator takes the built-in mentee questionnaire into the program.
    log_in(page, live_server, curator)
    assert page.locator("nav a", has_text="Анкеты").get_attribute("href") == "/surveys/"
    page.goto(f"{live_server.url}/surveys/")
    template = Questionnaire.objects.get(program__isnull=True, builtin_code="mentee_entry")
    row = page.locator(f"tr:has(a[href='/surveys/forms/{template.pk}/'])")
    assert "Анкета наставляемого" in row.inner_text()
    row.locator("select[name=program]").select_option(value=str(program.pk))
    row.locator("button:has-text('Взять')").click()
    page.wait_for_url("**/surveys/forms/*/")
    assert "можно изменять" in page.content()
    questionnaire = Questionnaire.objects.get(program=program)

    # ... adds a question of its own without a page reload (HTMX).
    first_section = page.locator(".builder-section").first
    first_section.locator("details.add-question > summary").click()
    form = first_section.locator("form.question-form")
    form.locator("[name=text]").fill("Какой кружок вы посещаете?")
    form.locator("[name=kind]").select_option("short_text")
    page.evaluate("window.__no_reload = true")
    form.locator("button:has-text('Добавить вопрос')").click()
    page.locator("#builder").get_by_text("Какой кружок вы посещаете?").wait_for()
    assert page.evaluate("window.__no_reload") is True
    club = Question.objects.get(questionnaire=questionnaire, text="Какой кружок вы посещаете?")

    # ... sends it to class 7Б.
    page.click("a.btn:has-text('Разослать')")
    page.wait_for_url("**/surveys/campaigns/new/**")
    page.fill("#id_title", "Анкета наставляемого, 7Б")
    page.fill("#id_deadline_on", (local_today() + dt.timedelta(days=7)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_url("**/recipients/")
    page.fill("#id_grade_from", "7")
    page.fill("#id_grade_to", "7")
    page.fill("#id_class_letter", "Б")
    page.click("button:has-text('Показать')")
    page.wait_for_selector("text=Найдено:")
    page.click("button:has-text('Добавить в рассылку')")
    page.wait_for_url("**/surveys/campaigns/*/")
    assert "Не получили анкету (1)" in page.content()
    assert "Беззаявленный" in page.content()
    assert "Восьмиклассник" not in page.content()

    page.click("button:has-text('Показать ссылки для рассылки')")
    link = page.locator("tr", has_text=masha.full_name).locator("input.link-field").input_value()
    assert "/a/" in link

    # The student opens the link on a phone, without an account.
    goals = Question.objects.get(questionnaire=questionnaire, code="mentee_goals")
    mentor_kind = Question.objects.get(questionnaire=questionnaire, code="mentee_preferred_mentor")
    phone_page.goto(link)
    assert "Анкета наставляемого" in phone_page.locator("h1").inner_text()
    assert "Выйти" not in phone_page.content()
    phone_page.get_by_label("Помощь в выборе профессии").check()
    phone_page.wait_for_selector(f"#q-status-{goals.pk} .q-saved")
    phone_page.locator(f"#q-{club.pk} input").fill("Робототехника")
    phone_page.wait_for_selector(f"#q-status-{club.pk} .q-saved")

    # The connection drops; opening the link again shows what was already answered.
    phone_page.goto(link)
    assert phone_page.get_by_label("Помощь в выборе профессии").is_checked()
    assert phone_page.locator(f"#q-{club.pk} input").input_value() == "Робототехника"
    assert Response.objects.get(respondent=masha).status == "in_progress"

    phone_page.get_by_label("Учителя").check()
    phone_page.wait_for_selector(f"#q-status-{mentor_kind.pk} .q-saved")
    phone_page.click("button:has-text('Отправить анкету')")
    phone_page.wait_for_selector("text=Спасибо! Анкета отправлена")

    # The curator sees the answer.
    page.goto(
        f"{live_server.url}/surveys/campaigns/{Response.objects.get(respondent=masha).campaign_id}/results/"
    )
    assert "доля ответивших: 1 из 2" in page.content()
    answers = page.locator("table.answers-table tr", has_text=masha.full_name)
    assert "Робототехника" in answers.inner_text()
    assert "Помощь в выборе профессии" in answers.inner_text()


def test_an_altered_link_shows_a_clear_page_in_the_browser(page, live_server):
    response = page.goto(f"{live_server.url}/a/this-is-not-a-real-token/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Ссылка недействительна"


def test_the_campaign_pages_show_the_networking_meeting_loaded_from_the_pairs_side(page, live_server):
    """The surveys app knows nothing of mentoring: its campaign pages fetch the meeting a
    preference questionnaire follows by HTMX, into the placeholder the page keeps for it."""
    from nastavnik.mentoring.services import preferences
    from nastavnik.surveys.services import questionnaires as questionnaire_services
    from tests.surveys.conftest import mentee, mentor, networking_meeting, template

    school = OrganisationFactory(short_name="МБОУ «СОШ № 6»")
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    program = ProgramFactory(organisation=school, curator=curator)
    present = [mentee(program, student(school)), mentor(program, student(school, grade=10))]
    meeting = networking_meeting(program, curator, present=present)
    campaign = preferences.preference_campaign_create(
        acting_user=curator,
        event=meeting,
        questionnaire=questionnaire_services.questionnaire_copy(
            acting_user=curator, source=template("preference"), program=program
        ),
        title="Выбор после встречи",
        deadline_on=local_today() + dt.timedelta(days=3),
    )

    log_in(page, live_server, curator)
    for url in ("/surveys/campaigns/", f"/surveys/campaigns/{campaign.pk}/"):
        page.goto(f"{live_server.url}{url}")
        shown = page.locator(f"#campaign-meeting-{campaign.pk} a")
        shown.wait_for()
        assert shown.inner_text().startswith("общая встреча ")
        assert shown.get_attribute("href") == f"/pairs/events/{meeting.pk}/"
