"""The case bank and the public «Наставничество» page in a browser: a mentor writes a case of a
completed pair on a phone from the pre-filled form and sends it; the school and the municipality
accept it; the curator publishes it — only anonymised, since nobody consented to dissemination —
and an anonymous visitor on a phone reads it without a single name. The curator publishes news
about a teacher who consented; the school's site shows it in the iframe block; once the consent is
revoked, the news disappears from the public page at the next load."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.base.time import today_in
from nastavnik.cases.models import Case, CaseStatus
from nastavnik.registry.models import Consent, ConsentKind
from tests.builders import student_program, teacher
from tests.cases.conftest import allow_distribution, completed_pair
from tests.factories import PASSWORD
from tests.mentoring.conftest import account_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_case_goes_from_the_mentors_phone_to_the_public_page_anonymised(
    page, phone_page, chromium, live_server, school_x, school_x_curator, municipal_curator_a
):
    pair = completed_pair(student_program(school_x), school_x_curator)
    mentor = account_for(pair.mentor.person)

    log_in(phone_page, live_server, mentor)
    phone_page.goto(f"{live_server.url}{reverse('cases:bank')}")
    phone_page.click("text=написать кейс")
    assert "отстаёт по математике" in phone_page.input_value("#id_request")
    phone_page.fill("#id_title", "Математика без страха")
    phone_page.click("button:has-text('Сохранить')")
    phone_page.click("button:has-text('Отправить на рассмотрение')")
    assert "На рассмотрении в организации" in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    case = Case.objects.get()

    log_in(page, live_server, school_x_curator)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.click("button:has-text('Принять')")
    page.wait_for_selector("text=Кейс принят.")
    page.context.clear_cookies()
    log_in(page, live_server, municipal_curator_a)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    page.fill("#id_comment", "В региональный банк")
    page.locator("form[action$='/accept/'] button").click()
    page.wait_for_selector("text=Кейс принят.")
    case.refresh_from_db()
    assert case.status == CaseStatus.MUNICIPALITY_ACCEPTED

    page.context.clear_cookies()
    log_in(page, live_server, school_x_curator)
    page.goto(f"{live_server.url}{reverse('cases:detail', args=[case.pk])}")
    assert "только обезличенно" in page.content()
    assert page.locator("text=Опубликовать с именами").count() == 0
    page.click("button:has-text('Опубликовать обезличенно')")
    page.wait_for_selector("text=Кейс опубликован")

    visitor = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="ru-RU"
    ).new_page()
    visitor.goto(f"{live_server.url}{reverse('publication:organisation', args=[school_x.pk])}")
    visitor.click("text=Математика без страха")
    text = visitor.content()
    assert "опубликован обезличенно" in text and "наставляемый отстаёт по математике" in text
    for name in ("Соколов", "Белова", "Мария", "Артём"):
        assert name not in text
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
    visitor.context.close()


def test_news_about_a_consenting_teacher_shows_in_the_iframe_block_until_the_consent_is_revoked(
    page, chromium, live_server, school_x, school_x_curator
):
    person = teacher(
        school_x, experience=20, last_name="Громова", first_name="Елена", middle_name="Викторовна"
    )
    allow_distribution(person)
    log_in(page, live_server, school_x_curator)
    page.goto(f"{live_server.url}{reverse('publication:staff_new')}")
    page.fill("#id_title", "Неделя наставничества")
    page.fill("#id_text", "Открытые встречи пар для родителей.")
    page.check(f"input[name=people][value='{person.pk}']")
    page.click("button:has-text('Сохранить')")
    page.click("button:has-text('Опубликовать')")
    page.wait_for_selector("text=Опубликовано на странице")
    snippet = page.input_value("textarea")
    assert "/embed/" in snippet

    site = chromium.new_context(locale="ru-RU").new_page()
    site.set_content(f"<h1>Сайт школы</h1>{snippet}")
    frame = site.frame_locator("iframe")
    assert frame.locator("text=Неделя наставничества").count() == 1
    site.goto(f"{live_server.url}{reverse('publication:organisation', args=[school_x.pk])}")
    assert "Неделя наставничества" in site.content()

    Consent.objects.filter(subject=person, kind=ConsentKind.DISTRIBUTION).update(revoked_on=today_in())
    site.reload()
    assert "Неделя наставничества" not in site.content() and "Громова" not in site.content()
    site.context.close()
