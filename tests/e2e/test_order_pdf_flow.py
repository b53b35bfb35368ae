"""A curator on a phone asks for the PDF of a long order: the page says it is being prepared,
HTMX turns it into the download link once the task runner has made the file, and nothing is
wider than the screen."""

import pytest

from nastavnik.accounts.models import Role
from nastavnik.matching import tasks
from nastavnik.matching.models import OrderDocument
from nastavnik.matching.orders import order_document_build
from tests.e2e.browser import fits, log_in
from tests.factories import MunicipalityFactory, OrganisationFactory, user_with_role
from tests.matching.test_orders import confirmed_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class HeldTask:
    """The task runner, not started yet: what is queued waits for the test to run it."""

    def __init__(self) -> None:
        self.queued: list[tuple[int, int]] = []

    def enqueue(self, document_id: int, attempt: int) -> None:
        self.queued.append((document_id, attempt))


def test_a_long_orders_pdf_is_prepared_while_the_page_waits_on_a_phone(
    phone_page, live_server, settings, monkeypatch
):
    settings.ORDER_PDF_BACKGROUND_PAIRS = 2
    held = HeldTask()
    monkeypatch.setattr(tasks, "order_pdf_task", held)
    school = OrganisationFactory(
        municipality=MunicipalityFactory(), short_name="МБОУ «Средняя общеобразовательная школа № 112»"
    )
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    run = confirmed_run(school, curator, 3)

    page = phone_page
    log_in(page, live_server, curator)
    page.goto(f"{live_server.url}/matching/runs/{run.pk}/")
    assert fits(page)
    page.click("text=Приказ (PDF)")
    page.wait_for_url(f"**/matching/runs/{run.pk}/order-pdf/")
    assert "Приказ готовится" in page.locator("#order-pdf").inner_text()
    assert fits(page)
    page.reload()  # the state is in the database
    assert "Приказ готовится" in page.locator("#order-pdf").inner_text()

    (queued,) = held.queued
    order_document_build(*queued)  # the task runner gets to it; the page is polling
    page.wait_for_selector("#order-pdf a:has-text('Скачать приказ (PDF)')", timeout=10_000)
    assert "Приказ готов" in page.locator("#order-pdf").inner_text()
    assert fits(page)
    page.set_viewport_size({"width": 360, "height": 780})
    assert fits(page, 360)
    with page.expect_download() as download_info:
        page.click("text=Скачать приказ (PDF)")
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"
    assert OrderDocument.objects.get().attempt == 1
