"""The number of SQL queries of every page the load benchmark (`bench.load`) visits, for every
role, on the demo region: pinned, so a change that adds queries per row shows up here."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench import load
from nastavnik.accounts.models import User

pytestmark = pytest.mark.django_db

# (role, page): queries of one request (a warm-up request first: sessions, caches). The home page
# of a school carries the blocks of the other apps (duties, agreements, cases, recommendations,
# readiness): one query or two each, the same at any size.
PINNED: dict[tuple[str, str], int] = {
    ("curator1", "home"): 26,
    ("curator1", "registry_list"): 10,
    ("curator1", "person_card"): 14,
    ("curator1", "board"): 11,
    ("curator1", "monitoring_stage1"): 10,
    ("curator1", "monitoring_stage2"): 9,
    ("curator1", "minimal_view"): 3,
    ("mun", "home"): 9,
    ("mun", "registry_list"): 9,
    ("mun", "monitoring_stage1"): 10,
    ("mun", "monitoring_stage2"): 10,
    ("mun", "minimal_view"): 3,
    ("rnc", "home"): 9,
    ("rnc", "registry_list"): 9,
    ("rnc", "monitoring_stage1"): 11,
    ("rnc", "monitoring_stage2"): 10,
    ("rnc", "minimal_view"): 3,
    ("mentor1", "my_page"): 15,
    ("mentor1", "minimal_view"): 4,
    ("mentee1", "my_page"): 13,
    ("mentee1", "survey_autosave"): 19,
    ("mentee1", "minimal_view"): 3,
    ("parent1", "my_page"): 14,
    ("parent1", "minimal_view"): 3,
}


def measured() -> dict[tuple[str, str], int]:
    counts = {}
    targets = load.find_targets()
    for role, pages in load.ROLE_PAGES.items():
        client = Client()
        client.force_login(User.objects.get(username=role))
        for page in (*pages, load.BASELINE):
            request = targets[role][page]
            send = client.post if request.method == "POST" else client.get
            send(request.path, request.body)
            with CaptureQueriesContext(connection) as captured:
                response = send(request.path, request.body)
            assert response.status_code in (200, 204), (role, page, response.status_code)
            counts[(role, page)] = len(captured.captured_queries)
    return counts


@override_settings(ROOT_URLCONF="bench.load_urls")
def test_every_page_of_the_load_benchmark_keeps_its_query_count():
    call_command("load_demo", verbosity=0)
    counts = measured()
    assert counts == PINNED
