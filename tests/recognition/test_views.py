"""The curator's pages write through the services: the procedure, assessments, nominations,
competitions with a private diploma scan, forms of encouragement, orders and awards; bad input
gets a Russian message naming the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.recognition.models import (
    Award,
    AwardKind,
    AwardOrder,
    CompetitionEntry,
    CuratorAssessment,
    Procedure,
)
from tests.recognition.conftest import YEAR

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% diploma\n" + b"0" * 2000


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_curator_sets_the_weights_and_a_zero_leaves_a_criterion_out(
    ranked_school, school_x, school_x_curator, client_for
):
    url = reverse("recognition:procedure", args=["organisation", school_x.pk])
    data = {
        "title": "Порядок выбора лучшего наставника школы",
        "weight_pairs_completed": 25,
        "weight_satisfaction": 75,
    }
    data |= {
        f"weight_{code}": 0
        for code in ("plans_fulfilled", "growth", "training", "curator_score", "nominations", "competitions")
    }
    response = client_for(school_x_curator).post(url, data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(organisation=school_x)
    assert {c.code: c.weight for c in procedure.criteria.all()} == {"pairs_completed": 25, "satisfaction": 75}


def test_a_procedure_without_weights_is_refused_in_russian(school_x, school_x_curator, client_for):
    url = reverse("recognition:procedure", args=["organisation", school_x.pk])
    data = {"title": "Порядок"} | {
        f"weight_{c}": 0
        for c in (
            "pairs_completed",
            "plans_fulfilled",
            "satisfaction",
            "growth",
            "training",
            "curator_score",
            "nominations",
            "competitions",
        )
    }
    response = client_for(school_x_curator).post(url, data, follow=True)
    assert "Задайте вес хотя бы одному критерию" in messages_of(response)
    assert not Procedure.objects.exists()


def test_the_municipal_curator_sets_the_municipality_procedure(
    municipality_a, municipal_curator_a, client_for
):
    url = reverse("recognition:procedure", args=["municipality", municipality_a.pk])
    data = {"title": "Муниципальный порядок"} | {
        f"weight_{c}": 10 for c in ("pairs_completed", "nominations")
    }
    data |= {
        f"weight_{c}": 0
        for c in ("plans_fulfilled", "satisfaction", "growth", "training", "curator_score", "competitions")
    }
    assert client_for(municipal_curator_a).post(url, data).status_code == 302
    assert Procedure.objects.get(municipality=municipality_a).criteria.count() == 2


def test_the_curator_assesses_a_mentor_once_a_year(ranked_school, school_x, school_x_curator, client_for):
    client = client_for(school_x_curator)
    url = reverse("recognition:assessments", args=[school_x.pk]) + f"?year={YEAR}"
    sidorov = ranked_school["sidorov"]
    client.post(url, {"person": sidorov.pk, "score": 5, "comment": "Работает ровно"})
    client.post(url, {"person": sidorov.pk, "score": 7, "comment": "Подтянул план"})
    assessment = CuratorAssessment.objects.get(person=sidorov)
    assert (assessment.score, assessment.comment, assessment.academic_year) == (7, "Подтянул план", YEAR)
    response = client.post(url, {"person": sidorov.pk, "score": 11, "comment": "x"}, follow=True)
    assert "Оценка (0–10)" in messages_of(response)


def test_a_nomination_is_recorded_for_the_year_of_its_date(
    ranked_school, school_x, school_x_curator, client_for
):
    url = reverse("recognition:assessments", args=[school_x.pk])
    client_for(school_x_curator).post(
        url,
        {
            "person": ranked_school["sidorov"].pk,
            "nominator_name": "Орлова Вера",
            "nominator_role": "parent",
            "reason": "Помог сыну",
            "nominated_on": f"{YEAR + 1}-02-01",
        },
    )
    assert ranked_school["sidorov"].nominations.get().academic_year == YEAR


def test_a_diploma_scan_is_private_and_served_to_the_school_and_the_mentor_only(
    ranked_school, school_x, school_x_curator, school_y_curator, client_for, settings
):
    url = reverse("recognition:competitions", args=["organisation", school_x.pk])
    response = client_for(school_x_curator).post(
        url,
        {
            "mentor": ranked_school["petrov"].pk,
            "title": "Муниципальный конкурс «Лучший наставник»",
            "level": "municipal",
            "held_on": f"{YEAR}-12-10",
            "result": "winner",
            "diploma": SimpleUploadedFile("Петров диплом.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    entry = CompetitionEntry.objects.get(mentor=ranked_school["petrov"])
    assert re.fullmatch(r"diplomas/[0-9a-f]{32}\.pdf", entry.diploma.name)
    assert (Path(settings.PRIVATE_FILE_ROOT) / entry.diploma.name).read_bytes() == PDF
    diploma = reverse("recognition:diploma", args=[entry.pk])
    assert b"".join(client_for(school_x_curator).get(diploma).streaming_content) == PDF
    assert client_for(school_y_curator).get(diploma).status_code == 404


def test_a_pair_of_another_mentor_is_refused(ranked_school, school_x, school_x_curator, client_for):
    url = reverse("recognition:competitions", args=["organisation", school_x.pk])
    others_pair = ranked_school["sidorov"].participations.get().mentored_groups.get()
    response = client_for(school_x_curator).post(
        url,
        {
            "mentor": ranked_school["petrov"].pk,
            "group": others_pair.pk,
            "title": "Конкурс",
            "level": "school",
            "held_on": f"{YEAR}-12-10",
            "result": "participant",
        },
        follow=True,
    )
    assert "Пара (группа) другого наставника" in messages_of(response)


def test_the_school_adds_its_own_form_of_encouragement_and_grants_it(
    ranked_school, award_kinds, school_x, school_x_curator, school_y, client_for
):
    client = client_for(school_x_curator)
    awards_url = reverse("recognition:awards", args=[school_x.pk])
    bad = client.post(
        awards_url,
        {
            "name": "Нагрудный знак",
            "clause": "Наградить нагрудным знаком",
            "name_case": "accs",
            "certificate": "none",
        },
        follow=True,
    )
    assert "место для ФИО: {ФИО}" in messages_of(bad)
    client.post(
        awards_url,
        {
            "name": "Нагрудный знак",
            "clause": "Наградить нагрудным знаком школы {ФИО}",
            "name_case": "accs",
            "certificate": "none",
        },
    )
    badge = AwardKind.objects.get(organisation=school_x)
    response = client.post(
        awards_url, {"signed_on": f"{YEAR + 1}-05-25", "number": "77", "title": "О поощрении наставников"}
    )
    order = AwardOrder.objects.get(organisation=school_x)
    assert response.url == reverse("recognition:order", args=[order.pk])
    client.post(
        response.url, {"person": ranked_school["petrov"].pk, "kind": badge.pk, "reason": "за наставничество"}
    )
    page = client.get(response.url).content.decode()
    assert (
        "Наградить нагрудным знаком школы Петрова Олега Ильича (учитель математики) за наставничество."
        in page
    )
    assert Award.objects.get().kind == badge
    # Another school does not see or use school X's own form.
    assert not AwardKind.objects.filter(organisation=school_y).exists()
    from nastavnik.recognition.access import award_kinds_for

    assert badge not in award_kinds_for(school_y)
