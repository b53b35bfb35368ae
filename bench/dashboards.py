"""Monitoring dashboards at region scale: ``python -m bench.dashboards [--organisations N]
[--people M] [--repeat R] [--db PATH | --configured-db]``.

Generates a region deterministically from the seed, in bulk (``bulk_create`` in batches): N
organisations in municipalities of about 25, M people (students of 7–18, teachers, a few
partner employees), categories (ОВЗ, на учёте), consents, a students' and a teachers' program
per organisation, candidates, pairs and groups with memberships (some completed, some ended
early). Then it requests, as the users who may see them and as gunicorn's worker calls the
application (a WSGI call, the start-up objects frozen as `nastavnik.wsgi` freezes them), the
dashboard of one organisation, of one municipality and of the region, the card of the region's
other program counts (which its dashboard loads after the page) and the organisation's annual
report (DOCX), in R rounds that go over all of them and the reference in turn (a slower moment
of a shared machine falls on every page alike), and prints ONE JSON line: p50/p95 milliseconds
and the number of SQL queries of each.

Today's indicator values are computed ahead (`refresh_indicator_snapshots`, timed as
`refresh_s`) as in production. In the same run: a minimal signed-in page (`floor_ms`, its p95)
as the reference, each dashboard's `ratio_to_minimal_view` (p95 over p95), and the bare SQL of
the region's indicators counted the old way (`bare_sql`, one grouped query over all its people,
at most five times: it takes seconds), whose values the benchmark checks equal to what the
region's dashboard shows. R is 61 by default: the p95 of 7 requests is merely their slowest,
of 21 the second slowest.

By default the database is a throwaway SQLite file (re-created each run); ``--configured-db``
uses the database of the settings (e.g. ``DATABASE_URL`` of a PostgreSQL made for the purpose).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.django_setup import setup_django

BATCH = 5000
BARE_SQL_REPEAT = 5
DEFAULT_DB = Path("/tmp/nastavnik-bench-dashboards.sqlite3")  # noqa: S108 - a throwaway file


def _setup_django(args: argparse.Namespace) -> None:
    setup_django(args.db, args.configured_db)


def _bulk(model: Any, rows: Iterable[Any]) -> None:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def generate(organisations: int, people: int, seed: int, today: dt.date) -> dict[str, Any]:
    """The region in bulk; returns the ids the measurements need."""
    from nastavnik.accounts.models import Role, RoleAssignment, User
    from nastavnik.home.reference import ensure_reference_data
    from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
    from nastavnik.orgs.models import (
        MentoringForm,
        Municipality,
        Organisation,
        Program,
        Region,
        academic_year_of,
    )
    from nastavnik.registry.models import Category, Consent, Participation, Person

    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    ensure_reference_data()
    year = academic_year_of(today)
    started = min(today, dt.date(year, 10, 1))
    region = Region.objects.create(name=f"Бенчмарк-регион {seed}", timezone="Europe/Moscow")
    municipalities = Municipality.objects.bulk_create(
        Municipality(region=region, name=f"Муниципалитет {n}") for n in range(max(1, organisations // 25))
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            municipality=municipalities[n % len(municipalities)], name=f"Школа № {n}", short_name=f"СОШ № {n}"
        )
        for n in range(organisations)
    )
    per_org = max(1, people // organisations)

    def person_rows() -> Iterable[Person]:
        for org in orgs:
            for n in range(per_org):
                roll = rng.random()
                if roll < 0.88:
                    kind, birth = "student", today - dt.timedelta(days=rng.randint(7 * 365, 18 * 365 + 300))
                    experience = None
                elif roll < 0.98:
                    kind, birth = "teacher", today - dt.timedelta(days=rng.randint(22 * 365, 60 * 365))
                    experience = rng.choice([0, 1, 2, 3, 5, 10, 20, 30])
                else:
                    kind, birth, experience = "partner_employee", dt.date(1985, 1, 1), None
                person = Person(
                    organisation=org,
                    kind=kind,
                    last_name=f"Фамилия{org.pk}-{n}",
                    first_name="Имя",
                    birth_date=birth,
                    grade=None,
                    experience_years=experience,
                    is_young_specialist=experience is not None and experience <= 3,
                    left_on=today - dt.timedelta(days=30) if rng.random() < 0.01 else None,
                )
                person.fill_derived_fields()  # bulk creation skips save()
                yield person

    _bulk(Person, person_rows())
    person_rows_db = list(
        Person.objects.filter(organisation__municipality__region=region).values_list(
            "pk", "organisation_id", "kind", "birth_date"
        )
    )
    categories = {c.code: c.pk for c in Category.objects.filter(code__in=["ovz", "at-risk"])}
    through = Person.categories.through
    _bulk(
        through,
        (
            through(person_id=pk, category_id=categories["ovz" if rng.random() < 0.66 else "at-risk"])
            for pk, _, kind, _ in person_rows_db
            if kind == "student" and rng.random() < 0.06
        ),
    )
    adult_cut = today.replace(year=today.year - 18)
    _bulk(
        Consent,
        (
            Consent(
                subject_id=pk,
                given_by="self" if birth is not None and birth <= adult_cut else "representative",
                signed_on=dt.date(year, 9, 5),
            )
            for pk, _, _, birth in person_rows_db
            if rng.random() < 0.9
        ),
    )
    forms = {f.code: f for f in MentoringForm.objects.filter(organisation__isnull=True, parent__isnull=True)}
    students_programs = Program.objects.bulk_create(
        Program(organisation=org, kind="students", title="Обучающиеся", academic_year=year) for org in orgs
    )
    teachers_programs = Program.objects.bulk_create(
        Program(organisation=org, kind="teachers", title="Педагоги", academic_year=year) for org in orgs
    )
    program_of = {p.organisation_id: p for p in students_programs}
    teacher_program_of = {p.organisation_id: p for p in teachers_programs}
    participations: list[Participation] = []
    for pk, org_id, kind, birth in person_rows_db:
        roll = rng.random()
        if kind == "student" and roll < 0.2:
            role = (
                "mentor"
                if birth and birth <= today.replace(year=today.year - 15) and roll < 0.08
                else "mentee"
            )
            participations.append(
                Participation(program=program_of[org_id], person_id=pk, role=role, added_on=started)
            )
        elif kind == "teacher" and roll < 0.3:
            role = "mentee" if roll < 0.1 else "mentor"
            participations.append(
                Participation(program=teacher_program_of[org_id], person_id=pk, role=role, added_on=started)
            )
    _bulk(Participation, participations)
    saved = list(
        Participation.objects.filter(program__organisation__municipality__region=region).values_list(
            "pk", "program_id", "role"
        )
    )
    by_program: dict[int, dict[str, list[int]]] = {}
    for pk, program_id, role in saved:
        by_program.setdefault(program_id, {"mentor": [], "mentee": []})[role].append(pk)
    teacher_program_ids = {p.pk for p in teachers_programs}
    groups: list[MentoringGroup] = []
    members: list[list[int]] = []
    for program_id, roles in by_program.items():
        mentees = roles["mentee"]
        for mentor in roles["mentor"]:
            take, mentees = mentees[: rng.randint(1, 3)], mentees[3:]
            if not take:
                break
            outcome = rng.random()
            status, ended = GroupStatus.ACTIVE, None
            if outcome < 0.1:
                status, ended = GroupStatus.COMPLETED, today - dt.timedelta(days=3)
            elif outcome < 0.15:
                status, ended = GroupStatus.ENDED_EARLY, started + dt.timedelta(days=20)
            form = forms["teacher-teacher" if program_id in teacher_program_ids else "student-student"]
            groups.append(
                MentoringGroup(
                    program_id=program_id,
                    form=form,
                    mentor_id=mentor,
                    status=status,
                    started_on=started,
                    ended_on=ended,
                    end_reason="Бенчмарк" if status == GroupStatus.ENDED_EARLY else "",
                )
            )
            members.append(take)
    _bulk(MentoringGroup, groups)
    _bulk(
        GroupMembership,
        (
            GroupMembership(group=group, mentee_id=mentee, joined_on=started, left_on=group.ended_on)
            for group, take in zip(groups, members, strict=True)
            for mentee in take
        ),
    )
    Participation.objects.filter(
        pk__in=[g.mentor_id for g in groups if g.status == GroupStatus.ACTIVE]
    ).update(status="in_pair")

    def user(username: str, role: Role, **scope: Any) -> User:
        account = User.objects.create(username=f"{username}-{seed}")
        RoleAssignment.objects.create(user=account, role=role, **scope)
        return account

    # After a bulk load a production database has statistics (autovacuum analyses it); plans
    # measured without them are not the plans users get (PostgreSQL's JIT only showed up here).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    return {
        "region": region.pk,
        "municipality": municipalities[0].pk,
        "organisation": orgs[0].pk,
        "users": {
            "region": user("bench-rnc", Role.REGIONAL_CENTRE, region=region),
            "municipality": user("bench-mun", Role.MUNICIPAL_CURATOR, municipality=municipalities[0]),
            "organisation": user("bench-curator", Role.PROGRAM_CURATOR, organisation=orgs[0]),
        },
        "people": Person.objects.filter(organisation__municipality__region=region).count(),
        "pairs_and_groups": len(groups),
    }


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _measure(requests: dict[str, Callable[[], Any]], repeat: int) -> dict[str, dict[str, Any]]:
    """Each request's p50 and p95 over `repeat` rounds, and its query count. The rounds go over
    every request in turn: a moment the shared machine is slower falls on all the pages alike,
    not on the one being measured then (the ratios divide one page's p95 by another's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries = {}
    for name, request in requests.items():
        with CaptureQueriesContext(connection) as captured:
            response = request()  # warm-up, and the query count of one request
            assert response.status_code == 200, (name, response.status_code)
        queries[name] = len(captured.captured_queries)  # now: later requests reset the query log
    times: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(repeat):
        for name, request in requests.items():
            start = time.perf_counter()
            response = request()
            times[name].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
    return {
        name: {
            "p50_ms": round(statistics.median(times[name]), 1),
            "p95_ms": round(_percentile(times[name], 0.95), 1),
            "queries": queries[name],
        }
        for name in requests
    }


def bare_sql(ids: dict[str, Any], repeat: int, today: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old way: the region's indicators counted over all its people per request (one grouped
    query); its timing and its values {code: (numerator, denominator)}."""
    from nastavnik.monitoring import indicators as engine
    from nastavnik.monitoring.selectors import active_indicators
    from nastavnik.registry.models import Person

    indicators = active_indicators()
    people = Person.objects.filter(organisation__municipality__region_id=ids["region"])

    def count() -> dict[str, Any]:
        return engine.sum_measures(
            indicators, engine.measure_people(people, indicators, today, "organisation_id").values()
        )

    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        totals = count()
        times.append((time.perf_counter() - start) * 1000)
    timing = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(_percentile(times, 0.95), 1)}
    return timing, {code: (m.numerator, m.denominator) for code, m in totals.items()}


def shown_values(ids: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """What the region's dashboard shows: {code: (numerator, denominator)}."""
    from nastavnik.accounts.models import User
    from nastavnik.monitoring.access import get_scope_for_user
    from nastavnik.monitoring.scopes import REGION
    from nastavnik.monitoring.selectors import region_dashboard

    user: User = ids["users"]["region"]
    d = region_dashboard(user, get_scope_for_user(user, REGION, ids["region"]), today)
    return {c.indicator.code: (c.measure.numerator, c.measure.denominator) for c in d.total}


@dataclass
class _Response:
    status_code: int
    content: bytes


class _Worker:
    """The application called as gunicorn's worker calls it (`nastavnik.wsgi`), signed in as one
    user. Not the test client: it keeps, for assertions, a copy of the context of every template
    a response rendered, which doubled a dashboard's garbage and made its collections ten times
    longer than a server's."""

    def __init__(self, user: Any) -> None:
        from django.conf import settings
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import Client

        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        self.cookie = f"{name}={client.cookies[name].value}"
        self.handler = WSGIHandler()

    def get(self, url: str, **headers: str) -> _Response:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": self.cookie,
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            **headers,
        }
        status: list[str] = []

        def start_response(line: str, _headers: list[tuple[str, str]], _exc_info: Any = None) -> Any:
            status.append(line)
            return lambda data: None

        body = self.handler(environ, start_response)
        try:
            content = b"".join(body)
        finally:
            body.close()
        return _Response(int(status[0].split()[0]), content)


@contextmanager
def _one_connection() -> Iterator[None]:
    """One database connection across the requests, as the test client keeps it, so queries can
    be counted (a server with persistent connections closes one only once it is too old; a
    test's connection holds its transaction, and PostgreSQL's was closed under it)."""
    from django.core import signals
    from django.db import close_old_connections

    kept = [
        signal
        for signal in (signals.request_started, signals.request_finished)
        if signal.disconnect(close_old_connections)
    ]
    try:
        yield
    finally:
        for signal in kept:
            signal.connect(close_old_connections)


def measure(ids: dict[str, Any], repeat: int, today: dt.date) -> dict[str, Any]:
    with _one_connection():
        return _measure_pages(ids, repeat, today)


def _measure_pages(ids: dict[str, Any], repeat: int, today: dt.date) -> dict[str, Any]:
    from django.db import reset_queries
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, reverse

    reset_queries()  # a full query log (DEBUG) would hide what the requests run

    clients = {level: _Worker(account) for level, account in ids["users"].items()}
    query = f"?date={today.isoformat()}"
    targets = {
        "organisation_dashboard": (
            "organisation",
            reverse("monitoring:organisation", args=[ids["organisation"]]),
        ),
        "municipality_dashboard": (
            "municipality",
            reverse("monitoring:municipality", args=[ids["municipality"]]),
        ),
        "region_dashboard": ("region", reverse("monitoring:region", args=[ids["region"]])),
        "annual_report": (
            "organisation",
            reverse("monitoring:annual_report", args=[ids["organisation"], "docx"]),
        ),
    }
    requests: dict[str, Callable[[], Any]] = {
        "minimal_view": lambda: clients["organisation"].get("/_bench/minimal/"),
        **{
            name: lambda c=clients[level], u=url + query: c.get(u)  # type: ignore[misc]
            for name, (level, url) in targets.items()
        },
    }
    # The card of counts a dashboard loads after it (HTMX): the region's, the most to count.
    counts_url = reverse("monitoring:program_counts", args=["region", ids["region"]]) + query
    requests["region_program_counts"] = lambda: clients["region"].get(counts_url, HTTP_HX_REQUEST="true")
    # The reference is a page of its own URL map (`bench.load_urls`), which holds the product's too.
    with override_settings(ROOT_URLCONF="bench.load_urls"):
        clear_url_caches()
        report = _measure(requests, repeat)
    clear_url_caches()
    floor = report.pop("minimal_view")
    for name in (*targets, "region_program_counts"):
        report[name]["ratio_to_minimal_view"] = round(report[name]["p95_ms"] / max(floor["p95_ms"], 0.1), 1)
    report["minimal_view"] = floor
    report["floor_ms"] = floor["p95_ms"]
    return report


def run(organisations: int, people: int, repeat: int, seed: int) -> dict[str, Any]:
    from nastavnik.base.time import today_in

    today = today_in("Europe/Moscow")  # the region's zone: its dashboards read values of this day
    start = time.perf_counter()
    ids = generate(organisations, people, seed, today)
    generated = time.perf_counter() - start
    report: dict[str, Any] = {
        "bench": "dashboards",
        "organisations": organisations,
        "people": ids["people"],
        "pairs_and_groups": ids["pairs_and_groups"],
        "repeat": repeat,
        "generate_s": round(generated, 1),
    }
    from nastavnik.base.collector import freeze_startup_objects
    from nastavnik.monitoring.snapshots import snapshots_refresh

    start = time.perf_counter()
    snapshots_refresh(day=today)
    report["refresh_s"] = round(time.perf_counter() - start, 1)
    # The stored values have statistics in production (refreshed every 15 minutes, analysed by
    # autovacuum); those of `generate` were taken before they existed, and PostgreSQL planned the
    # municipality's reads for an empty table until its autovacuum came by (188 ms, then 40 ms).
    from django.db import connection

    from nastavnik.monitoring.models import IndicatorSnapshot, StatisticsSnapshot

    with connection.cursor() as cursor:
        for model in (IndicatorSnapshot, StatisticsSnapshot):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    # Measured as a started worker serves (`nastavnik.wsgi`): its start-up objects frozen, and
    # the garbage of generating the region, which a worker would not have, collected first.
    freeze_startup_objects()
    try:
        report.update(measure(ids, repeat, today))
    finally:
        gc.unfreeze()  # a test calling the benchmark goes on with an ordinary heap
    # the old way takes seconds a time: a few runs say what it costs
    timing, values = bare_sql(ids, min(repeat, BARE_SQL_REPEAT), today)
    shown = shown_values(ids, today)
    report["bare_sql"] = timing
    report["values_equal_bare_sql"] = shown == values
    if shown != values:
        report["values_differ"] = {
            k: [shown.get(k), values.get(k)] for k in values if shown.get(k) != values[k]
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--people", type=int, default=300_000)
    # p95 of 7 requests is their slowest, of 21 the second slowest: one hiccup of a shared
    # machine decided it; of 61, the fourth slowest
    parser.add_argument("--repeat", type=int, default=61)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="throwaway SQLite file (re-created)")
    parser.add_argument("--configured-db", action="store_true", help="use the database of the settings")
    args = parser.parse_args(argv)
    from django.conf import settings

    if not settings.configured:
        _setup_django(args)
    from django.db import connection

    report = run(args.organisations, args.people, args.repeat, args.seed)
    report["database"] = connection.vendor
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
