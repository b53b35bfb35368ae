"""The best-mentor ranking: every score explained from the data and reproducible by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.recognition.ranking import build_ranking
from tests.builders import student_program, teacher
from tests.recognition.conftest import YEAR, make_pair, procedure_for_school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    monkeypatch.setattr(Scope, "today", lambda self: dt.date(YEAR + 1, 6, 1))


def scope_of(school):
    return Scope(ORGANISATION, school, school.timezone)


def test_the_ranking_is_the_hand_computed_one(ranked_school, school_x, school_x_curator):
    ranking = build_ranking(school_x_curator, scope_of(school_x), YEAR)

    by_name = {e.person.last_name: e for e in ranking.entries}
    # Pairs completed: best 2 → Иванова 2/2·30 = 30, Петров 1/2·30 = 15, Сидоров 0.
    # Curator's score on a 0–10 scale: 9/10·40 = 36, 6/10·40 = 24, 0.
    # Nominations: best 3 → 1/3·20 = 6.67, 3/3·20 = 20, 0.
    # Competitions: best 6 (regional prize 3 × 2) → 6/6·10 = 10, 0, 3/6·10 = 5.
    assert [(s.code, s.points) for s in by_name["Иванова"].scores] == [
        ("pairs_completed", Decimal("30.00")),
        ("curator_score", Decimal("36.00")),
        ("nominations", Decimal("6.67")),
        ("competitions", Decimal("10.00")),
    ]
    assert by_name["Иванова"].total == Decimal("82.67")
    assert by_name["Петров"].total == Decimal("59.00")
    assert by_name["Сидоров"].total == Decimal("5.00")
    assert [(e.place, e.person.last_name) for e in ranking.entries] == [
        (1, "Иванова"),
        (2, "Петров"),
        (3, "Сидоров"),
    ]
    assert ranking.max_total == 100


def test_every_score_says_the_figure_the_base_the_weight_and_the_points(
    ranked_school, school_x, school_x_curator
):
    ranking = build_ranking(school_x_curator, scope_of(school_x), YEAR)
    ivanova = ranking.entry_of(ranked_school["ivanova"].pk)

    texts = {s.code: (s.figure.text, s.explanation) for s in ivanova.scores}
    assert texts["pairs_completed"] == (
        "завершено: 2; всего 2\u00a0пары (группы)",
        "2 / 2 (лучшее 2) × 30 = 30",
    )
    assert texts["curator_score"][1] == "9 / 10 (шкала до 10) × 40 = 36"
    assert texts["nominations"] == (
        "1\u00a0выдвижение участниками и коллегами",
        "1 / 3 (лучшее 3) × 20 = 6,67",
    )
    assert texts["competitions"] == ("региональный — призёр (3 × 2)", "6 / 6 (лучшее 6) × 10 = 10")


def test_the_same_data_gives_the_same_ranking(ranked_school, school_x, school_x_curator):
    first = build_ranking(school_x_curator, scope_of(school_x), YEAR)
    second = build_ranking(school_x_curator, scope_of(school_x), YEAR)

    def flat(r):
        return [
            (e.place, e.person.pk, e.total, [(s.code, s.figure, s.points) for s in e.scores])
            for e in r.entries
        ]

    assert flat(first) == flat(second)


def test_equal_totals_share_a_place_and_go_by_name(school_x, school_x_curator):
    program = student_program(school_x)
    program.academic_year = YEAR
    program.save()
    for name in ("Яковлев", "Абрамов"):
        make_pair(program, teacher(school_x, experience=3, last_name=name))
    procedure_for_school(school_x, pairs_completed=10)

    ranking = build_ranking(school_x_curator, scope_of(school_x), YEAR)

    assert [(e.place, e.person.last_name) for e in ranking.entries] == [(1, "Абрамов"), (1, "Яковлев")]


def test_a_school_without_its_own_procedure_uses_its_municipality(
    ranked_school, school_x, school_y, school_x_curator
):
    from nastavnik.recognition.models import Criterion, Procedure

    Procedure.objects.filter(organisation=school_x).delete()
    municipal = Procedure.objects.create(municipality=school_x.municipality)
    Criterion.objects.create(procedure=municipal, code="pairs_completed", weight=50)

    ranking = build_ranking(school_x_curator, scope_of(school_x), YEAR)

    assert ranking.procedure == municipal
    assert ranking.entries[0].person.last_name == "Иванова"
    assert ranking.entries[0].total == Decimal("50.00")


def test_the_municipal_ranking_holds_the_mentors_of_all_its_schools(
    ranked_school, school_x, school_y, municipal_curator_a
):
    from nastavnik.recognition.models import Criterion, Procedure

    program = student_program(school_y)
    program.academic_year = YEAR
    program.save()
    make_pair(program, teacher(school_y, experience=4, last_name="Орлова", middle_name="Ивановна"))
    municipal = Procedure.objects.create(municipality=school_x.municipality)
    Criterion.objects.create(procedure=municipal, code="pairs_completed", weight=10)
    scope = Scope(MUNICIPALITY, school_x.municipality, "Europe/Moscow")

    ranking = build_ranking(municipal_curator_a, scope, YEAR)

    assert {e.person.last_name for e in ranking.entries} == {"Иванова", "Петров", "Сидоров", "Орлова"}


def _ranking_queries(client, school, django_assert_max_num_queries, capture):
    url = reverse("recognition:ranking", args=["organisation", school.pk]) + f"?year={YEAR}"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    capture.append(len(queries))


def test_the_ranking_page_takes_as_many_queries_for_one_mentor_as_for_many(
    school_x, school_x_curator, client_for, django_assert_max_num_queries
):
    program = student_program(school_x)
    program.academic_year = YEAR
    program.save()
    procedure_for_school(
        school_x,
        pairs_completed=10,
        plans_fulfilled=10,
        satisfaction=10,
        growth=10,
        training=10,
        curator_score=10,
        nominations=10,
        competitions=10,
    )
    client = client_for(school_x_curator)
    counts: list[int] = []
    make_pair(program, teacher(school_x, experience=3))
    _ranking_queries(client, school_x, django_assert_max_num_queries, counts)
    for _ in range(4):
        make_pair(program, teacher(school_x, experience=3))
    _ranking_queries(client, school_x, django_assert_max_num_queries, counts)

    assert counts[0] == counts[1]
    assert counts[0] <= 30


def test_the_municipal_ranking_page_takes_as_many_queries_for_one_school_as_for_two(
    school_x, school_y, municipal_curator_a, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.recognition.models import Criterion, Procedure

    municipal = Procedure.objects.create(municipality=school_x.municipality)
    for code in ("pairs_completed", "plans_fulfilled", "satisfaction", "growth", "training", "curator_score"):
        Criterion.objects.create(procedure=municipal, code=code, weight=10)
    client = client_for(municipal_curator_a)
    url = reverse("recognition:ranking", args=["municipality", school_x.municipality_id]) + f"?year={YEAR}"
    counts = []
    for school in (school_x, school_y):
        program = student_program(school)
        program.academic_year = YEAR
        program.save()
        for _ in range(2):
            make_pair(program, teacher(school, experience=3))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
