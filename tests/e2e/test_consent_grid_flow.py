"""A curator on a phone ticks the paper consents of a class and saves them in one go."""

import pytest

from nastavnik.accounts.models import Role
from nastavnik.registry.models import Consent
from tests.e2e.browser import log_in
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    guardian_for,
    user_with_role,
    years_ago,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_curator_ticks_a_class_on_a_phone_without_horizontal_scrolling(phone_page, live_server):
    school = OrganisationFactory(municipality=MunicipalityFactory(), short_name="Школа на телефоне")
    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
    children = []
    for i, age in enumerate((9, 10, 15, 16)):
        child = PersonFactory(
            organisation=school,
            last_name=f"Константинопольская{i}",
            birth_date=years_ago(age),
            grade=7,
            class_letter="Б",
        )
        guardian_for(child)
        children.append(child)

    page = phone_page
    log_in(page, live_server, curator)
    page.goto(f"{live_server.url}/registry/consents/class/{school.pk}/7Б/")
    assert page.locator("h1").inner_text() == "Согласия: 7Б класс"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("#tick-needed")
    page.click("text=Сохранить отмеченные согласия")
    page.wait_for_selector("text=Записано согласий: 6")
    assert Consent.objects.filter(subject__in=children).count() == 6  # two teens consent twice
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
