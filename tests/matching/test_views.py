"""Matching pages: who may open and change them, the flow through the views, query counts."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from nastavnik.matching import services
from nastavnik.matching.models import FixedPair, MatchingRun, Method, Objective, RunStatus
from nastavnik.mentoring.models import MentoringGroup
from tests.builders import builtin_form, mentee, mentor, student_program

pytestmark = pytest.mark.django_db

MATH = ("Повышение успеваемости по математике",)


@pytest.fixture
def program(school_x):
    return student_program(school_x)


@pytest.fixture
def form():
    return builtin_form("student-student")


@pytest.fixture
def run(program, form, school_x_curator):
    mentee(program, tags=MATH)
    mentor(program, tags=("Математика",))
    return services.matching_run_start(acting_user=school_x_curator, program=program, form=form)


@pytest.fixture
def confirmed(run, school_x_curator):
    services.matching_run_confirm(
        acting_user=school_x_curator,
        run=run,
        proposal=run.proposals.get(method=Method.OPTIMAL),
        order_number="7",
    )
    return run


def test_the_program_page_links_to_matching(program, school_x_curator, client_for):
    response = client_for(school_x_curator).get(reverse("orgs:program_detail", args=[program.pk]))
    assert reverse("matching:program_matching", args=[program.pk]) in response.content.decode()


def test_a_curator_starts_a_run_from_the_page(program, form, school_x_curator, client_for):
    e = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",))
    client = client_for(school_x_curator)
    url = reverse("matching:program_matching", args=[program.pk])
    page = client.get(url)
    assert page.status_code == 200
    # A rule that is a tick reads as one line: the box inside its label, no colon after it.
    html = page.content.decode()
    assert '<label for="id_same_organisation"><input type="checkbox" name="same_organisation"' in html
    assert "(региональная программа):" not in html
    data = {
        "form": form.pk,
        "objective": Objective.MAX_MATCHED,
        "min_mentor_age": 15,
        "max_mentor_age": 18,
        "min_grade_gap": 2,
        "min_mentor_experience": 3,
        "young_specialist_max_experience": 3,
        "mentee_must_be_young_specialist": "on",
        "weight_requests": 4,
        "weight_text": 1,
        "weight_mentee_choice": 2,
        "weight_mentor_choice": 1,
        "weight_format": 0,
    }
    response = client.post(url, data)
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "matching:run_detail", args=[run.pk]
    )
    assert run.objective == Objective.MAX_MATCHED and run.weights["requests"] == 4.0
    page = client.get(response["Location"]).content.decode()
    assert e.person.full_name in page and m.person.full_name in page
    assert "Блокирующих пар" in page and "запросы и компетенции +4,00" in page


def test_the_run_form_refuses_an_inverted_age_range(program, form, school_x_curator, client_for):
    response = client_for(school_x_curator).post(
        reverse("matching:program_matching", args=[program.pk]),
        {"form": form.pk, "objective": "max_score", "min_mentor_age": 18, "max_mentor_age": 15},
    )
    assert response.status_code == 200
    assert "Верхняя граница возраста меньше нижней" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_school_y_gets_404_for_school_xs_matching(run, confirmed, school_y_curator, client_for):
    client = client_for(school_y_curator)
    group = MentoringGroup.objects.get()
    pair = run.proposals.get(method=Method.STABLE).pairs.get()
    for url in (
        reverse("matching:program_matching", args=[run.program_id]),
        reverse("matching:run_detail", args=[run.pk]),
        reverse("matching:order_docx", args=[run.pk]),
        reverse("matching:order_pdf", args=[run.pk]),
        reverse("matching:run_confirm", args=[run.pk]),
        reverse("mentoring:group_detail", args=[group.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("matching:pair_action", args=[run.pk, pair.pk, "fix"])).status_code == 404
    assert client.post(reverse("matching:run_rerun", args=[run.pk])).status_code == 404
    assert school_y_curator not in [g.created_by for g in MentoringGroup.objects.all()]
    listing = client.get(reverse("mentoring:group_list"), {"status": "all"})
    assert listing.context["groups"] == []


def test_a_municipal_curator_sees_a_run_but_cannot_change_it(run, municipal_curator_a, client_for):
    client = client_for(municipal_curator_a)
    response = client.get(reverse("matching:run_detail", args=[run.pk]))
    assert response.status_code == 200
    assert "Утвердить этот вариант" not in response.content.decode()
    pair = run.proposals.get(method=Method.OPTIMAL).pairs.get()
    assert client.post(reverse("matching:pair_action", args=[run.pk, pair.pk, "fix"])).status_code == 403
    assert not FixedPair.objects.exists()


def test_fixing_a_pair_through_htmx_returns_the_board(run, school_x_curator, client_for):
    pair = run.proposals.get(method=Method.OPTIMAL).pairs.get()
    response = client_for(school_x_curator).post(
        reverse("matching:pair_action", args=[run.pk, pair.pk, "fix"]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "закреплена" in response.content.decode()
    assert FixedPair.objects.get().mentee_id == pair.mentee_id


def test_the_move_form_says_whose_mentee_each_is_in_the_genitive(run, school_x_curator, client_for):
    pair = run.proposals.get(method=Method.OPTIMAL).pairs.select_related("mentor__person").get()
    person = pair.mentor.person
    person.last_name, person.first_name, person.middle_name = "Казакова", "Дарина", "Юрьевна"
    person.save()
    page = client_for(school_x_curator).get(reverse("matching:run_detail", args=[run.pk])).content.decode()
    assert "— сейчас у Казаковой Д. Ю.</option>" in page


def test_moving_to_an_impossible_mentor_shows_the_reason(program, run, school_x_curator, client_for):
    near = mentor(program, grade=7, age=15)
    e = run.proposals.get(method=Method.OPTIMAL).pairs.get().mentee
    response = client_for(school_x_curator).post(
        reverse("matching:proposal_move", args=[run.pk, Method.OPTIMAL]),
        {"mentee": e.pk, "mentor": near.pk},
        follow=True,
    )
    assert "составить нельзя: наставник старше всего на 1 кл." in response.content.decode()


def test_confirm_then_download_the_order(run, school_x_curator, client_for):
    client = client_for(school_x_curator)
    url = reverse("matching:run_confirm", args=[run.pk])
    assert client.get(url, {"proposal": "stable"}).status_code == 200
    response = client.post(
        url, {"proposal": "stable", "order_number": "12-о", "order_date": "2026-10-05"}, follow=True
    )
    assert "Создано пар и групп: 1" in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED and run.confirmed_proposal.method == Method.STABLE
    docx = client.get(reverse("matching:order_docx", args=[run.pk]))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    table = Document(io.BytesIO(docx.content)).tables[0]
    assert len(table.rows) == 2
    group = MentoringGroup.objects.get()
    assert table.rows[1].cells[1].text.startswith(group.mentor.person.full_name)
    pdf = client.get(reverse("matching:order_pdf", args=[run.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_draft_has_no_order(run, school_x_curator, client_for):
    assert client_for(school_x_curator).get(reverse("matching:order_docx", args=[run.pk])).status_code == 404


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_the_run_page_query_count_does_not_grow_with_pairs(program, form, school_x_curator, client_for):
    client = client_for(school_x_curator)
    mentee(program, tags=MATH)
    mentor(program, tags=("Математика",), capacity=1)
    mentee(program, consent=False)
    small = services.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    one = _queries(client, reverse("matching:run_detail", args=[small.pk]))
    for _ in range(3):
        mentee(program, tags=MATH)
        mentee(program, consent=False)
        mentor(program, tags=("Математика",), capacity=1)
    large = services.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    assert large.proposals.get(method=Method.OPTIMAL).pairs.count() == 4
    assert _queries(client, reverse("matching:run_detail", args=[large.pk])) == one


def test_the_matching_page_query_count_does_not_grow(program, form, school_x_curator, client_for):
    client = client_for(school_x_curator)
    url = reverse("matching:program_matching", args=[program.pk])
    e, m = mentee(program, tags=MATH), mentor(program)
    services.exclusion_add(acting_user=school_x_curator, program=program, mentee=e, mentor=m, kind="conflict")
    services.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    one = _queries(client, url)
    for _ in range(3):
        e, m = mentee(program), mentor(program)
        services.exclusion_add(acting_user=school_x_curator, program=program, mentee=e, mentor=m, kind="veto")
        services.fixed_pair_add(
            acting_user=school_x_curator, program=program, form=form, mentee=mentee(program), mentor=m
        )
        services.matching_run_start(acting_user=school_x_curator, program=program, form=form)
    assert _queries(client, url) == one
