"""Including a person in a program (issue #14): tags are ticked in a picker grouped by kind, each
name once; the person's questionnaire answers are loaded above it; «Сколько наставляемых может
взять» belongs to a mentor only."""

import re

import pytest
from django.urls import reverse

from nastavnik.registry.models import Participation, Tag, TagVocabulary
from tests.builders import student, student_program, teacher

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("registry:participation_add", args=[person.pk])


def test_tags_are_checkboxes_grouped_by_kind_each_name_once_within_its_kind(
    school_x, client_for, school_x_curator
):
    request = Tag.objects.create(vocabulary=TagVocabulary.REQUEST, name="Проектная деятельность")
    Tag.objects.create(
        vocabulary=TagVocabulary.REQUEST, name="проектная  деятельность"
    )  # an import's variant
    competency = Tag.objects.create(vocabulary=TagVocabulary.COMPETENCY, name="Проектная деятельность")
    pupil = student(school_x, 7)
    page = client_for(school_x_curator).get(url(pupil)).content.decode()
    assert '<select name="tags"' not in page
    boxes = re.findall(r'<input type="checkbox" name="tags" value="(\d+)"', page)
    assert boxes == [str(request.pk), str(competency.pk)]
    assert "<legend>Запросы</legend>" in page and "<legend>Компетенции</legend>" in page
    assert 'data-roles="mentee"' in page and 'data-roles="mentor"' in page
    assert "data-tag-filter" in page
    # The person's questionnaire answers come from the surveys app, loaded by HTMX.
    assert reverse("surveys:person_tag_suggestions", args=[pupil.pk]) in page


def test_the_capacity_field_is_hidden_for_a_mentee_and_shown_for_a_mentor(
    school_x, client_for, school_x_curator
):
    client = client_for(school_x_curator)
    pupil_page = client.get(url(student(school_x, 7))).content.decode()
    assert re.search(r'<div class="field" data-mentor-only hidden>', pupil_page)
    assert re.search(r'<option value="mentee" selected>', pupil_page)
    teacher_page = client.get(url(teacher(school_x, experience=10))).content.decode()
    assert re.search(r'<div class="field" data-mentor-only>', teacher_page)


def test_a_capacity_posted_for_a_mentee_is_ignored(school_x, client_for, school_x_curator):
    program = student_program(school_x)
    pupil = student(school_x, 7)
    tag = Tag.objects.create(vocabulary=TagVocabulary.REQUEST, name="Подготовка к ОГЭ")
    response = client_for(school_x_curator).post(
        url(pupil), {"program": program.pk, "role": "mentee", "capacity": "5", "tags": [tag.pk]}
    )
    assert response.status_code == 302
    participation = Participation.objects.get(person=pupil)
    assert participation.capacity is None
    assert list(participation.tags.all()) == [tag]


def test_a_mentor_keeps_the_capacity(school_x, client_for, school_x_curator):
    program = student_program(school_x)
    older = student(school_x, 10)
    client_for(school_x_curator).post(url(older), {"program": program.pk, "role": "mentor", "capacity": "3"})
    assert Participation.objects.get(person=older).capacity == 3
