import pytest
from django.core.management import call_command
from django.urls import reverse

from nastavnik.base.time import local_today
from nastavnik.home.demo import DEMO_LOGINS, DEMO_PASSWORD
from nastavnik.orgs.models import Organisation
from nastavnik.registry.consents import consent_state
from nastavnik.registry.models import Participation, Person


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_demo_is_realistic_and_loading_it_again_changes_nothing(demo):
    schools = Organisation.objects.filter(kind="school", municipality__name__startswith="Катав")
    assert schools.count() == 2
    for school in schools:
        assert 450 <= Person.objects.filter(organisation=school, kind="student").count() <= 600
    people = Person.objects.count()
    call_command("load_demo")
    assert Person.objects.count() == people


def test_every_demo_participant_has_a_valid_consent(demo):
    today = local_today()
    for participation in Participation.objects.select_related("person").prefetch_related("person__consents")[
        :200
    ]:
        assert consent_state(participation.person, today, participation.person.consents.all()).is_valid


def test_a_demo_curator_logs_in_and_opens_the_registry(demo, client):
    response = client.post(reverse("login"), {"username": "curator1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    registry = client.get(reverse("registry:person_list"))
    assert registry.status_code == 200
    assert registry.context["page"].paginator.count > 400
    home = client.get(reverse("home"))
    assert "МБОУ «СОШ № 1»" in home.content.decode()


def test_every_demo_user_gets_a_working_home_page(demo, client):
    for username, _ in DEMO_LOGINS:
        client.logout()
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        # Participants (mentor, mentee, parent) are sent on to «Мой кабинет».
        response = client.get(reverse("home"), follow=True)
        assert response.status_code == 200, username
        assert response.context["user"].username == username
