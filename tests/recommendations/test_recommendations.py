"""Address recommendations: given from a municipal or regional dashboard, seen and answered by the
addressed schools only, the decision recorded by the issuer, and whether the indicator moved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import MUNICIPALITY, REGION, Scope
from nastavnik.recommendations import services
from nastavnik.recommendations.models import Addressee, AddresseeStatus
from nastavnik.recommendations.selectors import rows_of, scope_recommendations
from tests.builders import student, take_part
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
CODE = "mentees-10-19"


def mun_scope(municipality):
    return Scope(MUNICIPALITY, municipality, municipality.region.timezone)


def recommend(user, municipality, *organisations, due_in=30, code=CODE):
    scope = mun_scope(municipality)
    return services.recommendation_create(
        acting_user=user,
        scope=scope,
        title="Вовлечь подростков в программы наставничества",
        text="Провести презентацию программы для 7–9 классов и сформировать пары.",
        due_on=scope.today() + dt.timedelta(days=due_in),
        organisations=list(organisations),
        indicators=[Indicator.objects.get(code=code)],
    )


def test_the_municipal_curator_gives_it_from_the_dashboard(
    client_for, municipal_curator_a, municipality_a, school_x, school_y
):
    client = client_for(municipal_curator_a)
    dashboard = client.get(reverse("monitoring:municipality", args=[municipality_a.pk])).content.decode()
    create_url = reverse("recommendations:create", args=["municipality", municipality_a.pk])
    assert create_url in dashboard
    indicator = Indicator.objects.get(code=CODE)
    response = client.post(
        create_url,
        {
            "organisations": [school_x.pk, school_y.pk],
            "indicators": [indicator.pk],
            "title": "Охват подростков",
            "text": "Сформировать пары до конца четверти.",
            "due_on": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Addressee.objects.filter(organisation__in=[school_x, school_y]).count() == 2


def test_a_past_due_date_is_refused_naming_the_field(
    client_for, municipal_curator_a, municipality_a, school_x
):
    with pytest.raises(ValidationError) as error:
        recommend(municipal_curator_a, municipality_a, school_x, due_in=-1)
    assert "due_on" in error.value.message_dict


def test_only_the_level_administration_may_give_one(
    municipality_a, school_x, school_x_curator, regional_user
):
    with pytest.raises(PermissionDenied):
        recommend(school_x_curator, municipality_a, school_x)
    with pytest.raises(PermissionDenied):
        recommend(regional_user, municipality_a, school_x)


def test_a_school_outside_the_municipality_is_refused(municipal_curator_a, municipality_a, school_z):
    with pytest.raises(ValidationError) as error:
        recommend(municipal_curator_a, municipality_a, school_z)
    assert "Школа Z" in str(error.value)


def test_the_dashboard_hides_the_button_from_who_may_not_give(client_for, regional_user, municipality_a):
    page = (
        client_for(regional_user)
        .get(reverse("monitoring:municipality", args=[municipality_a.pk]))
        .content.decode()
    )
    assert reverse("recommendations:create", args=["municipality", municipality_a.pk]) not in page
    assert reverse("recommendations:list", args=["municipality", municipality_a.pk]) in page


def test_each_school_sees_and_answers_only_its_own(
    client_for,
    municipal_curator_a,
    municipality_a,
    school_x,
    school_y,
    school_x_curator,
    school_y_curator,
    school_z,
):
    recommendation = recommend(municipal_curator_a, municipality_a, school_x, school_y)
    x_row = recommendation.addressees.get(organisation=school_x)
    home = client_for(school_x_curator).get(reverse("home")).content.decode()
    assert recommendation.title in home
    z_curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school_z)
    assert recommendation.title not in client_for(z_curator).get(reverse("home")).content.decode()
    assert (
        client_for(z_curator).get(reverse("recommendations:detail", args=[recommendation.pk])).status_code
        == 404
    )
    page_y = (
        client_for(school_y_curator)
        .get(reverse("recommendations:detail", args=[recommendation.pk]))
        .content.decode()
    )
    assert "Школа Y" in page_y and "Школа X" not in page_y
    assert (
        client_for(school_y_curator)
        .post(reverse("recommendations:answer", args=[x_row.pk]), {"answer": "чужой"})
        .status_code
        == 404
    )
    client_for(school_x_curator).post(
        reverse("recommendations:answer", args=[x_row.pk]),
        {"answer": "Презентация проведена", "actions_done": "Сформировано 5 пар", "done": "on"},
    )
    x_row.refresh_from_db()
    assert (x_row.status, x_row.actions_done) == (AddresseeStatus.DONE, "Сформировано 5 пар")


def test_the_decision_is_recorded_by_the_issuer_only(
    client_for, municipal_curator_a, municipality_a, school_x, school_x_curator
):
    recommendation = recommend(municipal_curator_a, municipality_a, school_x)
    url = reverse("recommendations:decide", args=[recommendation.pk])
    assert (
        client_for(school_x_curator).post(url, {"decision_kind": "training", "decision": "x"}).status_code
        == 403
    )
    client_for(municipal_curator_a).post(
        url, {"decision_kind": "training", "decision": "Курсы для кураторов в январе"}
    )
    recommendation.refresh_from_db()
    assert recommendation.decision_kind == "training" and recommendation.decided_by == municipal_curator_a
    page = (
        client_for(school_x_curator)
        .get(reverse("recommendations:detail", args=[recommendation.pk]))
        .content.decode()
    )
    assert "Курсы для кураторов в январе" in page
    list_url = reverse("recommendations:list", args=["municipality", municipality_a.pk])
    assert list_url not in page, "the school may not open the municipality's list"
    mun_page = client_for(municipal_curator_a).get(
        reverse("recommendations:detail", args=[recommendation.pk])
    )
    assert list_url in mun_page.content.decode()


def test_the_list_shows_whether_the_indicator_moved(municipal_curator_a, municipality_a, school_x, program):
    from nastavnik.mentoring.services.groups import group_add_mentee
    from tests.mentoring.conftest import make_pair

    curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school_x)
    pair = make_pair(program, curator)
    waiting = student(school_x, 7)
    recommendation = recommend(municipal_curator_a, municipality_a, school_x)
    before = recommendation.addressees.get().baselines.get().value
    assert before is not None
    group_add_mentee(acting_user=curator, group=pair, mentee=take_part(program, waiting, "mentee"))
    scope = mun_scope(municipality_a)
    found = scope_recommendations(municipal_curator_a, scope)
    (row,) = rows_of(municipal_curator_a, found, scope.today())[recommendation.pk]
    (move,) = row.moves
    assert move.before == before and move.now > before and move.state == "up"


def test_lists_per_municipality_and_region_and_strangers_get_404(
    client_for, municipal_curator_a, municipality_a, municipality_b, school_x, regional_user
):
    recommendation = recommend(municipal_curator_a, municipality_a, school_x)
    for user, level, pk in (
        (municipal_curator_a, "municipality", municipality_a.pk),
        (regional_user, "region", municipality_a.region_id),
    ):
        page = client_for(user).get(reverse("recommendations:list", args=[level, pk]))
        assert recommendation.title in page.content.decode()
    curator_b = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_b)
    assert (
        client_for(curator_b)
        .get(reverse("recommendations:list", args=["municipality", municipality_a.pk]))
        .status_code
        == 404
    )
    assert (
        recommendation.title
        not in client_for(curator_b)
        .get(reverse("recommendations:list", args=["municipality", municipality_b.pk]))
        .content.decode()
    )


def test_the_list_keeps_its_query_count_as_recommendations_grow(
    client_for, municipal_curator_a, municipality_a, school_x, school_y, django_assert_max_num_queries
):
    client = client_for(municipal_curator_a)
    url = reverse("recommendations:list", args=["municipality", municipality_a.pk])
    recommend(municipal_curator_a, municipality_a, school_x)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        recommend(municipal_curator_a, municipality_a, school_x, school_y)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four.captured_queries) == len(one.captured_queries)


def test_the_annual_report_has_a_section_of_recommendations(
    client_for, municipal_curator_a, municipality_a, school_x, school_x_curator
):
    recommendation = recommend(municipal_curator_a, municipality_a, school_x)
    html = (
        client_for(school_x_curator)
        .get(reverse("monitoring:annual_report", args=[school_x.pk, "html"]))
        .content.decode()
    )
    assert "Адресные рекомендации по результатам мониторинга" in html
    assert recommendation.title in html


def test_a_region_recommends_to_schools_of_several_municipalities(regional_user, region, school_x, school_z):
    scope = Scope(REGION, region, region.timezone)
    recommendation = services.recommendation_create(
        acting_user=regional_user,
        scope=scope,
        title="Обучить кураторов",
        text="Курсы",
        due_on=scope.today() + dt.timedelta(days=10),
        organisations=[school_x, school_z],
        indicators=[Indicator.objects.get(code=CODE)],
    )
    assert recommendation.addressees.count() == 2 and recommendation.issuer_name == region.name
