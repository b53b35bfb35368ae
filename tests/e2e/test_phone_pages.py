"""Phone first: every page a mentor, a mentee and a parent can reach fits a 390×844 screen.

The suite logs in as the demo's mentor, mentee and parent, follows every link of their pages
(«Мой кабинет», the pair page and its tabs, plan, meetings, calendar, events, feedback,
reflections, password change, questionnaire links…), also opens the mentor's plan in edit
mode («Изменить утверждённый план (новая редакция)»), and on each page opens every
`<details>` block and checks that the document is no wider than the screen, at 390 and at 360 px
(`scrollWidth`, and `innerWidth`, which a phone widens to fit wide content). A screenshot of
each page goes to screenshots/phone/ under the repository root (git-ignored) for a human eye.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from nastavnik.home.demo import DEMO_PASSWORD
from nastavnik.surveys.models import LinkChannel, Response, ResponseStatus
from nastavnik.surveys.services.links import link_issue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "phone"
# Links that are not pages to look at: leaving, downloads, and the admin.
SKIP = re.compile(r"^/(logout|admin)/|\.(ics|docx|xlsx|pdf|csv|zip)$|/(download|export|ics)/?$")
MAX_PAGES = 120  # per user; the demo's participants reach a few dozen
WIDTH, HEIGHT = 390, 844
NARROWER = (360,)  # every page must fit 360–390 px

# A phone widens its layout viewport to fit wide content (innerWidth grows past 390), so
# both numbers are compared with the screen's width.
MEASURE = """(width) => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const root = document.documentElement;
  const wide = [];
  if (Math.max(root.scrollWidth, window.innerWidth) > width) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && r.width > 0) {
        wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                  + ' ' + Math.round(r.right));
      }
    }
  }
  return {width: Math.max(root.scrollWidth, window.innerWidth), wide: wide.slice(-6)};
}"""

SMALL_CONTROLS = """() => {
  const small = [];
  const controls = 'main button, main .btn, main input[type=submit], .topbar button, .topbar a, .tabs a, main summary';
  for (const el of document.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height < 44 && !el.closest('details:not([open])')) small.push(el.textContent.trim().slice(0, 40) + ' ' + Math.round(r.height));
  }
  return small;
}"""


def log_in(page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def same_site_links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
    links = []
    for href in hrefs:
        url, _ = urldefrag(href)
        if not url.startswith(base_url):
            continue
        path = url[len(base_url) :]
        if SKIP.search(urlsplit(path).path):
            continue
        links.append(path)
    return links


class Crawl:
    def __init__(self, page, base_url: str, username: str) -> None:
        self.page, self.base_url, self.username = page, base_url, username
        self.seen: set[str] = set()
        self.too_wide: list[str] = []
        self.small_controls: list[str] = []
        self.errors: list[str] = []

    def check(self, path: str, label: str, shot: str = "") -> None:
        for width in NARROWER:  # the smaller phones first, then back to 390 for the screenshot
            self.page.set_viewport_size({"width": width, "height": HEIGHT})
            self.measure(path, label, width)
        self.page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        self.measure(path, label, WIDTH)
        name = re.sub(r"[^\w-]+", "_", f"{self.username}{shot or path}").strip("_")[:120]
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}{label}.png"), full_page=True)

    def measure(self, path: str, label: str, width: int) -> None:
        result = self.page.evaluate(MEASURE, width)
        if result["width"] > width:
            self.too_wide.append(
                f"{self.username} {path}{label} at {width}: {result['width']} px {result['wide']}"
            )
        self.small_controls += [f"{self.username} {path}: {c}" for c in self.page.evaluate(SMALL_CONTROLS)]

    def visit(self, path: str, shot: str = "") -> list[str]:
        response = self.page.goto(f"{self.base_url}{path}")
        if response is None or response.status >= 400:
            self.errors.append(f"{self.username} {path}: {response and response.status}")
            return []
        if "text/html" not in (response.headers.get("content-type") or ""):
            return []
        self.check(path, "", shot)
        return same_site_links(self.page, self.base_url)

    def run(self, start: str = "/") -> None:
        """Breadth first; a page is visited once per set of query keys (the calendar's
        «next month» would otherwise lead on forever)."""
        queue = [start]
        kinds: set[tuple[str, tuple[str, ...]]] = set()
        while queue and len(self.seen) < MAX_PAGES:
            path = queue.pop(0)
            parts = urlsplit(path)
            kind = (parts.path, tuple(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))))
            if kind in kinds:
                continue
            kinds.add(kind)
            self.seen.add(path)
            queue += self.visit(path)


def test_every_page_of_a_mentor_a_mentee_and_a_parent_fits_a_phone(phone_page, live_server):
    call_command("load_demo")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    too_wide, small, errors, counts = [], [], [], {}
    for username in ("mentor1", "mentee1", "parent1"):
        log_in(phone_page, live_server.url, username)
        crawl = Crawl(phone_page, live_server.url, username)
        crawl.run("/")
        if username == "mentor1":
            open_plan_in_edit_mode(crawl)
        open_questionnaire_links(crawl)
        too_wide += crawl.too_wide
        small += crawl.small_controls
        errors += crawl.errors
        counts[username] = len(crawl.seen)
    # Each of them reaches their cabinet, the pair, the plan, meetings, the calendar, and more.
    assert all(count >= 6 for count in counts.values()), counts
    assert not (errors or too_wide or small), "\n".join(
        ["Pages that failed:", *errors, "Pages wider than a 390 px phone:", *too_wide]
        + ["Controls lower than 44 px on a phone:", *sorted(set(small))]
    )


def open_questionnaire_links(crawl: Crawl) -> None:
    """The questionnaires sent to the person by personal link (the demo's are answered already:
    reopened here), the preference questionnaire with its choice of people among them."""
    responses = Response.objects.filter(respondent__user__username=crawl.username, campaign__in_app=False)
    for number, response in enumerate(responses, start=1):
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.IN_PROGRESS, submitted_at=None)
        token = link_issue(acting_user=None, response=response, channel=LinkChannel.MANUAL)
        crawl.visit(reverse("surveys_public:respond", args=[token]), shot=f"/questionnaire-{number}")


def open_plan_in_edit_mode(crawl: Crawl) -> None:
    """The mentor starts a new revision of an approved plan and sees the editing forms. The
    mentor's plans are in several states (a draft, one waiting for the curator, approved ones):
    the first plan that the mentor can edit or revise is taken."""
    page = crawl.page
    plan_paths = sorted(p for p in crawl.seen if re.fullmatch(r"/pairs/\d+/plan/", p))
    assert plan_paths, sorted(crawl.seen)
    for plan_path in plan_paths:
        page.goto(f"{crawl.base_url}{plan_path}")
        pending = page.locator("a:has-text('Новая редакция:')")
        revise = page.locator("details:has(summary:has-text('Изменить утверждённый план'))")
        if page.locator("h3:has-text('Добавить задачу')").count():  # the draft is open already
            break
        if pending.count():  # a revision is being edited
            pending.first.click()
            page.wait_for_load_state()
            if page.locator("h3:has-text('Добавить задачу')").count():
                break
            continue
        if revise.count():
            revise.locator("summary").click()
            revise.locator("[name=change_note]").fill("Добавим задачу к олимпиаде")
            page.click("text=Создать новую редакцию")
            break
    else:
        raise AssertionError(f"None of the mentor's plans can be edited or revised: {plan_paths}")
    page.wait_for_selector("text=Добавить задачу")
    path = page.url[len(crawl.base_url) :]
    crawl.check(path, "_edit")
