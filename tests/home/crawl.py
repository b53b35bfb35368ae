"""A bounded crawler for the «no link leads to 403/404/500» test: from the home page and the top
menu, two levels deep, following every same-origin link (GET) a user is shown."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client

# Generated documents are slow to build and covered by their own tests; static and media files
# are served by the web server, not by Django.
SKIPPED = re.compile(
    r"(\.(xlsx|docx|pdf|zip|csv|ics)$)|/export/|/print/|^/static/|^/media/|^/admin/.+",
)
# At most this many links of one kind — the shape of the page they are on and of their target,
# digits replaced: a list of 500 students links 500 cards; a few of them show whether that kind
# of link works, and a card's link to a parent's card is another kind than the list's.
PER_KIND = 3


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_on(page_url: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        absolute = urljoin(f"http://testserver{page_url}", href)
        parts = urlsplit(urldefrag(absolute)[0])
        if parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if SKIPPED.search(parts.path):
            continue
        found.append(path)
    return found


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


@dataclass
class CrawlResult:
    requests: int = 0
    # (status, url, the page that linked to it)
    broken: list[tuple[int, str, str]] = field(default_factory=list)


def crawl(client: Client, start: str = "/", depth: int = 2, budget: int = 300) -> CrawlResult:
    result = CrawlResult()
    seen: set[str] = {start}
    kinds: Counter[tuple[str, str]] = Counter()
    level: list[tuple[str, str]] = [(start, "")]
    for current_depth in range(depth + 1):
        next_level: list[tuple[str, str]] = []
        for url, referrer in level:
            if result.requests >= budget:
                return result
            response = client.get(url, follow=True)
            result.requests += 1
            if response.streaming:  # a file served from storage: read to its end, the client closes it
                b"".join(response.streaming_content)
            if response.status_code in (403, 404, 500):
                result.broken.append((response.status_code, url, referrer))
                continue
            final_url = response.request["PATH_INFO"]
            if current_depth == depth or "text/html" not in response.get("Content-Type", ""):
                continue
            for link in links_on(final_url, response.content.decode()):
                kind = (_shape(final_url), _shape(link))
                if link in seen or kinds[kind] >= PER_KIND:
                    continue
                seen.add(link)
                kinds[kind] += 1
                next_level.append((link, url))
        level = next_level
    return result
