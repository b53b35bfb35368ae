"""The curator's matching workflow: run, edit a proposal (fix, break, move), re-run around the
fixed pairs, confirm. Each service takes the acting user, checks the permission and writes in a
transaction under `acting_as`. Confirming creates the pairs and groups through the mentoring
services, so every rule of a pair is checked there once more."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import EncodedJSON, acting_as, insert_many, insert_values
from nastavnik.base.collector import gc_paused
from nastavnik.base.names import FEMALE, person_gender, person_name_in
from nastavnik.base.time import local_today
from nastavnik.mentoring.models import GroupMembership, MentoringGroup
from nastavnik.mentoring.services.groups import form_allowed_in_program, groups_create_or_join
from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, notify_each
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Category, Participation, ParticipationRole, Person

from .access import require_manage_matching
from .compatibility import ProgramInstance, RunRules, load_program_instance
from .eligibility import PairRules, sort_candidates
from .instance import InstanceError, build_instance
from .models import (
    Exclusion,
    ExclusionKind,
    FixedPair,
    FixedPairKind,
    MatchingRun,
    Method,
    Objective,
    Proposal,
    ProposalPair,
    RunMentor,
    RunStatus,
    UnmatchedCode,
    UnmatchedMentee,
)
from .preferences import StatedPreferences
from .selectors import program_candidates
from .solvers import MatchingResult, UnmatchedReason, count_blocking_pairs, solve_optimal, solve_stable

# Target groups whose coverage a proposal reports (codes of registry categories).
TARGET_CATEGORIES = ("ovz", "disabled", "hard-life", "at-risk", "orphan", "low-achieving", "gifted")

_SOLVER_REASONS = {
    UnmatchedReason.NO_COMPATIBLE_MENTOR: UnmatchedCode.NO_COMPATIBLE_MENTOR,
    UnmatchedReason.COMPATIBLE_MENTORS_FULL: UnmatchedCode.NO_CAPACITY,
    UnmatchedReason.NO_POSITIVE_SCORE: UnmatchedCode.NO_POSITIVE_SCORE,
}


def _require_draft(run: MatchingRun) -> None:
    if run.status != RunStatus.DRAFT:
        raise ValidationError(
            "Этот подбор уже утверждён или заменён новым: изменения вносятся в последний черновик."
        )


# --------------------------------------------------------------------------------------------
# Running


def matching_run_start(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    objective: str = Objective.MAX_SCORE,
    weights: Mapping[str, float] | None = None,
    rules: RunRules | None = None,
    preferences: StatedPreferences | None = None,
    rerun_of: MatchingRun | None = None,
) -> MatchingRun:
    """Load the program, run both solvers and store the two proposals. Earlier drafts of the
    same form are superseded. ``preferences`` default to :func:`load_preferences`."""
    require_manage_matching(acting_user, program)
    if objective not in Objective.values:
        raise ValidationError({"objective": "Выберите, что важнее при подборе."})
    if not form_allowed_in_program(form, program):
        raise ValidationError({"form": f"Форма «{form}» не включена в программу."})
    on_date = local_today(program.organisation)
    # A run holds thousands of people, candidates and rows at once: each full collection during
    # it walked them all (two in the bench's run of 2 000 × 500, 0.15 s of 0.6 s). The run is a
    # function of its own so that its data is freed by reference counting before the collector
    # comes back: otherwise its first collection walked all of it once more (6-9 ms of the run).
    with gc_paused():
        return _run(
            acting_user=acting_user,
            program=program,
            form=form,
            objective=objective,
            on_date=on_date,
            weights=weights,
            rules=rules,
            preferences=preferences,
            rerun_of=rerun_of,
        )


def _run(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    objective: str,
    on_date: dt.date,
    weights: Mapping[str, float] | None,
    rules: RunRules | None,
    preferences: StatedPreferences | None,
    rerun_of: MatchingRun | None,
) -> MatchingRun:
    """Load, solve both ways and store: the body of :func:`matching_run_start`."""
    try:
        data = load_program_instance(
            program=program,
            form=form,
            on_date=on_date,
            rules=rules,
            weights=weights,
            preferences=preferences,
        )
    except ValueError as exc:  # bad weights
        raise ValidationError({"weights": "Веса факторов — неотрицательные числа."}) from exc
    # The two solves overlap on two cores only in part: numpy lets go of the GIL in its heavy
    # parts, scipy's LAPJVsp holds it throughout (the bench's two solves: 108 ms one after the
    # other, 97 ms side by side). Each runs in a thread of its own while this one writes what
    # needs no solve (the drafts superseded, the run, its mentors) and then each proposal as its
    # solve ends (the bench's run of 2 000 x 500: 3.37 -> 3.1 times the bare solve, medians of
    # six, against solving the optimal here first). The solving threads touch no model and no
    # connection, which are this thread's (a test's transaction is invisible to another
    # connection). A pool a call: one made before gunicorn forks its workers would be unusable
    # in them, and a thread costs a fraction of a ms. Leaving the block waits for the threads,
    # also when this one failed, so nothing of the run outlives it.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="matching-solve") as pool:
        stable = pool.submit(solve_stable, data.instance)
        optimal = pool.submit(solve_optimal, data.instance, objective)
        return _store_run(
            acting_user=acting_user,
            program=program,
            form=form,
            objective=objective,
            on_date=on_date,
            rerun_of=rerun_of,
            data=data,
            proposals=((Method.OPTIMAL, optimal.result), (Method.STABLE, stable.result)),
        )


def _store_run(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    objective: str,
    on_date: dt.date,
    rerun_of: MatchingRun | None,
    data: ProgramInstance,
    proposals: tuple[tuple[str, Callable[[], MatchingResult]], ...],
) -> MatchingRun:
    """The run, its mentors and proposals, earlier drafts of the form superseded. Each proposal
    comes as a call that gives its result (waiting for a solve still under way), made only
    when the proposals before it are stored; an exception of a solve rolls the run back."""
    with transaction.atomic(), acting_as(acting_user):
        MatchingRun.objects.filter(program=program, form=form, status=RunStatus.DRAFT).update(
            status=RunStatus.SUPERSEDED
        )
        run = MatchingRun.objects.create(
            program=program,
            form=form,
            objective=objective,
            weights=data.weights,
            rules=data.rules.as_dict(),
            preferences=data.preferences.as_rows(),
            on_date=on_date,
            rerun_of=rerun_of,
            notes=data.warnings,
            created_by=acting_user,
        )
        # The rows' ids are never read back: INSERTs of the values as they are (insert_values,
        # as few statements as the database takes): neither bulk_create, whose compiler prepares
        # every value apart (storing the bench's two proposals of 1 520 pairs: 0.22 s), nor a
        # model object a row.
        insert_values(
            RunMentor,
            ("run_id", "participation_id", "capacity", "skipped_reason"),
            [(run.pk, c.participation.pk, c.capacity, "") for c in data.mentors]
            + [(run.pk, c.participation.pk, c.capacity, c.problem) for c in data.left_out_mentors],
        )
        categories = _target_categories()
        ids = ([c.participation.pk for c in data.mentees], [c.participation.pk for c in data.mentors])
        for method, result in proposals:
            _store_proposal(run, method, result(), data, categories, ids)
        _require_participants_present(program, data)
    return run


def _require_participants_present(program: Program, data: ProgramInstance) -> None:
    """Every participation the run wrote is still there (the run's rows keep no foreign-key
    constraint, see the models): someone removed from the program while it was solved rolls it
    back with their names. On SQLite nobody can remove anyone once the run has written (it holds
    the write lock until it commits); on PostgreSQL the window is this query to the COMMIT."""
    present = set(Participation.objects.filter(program=program).values_list("pk", flat=True))
    everyone = data.mentees + data.mentors + data.left_out_mentees + data.left_out_mentors
    gone = sorted({c.participation.person.short_name for c in everyone if c.participation.pk not in present})
    if gone:
        raise ValidationError(
            f"Пока шёл подбор, из программы удалили: {', '.join(gone)}. Запустите подбор ещё раз."
        )


def _target_categories() -> list[tuple[str, str]]:
    return list(Category.objects.filter(code__in=TARGET_CATEGORIES).values_list("code", "short_name"))


def _store_proposal(
    run: MatchingRun,
    method: str,
    result: MatchingResult,
    data: ProgramInstance,
    categories: list[tuple[str, str]],
    ids: tuple[list[int], list[int]],
) -> Proposal:
    """One proposal with its pairs and unmatched mentees; ``ids`` are the participation ids of
    the instance's mentees and mentors (one list of each for both proposals)."""
    mentee_ids, mentor_ids = ids
    fixed = set(data.fixed_pairs)
    # The pairs' values gathered from the arrays at once (Python floats, as float() gives them).
    mentees = np.flatnonzero(result.assignment >= 0)
    matched = mentees.tolist()
    # The coverage is known before the proposal is written: it is created with it, not updated.
    proposal = Proposal.objects.create(
        run=run,
        method=method,
        total_score=result.total_score,
        matched=result.matched,
        blocking_pairs=result.blocking_pairs,
        coverage=_coverage(data, {mentee_ids[i] for i in matched}, categories),
    )
    origins = data.instance.origin_of(result.pair_edge[mentees])
    insert_values(
        ProposalPair,
        ("proposal_id", "mentee_id", "mentor_id", "score", "evidence", "factors", "is_fixed"),
        [
            (proposal.pk, mentee_ids[i], mentor_ids[j], score, evidence, factors, (i, j) in fixed)
            for i, j, score, evidence, factors in zip(
                matched,
                result.assignment[mentees].tolist(),
                data.combined.score[origins].tolist(),
                data.combined.evidence_of(origins).tolist(),
                map(EncodedJSON, data.combined.explain_json_many(origins)),
                strict=True,
            )
        ],
    )
    unmatched = []
    for i, reason in sorted(result.unmatched_reasons.items()):
        code, detail = data.no_edge.get(i) or (_SOLVER_REASONS[reason], "")
        unmatched.append((proposal.pk, mentee_ids[i], code, detail))
    unmatched += [(proposal.pk, c.participation.pk, c.problem_code, c.problem) for c in data.left_out_mentees]
    insert_values(UnmatchedMentee, ("proposal_id", "mentee_id", "code", "detail"), unmatched)
    return proposal


def _coverage(
    data: ProgramInstance, matched: set[int], categories: list[tuple[str, str]]
) -> list[dict[str, object]]:
    """Matched / all mentees of the run, overall and per target group."""
    everyone = data.mentees + data.left_out_mentees
    rows: list[dict[str, object]] = [
        {"code": "", "name": "Все наставляемые", "total": len(everyone), "matched": len(matched)}
    ]
    for code, name in categories:
        members = [c for c in everyone if code in c.category_codes]
        if members:
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "total": len(members),
                    "matched": sum(1 for c in members if c.participation.pk in matched),
                }
            )
    return rows


def matching_run_rerun(*, acting_user: User, run: MatchingRun) -> MatchingRun:
    """Run again with the same settings, around the pairs fixed since (and without the broken ones)."""
    _require_draft(run)
    return matching_run_start(
        acting_user=acting_user,
        program=run.program,
        form=run.form,
        objective=run.objective,
        weights=run.weights,
        rules=RunRules.from_dict(run.rules),
        preferences=StatedPreferences.from_rows(run.preferences),
        rerun_of=run,
    )


def _reload(run: MatchingRun, *, use_fixed: bool = False) -> ProgramInstance:
    """The run's data as it is now (consents or places may have changed since the run)."""
    return load_program_instance(
        program=run.program,
        form=run.form,
        on_date=local_today(run.program.organisation),
        rules=RunRules.from_dict(run.rules),
        weights=run.weights,
        preferences=StatedPreferences.from_rows(run.preferences),
        use_fixed=use_fixed,
    )


# --------------------------------------------------------------------------------------------
# Editing a proposal


def _refresh_stats(proposal: Proposal, data: ProgramInstance) -> None:
    """Recompute total, matched, blocking pairs and coverage after the curator's edit."""
    pairs = list(proposal.pairs.all())
    assignment = np.full(data.instance.n_mentees, -1, dtype=np.int64)
    fixed: list[tuple[int, int]] = []
    for pair in pairs:
        i, j = data.mentee_index.get(pair.mentee_id), data.mentor_index.get(pair.mentor_id)
        if i is not None and j is not None and data.factors_of(i, j) is not None:
            assignment[i] = j
            if pair.is_fixed:
                fixed.append((i, j))
    proposal.total_score = float(sum(p.score for p in pairs))
    proposal.matched = len(pairs)
    try:
        # Fixed pairs of this proposal are rules, not preferences: rebuild with them fixed.
        inst = data.instance
        with_fixed = build_instance(
            n_mentees=inst.n_mentees,
            n_mentors=inst.n_mentors,
            capacity=inst.capacity,
            edge_mentee=inst.edge_mentee,
            edge_mentor=inst.edge_mentor,
            edge_score=inst.edge_score,
            fixed=fixed,
            mentee_rank=inst.mentee_rank,
            mentor_rank=inst.mentor_rank,
        )
        proposal.blocking_pairs = count_blocking_pairs(with_fixed, assignment)
    except (ValueError, InstanceError):
        # The places or rules changed since the run (e.g. a mentor got a group elsewhere): the
        # old count stays until a re-run, and confirming re-checks every pair anyway.
        pass
    categories = _target_categories()
    proposal.coverage = _coverage(data, {p.mentee_id for p in pairs}, categories)
    proposal.edited = True
    proposal.save(update_fields=["total_score", "matched", "blocking_pairs", "coverage", "edited"])


def proposal_pair_fix(*, acting_user: User, pair: ProposalPair) -> FixedPair:
    """Fix a proposed pair: every later run keeps it."""
    run = pair.proposal.run
    require_manage_matching(acting_user, run.program)
    _require_draft(run)
    with transaction.atomic(), acting_as(acting_user):
        FixedPair.objects.filter(form=run.form, mentee=pair.mentee).exclude(mentor=pair.mentor).delete()
        fixed, _ = FixedPair.objects.get_or_create(
            program=run.program,
            form=run.form,
            mentee=pair.mentee,
            mentor=pair.mentor,
            defaults={"kind": FixedPairKind.CURATOR, "created_by": acting_user},
        )
        ProposalPair.objects.filter(proposal__run=run, mentee=pair.mentee, mentor=pair.mentor).update(
            is_fixed=True
        )
    return fixed


def proposal_pair_unfix(*, acting_user: User, pair: ProposalPair) -> None:
    run = pair.proposal.run
    require_manage_matching(acting_user, run.program)
    _require_draft(run)
    with transaction.atomic(), acting_as(acting_user):
        for fixed in FixedPair.objects.filter(form=run.form, mentee=pair.mentee, mentor=pair.mentor):
            fixed.delete()
        ProposalPair.objects.filter(proposal__run=run, mentee=pair.mentee, mentor=pair.mentor).update(
            is_fixed=False
        )


def proposal_pair_break(*, acting_user: User, pair: ProposalPair, reason: str = "") -> Exclusion:
    """Break a pair: it leaves both proposals of the run and no later run proposes it again."""
    run = pair.proposal.run
    require_manage_matching(acting_user, run.program)
    _require_draft(run)
    with transaction.atomic(), acting_as(acting_user):
        for fixed in FixedPair.objects.filter(form=run.form, mentee=pair.mentee, mentor=pair.mentor):
            fixed.delete()
        exclusion, _ = Exclusion.objects.get_or_create(
            mentee=pair.mentee,
            mentor=pair.mentor,
            defaults={
                "program": run.program,
                "kind": ExclusionKind.BROKEN,
                "reason": reason.strip(),
                "created_by": acting_user,
            },
        )
        affected = list(
            Proposal.objects.filter(run=run, pairs__mentee=pair.mentee, pairs__mentor=pair.mentor).distinct()
        )
        ProposalPair.objects.filter(proposal__run=run, mentee=pair.mentee, mentor=pair.mentor).delete()
        for proposal in affected:
            UnmatchedMentee.objects.update_or_create(
                proposal=proposal,
                mentee=pair.mentee,
                defaults={
                    "code": UnmatchedCode.BROKEN,
                    "detail": f"разорвана пара с наставником {person_name_in(pair.mentor.person, 'ablt', short=True)}",
                },
            )
        data = _reload(run)
        for proposal in affected:
            _refresh_stats(proposal, data)
    return exclusion


def proposal_move_mentee(
    *, acting_user: User, proposal: Proposal, mentee: Participation, mentor: Participation
) -> ProposalPair:
    """Put a mentee under another mentor (or give an unmatched mentee a mentor) in a proposal.
    The pair must pass the form's rules and the mentor must have a free place; the curator's
    choice is then fixed, so a re-run keeps it."""
    run = proposal.run
    require_manage_matching(acting_user, run.program)
    _require_draft(run)
    data = _reload(run)
    i, j = data.mentee_index.get(mentee.pk), data.mentor_index.get(mentor.pk)
    if i is None:
        left_out = next((c for c in data.left_out_mentees if c.participation.pk == mentee.pk), None)
        problem = left_out.problem if left_out else "не участвует в этом подборе"
        raise ValidationError(f"{mentee.person.full_name}: {problem}.")
    if j is None:
        left_out = next((c for c in data.left_out_mentors if c.participation.pk == mentor.pk), None)
        problem = left_out.problem if left_out else "не участвует в этом подборе"
        raise ValidationError(f"Наставник {mentor.person.full_name}: {problem}.")
    scored = data.factors_of(i, j)
    if scored is None:
        why = data.why_not(data.mentees[i], data.mentors[j])
        raise ValidationError(
            f"Пару {mentee.person.short_name} — {mentor.person.short_name} составить нельзя: {why}."
        )
    load = proposal.pairs.filter(mentor=mentor).exclude(mentee=mentee).count()
    if load >= data.mentors[j].capacity:
        whose = "её" if person_gender(mentor.person) == FEMALE else "его"
        raise ValidationError(
            f"У наставника {person_name_in(mentor.person, 'gent')} в этом варианте нет свободных мест "
            f"({load} из {data.mentors[j].capacity}): сначала переведите кого-то из {whose} наставляемых."
        )
    score, evidence, factors = scored
    with transaction.atomic(), acting_as(acting_user):
        pair, _ = ProposalPair.objects.update_or_create(
            proposal=proposal,
            mentee=mentee,
            defaults={
                "mentor": mentor,
                "score": score,
                "evidence": evidence,
                "factors": factors,
                "is_fixed": True,
            },
        )
        UnmatchedMentee.objects.filter(proposal=proposal, mentee=mentee).delete()
        FixedPair.objects.filter(form=run.form, mentee=mentee).exclude(mentor=mentor).delete()
        FixedPair.objects.get_or_create(
            program=run.program,
            form=run.form,
            mentee=mentee,
            mentor=mentor,
            defaults={"kind": FixedPairKind.CURATOR, "created_by": acting_user},
        )
        ProposalPair.objects.filter(proposal__run=run, mentee=mentee, mentor=mentor).update(is_fixed=True)
        ProposalPair.objects.filter(proposal__run=run, mentee=mentee).exclude(mentor=mentor).update(
            is_fixed=False
        )
        _refresh_stats(proposal, data)
    return pair


# --------------------------------------------------------------------------------------------
# Standing decisions: exclusions and fixed pairs


def _check_pair_of_program(program: Program, mentee: Participation, mentor: Participation) -> None:
    if mentee.program_id != program.pk or mentee.role != ParticipationRole.MENTEE:
        raise ValidationError({"mentee": "Выберите наставляемого этой программы."})
    if mentor.program_id != program.pk or mentor.role != ParticipationRole.MENTOR:
        raise ValidationError({"mentor": "Выберите наставника этой программы."})


def exclusion_add(
    *,
    acting_user: User,
    program: Program,
    mentee: Participation,
    mentor: Participation,
    kind: str,
    reason: str = "",
) -> Exclusion:
    """Forbid a pair (a psychologist's veto, a conflict): no run proposes it."""
    require_manage_matching(acting_user, program)
    _check_pair_of_program(program, mentee, mentor)
    if Exclusion.objects.filter(mentee=mentee, mentor=mentor).exists():
        raise ValidationError("Эта пара уже запрещена.")
    if FixedPair.objects.filter(mentee=mentee, mentor=mentor).exists():
        raise ValidationError("Эта пара закреплена: сначала снимите закрепление.")
    exclusion = Exclusion(
        program=program,
        mentee=mentee,
        mentor=mentor,
        kind=kind,
        reason=reason.strip(),
        created_by=acting_user,
    )
    exclusion.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        exclusion.save()
    return exclusion


def exclusion_remove(*, acting_user: User, exclusion: Exclusion) -> None:
    require_manage_matching(acting_user, exclusion.program)
    with transaction.atomic(), acting_as(acting_user):
        exclusion.delete()


def fixed_pair_add(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    mentee: Participation,
    mentor: Participation,
    kind: str = FixedPairKind.MUTUAL,
) -> FixedPair:
    """Fix a pair chosen by mutual choice: every run of the form keeps it."""
    require_manage_matching(acting_user, program)
    _check_pair_of_program(program, mentee, mentor)
    if not form_allowed_in_program(form, program):
        raise ValidationError({"form": f"Форма «{form}» не включена в программу."})
    if Exclusion.objects.filter(mentee=mentee, mentor=mentor).exists():
        raise ValidationError("Эта пара запрещена куратором: сначала снимите запрет.")
    if FixedPair.objects.filter(form=form, mentee=mentee).exists():
        raise ValidationError(
            f"У наставляемого {person_name_in(mentee.person, 'gent')} уже есть закреплённая пара в этой форме."
        )
    fixed = FixedPair(
        program=program, form=form, mentee=mentee, mentor=mentor, kind=kind, created_by=acting_user
    )
    fixed.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        fixed.save()
    return fixed


def fixed_pair_remove(*, acting_user: User, fixed: FixedPair) -> None:
    require_manage_matching(acting_user, fixed.program)
    with transaction.atomic(), acting_as(acting_user):
        fixed.delete()


# --------------------------------------------------------------------------------------------
# Confirming


@dataclass(frozen=True)
class Confirmation:
    run: MatchingRun
    groups: list[MentoringGroup]
    notified: int
    without_email: int


def matching_run_confirm(
    *,
    acting_user: User,
    run: MatchingRun,
    proposal: Proposal,
    order_number: str = "",
    order_date: dt.date | None = None,
) -> Confirmation:
    """Create the pairs and groups of a proposal (one group per mentor: a mentor who already
    leads a working group of the program in this form takes the new mentees into it), record
    the order's number and date, and e-mail the participants once the transaction commits."""
    # As in a run: the groups, memberships and audit records of 1 500 pairs live to the end, and
    # three full collections walked them (0.5 s of the bench's confirmation).
    with gc_paused():
        return _confirm(
            acting_user=acting_user,
            run=run,
            proposal=proposal,
            order_number=order_number,
            order_date=order_date,
        )


def _confirm(
    *,
    acting_user: User,
    run: MatchingRun,
    proposal: Proposal,
    order_number: str,
    order_date: dt.date | None,
) -> Confirmation:
    program = run.program
    require_manage_matching(acting_user, program)
    _require_draft(run)
    if proposal.run_id != run.pk:
        raise ValidationError("Этот вариант относится к другому подбору.")
    pairs = list(proposal.pairs.select_related("mentee__person", "mentor__person").order_by("pk"))
    if not pairs:
        raise ValidationError("В выбранном варианте нет ни одной пары.")
    day = order_date or local_today(program.organisation)

    # Consents, places and rules are checked as they are today, not as on the day of the run.
    problems = _pairs_failing_rules(run, proposal, pairs)
    if problems:
        raise ValidationError(
            [
                "Некоторые пары больше не проходят правила; разорвите их или запустите подбор заново:",
                *problems,
            ]
        )

    # The mentoring services check each person's consent once more as they form the groups:
    # they read it from here, the consents of the whole batch in one query.
    prefetch_related_objects([p.mentee.person for p in pairs] + [p.mentor.person for p in pairs], "consents")
    by_mentor: dict[int, list[ProposalPair]] = defaultdict(list)
    for pair in pairs:
        by_mentor[pair.mentor_id].append(pair)
    groups: list[MentoringGroup] = []
    memberships: list[GroupMembership] = []
    with transaction.atomic(), acting_as(acting_user):
        formed = groups_create_or_join(
            acting_user=acting_user,
            program=program,
            form=run.form,
            batches=[(ps[0].mentor, [p.mentee for p in ps]) for ps in by_mentor.values()],
            started_on=day,
        )
        for group, added in formed:
            groups.append(group)
            memberships.extend(added)
        run.status = RunStatus.CONFIRMED
        run.confirmed_proposal = proposal
        run.confirmed_by = acting_user
        run.confirmed_at = timezone.now()
        run.order_number = order_number.strip()
        run.order_date = order_date
        run.full_clean()
        run.save()
        # Only the memberships this confirmation added: the order lists the new pairs.
        # Written as rows of the link table in one statement (the run is new to them: it is
        # confirmed once), not by `set`, which adds them a few hundred a statement on SQLite.
        link = MatchingRun.confirmed_memberships.through
        insert_many(link(matchingrun_id=run.pk, groupmembership_id=m.pk) for m in memberships)
        # The pairs are real now; the standing "fixed" decisions for them are fulfilled.
        FixedPair.objects.filter(form=run.form, mentee__in=[p.mentee for p in pairs]).delete()
        messages = _notification_messages(run, by_mentor)
        transaction.on_commit(lambda: _send(messages))
    people = {p.mentee.person for p in pairs} | {p.mentor.person for p in pairs}
    notified = len(messages)
    return Confirmation(run=run, groups=groups, notified=notified, without_email=len(people) - notified)


def _pairs_failing_rules(run: MatchingRun, proposal: Proposal, pairs: list[ProposalPair]) -> list[str]:
    """The pairs the rules (consent, places, the form's rules, exclusions) no longer allow, with why.

    Only the people of the proposal's pairs are read again (with the program's current
    memberships and exclusions) and each pair is put to the rules a new run would apply: the
    same verdicts as reloading and rescoring the whole program, for a fraction of it."""
    program = run.program
    on_date = local_today(program.organisation)
    rules = RunRules.from_dict(run.rules)
    in_pairs = Q(pk__in=proposal.pairs.values("mentee_id")) | Q(pk__in=proposal.pairs.values("mentor_id"))
    candidates = program_candidates(program, run.form, on_date, with_fixed_pairs=False, within=in_pairs)
    people = sort_candidates(candidates, program=program, form=run.form, rules=rules, on_date=on_date)
    pair_rules = PairRules(form=run.form, rules=rules, on_date=on_date, excluded=candidates.excluded)
    mentees = {c.participation.pk: c for c in people.mentees + people.left_out_mentees}
    mentors = {c.participation.pk: c for c in people.mentors + people.left_out_mentors}
    problems = []
    for pair in pairs:
        mentee, mentor = mentees.get(pair.mentee_id), mentors.get(pair.mentor_id)
        why = pair_rules.why_not(mentee, mentor) if mentee and mentor else "участник больше не в подборе"
        if why:
            problems.append(f"{pair.mentee.person.short_name} — {pair.mentor.person.short_name}: {why}")
    return problems


@dataclass(frozen=True)
class Notice:
    person: Person
    subject: str
    body: str


def _notification_messages(run: MatchingRun, by_mentor: Mapping[int, list[ProposalPair]]) -> list[Notice]:
    """«Pair confirmed» for the mentor and each mentee who has an address (sent through the
    notification layer: e-mail or Telegram as each chose, nothing to a minor without consent)."""
    program = run.program
    organisation = program.organisation.short_name
    subject = f"Наставничество: вы в паре (группе) — {organisation}"
    messages = []
    for mentor_pairs in by_mentor.values():
        mentor = mentor_pairs[0].mentor.person
        mentees = [p.mentee.person for p in mentor_pairs]
        if mentor.email:
            names = "\n".join(
                f"  — {m.full_name}{', ' + m.school_class if m.school_class else ''}" for m in mentees
            )
            messages.append(
                Notice(
                    mentor,
                    subject,
                    f"Здравствуйте, {mentor.first_name} {mentor.middle_name}".strip()
                    + f"!\n\nВы закреплены наставником в программе «{program.title}» "
                    f"({organisation}), форма наставничества «{run.form}».\n"
                    f"Ваши наставляемые:\n{names}\n\n"
                    "Куратор программы свяжется с вами, чтобы назначить встречу-знакомство.",
                )
            )
        for mentee in mentees:
            if mentee.email:
                messages.append(
                    Notice(
                        mentee,
                        subject,
                        f"Здравствуйте, {mentee.first_name}!\n\n"
                        f"В программе «{program.title}» ({organisation}) ваш наставник — "
                        f"{mentor.full_name}, форма наставничества «{run.form}».\n\n"
                        "Куратор программы свяжется с вами, чтобы назначить встречу-знакомство.",
                    )
                )
    return messages


def _send(messages: list[Notice]) -> None:
    # Queued only: `notify_each` hands them to the task runner, so the confirming request does
    # not wait on a mail server (two queries and one connection per message).
    notify_each(
        kind=Kind.PAIR_CONFIRMED,
        messages=[
            (Recipient(person=notice.person, email=notice.person.email), notice.subject, notice.body)
            for notice in messages
        ],
    )
