"""A curator's first minutes, in a real browser: log in, open the registry, find a student,
record a guardian's consent, and put the student into the program."""

import re

import pytest
from django.core.management import call_command

from nastavnik.home.demo import DEMO_PASSWORD
from nastavnik.registry.models import Participation, Person
from tests.factories import years_ago

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    assert "Вход" in page.title()
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def open_menu(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Open a page of the top menu, opening its drop-down section first when it is in one."""
    exact = re.compile(f"^{re.escape(label)}$")
    link = page.locator("nav.nav a").filter(has_text=exact).first
    group = page.locator("details.navgroup").filter(has=page.locator("a").filter(has_text=exact))
    if group.count() and not group.first.evaluate("d => d.open"):
        group.first.locator("summary").click()
    link.click()


def test_a_demo_curator_logs_in_and_opens_the_registry(page, live_server):
    call_command("load_demo")
    log_in(page, live_server, "curator1")
    assert page.locator("h1").inner_text().startswith("Здравствуйте")
    open_menu(page, "База участников")
    page.wait_for_url("**/registry/**")
    assert page.locator("h1").inner_text() == "База наставников и наставляемых"
    found = page.locator("text=/Найдено: \\d+/").inner_text()
    assert int(found.split(":")[1]) > 400

    # Search narrows the table through HTMX without a page reload.
    student = (
        Person.objects.filter(organisation__short_name="МБОУ «СОШ № 1»", kind="student")
        .order_by("pk")
        .first()
    )
    page.fill("input[name=q]", student.last_name.lower())
    page.wait_for_function(
        "(n) => document.querySelector('#person-table').innerText.includes(n)", arg=student.full_name
    )
    assert page.url.endswith(f"q={student.last_name.lower()}") or "q=" in page.url


def test_a_curator_records_a_consent_and_adds_the_student_to_the_program(page, live_server):
    call_command("load_demo")
    child = Person.objects.create(
        organisation=Person.objects.get(user__username="mentee1").organisation,
        kind="student",
        last_name="Новикова",
        first_name="Ева",
        middle_name="Андреевна",
        birth_date=years_ago(11),
        grade=5,
        class_letter="А",
    )
    log_in(page, live_server, "curator1")
    page.goto(f"{live_server.url}/registry/{child.pk}/")
    assert "Участие невозможно" in page.content()

    page.click("text=Добавить представителя")
    page.fill("#id_last_name", "Новикова")
    page.fill("#id_first_name", "Ирина")
    page.fill("#id_relation", "мать")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/registry/{child.pk}/")

    page.click("text=Записать согласие")
    page.select_option("#id_given_by", "representative")
    page.select_option("#id_representative", index=1)
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/registry/{child.pk}/")
    assert "Согласие есть" in page.content()

    page.click("text=Включить в программу")
    page.select_option("#id_program", index=1)  # the students' program comes first
    page.select_option("#id_role", "mentee")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/registry/{child.pk}/")
    assert Participation.objects.filter(person=child, role="mentee").exists()
