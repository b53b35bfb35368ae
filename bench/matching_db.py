"""Matching from the database: ``python -m bench.matching --from-db [--mentees N --mentors M]
[--schools K] [--db PATH | --configured-db]``.

Stores a program of N mentees and M mentors in bulk (people, consents to processing, the
questionnaire answers the scoring reads — request / competency tags and free-text details —
and the mentors' places), then times the real path of the curator's matching:

- ``load``: the stated preferences and the program's candidates (``load_preferences``,
  ``program_candidates``: the ORM, consents, tags, pairs already formed);
- ``score``: the rules and the scoring of every allowed pair into the instance
  (``build_program_instance``);
- ``solve`` and ``store``: wall-clock sections of ``matching_run_start`` (of its median run). The
  run solves both proposals in two threads and, while they solve, writes what needs no solve
  (earlier drafts superseded, the run, its mentors), then each proposal as its solve ends; so the
  sections overlap. ``solve`` is from the end of the run's loading to the end of the optimal
  solve (in its thread, the stable one beside it), ``store`` the writing (the run, its mentors,
  both proposals with their pairs and unmatched mentees, and the waits for the solves).
  ``optimal_thread_seconds`` and ``stable_thread_seconds`` are each solve in its thread, and
  ``solve_apart_seconds`` both solves one after the other outside a run;
- ``confirm``: ``matching_run_confirm`` (groups, memberships, statuses, audit, notifications
  queued on commit) with its query count;
- ``order``: the order's data, DOCX and PDF.

Above ``REGION_FROM`` mentees (or with ``--schools``) the program is region-wide: its people belong to schools of about
``SCHOOL_MENTEES`` mentees each (``SCHOOLS_PER_MUNICIPALITY`` a municipality) and the run takes
pairs within a school only (``RunRules.same_organisation``), so 20 000 × 5 000 has about
2.5 million allowed pairs instead of 100 million.

The floor is the bare scipy solve (``bench.matching.bare_scipy_solve``) of the same instance.
The floor and the run are timed three times each, in turn, and ``ratio_to_bare_solve`` divides
the run's median (``run_start_seconds``, each in ``run_start_runs``) by the floor's
(``bare_solve_seconds``, each in ``bare_solve_runs``).
They are measured as a started worker serves (`nastavnik.wsgi`): the garbage of generating the
program collected and the objects left frozen, as a worker's start-up objects are; on
PostgreSQL the tables analysed first, as autovacuum does once rows come in.
Prints one JSON line. By default the database is a throwaway SQLite file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.django_setup import setup_django

DEFAULT_DB = Path("/tmp/nastavnik-bench-matching.sqlite3")  # noqa: S108 - a throwaway file
BATCH = 2000
RUNS = 3  # of the floor and of the run, in turn: their medians are compared
REGION_FROM = 5000
SCHOOL_MENTEES = 500
SCHOOLS_PER_MUNICIPALITY = 10
# (the mentor's competency, the mentee's request): they share the stem the scoring compares.
SUBJECTS = [
    ("Математика", "Помощь по математике"),
    ("Физика", "Подготовка к олимпиаде по физике"),
    ("Биология", "Интерес к биологии"),
    ("История", "Проект по истории"),
    ("География", "Помощь по географии"),
    ("Информатика", "Программирование, информатике"),
    ("Литература", "Чтение, литературе"),
    ("Английский язык", "Английскому языку"),
    ("Профориентация", "Профориентации"),
    ("Робототехника", "Робототехники кружок"),
]


def _people(organisations: list[Any], n: int, role: str, today: dt.date, rng: random.Random) -> list[Any]:
    from nastavnik.registry.models import Person

    grade, age = (5, 11) if role == "mentee" else (11, 18)
    people = []
    for k in range(n):
        person = Person(
            organisation=organisations[k % len(organisations)],
            kind="student",
            last_name=f"{'Ученик' if role == 'mentee' else 'Наставник'}{k}",
            first_name=rng.choice(["Иван", "Мария", "Пётр", "Анна", "Олег", "Дарья"]),
            middle_name="Сергеевич",
            grade=grade,
            class_letter="А",
            birth_date=today.replace(year=today.year - age) - dt.timedelta(days=30 + k % 200),
            email=f"{role}{k}@example.org" if role == "mentor" or rng.random() < 0.3 else "",
        )
        person.fill_derived_fields()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=BATCH)
    return people


def n_schools(n_mentees: int) -> int:
    """The schools of the program's people: one, or one per ``SCHOOL_MENTEES`` in a region."""
    return 1 if n_mentees <= REGION_FROM else -(-n_mentees // SCHOOL_MENTEES)


def _schools(region: Any, n: int) -> list[Any]:
    from nastavnik.orgs.models import Municipality, Organisation

    municipalities = [
        Municipality.objects.create(region=region, name=f"Муниципалитет {k + 1}")
        for k in range(-(-n // SCHOOLS_PER_MUNICIPALITY))
    ]
    return [
        Organisation.objects.create(
            municipality=municipalities[k // SCHOOLS_PER_MUNICIPALITY],
            name=f"Школа № {k + 1}",
            short_name=f"СОШ № {k + 1}",
            head_name="Иванов Иван Иванович",
        )
        for k in range(n)
    ]


def build_program(n_mentees: int, n_mentors: int, seed: int, schools: int | None = None) -> dict[str, Any]:
    """The program in bulk (its people spread over ``schools`` schools, by default
    ``n_schools``; the program is the first's); returns the program, its form, a curator and the
    run's rules (pairs within a school when there are several)."""
    from nastavnik.accounts.models import Role, RoleAssignment, User
    from nastavnik.home.reference import ensure_reference_data
    from nastavnik.matching.compatibility import RunRules
    from nastavnik.orgs.models import MentoringForm, Program, Region, academic_year_of
    from nastavnik.registry.models import Consent, Participation, Tag

    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    ensure_reference_data()
    today = dt.date.today()
    region = Region.objects.create(name=f"Бенчмарк-регион {seed}", timezone="Europe/Moscow")
    organisations = _schools(region, schools or n_schools(n_mentees))
    organisation = organisations[0]
    program = Program.objects.create(
        organisation=organisation,
        kind="students",
        title="Обучающиеся",
        academic_year=academic_year_of(today),
        max_mentees_per_mentor=5,
    )
    form = MentoringForm.objects.get(code="student-student", organisation__isnull=True)
    program.forms.set([form])
    mentees = _people(organisations, n_mentees, "mentee", today, rng)
    mentors = _people(organisations, n_mentors, "mentor", today, rng)
    signed = today - dt.timedelta(days=60)
    Consent.objects.bulk_create(
        [Consent(subject=p, given_by="representative", signed_on=signed) for p in mentees]
        + [Consent(subject=p, given_by="self", signed_on=signed) for p in mentors],
        batch_size=BATCH,
    )
    competencies = Tag.objects.bulk_create(Tag(vocabulary="competency", name=c) for c, _ in SUBJECTS)
    requests = Tag.objects.bulk_create(Tag(vocabulary="request", name=r) for _, r in SUBJECTS)
    participations = [
        Participation(program=program, person=p, role="mentee", details=rng.choice(["", "хочу разобраться"]))
        for p in mentees
    ] + [
        Participation(program=program, person=p, role="mentor", capacity=rng.randint(1, 5), details="")
        for p in mentors
    ]
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    through = Participation.tags.through
    links = [
        through(participation_id=p.pk, tag_id=tag.pk)
        for p in participations
        for tag in rng.sample(requests if p.role == "mentee" else competencies, rng.randint(1, 3))
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
    curator = User.objects.create(username=f"bench-matching-{seed}")
    RoleAssignment.objects.create(user=curator, role=Role.PROGRAM_CURATOR, organisation=organisation)
    rules = RunRules(same_organisation=len(organisations) > 1)
    return {
        "program": program,
        "form": form,
        "curator": curator,
        "rules": rules,
        "schools": len(organisations),
    }


def _time(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def _timed_run_start(
    services: Any, curator: Any, program: Any, form: Any, rules: Any
) -> tuple[Any, float, dict[str, float]]:
    """`matching_run_start` with the moments its loading, its writing and its two solves begin
    and end noted, in the one call: its ``solve`` and ``store`` sections (wall clock; they
    overlap, see the module) and each solve in its thread (``optimal_thread``,
    ``stable_thread``)."""
    from unittest import mock

    moments: dict[str, float] = {}

    def noted(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            moments[f"{name}_start"] = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                moments[f"{name}_end"] = time.perf_counter()

        return wrapper

    names = {
        "load": "load_program_instance",
        "store": "_store_run",
        "optimal": "solve_optimal",
        "stable": "solve_stable",
    }
    patched = {attribute: noted(name, getattr(services, attribute)) for name, attribute in names.items()}
    with mock.patch.multiple(services, **patched):
        run, seconds = _time(
            lambda: services.matching_run_start(acting_user=curator, program=program, form=form, rules=rules)
        )
    sections = {
        "solve": moments["optimal_end"] - moments["load_end"],
        "store": moments["store_end"] - moments["store_start"],
        "optimal_thread": moments["optimal_end"] - moments["optimal_start"],
        "stable_thread": moments["stable_end"] - moments["stable_start"],
    }
    return run, seconds, sections


def _bare_solve(instance: Any) -> float:
    """The floor: the seconds of one bare solve of the instance. One timing of a 0.05 s solve
    on a shared machine varied from 0.05 to 0.35 s between runs, and every ratio with it: it is
    taken `RUNS` times, in turn with the run, and the median is what the ratios divide by."""
    from bench.matching import bare_scipy_solve

    return _time(
        lambda: bare_scipy_solve(
            instance.n_mentees,
            instance.capacity,
            instance.edge_mentee,
            instance.edge_mentor,
            instance.edge_score,
        )
    )[1]


def measure(program: Any, form: Any, curator: Any, rules: Any) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from nastavnik.base.time import local_today
    from nastavnik.matching import services
    from nastavnik.matching.compatibility import build_program_instance, normalise_weights
    from nastavnik.matching.documents import order_data, order_docx, order_pdf
    from nastavnik.matching.models import Method
    from nastavnik.matching.preferences import load_preferences
    from nastavnik.matching.selectors import program_candidates
    from nastavnik.matching.solvers import solve_optimal, solve_stable

    day = local_today(program.organisation)
    (preferences, candidates), load = _time(
        lambda: (load_preferences(program), program_candidates(program, form, day, with_fixed_pairs=True))
    )
    data, score = _time(
        lambda: build_program_instance(
            candidates,
            program=program,
            form=form,
            on_date=day,
            rules=rules,
            weights=normalise_weights(None),
            preferences=preferences,
        )
    )
    instance = data.instance
    _, solve_apart = _time(lambda: (solve_optimal(instance, "max_score"), solve_stable(instance)))
    # The floor and the run, three times each in turn (a slower moment of the shared machine
    # falls on both alike); the ratios divide the run's median by the floor's.
    bare_runs, runs = [], []
    for _ in range(RUNS):
        bare_runs.append(_bare_solve(instance))
        runs.append(_timed_run_start(services, curator, program, form, rules))
    bare = statistics.median(bare_runs)
    run_start = statistics.median(seconds for _, seconds, _ in runs)
    _, _, sections = next(r for r in runs if r[1] == run_start)  # the sections of the median run
    run = runs[-1][0]  # the draft: each run supersedes the one before
    proposal = run.proposals.get(method=Method.OPTIMAL)
    # The notifications are queued once the confirmation commits: counted apart.
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        with transaction.atomic(), CaptureQueriesContext(connection) as confirm_queries:
            confirmation = services.matching_run_confirm(
                acting_user=curator, run=run, proposal=proposal, order_number="1-о", order_date=day
            )
        confirm = time.perf_counter() - t0
    run.refresh_from_db()
    order, order_seconds = _time(lambda: order_data(run))
    _, docx = _time(lambda: order_docx(order))
    _, pdf = _time(lambda: order_pdf(order))
    phases = {"load": load, "score": score, "solve": sections["solve"], "store": sections["store"]}
    return {
        "mentees": instance.n_mentees,
        "mentors": instance.n_mentors,
        "edges": instance.n_edges,
        "pairs": proposal.pairs.count(),
        "groups": len(confirmation.groups),
        "notified": confirmation.notified,
        "bare_solve_seconds": round(bare, 3),
        "bare_solve_runs": [round(seconds, 3) for seconds in bare_runs],
        **{f"{k}_seconds": round(v, 3) for k, v in phases.items()},
        "optimal_thread_seconds": round(sections["optimal_thread"], 3),
        "stable_thread_seconds": round(sections["stable_thread"], 3),
        "solve_apart_seconds": round(solve_apart, 3),
        "run_start_seconds": round(run_start, 3),
        "run_start_runs": [round(seconds, 3) for _, seconds, _ in runs],
        "confirm_seconds": round(confirm, 3),
        "confirm_queries": len(confirm_queries),
        "notification_queries": len(queries) - len(confirm_queries),
        "order_data_seconds": round(order_seconds, 3),
        "order_docx_seconds": round(docx, 3),
        "order_pdf_seconds": round(pdf, 3),
        "ratio_to_bare_solve": {
            "before_confirmation": round(run_start / bare, 2) if bare > 0 else None,
            **{k: round(v / bare, 2) if bare > 0 else None for k, v in phases.items()},
            "confirm": round(confirm / bare, 2) if bare > 0 else None,
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    setup_django(args.db, args.configured_db)
    t0 = time.perf_counter()
    built = build_program(args.mentees, args.mentors, args.seed, args.schools)
    generate = time.perf_counter() - t0
    from django.db import connection

    if connection.vendor == "postgresql":
        # Production's tables have statistics (autovacuum analyses them once rows come in): the
        # program's were written a moment ago, and PostgreSQL would plan its reads for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # Measured as a started worker serves (`nastavnik.wsgi`): its start-up objects frozen, and
    # the garbage of generating the program, which a worker would not have, collected first.
    from nastavnik.base.collector import freeze_startup_objects

    freeze_startup_objects()
    try:
        result = measure(built["program"], built["form"], built["curator"], built["rules"])
    finally:
        gc.unfreeze()  # a test calling the benchmark goes on with an ordinary heap
    return {
        "from_db": True,
        "database": connection.vendor,
        "schools": built["schools"],
        "generate_seconds": round(generate, 3),
        **result,
    }
