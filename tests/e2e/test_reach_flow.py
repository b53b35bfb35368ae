"""Closing the municipal loop in the browser: the municipal curator sends a recommendation from the
dashboard, the school answers from its home page, the decision is recorded; and the readiness page
of a fresh organisation lists what is missing and updates as data arrives."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik.accounts.models import Role
from nastavnik.base.time import local_today
from nastavnik.orgs.models import academic_year_of
from tests.builders import mentee, mentor, student_program
from tests.factories import PASSWORD, MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")


def test_a_recommendation_goes_from_the_dashboard_to_the_school_and_back(live_server, page, phone_page):
    region = RegionFactory(name="Область")
    municipality = MunicipalityFactory(region=region, name="Район А")
    school = OrganisationFactory(municipality=municipality, short_name="Школа X")
    OrganisationFactory(municipality=municipality, short_name="Школа Y")
    mun = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality)
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)

    log_in(page, live_server, mun)
    page.goto(f"{live_server.url}/monitoring/municipalities/{municipality.pk}/")
    page.get_by_role("link", name="Дать рекомендацию").click()
    page.get_by_label("Школа X", exact=True).check()
    page.get_by_label("Наставляемые 10–19 лет", exact=True).check()
    page.fill("#id_title", "Сформировать пары для семиклассников")
    page.fill("#id_text", "Провести презентацию программы и сформировать пары до конца четверти.")
    page.fill("#id_due_on", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Направить рекомендацию").click()
    page.wait_for_selector("text=Рекомендация направлена")
    assert "Организация ещё не ответила" in page.content()
    detail_url = page.url

    log_in(phone_page, live_server, curator)
    phone_page.goto(f"{live_server.url}/")
    phone_page.get_by_role("link", name="Сформировать пары для семиклассников").click()
    phone_page.fill("#id_answer", "Презентация проведена в 7-х классах.")
    phone_page.fill("#id_actions_done", "Сформировано 4 пары.")
    phone_page.check("#id_done")
    phone_page.get_by_role("button", name="Сохранить ответ").click()
    phone_page.wait_for_selector("text=Ответ сохранён")
    assert "Выполнена" in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(detail_url)
    assert "Сформировано 4 пары." in page.content()
    page.select_option("#id_decision_kind", "training")
    page.fill("#id_decision", "Семинар для кураторов школ района в январе.")
    page.get_by_role("button", name="Записать решение").click()
    page.wait_for_selector("text=Управленческое решение записано")
    page.goto(f"{live_server.url}/recommendations/municipality/{municipality.pk}/")
    content = page.content()
    assert "Семинар для кураторов школ района в январе." in content and "Выполнена" in content


def test_the_readiness_of_a_fresh_organisation_updates_as_data_arrives(live_server, page):
    school = OrganisationFactory(short_name="Новая школа")
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    log_in(page, live_server, curator)
    url = f"{live_server.url}/readiness/organisations/{school.pk}/"
    page.goto(url)
    missing = page.locator("#missing").inner_text()
    assert "Сформирована база наставляемых" in missing and "Разработана программа наставничества" in missing
    assert "готово 1 из 9" in page.locator("#readiness-score").inner_text()  # the curator is appointed

    program = student_program(school, "student-student")
    program.academic_year = academic_year_of(local_today(school))
    program.save()
    mentee(program)
    mentor(program)
    page.goto(url)
    missing = page.locator("#missing").inner_text()
    assert "Сформирована база наставляемых" not in missing and "Разработана программа" not in missing
    assert "готово 6 из 9" in page.locator("#readiness-score").inner_text()

    item = page.locator("li", has_text="Принято Положение о наставничестве")
    item.get_by_placeholder("основание: приказ № …, дата").fill("приказ № 7 от 02.09")
    item.get_by_role("button", name="Отметить выполненным").click()
    page.wait_for_selector("text=Отметка сохранена")
    assert "готово 7 из 9" in page.locator("#readiness-score").inner_text()
    assert "приказ № 7 от 02.09" in page.content()
