"""A region's dashboard reads its municipalities' values added up ahead (`rollups`): the same
figures as adding up the organisations' values, the organisations behind counted again when a
target changes, and the rows left unused once they no longer describe the region."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Min

from bench import dashboards
from nastavnik.base.time import today_in
from nastavnik.monitoring import rollups, selectors
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.models import Indicator, IndicatorSnapshot, MunicipalitySnapshot
from nastavnik.monitoring.scopes import MUNICIPALITY, REGION
from nastavnik.monitoring.services import target_set
from nastavnik.monitoring.snapshots import active_indicators, fresh_since, snapshots_refresh
from nastavnik.monitoring.targets import Targets
from nastavnik.orgs.models import Municipality, Organisation

from .test_snapshots import TZ, figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_with_values():
    today = today_in(TZ)
    ids = dashboards.generate(6, 900, seed=7, today=today)
    snapshots_refresh(day=today)
    return ids, today


def rollup_of(ids, today):
    user = ids["users"]["region"]
    scope = get_scope_for_user(user, REGION, ids["region"])
    municipality_ids = list(Municipality.objects.filter(region_id=scope.pk).values_list("pk", flat=True))
    return rollups.region_rollup(
        municipality_ids, active_indicators(), Targets.load(scope, today.year), today, fresh_since()
    )


def counted_figures(ids, today, monkeypatch):
    """The region's figures added up from its organisations' values, not from the rolled-up rows."""
    with monkeypatch.context() as patched:
        patched.setattr(rollups, "region_rollup", lambda *args: None)
        return figures(REGION, ids["users"]["region"], ids["region"], today)[1]


def test_the_region_reads_the_rows_added_up_ahead(region_with_values, monkeypatch):
    ids, today = region_with_values
    assert MunicipalitySnapshot.objects.filter(day=today).count() == Municipality.objects.count()
    assert rollup_of(ids, today) is not None
    d, rolled = figures(REGION, ids["users"]["region"], ids["region"], today)
    assert rolled == counted_figures(ids, today, monkeypatch)
    assert d.computed_at is not None


def test_a_changed_target_counts_the_organisations_behind_again(region_with_values, monkeypatch):
    ids, today = region_with_values
    user = ids["users"]["region"]
    scope = get_scope_for_user(user, REGION, ids["region"])
    indicator = Indicator.objects.get(code="mentees-11-18")
    target_set(acting_user=user, scope=scope, indicator=indicator, year=today.year, value=Decimal("99"))

    assert rollup_of(ids, today) is not None  # added up again with the new target
    d, rolled = figures(REGION, user, ids["region"], today)
    behind = {i.code: n for i, n in d.behind_counts}
    assert behind["mentees-11-18"] == Organisation.objects.count()  # nobody has 99 %
    assert rolled == counted_figures(ids, today, monkeypatch)


def test_a_target_changed_elsewhere_leaves_the_rows_unused(region_with_values, monkeypatch):
    ids, today = region_with_values
    from nastavnik.monitoring.models import IndicatorTarget

    IndicatorTarget.objects.create(  # not through the service: nothing is added up again
        indicator=Indicator.objects.get(code="mentees-11-18"),
        year=today.year,
        value=Decimal("99"),
        region_id=ids["region"],
    )
    assert rollup_of(ids, today) is None
    _, shown = figures(REGION, ids["users"]["region"], ids["region"], today)
    assert shown == counted_figures(ids, today, monkeypatch)


def test_a_new_or_moved_organisation_leaves_the_rows_unused(region_with_values, monkeypatch):
    ids, today = region_with_values
    first = Municipality.objects.get(pk=ids["municipality"])
    second = Municipality.objects.create(region=first.region, name="Второй район")
    snapshots_refresh(day=today)
    assert rollup_of(ids, today) is not None  # the empty municipality has its row too

    moved = Organisation.objects.filter(municipality=first).first()
    moved.municipality = second
    moved.save()
    assert rollup_of(ids, today) is None
    _, shown = figures(REGION, ids["users"]["region"], ids["region"], today)
    assert shown == counted_figures(ids, today, monkeypatch)

    snapshots_refresh(day=today)
    assert rollup_of(ids, today) is not None
    Organisation.objects.create(name="Новая школа", short_name="Новая", municipality=first)
    assert rollup_of(ids, today) is None


def test_stale_rows_are_not_used(region_with_values):
    ids, today = region_with_values
    MunicipalitySnapshot.objects.update(computed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert rollup_of(ids, today) is None
    d, _ = figures(REGION, ids["users"]["region"], ids["region"], today)
    assert d.computed_at is not None  # the organisations' own stored values, still fresh


def test_a_municipality_with_an_organisation_without_values_gets_no_row():
    today = today_in(TZ)
    ids = dashboards.generate(4, 300, seed=3, today=today)
    municipality = Municipality.objects.get(pk=ids["municipality"])
    Organisation.objects.create(name="Новая школа", short_name="Новая", municipality=municipality)
    organisations = list(Organisation.objects.exclude(short_name="Новая"))
    snapshots_refresh(organisations, day=today)
    assert not MunicipalitySnapshot.objects.filter(municipality=municipality).exists()


def _municipality_figures(ids, today):
    return figures(MUNICIPALITY, ids["users"]["municipality"], ids["municipality"], today)


def _counted_municipality_figures(ids, today, monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr(rollups, "municipality_rollup", lambda *args: None)
        return _municipality_figures(ids, today)


def _municipality_rollup(ids, today):
    pks = list(Organisation.objects.filter(municipality_id=ids["municipality"]).values_list("pk", flat=True))
    return rollups.municipality_rollup(ids["municipality"], pks, today, fresh_since())


def test_a_municipality_reads_its_statistics_and_their_time_added_up_ahead(
    region_with_values, monkeypatch, django_assert_num_queries
):
    ids, today = region_with_values
    assert _municipality_rollup(ids, today) is not None
    d, shown = _municipality_figures(ids, today)
    counted_d, counted = _counted_municipality_figures(ids, today, monkeypatch)
    assert shown == counted and d.statistics.mentees > 0
    oldest = IndicatorSnapshot.objects.filter(
        day=today, organisation__municipality_id=ids["municipality"]
    ).aggregate(oldest=Min("computed_at"))["oldest"]
    assert d.computed_at == counted_d.computed_at == oldest

    # one row instead of every organisation's statistics and their oldest time
    user = ids["users"]["municipality"]
    scope = get_scope_for_user(user, MUNICIPALITY, ids["municipality"])
    with django_assert_num_queries(7):
        assert selectors.municipality_dashboard(user, scope, today).statistics.by_form
    scope = get_scope_for_user(user, MUNICIPALITY, ids["municipality"])
    with monkeypatch.context() as patched, django_assert_num_queries(8):
        patched.setattr(rollups, "municipality_rollup", lambda *args: None)
        assert selectors.municipality_dashboard(user, scope, today).statistics.by_form


def test_a_new_organisation_or_stale_values_leave_the_municipality_row_unused(
    region_with_values, monkeypatch
):
    ids, today = region_with_values
    MunicipalitySnapshot.objects.update(computed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert _municipality_rollup(ids, today) is None
    snapshots_refresh(day=today)

    municipality = Municipality.objects.get(pk=ids["municipality"])
    Organisation.objects.create(name="Новая школа", short_name="Новая", municipality=municipality)
    assert _municipality_rollup(ids, today) is None
    d, shown = _municipality_figures(ids, today)
    assert shown == _counted_municipality_figures(ids, today, monkeypatch)[1]
    assert d.computed_at is not None  # the others' stored values; the new school's counted now
