"""The top menu: sections with several pages drop down; every link in it opens for the user."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nastavnik.accounts.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def menu_links(html: str) -> dict[str, str]:
    nav = html.split('<nav class="nav">', 1)[1].split("</nav>", 1)[0]
    return {label: href for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_the_municipal_curator_finds_recommendations_and_readiness(
    client_for, municipal_curator_a, municipality_a
):
    client = client_for(municipal_curator_a)
    links = menu_links(client.get(reverse("home"), follow=True).content.decode())
    assert links["Рекомендации"] == reverse("recommendations:list", args=["municipality", municipality_a.pk])
    assert links["Готовность"] == reverse("readiness:municipality", args=[municipality_a.pk])
    for href in links.values():
        assert client.get(href).status_code in (200, 302), href


def test_a_school_curator_has_readiness_and_sections(client_for, school_x_curator, school_x):
    client = client_for(school_x_curator)
    html = client.get(reverse("home"), follow=True).content.decode()
    links = menu_links(html)
    assert links["Готовность"] == reverse("readiness:organisation", args=[school_x.pk])
    assert "Рекомендации" not in links
    assert '<details class="navgroup"><summary>Программы</summary>' in html
    for href in links.values():
        assert client.get(href).status_code in (200, 302), href


def test_a_mentor_sees_only_what_a_mentor_opens(client_for, school_x):
    mentor = user_with_role(Role.MENTOR, organisation=school_x)
    client = client_for(mentor)
    links = menu_links(client.get(reverse("home"), follow=True).content.decode())
    assert "Готовность" not in links and "Рекомендации" not in links and "Мониторинг" not in links
    for href in links.values():
        assert client.get(href).status_code in (200, 302), href
