"""Reads of matching runs, after the access layer (`access.py`) let the user see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation

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
