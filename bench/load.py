"""The production server under load: ``python -m bench.load [--users N] [--seconds T]
[--max-requests R] [--workers W] [--db PATH | --configured-db] [--reuse-db]``.

Loads the demo region (``migrate`` + ``load_demo``) into a throwaway SQLite file (re-created each
run; ``--configured-db`` uses DATABASE_URL instead, e.g. a PostgreSQL made for the purpose),
starts gunicorn with the production configuration (nastavnik/gunicorn.conf.py, DEBUG off) on
127.0.0.1 on a free port, signs in N users of several demo roles (curator1, mun, rnc, mentor1,
mentee1, parent1) and has each of them walk their pages over and over for T seconds: home, the
registry list, a person card, the curator's board, «Мой кабинет», monitoring stages 1 and 2, a survey answer
saved as the respondent types (HTMX POST) — and, in the same run, a minimal signed-in view
(bench/load_urls.py, not part of the product) as the baseline. Stops by itself after T seconds
or R requests, whichever comes first, and prints ONE JSON line: requests/s, errors, and per page
p50/p95/max milliseconds and the ratio of its p50 to the baseline's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("/tmp/nastavnik-bench-load.sqlite3")  # noqa: S108 - a throwaway file
PASSWORD = "nastavnik2026"
HOST = "127.0.0.1"
# Which pages each demo role walks (in this order, round and round). Monitoring pages are at the
# role's own level: the school, the municipality, the region.
ROLE_PAGES: dict[str, tuple[str, ...]] = {
    "curator1": ("home", "registry_list", "person_card", "board", "monitoring_stage1", "monitoring_stage2"),
    "mun": ("home", "registry_list", "monitoring_stage1", "monitoring_stage2"),
    "rnc": ("home", "registry_list", "monitoring_stage1", "monitoring_stage2"),
    # Participants' home page sends them on to «Мой кабинет»: that is their page.
    "mentor1": ("my_page",),
    "mentee1": ("my_page", "survey_autosave"),
    "parent1": ("my_page",),
}
BASELINE = "minimal_view"


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, str] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def summarise(samples: dict[str, list[float]], errors: dict[str, int], elapsed: float) -> dict[str, Any]:
    """Per page p50/p95/max (ms), errors and the ratio of its p50 to the baseline's."""
    baseline = statistics.median(samples[BASELINE]) if samples.get(BASELINE) else None
    pages: dict[str, dict[str, Any]] = {}
    for page in sorted(set(samples) | set(errors)):
        times = samples.get(page, [])
        p50 = statistics.median(times) if times else None
        pages[page] = {
            "requests": len(times) + errors.get(page, 0),
            "errors": errors.get(page, 0),
            "p50_ms": round(p50, 1) if p50 is not None else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "max_ms": round(max(times), 1) if times else None,
            "ratio_to_minimal_view": round(p50 / baseline, 1) if p50 is not None and baseline else None,
        }
    total = sum(page["requests"] for page in pages.values())
    return {
        "requests": total,
        "errors": sum(errors.values()),
        "requests_per_s": round(total / elapsed, 1) if elapsed > 0 else 0.0,
        "pages": pages,
    }


def roles_for(users: int) -> list[str]:
    names = list(ROLE_PAGES)
    return [names[i % len(names)] for i in range(users)]


class Session:
    """One signed-in user over one keep-alive connection, with its cookies."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookies: dict[str, str] = {}

    def send(self, request: Request, extra_headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if request.method == "POST":
            body = urllib.parse.urlencode(request.body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        headers.update(extra_headers or {})
        self.connection.request(request.method, request.path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def login(self, username: str) -> None:
        status, page = self.send(Request("GET", "/login/"))
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login page: {status}")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match.group(1).decode()}
        status, _ = self.send(Request("POST", "/login/", form))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username}: {status}")

    def close(self) -> None:
        self.connection.close()


class Budget:
    """Shared by the users: a deadline and a number of requests, whichever ends first."""

    def __init__(self, seconds: float, max_requests: int):
        self.deadline = time.monotonic() + seconds
        self.left = max_requests
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


def drive(
    session: Session,
    role: str,
    targets: dict[str, Request],
    budget: Budget,
    results: list[tuple[str, float, bool]],
) -> None:
    """One user walking their pages round and round until the budget ends."""
    pages = [page for page in (*ROLE_PAGES[role], BASELINE) if page in targets]
    turn = 0
    try:
        while budget.take():
            page = pages[turn % len(pages)]
            turn += 1
            start = time.perf_counter()
            try:
                status, _ = session.send(
                    targets[page], {"HX-Request": "true"} if page == "survey_autosave" else None
                )
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                session.connection.close()  # reconnects on the next request, cookies kept
            results.append((page, (time.perf_counter() - start) * 1000, ok))
    finally:
        session.close()


def find_targets() -> dict[str, dict[str, Request]]:
    """The URL of every page for every role, from the demo data (Django is set up on it)."""
    from django.urls import reverse
    from django.utils import timezone

    from nastavnik.accounts.models import RoleAssignment
    from nastavnik.registry.models import Person
    from nastavnik.surveys.models import Question, Response
    from nastavnik.surveys.services import links as link_services

    def scope_of(username: str) -> RoleAssignment:
        found = RoleAssignment.objects.filter(user__username=username).order_by("pk").first()
        if found is None:
            raise SystemExit(f"no demo user {username}: load_demo did not run")
        return found

    curator, mun, rnc = scope_of("curator1"), scope_of("mun"), scope_of("rnc")
    levels = {
        "curator1": ("organisation", curator.organisation_id),
        "mun": ("municipality", mun.municipality_id),
        "rnc": ("region", rnc.region_id),
    }
    person = Person.objects.filter(organisation=curator.organisation).order_by("pk").first()
    common = {
        "home": Request("GET", reverse("home")),
        "my_page": Request("GET", reverse("mentoring:my")),
        "registry_list": Request("GET", reverse("registry:person_list")),
        BASELINE: Request("GET", "/_bench/minimal/"),
    }
    targets: dict[str, dict[str, Request]] = {}
    for role in ROLE_PAGES:
        pages = dict(common)
        if person is not None:
            pages["person_card"] = Request("GET", reverse("registry:person_detail", args=[person.pk]))
        pages["board"] = Request("GET", reverse("mentoring:board"))
        if role in levels:
            level, pk = levels[role]
            pages["monitoring_stage1"] = Request("GET", reverse("monitoring:stage1", args=[level, pk]))
            pages["monitoring_stage2"] = Request("GET", reverse("monitoring:stage2", args=[level, pk]))
        targets[role] = pages
    # A respondent's personal link to an open campaign and a question answered with a number.
    response = (
        Response.objects.filter(campaign__deadline__gt=timezone.now())
        .filter(campaign__questionnaire__questions__kind__in=["scale5", "scale10"])
        .order_by("pk")
        .first()
    )
    if response is not None:
        question = (
            Question.objects.filter(
                questionnaire_id=response.campaign.questionnaire_id,
                kind__in=["scale5", "scale10"],
                condition_question__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        token = link_services.link_issue(acting_user=None, response=response, channel="manual")
        if question is not None:
            targets["mentee1"]["survey_autosave"] = Request(
                "POST",
                reverse("surveys_public:autosave", args=[token, question.pk]),
                {f"q{question.pk}": "4"},
            )
    return targets


def _environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "NASTAVNIK_DEV": "1",  # the development secret key; everything else as in production
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "PYTHONPATH": str(ROOT),
            "MEDIA_ROOT": str(Path(args.db).with_suffix(".media")),
        }
    )
    if not args.configured_db:
        env["DATABASE_URL"] = f"sqlite:///{args.db}"
    return env


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    if not args.configured_db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=1800,
        )


def start_server(env: dict[str, str], port: int, workers: int | None, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "nastavnik/gunicorn.conf.py",
        "--bind",
        f"{HOST}:{port}",
    ]
    if workers:
        command += ["--workers", str(workers)]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            [*command, "nastavnik.wsgi:application"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {log}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                connection.close()
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer within 120 s: see {log}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = _environment(args)
    start = time.perf_counter()
    if not args.reuse_db:
        prepare_database(args, env)
    os.environ.update(
        {k: env[k] for k in ("NASTAVNIK_DEV", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    )
    import django

    django.setup()
    from django.db import connection

    targets = find_targets()
    vendor = connection.vendor
    connection.close()
    setup_s = time.perf_counter() - start
    port = free_port()
    server = start_server(env, port, args.workers, Path(f"{args.db}.gunicorn.log"))
    results: list[tuple[str, float, bool]] = []
    try:
        # Sign everyone in before the clock starts: password hashing is not what is measured.
        sessions = []
        for role in roles_for(args.users):
            sessions.append((Session(port), role))
            sessions[-1][0].login(role)
        budget = Budget(args.seconds, args.max_requests)
        started = time.perf_counter()
        threads = [
            threading.Thread(target=drive, args=(session, role, targets[role], budget, results), daemon=True)
            for session, role in sessions
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 180)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for page, ms, ok in results:
        if ok:
            samples.setdefault(page, []).append(ms)
        else:
            errors[page] = errors.get(page, 0) + 1
    report: dict[str, Any] = {
        "bench": "load",
        "database": vendor,
        "users": args.users,
        "roles": sorted(set(roles_for(args.users))),
        "workers": args.workers or "gunicorn.conf.py",
        "seconds": round(elapsed, 1),
        "setup_s": round(setup_s, 1),
    }
    report.update(summarise(samples, errors, elapsed))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: its config)")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="throwaway SQLite file (re-created)")
    parser.add_argument("--configured-db", action="store_true", help="use DATABASE_URL of the environment")
    parser.add_argument("--reuse-db", action="store_true", help="keep the demo database of an earlier run")
    args = parser.parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
