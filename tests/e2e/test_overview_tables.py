"""A municipal curator's organisations table on a 1366 px laptop (issue #14): no horizontal
scrolling, the header stays in view while the page scrolls, a click on a header sorts the rows."""

import pytest

from nastavnik.accounts.models import Role
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password-1"


def test_the_organisations_table_fits_a_laptop_keeps_its_header_and_sorts(
    chromium, live_server, municipality_a
):
    for n, people in enumerate([3, 1, 5, 2, 4, 0, 6, 2, 1, 3, 5, 4], start=1):
        organisation = OrganisationFactory(municipality=municipality_a, short_name=f"Школа {n:02d}")
        PersonFactory.create_batch(people, organisation=organisation)
    curator = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_a)
    curator.set_password(PASSWORD)
    curator.save()
    context = chromium.new_context(viewport={"width": 1366, "height": 420}, locale="ru-RU")
    try:
        check_the_table(context.new_page(), live_server.url, curator.username)
    finally:
        context.close()


def check_the_table(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/")

    page.goto(f"{url}/orgs/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    table = "table.overview-table"

    def in_base() -> list[int]:
        return [
            int(t)
            for t in page.eval_on_selector_all(
                f"{table} tbody tr td:nth-child(2)", "els => els.map(e => e.textContent)"
            )
        ]

    page.click(f"{table} th:nth-child(2) .sort-button")
    assert in_base() == sorted(in_base())
    page.click(f"{table} th:nth-child(2) .sort-button")
    assert in_base() == sorted(in_base(), reverse=True)
    assert page.get_attribute(f"{table} th:nth-child(2)", "aria-sort") == "descending"

    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    assert page.evaluate("window.scrollY") > 0
    assert page.eval_on_selector(f"{table} thead th", "e => e.getBoundingClientRect().top") == 0
