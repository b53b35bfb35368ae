"""The load benchmark's own parts (a full run loads the demo region, over a minute: it is run by
hand, `python -m bench.load`): the summary, the roles, the baseline URLconf."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from bench import load


def test_the_summary_gives_percentiles_errors_and_the_ratio_to_the_baseline():
    samples = {"minimal_view": [10.0, 10.0, 12.0], "home": [30.0, 40.0, 50.0, 400.0]}
    report = load.summarise(samples, {"home": 1, "board": 2}, elapsed=2.0)
    assert report["requests"] == 3 + 5 + 2 and report["errors"] == 3
    assert report["requests_per_s"] == 5.0
    home = report["pages"]["home"]
    assert home == {
        "requests": 5,
        "errors": 1,
        "p50_ms": 45.0,
        "p95_ms": 400.0,
        "max_ms": 400.0,
        "ratio_to_minimal_view": 4.5,
    }
    assert report["pages"]["board"]["p50_ms"] is None and report["pages"]["board"]["errors"] == 2
    assert report["pages"]["minimal_view"]["ratio_to_minimal_view"] == 1.0


def test_users_are_spread_over_every_role():
    assert load.roles_for(8) == ["curator1", "mun", "rnc", "mentor1", "mentee1", "parent1", "curator1", "mun"]


def test_the_budget_ends_at_the_number_of_requests():
    budget = load.Budget(seconds=60, max_requests=3)
    assert [budget.take() for _ in range(5)] == [True, True, True, False, False]


def test_a_free_port_is_on_the_loopback():
    assert 0 < load.free_port() < 65536


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.load_urls")
def test_the_baseline_view_needs_a_signed_in_user(school_x_curator):
    client = Client()
    assert client.get("/_bench/minimal/").status_code == 302
    client.force_login(school_x_curator)
    page = client.get("/_bench/minimal/").content.decode()
    # a page of the site: the frame of base.html with the user's menu, nothing of ours inside
    assert "<h1>Наставник</h1>" in page
    assert 'class="userbox"' in page
    assert "Выйти" in page
    assert '<nav class="nav">' in page
