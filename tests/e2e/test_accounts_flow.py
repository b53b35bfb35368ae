"""A school starts: the curator creates the logins of a class in the browser; a student with an
e-mail follows the invitation, a student without one signs in with the printed slip; both set
their own password and land in «Мой кабинет»."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from nastavnik.accounts.models import Role
from nastavnik.registry.models import Participation
from tests.e2e.browser import log_in
from tests.factories import OrganisationFactory, PersonFactory, ProgramFactory, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Zvezda-po-imeni-7"


def school_with_class():
    school = OrganisationFactory(short_name="МБОУ «СОШ № 3»")
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    program = ProgramFactory(organisation=school)
    return school, curator, program


def mentee(school, program, **fields):
    person = PersonFactory(organisation=school, grade=7, class_letter="Б", **fields)
    Participation.objects.create(program=program, person=person, role="mentee")
    return person


def open_accounts_page(page, live_server):
    page.goto(f"{live_server.url}/registry/")
    page.click("text=Учётные записи")
    page.fill("input[name=school_class]", "7Б")
    page.click("text=Показать")
    page.wait_for_selector("#accounts-preview")


def set_password(page):
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/pairs/my/")
    assert page.locator("h1").inner_text() == "Мой кабинет"


def test_an_invitation_email_leads_to_a_password_and_my_cabinet(page, chromium, live_server):
    school, curator, program = school_with_class()
    mentee(
        school,
        program,
        last_name="Соколова",
        first_name="Алиса",
        middle_name="Игоревна",
        email="alisa@example.org",
    )
    log_in(page, live_server, curator)
    open_accounts_page(page, live_server)
    assert "приглашение на alisa@example.org" in page.content()
    page.click("text=Создать 1 учётную запись")
    page.wait_for_selector("text=приглашений по e-mail — 1")

    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/account/invite/\S+/)", message.body).group(1)
    student_context = chromium.new_context(locale="ru-RU")
    student = student_context.new_page()
    student.goto(f"{live_server.url}{link}")
    assert "sokolova.ai" in student.content()
    set_password(student)
    # The link has been spent.
    student.goto(f"{live_server.url}{link}")
    assert "Ссылка недействительна" in student.content()
    student_context.close()


def test_a_login_slip_leads_to_the_first_login(page, chromium, live_server):
    school, curator, program = school_with_class()
    mentee(school, program, last_name="Ёлкин", first_name="Фёдор", middle_name="Юрьевич")
    log_in(page, live_server, curator)
    open_accounts_page(page, live_server)
    assert "elkin.fiu" in page.content()
    with page.expect_download() as download:
        page.click("text=Создать 1 учётную запись")
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
    )
    code = re.search(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b", text).group(1)

    student_context = chromium.new_context(locale="ru-RU")
    student = student_context.new_page()
    student.goto(f"{live_server.url}/login/")
    student.click("text=Войти по коду с листка")
    student.fill("#id_username", "elkin.fiu")
    student.fill("#id_code", code)
    student.click("main button[type=submit]")
    student.wait_for_url("**/account/password/setup/**")
    assert "elkin.fiu" in student.content()
    set_password(student)
    student_context.close()
