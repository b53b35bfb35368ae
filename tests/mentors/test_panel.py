"""The mentor's card shows admission and training in a panel loaded by HTMX (registry's
`person_card_panels`); a parent's card has no such panel and strangers cannot open it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nastavnik.mentors import services
from tests.mentors.conftest import completed_course, interview

pytestmark = pytest.mark.django_db


def test_the_card_of_a_mentor_loads_the_panel_with_admission_and_training(
    candidacy, school_x, school_x_curator, school_y_curator, client_for
):
    person = candidacy.participation.person
    interview(candidacy, school_x_curator)
    completed_course(school_x_curator, school_x, person)
    services.candidacy_admit(acting_user=school_x_curator, candidacy=candidacy)
    client = client_for(school_x_curator)
    panel_url = reverse("mentors:person_panel", args=[person.pk])
    assert panel_url in client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    panel = client.get(panel_url).content.decode()
    assert "Допущен(а)" in panel and "Школа наставника" in panel and "№ У-1" in panel
    assert client_for(school_y_curator).get(panel_url).status_code == 404


def test_a_person_without_mentoring_or_training_has_no_panel(school_x, school_x_curator, client_for):
    from tests.factories import PersonFactory

    person = PersonFactory(organisation=school_x)
    page = (
        client_for(school_x_curator).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    )
    assert reverse("mentors:person_panel", args=[person.pk]) not in page
