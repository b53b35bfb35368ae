"""Who sees the ranking, the orders, the certificates and the card panel: another school, the
mentor, a parent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.monitoring.extensions import collect_program_counts, collect_report_sections
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.recognition import services
from nastavnik.registry.extensions import collect_card_panels
from tests.factories import guardian_for, user_with_role
from tests.recognition.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def granted(ranked_school, award_kinds, school_x, school_x_curator):
    order = services.award_order_create(
        acting_user=school_x_curator, organisation=school_x, signed_on=dt.date(YEAR, 12, 1), number="1"
    )
    award = services.award_add(
        acting_user=school_x_curator,
        order=order,
        person=ranked_school["ivanova"],
        kind=award_kinds["Благодарность"],
        reason="за работу",
    )
    return order, award


@pytest.fixture
def mentor_user(ranked_school):
    user = user_with_role(Role.MENTOR, organisation=ranked_school["ivanova"].organisation)
    ranked_school["ivanova"].user = user
    ranked_school["ivanova"].save()
    return user


def urls(school, order, award):
    return [
        reverse("recognition:ranking", args=["organisation", school.pk]),
        reverse("recognition:procedure", args=["organisation", school.pk]),
        reverse("recognition:competitions", args=["organisation", school.pk]),
        reverse("recognition:assessments", args=[school.pk]),
        reverse("recognition:awards", args=[school.pk]),
        reverse("recognition:order", args=[order.pk]),
        reverse("recognition:order_download", args=[order.pk, "docx"]),
    ]


def test_another_schools_curator_sees_nothing_of_school_x(granted, school_x, school_y_curator, client_for):
    order, award = granted
    client = client_for(school_y_curator)
    for url in [*urls(school_x, order, award), reverse("recognition:certificate", args=[award.pk, "pdf"])]:
        assert client.get(url).status_code == 404, url


def test_the_mentor_sees_neither_the_ranking_nor_the_order_but_their_own_certificate_and_panel(
    granted, school_x, mentor_user, ranked_school, client_for
):
    order, award = granted
    client = client_for(mentor_user)
    for url in urls(school_x, order, award):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("recognition:certificate", args=[award.pk, "pdf"])).status_code == 200
    panel = client.get(reverse("recognition:person_panel", args=[ranked_school["ivanova"].pk]))
    assert panel.status_code == 200
    text = panel.content.decode()
    assert "Благодарность" in text and "Место в рейтинге" not in text
    assert (
        client.get(reverse("recognition:person_panel", args=[ranked_school["petrov"].pk])).status_code == 404
    )


def test_a_parent_sees_no_recognition_of_their_childs_school(granted, school_x, ranked_school, client_for):
    order, award = granted
    parent = guardian_for(ranked_school["program"].participations.filter(role="mentee").first().person)
    parent.user = user_with_role(Role.PARENT, organisation=school_x)
    parent.save()
    client = client_for(parent.user)
    for url in [*urls(school_x, order, award), reverse("recognition:certificate", args=[award.pk, "pdf"])]:
        assert client.get(url).status_code == 404, url
    assert collect_card_panels(parent.user, ranked_school["ivanova"]) == []


def test_the_curator_sees_the_place_on_the_card_and_a_stranger_no_panel(
    granted, ranked_school, school_x_curator, school_y_curator, client_for
):
    ivanova = ranked_school["ivanova"]
    assert [p.key for p in collect_card_panels(school_x_curator, ivanova) if p.key == "recognition"] == [
        "recognition"
    ]
    assert [p for p in collect_card_panels(school_y_curator, ivanova) if p.key == "recognition"] == []
    text = (
        client_for(school_x_curator)
        .get(reverse("recognition:person_panel", args=[ivanova.pk]))
        .content.decode()
    )
    assert "Место в рейтинге" in text and "Благодарность" in text


def test_the_municipality_sees_its_schools_ranking_and_another_municipality_does_not(
    ranked_school, school_x, municipal_curator_a, municipality_b, client_for
):
    ranking = reverse("recognition:ranking", args=["organisation", school_x.pk])
    assert client_for(municipal_curator_a).get(ranking).status_code == 200
    stranger = user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_b)
    assert client_for(stranger).get(ranking).status_code == 404
    assert (
        client_for(stranger)
        .get(reverse("recognition:ranking", args=["municipality", school_x.municipality_id]))
        .status_code
        == 404
    )


def test_only_the_schools_staff_change_its_procedure(
    ranked_school, school_x, municipal_curator_a, client_for
):
    url = reverse("recognition:procedure", args=["organisation", school_x.pk])
    response = client_for(municipal_curator_a).post(url, {"title": "Порядок", "weight_pairs_completed": 10})
    assert response.status_code == 403


def test_the_indicator_counts_regional_and_federal_participants_with_the_pair(
    ranked_school, school_x, school_x_curator
):
    scope = Scope(ORGANISATION, school_x, school_x.timezone)
    (count,) = [
        c
        for c in collect_program_counts(school_x_curator, scope, dt.date(YEAR + 1, 5, 1))
        if c.code == "competition_participants"
    ]
    # Иванова's regional entry with her pair (her and the mentee); Сидоров's school one is not counted.
    assert count.value == 2
    assert count.target == 5 and count.met is False


def test_a_person_in_several_entries_is_one_participant(ranked_school, school_x, school_x_curator):
    from nastavnik.mentoring.models import MentoringGroup
    from nastavnik.recognition.models import CompetitionLevel, CompetitionResult
    from tests.recognition.conftest import compete

    ivanova = ranked_school["ivanova"]
    group = MentoringGroup.objects.filter(mentor__person=ivanova).order_by("pk").last()
    # a federal entry of the same mentor with the same pair: still Иванова and her mentee
    compete(ivanova, CompetitionLevel.FEDERAL, CompetitionResult.PARTICIPANT, group=group)
    scope = Scope(ORGANISATION, school_x, school_x.timezone)
    (count,) = [
        c
        for c in collect_program_counts(school_x_curator, scope, dt.date(YEAR + 1, 5, 1))
        if c.code == "competition_participants"
    ]
    assert count.value == 2


def test_the_annual_report_has_the_recognition_section(granted, school_x, school_x_curator):
    scope = Scope(ORGANISATION, school_x, school_x.timezone)
    (section,) = [
        s
        for s in collect_report_sections(school_x_curator, scope, dt.date(YEAR + 1, 5, 1))
        if s.title == "Признание наставников"
    ]
    assert any("1. Иванова Мария Петровна" in p for p in section.paragraphs)
    assert ("Иванова Мария Петровна", "Благодарность", "приказ № 1 от «01» декабря 2026 г.") in section.rows
    assert any("Наставник года" in row[1] for row in section.rows)


def test_the_municipal_indicator_has_no_link_for_a_region(ranked_school, school_x, regional_user):
    scope = Scope(MUNICIPALITY, school_x.municipality, "Europe/Moscow")
    counts = [
        c
        for c in collect_program_counts(regional_user, scope, dt.date(YEAR + 1, 5, 1))
        if c.code == "competition_participants"
    ]
    assert counts[0].value == 2 and counts[0].url


def test_a_school_without_recognition_gets_no_indicator_and_no_section(school_x, school_x_curator):
    scope = Scope(ORGANISATION, school_x, school_x.timezone)
    day = dt.date(YEAR + 1, 5, 1)
    assert [
        c
        for c in collect_program_counts(school_x_curator, scope, day)
        if c.code == "competition_participants"
    ] == []
    assert [
        s for s in collect_report_sections(school_x_curator, scope, day) if s.title == "Признание наставников"
    ] == []
