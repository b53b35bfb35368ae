"""In a real browser: a curator registers a partner and its agreement, adds the partner's employee
and makes him a mentor of the program; then downloads the Положение as DOCX and uploads the
school's own wording of it, which the next download follows."""

import io

import pytest
from docx import Document

from nastavnik.accounts.models import Role
from nastavnik.partners.models import Agreement, Partner, PartnerEmployee
from nastavnik.programdocs.models import CustomTemplate
from nastavnik.registry.models import Participation
from tests.builders import student_program
from tests.e2e.test_registry_flow import open_menu
from tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "e2e-пароль-2026"


@pytest.fixture
def curator():
    school = OrganisationFactory(
        municipality=MunicipalityFactory(region=RegionFactory(name="Область")),
        short_name="Школа № 9",
        name="Муниципальное общеобразовательное учреждение «Школа № 9»",
        head_name="Орлова Нина Петровна",
    )
    program = student_program(school, "employer-pupil", "student-student")
    program.goals = "Раскрытие потенциала обучающихся"
    program.save()
    user = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_a_curator_registers_a_partner_an_agreement_and_an_employee_mentor(page, live_server, curator):
    log_in(page, live_server, curator.username)
    open_menu(page, "Партнёры")
    page.click("text=Новый партнёр")
    page.select_option("#id_kind", "employer")
    page.fill("#id_name", "АО «Литейный завод»")
    page.fill("#id_inn", "7707083893")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Литейный завод')")
    partner = Partner.objects.get()

    page.click("text=Внести соглашение")
    page.fill("#id_number", "14/2026")
    page.fill("#id_signed_on", "2026-09-01")
    page.fill("#id_starts_on", "2026-09-01")
    page.fill("#id_ends_on", "2027-08-31")
    page.fill("#id_subject", "Наставники из числа сотрудников завода")
    page.click("text=Сохранить соглашение")
    page.wait_for_selector("text=Соглашение внесено.")
    assert Agreement.objects.get().partner == partner

    page.click("text=Добавить сотрудника")
    page.fill("#id_last_name", "Шубин")
    page.fill("#id_first_name", "Андрей")
    page.fill("#id_position", "инженер-технолог")
    page.click("main button:has-text('Добавить')")
    page.wait_for_selector("text=внесён(а) в базу как сотрудник партнёра")
    page.click("text=Действия")
    employee = PartnerEmployee.objects.get()
    page.fill(f"#id_e{employee.pk}-consent_signed_on", "2026-09-01")
    page.click("text=Сделать наставником")
    page.wait_for_selector("text=кандидат в наставники")
    assert Participation.objects.get(person=employee.person).role == "mentor"


def test_a_curator_downloads_the_regulation_and_uploads_the_schools_wording(
    page, live_server, curator, tmp_path
):
    log_in(page, live_server, curator.username)
    open_menu(page, "Документы")
    page.wait_for_selector("h1:has-text('Документы программы наставничества')")
    with page.expect_download() as download:
        page.click("section:has-text('Положение о программе наставничества') >> text=Скачать DOCX")
    text = "\n".join(p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs)
    assert "Школа № 9" in text and "Орлова Нина Петровна" in text

    own = Document()
    own.add_paragraph("Положение {{ org.full_name }} в нашей редакции. Директор {{ org.head_name }}.")
    path = tmp_path / "polozhenie.docx"
    own.save(path)
    section = page.locator("section", has_text="Положение о программе наставничества")
    section.locator("text=Изменить формулировки").click()
    section.locator("input[name='regulation-file']").set_input_files(str(path))
    section.locator("text=Загрузить шаблон").click()
    page.wait_for_selector("text=Свой шаблон «Положение о программе наставничества» сохранён")
    assert CustomTemplate.objects.count() == 1
    with page.expect_download() as download:
        page.click("section:has-text('Положение о программе наставничества') >> text=Скачать DOCX")
    data = download.value.path().read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "в нашей редакции. Директор Орлова Нина Петровна." in text
