"""The product's URLs plus the baseline of the load benchmark: the cheapest page a signed-in
user can get that is still a page of the site — the frame of `base.html` with the user's menu
(context processors, session, user, middleware), a heading and nothing of ours inside."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import URLPattern, URLResolver, include, path

MINIMAL_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Наставник{% endblock %}'
    "{% block content %}<h1>Наставник</h1>{% endblock %}"
)


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(MINIMAL_PAGE.render({}, request))


urlpatterns: list[URLPattern | URLResolver] = [
    path("_bench/minimal/", minimal, name="bench_minimal"),
    path("", include("nastavnik.urls")),
]
