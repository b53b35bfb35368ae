"""The public «Наставничество» pages: no login, nothing but what is public — the program, its
documents, publications whose people consented to dissemination, best mentors and published
cases (named only with everyone's consent, else anonymised). No links to staff pages. The embed
block is the one view another site may frame."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from nastavnik.base.time import local_today, today_in
from nastavnik.cases.publicity import case_text
from nastavnik.orgs.models import Organisation, academic_year_of

from .. import selectors

NEWS_PER_PAGE = 10
CASES_SHOWN = 10
MENTORS_SHOWN = 6
EMBED_ITEMS = 5


def _organisation_or_404(pk: int) -> Organisation:
    organisation = selectors.public_organisation(pk)
    if organisation is None:
        raise Http404("Организация не найдена")
    return organisation


def _summary(organisations: QuerySet[Organisation], day: dt.date, page: Any) -> dict[str, Any]:
    return {
        "news_page": Paginator(selectors.news(organisations, day), NEWS_PER_PAGE).get_page(page),
        "best_mentors": list(selectors.best_mentors(organisations, day)[:MENTORS_SHOWN]),
        "cases": selectors.public_cases(selectors.cases_for(organisations), day, CASES_SHOWN),
    }


def organisation_page(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(pk)
    day = local_today(organisation)
    organisations = selectors.organisation_only(organisation)
    context = {
        "organisation": organisation,
        "programs": selectors.current_programs(organisation, academic_year_of(day)),
        "documents": selectors.program_documents(organisation),
        **_summary(organisations, day, request.GET.get("page")),
    }
    return render(request, "publication/public_organisation.html", context)


def municipality_page(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = selectors.public_municipality(pk)
    if municipality is None:
        raise Http404("Муниципалитет не найден")
    day = today_in(municipality.region.timezone)
    organisations = selectors.organisations_of_municipality(municipality)
    context = {
        "municipality": municipality,
        "organisations": list(organisations),
        **_summary(organisations, day, request.GET.get("page")),
    }
    return render(request, "publication/public_municipality.html", context)


def region_page(request: HttpRequest, pk: int) -> HttpResponse:
    region = selectors.public_region(pk)
    if region is None:
        raise Http404("Регион не найден")
    day = today_in(region.timezone)
    organisations = selectors.organisations_of_region(region)
    context = {
        "region": region,
        "municipalities": list(selectors.municipalities_of_region(region)),
        **_summary(organisations, day, request.GET.get("page")),
    }
    return render(request, "publication/public_region.html", context)


def publication_page(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.get_visible_publication(pk, today_in())
    if publication is None:
        raise Http404("Публикация не найдена")
    return render(request, "publication/public_publication.html", {"publication": publication})


def publication_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The photo of a publication that may be shown today (consent re-checked at every request)."""
    publication = selectors.get_visible_publication(pk, today_in())
    if (
        publication is None
        or not publication.photo
        or not publication.photo.storage.exists(publication.photo.name)
    ):
        raise Http404("Фотография не найдена")
    content_type = "image/png" if publication.photo.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(publication.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "no-cache"
    return response


def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_published_case(pk)
    if case is None:
        raise Http404("Кейс не найден")
    text = case_text(case, local_today(case.organisation))
    return render(request, "publication/public_case.html", {"case": case, "text": text})


@xframe_options_exempt
def organisation_embed(request: HttpRequest, pk: int) -> HttpResponse:
    """A small block for the school's own site, allowed in an iframe (the only such view)."""
    organisation = _organisation_or_404(pk)
    day = local_today(organisation)
    organisations = selectors.organisation_only(organisation)
    context = {
        "organisation": organisation,
        "news": list(selectors.visible_publications(organisations, day)[:EMBED_ITEMS]),
        "cases": selectors.public_cases(selectors.cases_for(organisations), day, EMBED_ITEMS),
    }
    return render(request, "publication/public_embed.html", context)
