"""Apps above the registry add panels to the person's card through `registry/extensions.py`; the
card loads each by HTMX and shows only the panels the receivers return for this user."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from nastavnik.accounts.access import has_role
from nastavnik.accounts.models import Role
from nastavnik.registry.extensions import CardPanel, person_card_panels
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _panel(sender, user, person, **kwargs):  # type: ignore[no-untyped-def]
    if not has_role(user, Role.PROGRAM_CURATOR):
        return None
    return CardPanel("training", "Обучение", f"/training/person/{person.pk}/")


@pytest.fixture
def connected() -> Iterator[None]:
    person_card_panels.connect(_panel, dispatch_uid="test_panel")
    yield
    person_card_panels.disconnect(dispatch_uid="test_panel")


def test_card_loads_the_panels_the_receiver_allows(connected, client_for, school_x, school_x_curator,
                                                   school_x_admin):  # fmt: skip
    person = PersonFactory(organisation=school_x)
    url = reverse("registry:person_detail", args=[person.pk])
    page = client_for(school_x_curator).get(url).content.decode()
    assert f'hx-get="/training/person/{person.pk}/"' in page
    other = client_for(school_x_admin).get(url)
    assert other.status_code == 200 and "/training/person/" not in other.content.decode()
