"""The public pages open without login and reveal nothing else: no link to a staff page, no
personal data beyond what was consented, the embed block is the only page another site may frame,
every other URL still asks to log in; their query counts do not grow with the content."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from nastavnik.accounts.models import Role
from tests.factories import user_with_role

from .conftest import publish
from .test_public_consent import body, public_urls

HREF = re.compile(r'(?:href|src)="([^"]*)"')
PUBLIC_PREFIXES = ("/nastavnichestvo/", "/favicon.ico", "?page=", "http://testserver/nastavnichestvo/")


def test_the_public_pages_link_only_to_public_pages(world, school_x):
    client = Client()
    for url in public_urls(world, school_x):
        text = body(client.get(url))
        links = HREF.findall(text) + re.findall(r"<link>([^<]*)</link>", text)
        outside = [link for link in links if not link.startswith(PUBLIC_PREFIXES)]
        assert not outside, (url, outside)
        for secret in ("csrfmiddlewaretoken", "/admin/", "/registry/", "/cases/", "/publications/", "Выйти"):
            assert secret not in text, (url, secret)


def test_the_public_pages_show_no_personal_data_beyond_the_names_consented(world, school_x):
    world.teacher.email, world.teacher.phone = "gromova@example.ru", "+7 900 000-00-00"
    world.teacher.save()
    text = " ".join(body(Client().get(url)) for url in public_urls(world, school_x))
    for private in ("gromova@example.ru", "+7 900", "1980", "Учитель математики", "Сергеевич"):
        assert private not in text


def test_other_urls_still_require_login(world, school_x):
    client = Client()
    for url in (
        reverse("publication:staff_list"),
        reverse("publication:staff_edit", args=[world.news.pk]),
        reverse("cases:bank"),
        reverse("cases:detail", args=[world.case.pk]),
        reverse("registry:person_list"),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_only_the_embed_block_may_be_framed_by_another_site(world, school_x):
    client = Client()
    assert "X-Frame-Options" not in client.get(reverse("publication:embed", args=[school_x.pk]))
    assert client.get(reverse("publication:organisation", args=[school_x.pk]))["X-Frame-Options"] == "DENY"


def test_an_unknown_organisation_is_404(db):
    assert Client().get(reverse("publication:organisation", args=[999999])).status_code == 404


def test_the_public_pages_load_no_external_resources(world, school_x):
    for url in public_urls(world, school_x)[:4]:
        text = body(Client().get(url))
        assert not re.search(r'(?:src|href)="(?:https?:)?//', text), url
        assert "<script" not in text


@pytest.mark.parametrize("n", [1, 3])
def test_the_organisation_page_takes_the_same_number_of_queries_for_one_item_or_three(
    n, world, school_x, school_x_curator, program, django_assert_num_queries
):
    from tests.builders import teacher
    from tests.cases.conftest import allow_distribution

    for number in range(n - 1):
        person = teacher(school_x, experience=5, last_name=f"Новикова{'а' * number}")
        allow_distribution(person)
        publish(school_x_curator, school_x, [person], title=f"Новость {number}")
    client = Client()
    with django_assert_num_queries(13):
        assert client.get(reverse("publication:organisation", args=[school_x.pk])).status_code == 200
    with django_assert_num_queries(11):
        assert (
            client.get(reverse("publication:municipality", args=[school_x.municipality_id])).status_code
            == 200
        )
    region_url = reverse("publication:region", args=[school_x.municipality.region_id])
    with django_assert_num_queries(11):
        assert client.get(region_url).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("publication:embed", args=[school_x.pk])).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("publication:feed", args=[school_x.pk])).status_code == 200


def test_a_curator_of_another_school_cannot_manage_these_publications(world, client_for, school_y_curator):
    client = client_for(school_y_curator)
    assert client.get(reverse("publication:staff_edit", args=[world.news.pk])).status_code == 404
    assert client.post(reverse("publication:staff_unpublish", args=[world.news.pk])).status_code == 404
    page = client.get(reverse("publication:staff_list")).content.decode()
    assert "Неделя наставничества" not in page


def test_a_mentor_has_no_publications_page(world, school_x, client_for):
    mentor = user_with_role(Role.MENTOR, organisation=school_x)
    assert client_for(mentor).get(reverse("publication:staff_list")).status_code == 403
