"""A dashboard's table of units, an organisation's indicators and the participant statistics are
rendered once for what they show and kept: the next request shows the same without building
them, and any change of what they show (a value, a target, a name, the day) is a new rendering.
Who may give recommendations sees their links, others not."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from nastavnik.mentoring.models import GroupMembership, MentoringGroup
from nastavnik.monitoring import selectors, services
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION
from nastavnik.registry.models import Category
from tests.factories import PersonFactory
from tests.monitoring.conftest import OCT_1, D, build_hand_made, take_part
from tests.monitoring.test_views import small_school

pytestmark = pytest.mark.django_db
ON_D = f"?date={D.isoformat()}"


@pytest.fixture
def built() -> mock.MagicMock:
    """Counts the tables built (region and municipality), building them as before."""
    counter = mock.MagicMock()

    def counted(build):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            counter(build.__name__)
            return build(*args, **kwargs)

        return wrapper

    with (
        mock.patch.object(selectors, "_region_table", counted(selectors._region_table)),
        mock.patch.object(selectors, "_municipality_table", counted(selectors._municipality_table)),
    ):
        yield counter


def _region_page(client, region) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("monitoring:region", args=[region.pk]) + ON_D)
    assert response.status_code == 200
    return response.content.decode()


def test_the_same_table_is_not_built_twice(built, client_for, regional_user, region, school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    client = client_for(regional_user)
    first, second = _region_page(client, region), _region_page(client, region)
    assert built.call_count == 1
    assert _table(first) == _table(second) and "Район А" in _table(first)


def _set_target(user, scope, code: str, value: Decimal) -> None:  # type: ignore[no-untyped-def]
    services.target_set(
        acting_user=user, scope=scope, indicator=Indicator.objects.get(code=code), year=D.year, value=value
    )


def _table(page: str) -> str:
    start = page.index("Кто отстаёт")
    return page[start : page.index("Все показатели (", start)]


def test_a_new_value_a_target_or_a_name_is_shown_at_once(  # type: ignore[no-untyped-def]
    built, client_for, regional_user, region, municipality_a, school_x
):
    build_hand_made(school_x)
    client = client_for(regional_user)
    before = _region_page(client, region)
    assert "Отстаёт по показателям" in before and "Район А" in before

    small_school(municipality_a, mentees=1, learners=10)  # a value: 5 → 6 mentees
    assert _region_page(client, region) != before and built.call_count == 2

    scope = get_scope_for_user(regional_user, REGION, region.pk)
    _set_target(regional_user, scope, "learners-covered", Decimal(90))
    with_target = _region_page(client, region)
    # both schools of the district are behind 90 % (58 % and 10 % of their learners)
    assert built.call_count == 3 and "Обучающиеся в наставничестве: 2 ОО" in with_target
    assert "Обучающиеся в наставничестве: 0 ОО" in before

    # a target whose change moves no school across it: its value is still shown anew
    for value, calls in ((Decimal(1), 4), (Decimal(2), 5)):
        _set_target(regional_user, scope, "mentees-11-18", value)
        assert f'цель: <span title="цель региона, {D.year}">{value}&nbsp;%</span>' in _region_page(
            client, region
        )
        assert built.call_count == calls

    municipality_a.name = "Район Переименованный"
    municipality_a.save()
    assert "Район Переименованный" in _region_page(client, region) and built.call_count == 6

    # another day is another table
    client.get(reverse("monitoring:region", args=[region.pk]) + "?date=2026-03-14")
    assert built.call_count == 7


def test_recommendation_links_only_for_those_who_may_give_them(  # type: ignore[no-untyped-def]
    client_for, municipal_curator_a, regional_user, region, municipality_a, school_x
):
    build_hand_made(school_x)
    small_school(municipality_a, mentees=1, learners=10)
    scope = get_scope_for_user(municipal_curator_a, MUNICIPALITY, municipality_a.pk)
    _set_target(municipal_curator_a, scope, "learners-covered", Decimal(90))
    url = reverse("monitoring:municipality", args=[municipality_a.pk]) + ON_D
    link = reverse("recommendations:create", args=[MUNICIPALITY, municipality_a.pk]) + "?org="
    curator_page = client_for(municipal_curator_a).get(url).content.decode()
    assert link in curator_page  # a school behind, with the link to recommend it
    regional_page = client_for(regional_user).get(url).content.decode()
    assert "Отстаёт по показателям" in regional_page and link not in regional_page


@pytest.fixture
def sections_built() -> mock.MagicMock:
    """Counts the organisation's indicator cells and the statistics' breakdowns made."""
    counter = mock.MagicMock()
    cell, breakdowns = selectors._cell, selectors.ParticipantStatistics._breakdowns

    def counted_cell(*args, **kwargs):  # type: ignore[no-untyped-def]
        counter("cell")
        return cell(*args, **kwargs)

    def counted_breakdowns(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counter("breakdowns")
        return breakdowns(self, *args, **kwargs)

    with (
        mock.patch.object(selectors, "_cell", counted_cell),
        mock.patch.object(selectors.ParticipantStatistics, "_breakdowns", counted_breakdowns),
    ):
        yield counter


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    """The page without its CSRF tokens (masked anew on every response)."""
    page = client.get(url).content.decode()
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def _made(counter: mock.MagicMock, what: str) -> int:
    return sum(1 for call in counter.call_args_list if call.args == (what,))


def test_an_organisations_indicators_and_statistics_are_kept_until_they_change(  # type: ignore[no-untyped-def]
    sections_built, client_for, school_x_curator, school_x
):
    hm = build_hand_made(school_x)
    client = client_for(school_x_curator)
    url = reverse("monitoring:organisation", args=[school_x.pk]) + ON_D
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    category = Category.objects.get(
        pk=selectors.organisation_dashboard(school_x_curator, scope, D).statistics.by_category[0].key
    )
    sections_built.reset_mock()
    first = _page(client, url)
    cells, breakdowns = _made(sections_built, "cell"), _made(sections_built, "breakdowns")
    assert cells and breakdowns == 3  # by kind, form and category
    assert _page(client, url) == first
    assert (_made(sections_built, "cell"), _made(sections_built, "breakdowns")) == (cells, breakdowns)

    # a target of the school: its indicators anew, the statistics as they were
    _set_target(school_x_curator, scope, "mentees-11-18", Decimal(77))
    with_target = _page(client, url)
    assert f'<span title="цель организации, {D.year}">77&nbsp;%</span>' in with_target
    assert _made(sections_built, "cell") == 2 * cells and _made(sections_built, "breakdowns") == breakdowns

    # a category renamed: the statistics anew, with the new name
    category.short_name = "Переименованная группа"
    category.save()
    renamed = _page(client, url)
    assert "Переименованная группа" in renamed and _made(sections_built, "breakdowns") == 2 * breakdowns

    # one more learner in a group: every figure anew
    learner = PersonFactory(organisation=school_x, birth_date=dt.date(2012, 5, 1))
    group = MentoringGroup.objects.filter(program=hm.program).first()
    GroupMembership.objects.create(
        group=group, mentee=take_part(hm.program, learner, "mentee"), joined_on=OCT_1
    )
    assert _page(client, url) != renamed
    assert (
        _made(sections_built, "cell") == 3 * cells and _made(sections_built, "breakdowns") == 3 * breakdowns
    )
