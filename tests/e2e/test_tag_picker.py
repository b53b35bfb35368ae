"""Including a person in a program on a phone (issue #14): the tag picker filters as one types,
shows the kinds of tags of the chosen role, ticks the tags the person chose in a questionnaire,
and asks «Сколько наставляемых может взять» of a mentor only."""

import datetime as dt

import pytest

from nastavnik.base.time import local_today
from nastavnik.registry.models import Participation, Tag, TagVocabulary
from nastavnik.surveys.services import campaigns as services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from tests.builders import student, student_program
from tests.factories import PASSWORD
from tests.surveys.conftest import response_of, submit, template

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_curator_picks_tags_by_typing_and_from_the_questionnaire(
    phone_page, live_server, school_x, school_x_curator
):
    program = student_program(school_x)
    exam = Tag.objects.create(vocabulary=TagVocabulary.REQUEST, name="Подготовка к ОГЭ")
    career = Tag.objects.create(vocabulary=TagVocabulary.REQUEST, name="Выбор профессии")
    Tag.objects.create(vocabulary=TagVocabulary.COMPETENCY, name="Робототехника")
    pupil = student(school_x, 8)
    questionnaire = questionnaire_services.questionnaire_copy(
        acting_user=school_x_curator, source=template("mentee_entry"), program=program
    )
    campaign = services.campaign_create(
        acting_user=school_x_curator,
        program=program,
        questionnaire=questionnaire,
        title="",
        deadline_on=local_today() + dt.timedelta(days=7),
    )
    services.campaign_add_recipients(acting_user=school_x_curator, campaign=campaign, people=[pupil])
    submit(
        response_of(campaign, pupil),
        {"mentee_goals": ["study"], "mentee_preferred_mentor": ["any"], "mentee_requests": [str(career.pk)]},
    )

    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", school_x_curator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/registry/{pupil.pk}/programs/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A mentee: requests shown, a mentor's competencies and the capacity hidden.
    assert page.is_hidden("text=Сколько наставляемых может взять")
    assert page.is_hidden("text=Робототехника")
    page.fill("[data-tag-filter]", "огэ")
    assert page.is_visible("text=Подготовка к ОГЭ") and page.is_hidden(
        ".tag-option:has-text('Выбор профессии')"
    )
    page.check(f"input[name=tags][value='{exam.pk}']")
    page.fill("[data-tag-filter]", "")
    # The questionnaire's answer is offered above; a tap ticks it.
    page.click(f".chip[data-tag-id='{career.pk}']")
    assert page.is_checked(f"input[name=tags][value='{career.pk}']")

    page.select_option("#id_role", "mentor")
    assert page.is_visible("text=Сколько наставляемых может взять")
    assert page.is_visible("text=Робототехника")
    page.select_option("#id_role", "mentee")
    page.select_option("#id_program", str(program.pk))
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/registry/{pupil.pk}/")
    participation = Participation.objects.get(person=pupil)
    assert set(participation.tags.all()) == {exam, career} and participation.capacity is None
