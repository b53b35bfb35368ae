"""«A link is shown only where the user may open it»: every demo role follows every link of the
main pages (the home page and the top menu, two levels deep) and meets no 403, 404 or 500."""

import pytest
from django.core.management import call_command
from django.test import Client

from nastavnik.accounts.models import User
from nastavnik.home.demo import DEMO_LOGINS
from tests.home.crawl import crawl


@pytest.mark.timeout(1200)  # the demo region loads once for all roles
def test_no_demo_role_meets_a_link_that_does_not_open(db, settings):
    settings.DEBUG = False
    call_command("load_demo")
    broken = {}
    for username, _ in DEMO_LOGINS:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        result = crawl(client, start="/", depth=2, budget=300)
        assert result.requests > 3, username  # the role reached more than its home page
        if result.broken:
            broken[username] = result.broken
    assert broken == {}
