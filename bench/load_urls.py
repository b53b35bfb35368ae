"""The product's URLs plus the baseline of the load benchmark: the cheapest page a signed-in
user can get (session, user, middleware, no template, no query of ours)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [
    path("_bench/minimal/", minimal, name="bench_minimal"),
    path("", include("nastavnik.urls")),
]
