"""403, 404 and 500 in Russian inside the site's frame (DEBUG off, as in production), the favicon."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def test_an_unknown_page_answers_a_russian_404_in_the_site_frame(client_for, school_x_curator):
    response = client_for(school_x_curator).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Страница не найдена" in page
    assert 'class="topbar"' in page and "Главная" in page  # the frame with the menu
    assert 'href="/"' in page and "Назад" in page


def test_a_forbidden_page_answers_a_russian_403_with_the_reason(client_for, school_x_specialist):
    response = client_for(school_x_specialist).get(reverse("orgs:organisation_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Доступ запрещён" in page and "муниципальным и региональным кураторам" in page
    assert 'href="/"' in page


def test_the_500_page_renders_without_a_request_or_the_database():
    # No `db` fixture: any database access here would fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Ошибка на сервере" in page and 'class="topbar"' in page and 'href="/"' in page


def test_a_crashing_view_answers_the_russian_500(client_for, school_x_curator, monkeypatch):
    from nastavnik.home import views

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "render", boom)
    client = client_for(school_x_curator)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(db):
    client = Client()
    for url in ("/favicon.ico", "/static/favicon.svg"):
        response = client.get(url)
        response.close()  # WhiteNoise streams the file
        assert response.status_code == 200, url
    login = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in login and "favicon.svg" in login
