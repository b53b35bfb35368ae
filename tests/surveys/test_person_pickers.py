"""What a respondent and a curator see of people and tags (issue #14): the preference
questionnaire names the people it offers by class or position; including a person in a program
offers the tags they chose in questionnaires."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from nastavnik.base.time import local_today
from nastavnik.mentoring.services import preferences
from nastavnik.registry.models import Tag
from nastavnik.surveys.services import campaigns as services
from nastavnik.surveys.services import links as link_services
from tests.factories import TeacherFactory, give_consent
from tests.surveys.conftest import mentee, mentor, networking_meeting, response_of, student, submit

pytestmark = pytest.mark.django_db


def test_the_preference_questionnaire_tells_a_teacher_from_a_10th_grader(
    client, copy_template, program_x, school_x, school_x_curator
):
    chooser = mentee(program_x, student(school_x, grade=7, last_name="Выбирающая"))
    pupil = mentor(
        program_x,
        student(
            school_x, grade=10, letter="Б", last_name="Соколова", first_name="Анна", middle_name="Игоревна"
        ),
    )
    teacher = TeacherFactory(
        organisation=school_x, last_name="Соколова", first_name="Анна", middle_name="Петровна"
    )
    give_consent(teacher, signed_on=local_today() - dt.timedelta(days=30))
    grown_up = mentor(program_x, teacher)
    meeting = networking_meeting(program_x, school_x_curator, present=[chooser, pupil, grown_up])
    campaign = preferences.preference_campaign_create(
        acting_user=school_x_curator,
        event=meeting,
        questionnaire=copy_template("preference"),
        title="",
        deadline_on=local_today() + dt.timedelta(days=2),
    )
    services.campaign_add_rank_candidates(acting_user=school_x_curator, campaign=campaign)
    response = response_of(campaign, chooser.person)
    token = link_services.link_issue(acting_user=school_x_curator, response=response, channel="manual")
    page = client.get(reverse("surveys_public:respond", args=[token])).content.decode()
    offered = set(re.findall(r'<option value="\d+"\s*>([^<]+)</option>', page))
    assert offered == {
        "Соколова Анна Игоревна (наставник, 10Б класс)",
        "Соколова Анна Петровна (наставник, учитель математики)",
    }


def test_including_a_person_offers_the_tags_they_chose_in_questionnaires(
    copy_template, open_campaign, school_x, client_for, school_x_curator, school_y_curator
):
    exam = Tag.objects.create(vocabulary="request", name="Подготовка к ОГЭ")
    Tag.objects.create(vocabulary="request", name="Выбор профессии")
    pupil = student(school_x)
    campaign, _ = open_campaign(copy_template("mentee_entry"), [pupil])
    submit(
        response_of(campaign, pupil),
        {"mentee_goals": ["study"], "mentee_preferred_mentor": ["any"], "mentee_requests": [str(exam.pk)]},
    )
    url = reverse("surveys:person_tag_suggestions", args=[pupil.pk])
    fragment = client_for(school_x_curator).get(url).content.decode()
    assert re.findall(r'data-tag-id="(\d+)"', fragment) == [str(exam.pk)]
    assert "Подготовка к ОГЭ" in fragment and "Выбор профессии" not in fragment
    # A curator of another school does not read them.
    assert client_for(school_y_curator).get(url).status_code in (403, 404)
