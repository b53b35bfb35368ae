"""A municipal roadmap carried out school by school: a school curator on a phone marks the school's
part of a municipal event done with a result file (no page reload); the municipality sees it in the
matrix schools × events, on a phone too, and reminds the late schools in one action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from nastavnik.accounts.models import Role
from nastavnik.roadmaps.models import ResponsibleLevel, Roadmap, SchoolEventStatus, SchoolStatus
from tests.e2e.browser import fits, log_in
from tests.factories import MunicipalityFactory, OrganisationFactory, user_with_role
from tests.roadmaps.test_school_duties import PDF, add_event

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date


def test_a_school_marks_its_part_and_the_municipality_reminds_the_late(
    page, phone_page, live_server, tmp_path
):  # type: ignore[no-untyped-def]
    municipality = MunicipalityFactory(name="Катав-Ивановский район")
    school_x = OrganisationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    school_y = OrganisationFactory(municipality=municipality, short_name="МБОУ «СОШ № 7»")
    curator_x = user_with_role(Role.PROGRAM_CURATOR, organisation=school_x)
    curator_x.email = "curator1@school.test"
    curator_x.save()
    admin_y = user_with_role(Role.ORG_ADMIN, organisation=school_y)
    admin_y.email = "director7@school.test"
    admin_y.save()
    mun = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality)
    roadmap = Roadmap.objects.create(
        municipality=municipality,
        title="Муниципальная дорожная карта внедрения ЦМН на 2025–2026 учебный год",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
        has_municipal_level=True,
    )
    first = add_event(
        roadmap,
        1,
        "Разработка программ наставничества в ОО",
        "до 31.10.2025",
        D(2025, 10, 31),
        [
            ("Управление образования", ResponsibleLevel.MUNICIPAL),
            ("Руководители ОО", ResponsibleLevel.ORGANISATION),
        ],
    )
    add_event(
        roadmap,
        2,
        "Конкурс лучших практик",
        "до 31.03.2026",
        D(2026, 3, 31),
        [("образовательные организации", "")],
    )
    report = tmp_path / "prikaz.pdf"
    report.write_bytes(PDF)

    # The school curator, on a phone, finds the municipal duties on the home page…
    log_in(phone_page, live_server, curator_x)
    home = phone_page.locator("main")
    assert "Муниципальная дорожная карта" in home.inner_text()
    phone_page.click("a:has-text('Задачи школы')")
    phone_page.wait_for_url(f"**/roadmaps/duties/{school_x.pk}/")
    assert fits(phone_page, 390)
    # … and marks the first one done with the order attached, without a page reload.
    duty = phone_page.locator(f"#duty-{first.pk}")
    assert "просрочено" in duty.inner_text()
    duty.locator("summary:has-text('Отметить выполнение')").click()
    duty.locator("select[name=status]").select_option("done")
    duty.locator("input[name=done_on]").fill("2025-10-20")
    duty.locator("input[name=result_file]").set_input_files(str(report))
    duty.locator("textarea[name=comment]").fill("Программа утверждена приказом № 45")
    phone_page.evaluate("window.__no_reload = true")
    duty.locator("button:has-text('Сохранить')").click()
    phone_page.locator(f"#duty-{first.pk} .badge:has-text('выполнено')").wait_for()
    assert phone_page.evaluate("window.__no_reload") is True
    assert "документ-результат" in phone_page.locator(f"#duty-{first.pk}").inner_text()
    record = SchoolEventStatus.objects.get(organisation=school_x, event=first)
    assert (record.status, record.done_on, record.comment) == (
        SchoolStatus.DONE,
        D(2025, 10, 20),
        "Программа утверждена приказом № 45",
    )
    assert not SchoolEventStatus.objects.filter(organisation=school_y).exists()

    # The municipality sees the matrix: school X done with its file, school Y late.
    log_in(page, live_server, mun)
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/")
    page.click("a:has-text('Выполнение по школам')")
    page.wait_for_url(f"**/roadmaps/{roadmap.pk}/schools/")
    row_x = page.locator(f"#school-{school_x.pk}")
    assert row_x.locator("td.cell.done").count() == 1
    assert (
        row_x.locator("a.file-mark").get_attribute("href") == f"/roadmaps/school-statuses/{record.pk}/result/"
    )
    assert page.locator(f"#school-{school_y.pk} td.cell.overdue").count() == 2
    assert "выполнено 25" in page.locator("main").inner_text()

    # … reminds both late schools (X is late with the contest) in one action.
    page.click("button:has-text('Напомнить просрочившим')")
    page.locator("text=Напоминание отправлено 2\u00a0школам").wait_for()
    assert sorted(m.to[0] for m in mail.outbox) == ["curator1@school.test", "director7@school.test"]

    # The matrix on a phone stays inside the screen: it scrolls within its container.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/roadmaps/{roadmap.pk}/schools/")
    assert fits(page, 390)
    assert page.locator(f"#school-{school_y.pk} th.school").is_visible()
