"""The curator opens the best-mentor ranking of the demo school, reads how a score was
computed, and downloads the encouragement order and a letter of gratitude; the municipality
sees its schools' mentors; the mentor sees their own award on their card."""

import io

import pytest
from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from nastavnik.accounts.demo import DEMO_PASSWORD
from nastavnik.base.names import person_name_in
from nastavnik.recognition.models import Award, AwardOrder
from nastavnik.registry.models import Person
from tests.e2e.test_registry_flow import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_curator_reads_the_ranking_and_downloads_the_order_and_the_letter(page, live_server):
    call_command("load_demo")
    order = AwardOrder.objects.get(number="148-о")
    thanks = Award.objects.get(order=order, kind__name="Благодарность")
    dative = person_name_in(thanks.person, "datv")

    log_in(page, live_server, "curator1")
    page.goto(f"{live_server.url}/recognition/")
    page.wait_for_selector("ol.rec-ranking")
    first = page.locator("li.rec-entry").first
    first.locator("summary").click()
    explanation = first.locator("table.rec-scores").inner_text()
    assert "Оценка куратора" in explanation and "× 15 =" in explanation

    page.click("text=Поощрения")
    page.click(f"a[href='/recognition/orders/{order.pk}/']")
    assert f"Объявить благодарность {dative}" in page.inner_text("main")
    with page.expect_download() as download_info:
        page.click("text=Приказ DOCX")
    with open(download_info.value.path(), "rb") as downloaded:
        text = "\n".join(p.text for p in Document(io.BytesIO(downloaded.read())).paragraphs)
    assert f"Объявить благодарность {dative}" in text
    with page.expect_download() as download_info:
        page.click(f"a[href='/recognition/awards/{thanks.pk}/certificate.pdf']")
    with open(download_info.value.path(), "rb") as downloaded:
        pdf = " ".join(PdfReader(io.BytesIO(downloaded.read())).pages[0].extract_text().split())
    assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in pdf and dative in pdf


def test_the_municipality_ranks_its_schools_and_the_mentor_sees_their_award(page, phone_page, live_server):
    call_command("load_demo")
    log_in(page, live_server, "mun")
    page.goto(f"{live_server.url}/recognition/")
    page.wait_for_selector("ol.rec-ranking")
    schools = set(page.locator("li.rec-entry .rec-name .muted").all_inner_texts())
    assert len(schools) >= 2

    mentor = Person.objects.get(user__username="mentor1")
    phone_page.goto(f"{live_server.url}/login/")
    phone_page.fill("#id_username", "mentor1")
    phone_page.fill("#id_password", DEMO_PASSWORD)
    phone_page.click("main button[type=submit]")
    phone_page.wait_for_url(lambda url: "/login/" not in url)
    phone_page.goto(f"{live_server.url}/registry/{mentor.pk}/")
    phone_page.wait_for_selector("#panel-recognition")
    panel = phone_page.inner_text("#panel-recognition")
    assert "Благодарность" in panel and "Место в рейтинге" not in panel
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.goto(f"{live_server.url}/recognition/")
    assert "Рейтинг" not in phone_page.inner_text("main")
