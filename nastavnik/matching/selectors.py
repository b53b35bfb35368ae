"""Reads of matching runs, after the access layer (`access.py`) let the user see them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, Prefetch, Q, QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from nastavnik.mentoring.models import GroupMembership, GroupStatus
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.consents import given_consents, missing_for
from nastavnik.registry.models import Participation, Person, Tag

from .models import Exclusion, FixedPair, MatchingRun, Proposal, ProposalPair, RunMentor, UnmatchedMentee


@dataclass
class Board:
    """What the run page shows: both proposals with pairs and unmatched, and the mentors."""

    run: MatchingRun
    proposals: list[Proposal]
    mentors: list[RunMentor]

    @property
    def available_mentors(self) -> list[RunMentor]:
        return [m for m in self.mentors if not m.skipped_reason]

    @property
    def skipped_mentors(self) -> list[RunMentor]:
        return [m for m in self.mentors if m.skipped_reason]


def run_board(run: MatchingRun) -> Board:
    """A fixed number of queries for any number of pairs."""
    pairs = ProposalPair.objects.select_related("mentee__person", "mentor__person").order_by(
        "mentor__person__last_name",
        "mentor__person__first_name",
        "mentor_id",
        "mentee__person__last_name",
        "pk",
    )
    unmatched = UnmatchedMentee.objects.select_related("mentee__person").order_by(
        "code", "mentee__person__last_name", "pk"
    )
    proposals: list[Proposal] = list(
        run.proposals.prefetch_related(
            Prefetch("pairs", queryset=pairs, to_attr="pair_list"),
            Prefetch("unmatched", queryset=unmatched, to_attr="unmatched_list"),
        ).order_by("method")
    )
    mentors = list(
        RunMentor.objects.filter(run=run)
        .select_related("participation__person")
        .order_by("participation__person__last_name", "participation__person__first_name", "pk")
    )
    loads: dict[tuple[int, int], int] = {}
    for proposal in proposals:
        for pair in proposal.pair_list:  # type: ignore[attr-defined]
            loads[(proposal.pk, pair.mentor_id)] = loads.get((proposal.pk, pair.mentor_id), 0) + 1
    for proposal in proposals:
        proposal.mentor_loads = [  # type: ignore[attr-defined]
            (m, loads.get((proposal.pk, m.participation_id), 0)) for m in mentors if not m.skipped_reason
        ]
    return Board(run=run, proposals=proposals, mentors=mentors)


def run_pair(run: MatchingRun, pk: int) -> ProposalPair | None:
    """A proposed pair of a run, or None."""
    return (
        ProposalPair.objects.filter(proposal__run=run, pk=pk)
        .select_related("proposal__run__program", "proposal__run__form", "mentee__person", "mentor__person")
        .first()
    )


def program_runs(program: Program) -> QuerySet[MatchingRun]:
    return program.matching_runs.select_related("form__parent", "created_by").order_by("-created_at", "-pk")


def program_exclusions(program: Program) -> QuerySet[Exclusion]:
    return Exclusion.objects.filter(program=program).select_related(
        "mentee__person", "mentor__person", "created_by"
    )


def program_fixed_pairs(program: Program) -> QuerySet[FixedPair]:
    return FixedPair.objects.filter(program=program).select_related(
        "mentee__person", "mentor__person", "form__parent", "created_by"
    )


def program_participants(program: Program, role: str) -> QuerySet[Participation]:
    """Participants of a program the caller may already see (the program came through the
    access layer), for the choosers of exclusions and fixed pairs."""
    return (
        Participation.objects.filter(program=program, role=role)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


# --------------------------------------------------------------------------------------------
# The candidates of a run, read in a fixed number of queries into plain data


class CandidateRow(NamedTuple):
    """One participation of the program, its person loaded, its tags, categories and consent read
    out: nothing about it touches the database any more. A named tuple: a run makes thousands,
    and a frozen dataclass set each field through `object.__setattr__` (3 times the cost)."""

    participation: Participation
    tag_names: tuple[str, ...]
    category_codes: frozenset[str]
    consent_missing: tuple[str, ...]  # what the consent lacks on the day (empty: valid)


@dataclass(frozen=True)
class FixedPairRow:
    """A pair the curator fixed for the form (participation ids and the names for messages)."""

    mentee_id: int
    mentor_id: int
    mentee_name: str
    mentor_name: str


@dataclass(frozen=True)
class ProgramCandidates:
    """Everything the eligibility, scoring and building steps read about a program and form."""

    rows: list[CandidateRow]  # every participation of the program, sorted by name
    form_family: dict[int, int | None]  # ids of the form and its variants -> parent id
    mentor_load: dict[int, int]  # mentor participation id -> mentees in working groups now
    mentees_in_groups: frozenset[int]  # mentee participation ids already in a working group
    excluded: set[tuple[int, int]]  # (mentee, mentor) participation ids the curator forbade
    fixed_pairs: list[FixedPairRow]


def form_family(form: MentoringForm) -> dict[int, int | None]:
    """Ids of the form and its variants (or, for a variant, of itself) -> parent id."""
    if form.parent_id:  # a run for a variant takes only that variant and the generic form
        return {form.parent_id: None, form.pk: form.parent_id}
    family: dict[int, int | None] = {form.pk: None}
    for variant_id in MentoringForm.objects.filter(parent=form).values_list("pk", flat=True):
        family[variant_id] = form.pk
    return family


def program_candidates(
    program: Program,
    form: MentoringForm,
    on_date: dt.date,
    *,
    with_fixed_pairs: bool = True,
    within: Q | None = None,
) -> ProgramCandidates:
    """The program's participations with people, requests/competencies, questionnaire answers,
    consent (who consented, one query for all of them) and current memberships: at most nine queries,
    whatever the number of people. ``within`` narrows the participations read (e.g. to those of
    a proposal's pairs, when only they are checked again)."""
    of_program = Participation.objects.filter(program=program)
    if within is not None:
        of_program = of_program.filter(within)
    participations = _with_people(
        of_program.order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )
    # Tags and categories as plain rows: a prefetch would build a model object and a related
    # manager for each of the thousands of links, for the string read from them. The links come
    # unsorted and are put in the tags' order here: sorting them in SQL compared the tags' names
    # by the database's collation for each of the thousands of links (PostgreSQL, the bench's
    # 5,000 links: 7 of the query's 8 ms), while the program's tags are few and sorted once.
    links = list(
        Participation.tags.through.objects.filter(participation__in=of_program.values("pk"))
        .order_by()
        .values_list("participation_id", "tag_id")
    )
    # By the ids the links name (a program's tags are tens, not thousands): PostgreSQL planned
    # "the tags with a link of the program" as a loop over the tags, 5 ms.
    tag_position = {
        pk: (position, name)
        for position, (pk, name) in enumerate(
            Tag.objects.filter(pk__in={tag_id for _, tag_id in links})
            .order_by("vocabulary", "name")
            .values_list("pk", "name")
        )
    }
    tag_names: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for participation_id, tag_id in links:
        tag_names[participation_id].append(tag_position[tag_id])
    ordered_tags = {pk: tuple(name for _, name in sorted(tags)) for pk, tags in tag_names.items()}
    codes_of: dict[int, set[str]] = defaultdict(set)
    for person_id, code in Person.categories.through.objects.filter(
        person_id__in=of_program.values("person_id")
    ).values_list("person_id", "category__code"):
        codes_of[person_id].add(code)
    category_codes = {person_id: frozenset(codes) for person_id, codes in codes_of.items()}
    no_codes: frozenset[str] = frozenset()
    # Who consented, as (person, giver) pairs; the people's birth dates and kinds are loaded
    # with them, so what each lacks is decided here (the SQL flags of `with_consent_state` cost
    # two EXISTS a person and a row of four flags to convert).
    given = given_consents(Person.objects.filter(pk__in=of_program.values("person_id")), on_date)
    missing: dict[int, tuple[str, ...]] = {}
    for p in participations:
        if p.person_id not in missing:
            missing[p.person_id] = missing_for(p.person, on_date, given)
    rows = [
        CandidateRow(
            participation=p,
            tag_names=ordered_tags.get(p.id, ()),
            category_codes=category_codes.get(p.person_id, no_codes),
            consent_missing=missing[p.person_id],
        )
        for p in participations
    ]
    mentor_load, in_groups = _current_memberships(program)
    return ProgramCandidates(
        rows=rows,
        form_family=form_family(form),
        mentor_load=mentor_load,
        mentees_in_groups=in_groups,
        excluded=set(Exclusion.objects.filter(program=program).values_list("mentee_id", "mentor_id")),
        fixed_pairs=_fixed_pairs(program, form) if with_fixed_pairs else [],
    )


# The fields of a participation and of its person that the run reads: the eligibility and pair
# rules, the scoring, the messages naming a person (``short_name``), the rows a run stores. The
# others stay deferred (Django fetches a deferred field when it is read, one query an object: a
# test pins the run's queries). Not reading them spared a run of 2 500 people a third of its
# loading of them: 10 000 conversions of dates and times nobody looked at, and the columns.
CANDIDATE_FIELDS = frozenset(
    {"id", "person_id", "role", "status", "preferred_form_id", "details", "capacity"}
)
CANDIDATE_PERSON_FIELDS = frozenset(
    {
        "id",
        "organisation_id",
        "kind",
        "last_name",
        "first_name",
        "middle_name",
        "birth_date",
        "grade",
        "subjects",
        "experience_years",
        "teaching_since",
        "is_young_specialist",
        "left_on",
    }
)


def _loaded_fields(model: type[Model], names: frozenset[str]) -> list[str]:
    # In the model's order of fields: `Model.from_db` takes a part of them only in that order.
    return [field.attname for field in model._meta.concrete_fields if field.attname in names]


def _with_people(participations: QuerySet[Participation]) -> list[Participation]:
    """The participations, each with its person, as `select_related("person")` gives them, but
    with only the fields the run reads (``CANDIDATE_FIELDS``, ``CANDIDATE_PERSON_FIELDS``) and the
    rest deferred: the rows read as values and the objects made as `Model.from_db` would make
    them, without `Model.__init__`, which looked at every field of each of the thousands of
    objects (two thirds of the loading). If something listens to the models' `pre_init` /
    `post_init`, from_db runs."""
    own = _loaded_fields(Participation, CANDIDATE_FIELDS)
    of_person = _loaded_fields(Person, CANDIDATE_PERSON_FIELDS)
    values = participations.values_list(*own, *(f"person__{name}" for name in of_person))
    db = values.db
    # The rows as the cursor gives them: the columns are the models' own and of types the
    # drivers already return as Python's (sqlite3 parses the declared date and bool columns,
    # psycopg all of them), so the converters of values_list had nothing to change and cost a
    # generator and a call per value (2 500 rows: 14 -> 10 ms). A test compares both ways.
    try:
        sql, params = values.query.get_compiler(db).as_sql()
    except EmptyResultSet:  # e.g. narrowed to no participation at all
        return []
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    quick = not any(
        signal.has_listeners(model) for signal in (pre_init, post_init) for model in (Participation, Person)
    )
    cut = len(own)
    if not quick:
        result = []
        for row in rows:
            participation = Participation.from_db(db, own, row[:cut])
            _PERSON.set_cached_value(participation, Person.from_db(db, of_person, row[cut:]))
            result.append(participation)
        return result
    # As `Model.from_db` makes them, inline: a call less per object and its person (5 000
    # objects a run of 2 000 x 500: 18 -> 10 ms).
    make_participation, make_person = Participation.__new__, Person.__new__
    cache = _PERSON.cache_name
    result = []
    for row in rows:
        person = make_person(Person)
        person.__dict__.update(zip(of_person, row[cut:], strict=True))
        state = person._state = ModelState()
        state.adding, state.db = False, db
        participation = make_participation(Participation)
        participation.__dict__.update(zip(own, row[:cut], strict=True))
        state = participation._state = ModelState()
        state.adding, state.db = False, db
        state.fields_cache[cache] = person
        result.append(participation)
    return result


_PERSON = Participation._meta.get_field("person")


def _current_memberships(program: Program) -> tuple[dict[int, int], frozenset[int]]:
    """(mentees per mentor of the program's working groups, the program's mentees in one), one query.

    The memberships of the program's mentees and those of its groups are read apart and joined
    by UNION (each membership once: its id is among the columns): an OR across the two joins was
    one filter over every active membership of the database (PostgreSQL, the dashboards' bench
    region of 16,000 memberships: 12-23 ms a run, growing with the region), each part alone
    reads its program's rows by index."""
    load: dict[int, int] = defaultdict(int)
    in_groups: set[int] = set()
    active = GroupMembership.objects.filter(left_on__isnull=True, group__status=GroupStatus.ACTIVE).order_by()
    columns = ("pk", "mentee_id", "mentee__program_id", "group__mentor_id", "group__program_id")
    for _pk, mentee_id, mentee_program, mentor_id, group_program in (
        active.filter(mentee__program=program)
        .values_list(*columns)
        .union(active.filter(group__program=program).values_list(*columns))
    ):
        if mentee_program == program.pk:
            in_groups.add(mentee_id)
        if group_program == program.pk:
            load[mentor_id] += 1
    return dict(load), frozenset(in_groups)


def _fixed_pairs(program: Program, form: MentoringForm) -> list[FixedPairRow]:
    return [
        FixedPairRow(
            mentee_id=fixed.mentee_id,
            mentor_id=fixed.mentor_id,
            mentee_name=fixed.mentee.person.short_name,
            mentor_name=fixed.mentor.person.short_name,
        )
        for fixed in FixedPair.objects.filter(program=program, form=form)
        .select_related("mentee__person", "mentor__person")
        .order_by("created_at", "pk")
    ]
