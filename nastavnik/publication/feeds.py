"""The RSS feed of an organisation's «Наставничество» page for its own site: the same items the
public page shows (publications whose people consented, published cases — anonymised unless
everyone consented), newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import Truncator

from nastavnik.base.time import local_today
from nastavnik.orgs.models import Organisation

from . import selectors

FEED_ITEMS = 20


@dataclass(frozen=True)
class Entry:
    title: str
    text: str
    day: dt.date
    link: str


class OrganisationFeed(Feed):
    description_template = None

    def get_object(self, request: HttpRequest, pk: int) -> Organisation:
        organisation = selectors.public_organisation(pk)
        if organisation is None:
            raise Http404("Организация не найдена")
        return organisation

    def title(self, obj: Organisation) -> str:
        return f"Наставничество — {obj.short_name}"

    def link(self, obj: Organisation) -> str:
        return reverse("publication:organisation", args=[obj.pk])

    def description(self, obj: Organisation) -> str:
        return f"Новости, лучшие наставники и кейсы наставничества: {obj.name}"

    def items(self, obj: Organisation) -> list[Entry]:
        day = local_today(obj)
        organisations = selectors.organisation_only(obj)
        entries = [
            Entry(p.title, p.text, p.published_on, reverse("publication:publication", args=[p.pk]))
            for p in selectors.visible_publications(organisations, day)[:FEED_ITEMS]
        ]
        entries += [
            Entry(
                f"Кейс: {item.text.title}",
                item.text.result,
                item.case.published_on or day,
                reverse("publication:case", args=[item.case.pk]),
            )
            for item in selectors.public_cases(selectors.cases_for(organisations), day, FEED_ITEMS)
        ]
        entries.sort(key=lambda entry: entry.day, reverse=True)
        return entries[:FEED_ITEMS]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return Truncator(item.text).chars(400)

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_pubdate(self, item: Entry) -> dt.datetime:
        return dt.datetime.combine(item.day, dt.time(12), tzinfo=ZoneInfo("UTC"))


_FEED = OrganisationFeed()


def organisation_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """The feed as a plain view function (what the URL routes to)."""
    return _FEED(request, pk=pk)
