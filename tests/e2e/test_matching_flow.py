"""The curator forms pairs in a real browser: run the matching, fix a pair through HTMX,
confirm the optimal proposal and download the director's order."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from nastavnik.matching.models import FixedPair, MatchingRun, RunStatus
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.orgs.models import Program
from tests.e2e.test_registry_flow import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_curator_runs_the_matching_confirms_and_downloads_the_order(page, live_server):
    call_command("load_demo")
    program = Program.objects.get(organisation__short_name="МБОУ «СОШ № 1»", kind="students")
    log_in(page, live_server, "curator1")
    page.goto(f"{live_server.url}/orgs/programs/{program.pk}/")
    page.click("text=Подбор пар")
    page.wait_for_url(f"**/matching/programs/{program.pk}/")

    page.select_option("#id_form", label="Ученик – ученик")
    page.click("text=Подобрать пары")
    page.wait_for_url("**/matching/runs/*/")
    assert "Сравнение вариантов" in page.content()
    run = MatchingRun.objects.get()

    # Fix the first pair of the optimal proposal without reloading the page.
    page.locator("#proposal-optimal button:has-text('Закрепить')").first.click()
    page.wait_for_selector("#proposal-optimal .badge.ok:has-text('закреплена')")
    assert FixedPair.objects.filter(program=program).count() == 1

    page.locator("a:has-text('Утвердить этот вариант')").first.click()
    page.wait_for_url(f"**/matching/runs/{run.pk}/confirm/**")
    page.fill("#id_order_number", "45-о")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=Пары утверждены")
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED

    with page.expect_download() as download_info:
        page.click("text=Приказ (DOCX)")
    with open(download_info.value.path(), "rb") as downloaded:
        table = Document(io.BytesIO(downloaded.read())).tables[0]
    # The groups the run confirmed (the demo has a few pairs at work already).
    groups = MentoringGroup.objects.filter(program=program, memberships__matching_runs=run).distinct()
    assert len(table.rows) - 1 == groups.count() > 0
    mentors_in_order = {row.cells[1].text.split(",")[0] for row in list(table.rows)[1:]}
    assert mentors_in_order == {g.mentor.person.full_name for g in groups}
