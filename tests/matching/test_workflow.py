"""The curator's workflow in services: run, fix / break / move, re-run, confirm, the order."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from nastavnik.base.names import full_name_in
from nastavnik.base.time import today_in
from nastavnik.matching import services
from nastavnik.matching.documents import order_data, order_docx, order_pdf
from nastavnik.matching.models import (
    Exclusion,
    FixedPair,
    Method,
    Objective,
    ProposalPair,
    RunStatus,
    UnmatchedCode,
)
from nastavnik.matching.preferences import StatedPreferences
from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
from nastavnik.notifications.models import Kind
from nastavnik.registry.models import Consent
from tests.builders import builtin_form, mentee, mentor, student_program, take_part, teacher, teacher_program

pytestmark = pytest.mark.django_db

MATH = ("Повышение успеваемости по математике",)
RUN_QUERIES = 25


@pytest.fixture
def program(school_x):
    school_x.head_name = "Демаков Сергей Николаевич"
    school_x.save()
    return student_program(school_x)


@pytest.fixture
def form():
    return builtin_form("student-student")


def run_for(program, form, user, **kwargs):
    return services.matching_run_start(acting_user=user, program=program, form=form, **kwargs)


def pairs_of(proposal):
    return {(p.mentee_id, p.mentor_id) for p in proposal.pairs.all()}


def test_a_run_stores_both_proposals_with_explanations(program, form, school_x_curator):
    e = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",))
    run = run_for(program, form, school_x_curator)
    assert run.status == RunStatus.DRAFT
    assert {p.method for p in run.proposals.all()} == {Method.OPTIMAL, Method.STABLE}
    for proposal in run.proposals.all():
        pair = proposal.pairs.get()
        assert (pair.mentee, pair.mentor) == (e, m)
        assert pair.factors["requests"] == pytest.approx(pair.score) == pytest.approx(3.0)
        assert proposal.total_score == pytest.approx(3.0)
        assert proposal.blocking_pairs == 0
        assert proposal.coverage[0] == {"code": "", "name": "Все наставляемые", "total": 1, "matched": 1}


def test_a_person_without_consent_is_never_proposed_and_is_listed(program, form, school_x_curator):
    ok = mentee(program, tags=MATH)
    without = mentee(program, tags=MATH, consent=False)
    mentor(program, tags=("Математика",))
    no_consent_mentor = mentor(program, tags=("Математика",), consent=False)
    run = run_for(program, form, school_x_curator, objective=Objective.MAX_MATCHED)
    for proposal in run.proposals.all():
        assert without.pk not in {p.mentee_id for p in proposal.pairs.all()}
        assert no_consent_mentor.pk not in {p.mentor_id for p in proposal.pairs.all()}
        unmatched = proposal.unmatched.get()
        assert (unmatched.mentee, unmatched.code) == (without, UnmatchedCode.NO_CONSENT)
        assert ok.pk in {p.mentee_id for p in proposal.pairs.all()}
    skipped = run.mentors.get(participation=no_consent_mentor)
    assert "нет согласия" in skipped.skipped_reason


def test_a_mentor_never_gets_more_mentees_than_the_capacity(program, form, school_x_curator):
    mentees = [mentee(program, tags=MATH) for _ in range(4)]
    m = mentor(program, tags=("Математика",), capacity=2)
    run = run_for(program, form, school_x_curator, objective=Objective.MAX_MATCHED)
    for proposal in run.proposals.all():
        assert proposal.pairs.filter(mentor=m).count() == 2
        assert proposal.unmatched.filter(code=UnmatchedCode.NO_CAPACITY).count() == 2
    assert len(mentees) == 4


def test_an_excluded_pair_is_never_proposed(program, form, school_x_curator):
    e = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",))
    services.exclusion_add(
        acting_user=school_x_curator, program=program, mentee=e, mentor=m, kind="veto", reason="Психолог"
    )
    run = run_for(program, form, school_x_curator)
    for proposal in run.proposals.all():
        assert not proposal.pairs.exists()
        assert proposal.unmatched.get().code == UnmatchedCode.ALL_EXCLUDED


def test_stable_proposal_follows_stated_preferences(program, form, school_x_curator):
    a = mentee(program, tags=MATH)
    b = mentee(program)
    m = mentor(program, tags=("Математика",), capacity=1)
    prefs = StatedPreferences(
        by_mentor={(b.person_id, m.person_id): 1}, by_mentee={(b.person_id, m.person_id): 1}
    )
    run = run_for(program, form, school_x_curator, preferences=prefs)
    stable = run.proposals.get(method=Method.STABLE)
    assert pairs_of(stable) == {(b.pk, m.pk)}
    assert stable.blocking_pairs == 0
    assert run.preferences  # kept for the moves and the re-run
    assert a.pk in set(stable.unmatched.values_list("mentee_id", flat=True))


def _program_where_the_two_ways_differ(program, school_x_curator):
    """Mentees and mentors whose optimal and stable proposals differ, one mentee without consent,
    a fixed pair and a forbidden one: every kind of row a proposal stores."""
    favourite = mentor(program, tags=("Математика",), capacity=1)
    others = [mentor(program, tags=("Математика",) if k % 2 else (), capacity=2) for k in range(3)]
    keen = [mentee(program, tags=MATH, details="хочу разобраться") for _ in range(5)]
    chosen = mentee(program)
    mentee(program, tags=MATH, consent=False)
    services.exclusion_add(
        acting_user=school_x_curator, program=program, mentee=keen[0], mentor=others[0], kind="veto"
    )
    prefs = StatedPreferences(
        by_mentor={(chosen.person_id, favourite.person_id): 1},
        by_mentee={(chosen.person_id, favourite.person_id): 1},
    )
    return keen, others, prefs


def _stored(run):
    """What a run stored, in the order of the rows' ids."""
    return {
        "mentors": list(
            run.mentors.order_by("pk").values_list("participation_id", "capacity", "skipped_reason")
        ),
        "proposals": [
            (
                proposal.method,
                proposal.total_score,
                proposal.matched,
                proposal.blocking_pairs,
                proposal.coverage,
                list(
                    proposal.pairs.order_by("pk").values_list(
                        "mentee_id", "mentor_id", "score", "evidence", "factors", "is_fixed"
                    )
                ),
                list(proposal.unmatched.order_by("pk").values_list("mentee_id", "code", "detail")),
            )
            for proposal in run.proposals.order_by("pk")
        ],
    }


class _InlineExecutor:
    """An executor that runs what it is given at once, in the caller's thread: a run that
    solves one way, then the other."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        from concurrent.futures import Future

        future = Future()
        future.set_result(fn(*args))
        return future


def test_a_run_stores_the_same_proposals_as_solving_one_way_then_the_other(
    program, form, school_x_curator, monkeypatch
):
    keen, others, prefs = _program_where_the_two_ways_differ(program, school_x_curator)
    services.fixed_pair_add(
        acting_user=school_x_curator, program=program, form=form, mentee=keen[1], mentor=others[1]
    )
    overlapped = _stored(run_for(program, form, school_x_curator, preferences=prefs))
    with monkeypatch.context() as patched:
        patched.setattr(services, "ThreadPoolExecutor", _InlineExecutor)
        one_after_the_other = _stored(run_for(program, form, school_x_curator, preferences=prefs))
    assert overlapped == one_after_the_other
    optimal, stable = overlapped["proposals"]
    assert (optimal[0], stable[0]) == (Method.OPTIMAL, Method.STABLE)
    assert optimal[5] != stable[5]  # the two ways differ here: both were stored as they came
    assert all(pair[5] for pair in optimal[5] if pair[0] == keen[1].pk)


@pytest.mark.parametrize("solver", ["solve_optimal", "solve_stable"])
def test_each_proposal_is_solved_in_a_thread_of_its_own(program, form, school_x_curator, monkeypatch, solver):
    import threading

    _, _, prefs = _program_where_the_two_ways_differ(program, school_x_curator)
    threads = []
    solve = getattr(services, solver)

    def recorded(*args):
        threads.append(threading.current_thread())
        return solve(*args)

    monkeypatch.setattr(services, solver, recorded)
    run = run_for(program, form, school_x_curator, preferences=prefs)
    assert threads and threads[0] is not threading.main_thread()
    method = Method.OPTIMAL if solver == "solve_optimal" else Method.STABLE
    assert run.proposals.get(method=method).pairs.exists()


@pytest.mark.parametrize("solver", ["solve_optimal", "solve_stable"])
def test_a_failing_solve_stores_no_run_and_supersedes_no_draft(
    program, form, school_x_curator, monkeypatch, solver
):
    from nastavnik.matching.models import MatchingRun

    _program_where_the_two_ways_differ(program, school_x_curator)
    earlier = run_for(program, form, school_x_curator)

    def failing(*args):
        raise RuntimeError("solver failed")

    monkeypatch.setattr(services, solver, failing)
    with pytest.raises(RuntimeError, match="solver failed"):
        run_for(program, form, school_x_curator)
    assert list(MatchingRun.objects.filter(program=program)) == [earlier]
    earlier.refresh_from_db()
    assert earlier.status == RunStatus.DRAFT


def test_someone_removed_from_the_program_during_a_run_rolls_it_back_with_their_name(
    program, form, school_x_curator, monkeypatch
):
    """The run's rows keep no foreign-key constraint in the database: before it commits, the
    run checks that every participation it wrote is still there."""
    from nastavnik.matching.models import MatchingRun, ProposalPair, RunMentor, UnmatchedMentee

    leaving = mentee(program, tags=MATH)
    staying = mentee(program, tags=MATH)
    mentor(program, tags=("Математика",))
    earlier = run_for(program, form, school_x_curator)
    load = services.load_program_instance

    def removed_while_solving(**kwargs):
        data = load(**kwargs)
        leaving.delete()  # as another request would, between the loading and the writing
        return data

    monkeypatch.setattr(services, "load_program_instance", removed_while_solving)
    with pytest.raises(ValidationError) as error:
        run_for(program, form, school_x_curator)
    assert error.value.messages == [
        f"Пока шёл подбор, из программы удалили: {leaving.person.short_name}. Запустите подбор ещё раз."
    ]
    assert list(MatchingRun.objects.filter(program=program)) == [earlier]
    earlier.refresh_from_db()
    assert earlier.status == RunStatus.DRAFT
    # Django removed the earlier draft's rows of the participation with it, as a CASCADE would.
    assert not ProposalPair.objects.filter(mentee_id=leaving.pk).exists()
    assert not UnmatchedMentee.objects.filter(mentee_id=leaving.pk).exists()
    assert RunMentor.objects.filter(run=earlier).count() == 1
    assert staying.pk in {p.mentee_id for p in ProposalPair.objects.filter(proposal__run=earlier)}


@pytest.mark.parametrize("copies", [1, 3])
def test_a_run_takes_the_same_queries_for_three_times_the_people(
    program, form, school_x_curator, copies, django_assert_num_queries
):
    for _ in range(copies):
        _program_where_the_two_ways_differ(program, school_x_curator)
    run_for(program, form, school_x_curator)  # the audit's content types cached, a draft to supersede
    # The form's check, the loading's ten, the writing's: the savepoint and its release, the
    # draft superseded, the run and its audit record, its mentors, the target groups, each
    # proposal with its pairs and unmatched mentees (a statement a table), and the check that
    # everyone written is still in the program.
    with django_assert_num_queries(RUN_QUERIES):
        run = run_for(program, form, school_x_curator)
    assert run.proposals.count() == 2


@pytest.mark.parametrize("copies", [1, 3])
def test_a_teacher_programs_run_reads_no_field_of_a_person_apart(
    school_x, school_x_curator, copies, django_assert_num_queries
):
    # Experience, young specialists, people who left: the fields the teachers' rules and reasons
    # read are loaded with the people, none is fetched a person at a time.
    program = teacher_program(school_x)
    form = builtin_form("teacher-teacher")
    for _ in range(copies):
        take_part(program, teacher(school_x, experience=2), "mentor", tags=("Математика",))
        take_part(program, teacher(school_x, experience=15, subjects="математика"), "mentor")
        take_part(program, teacher(school_x, experience=1), "mentee", tags=MATH, details="уроки")
        take_part(program, teacher(school_x, experience=8), "mentee")
        take_part(program, teacher(school_x, experience=1, left_on=dt.date(2025, 1, 10)), "mentee")
    run_for(program, form, school_x_curator)
    with django_assert_num_queries(RUN_QUERIES):
        run = run_for(program, form, school_x_curator)
    stable = run.proposals.get(method=Method.STABLE)
    assert stable.matched == copies
    assert {code for (code,) in stable.unmatched.values_list("code")} == {"not_eligible", "left"}


def test_fixed_pairs_survive_a_re_run_and_broken_pairs_do_not_come_back(program, form, school_x_curator):
    good = mentee(program, tags=MATH)
    other = mentee(program, tags=("Выбор профессии",))
    math_mentor = mentor(program, tags=("Математика",), capacity=1)
    career_mentor = mentor(program, tags=("Профориентация", "Выбор профессии"), capacity=1)
    run = run_for(program, form, school_x_curator, objective=Objective.MAX_MATCHED)
    optimal = run.proposals.get(method=Method.OPTIMAL)
    assert pairs_of(optimal) == {(good.pk, math_mentor.pk), (other.pk, career_mentor.pk)}

    # The curator moves `other` to the math mentor's place... which is taken: refused.
    with pytest.raises(ValidationError, match="нет свободных мест"):
        services.proposal_move_mentee(
            acting_user=school_x_curator, proposal=optimal, mentee=other, mentor=math_mentor
        )
    # Break the good pair, then move `good` to the career mentor after freeing it.
    good_pair = optimal.pairs.get(mentee=good)
    services.proposal_pair_break(acting_user=school_x_curator, pair=good_pair)
    assert Exclusion.objects.filter(mentee=good, mentor=math_mentor, kind="broken").exists()
    optimal.refresh_from_db()
    assert optimal.edited and optimal.matched == 1
    assert optimal.unmatched.get(mentee=good).code == UnmatchedCode.BROKEN
    services.proposal_move_mentee(
        acting_user=school_x_curator, proposal=optimal, mentee=other, mentor=math_mentor
    )
    services.proposal_move_mentee(
        acting_user=school_x_curator, proposal=optimal, mentee=good, mentor=career_mentor
    )
    assert pairs_of(optimal) == {(other.pk, math_mentor.pk), (good.pk, career_mentor.pk)}
    assert FixedPair.objects.filter(form=form).count() == 2

    rerun = services.matching_run_rerun(acting_user=school_x_curator, run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.SUPERSEDED and rerun.rerun_of == run
    for proposal in rerun.proposals.all():
        assert pairs_of(proposal) == {(other.pk, math_mentor.pk), (good.pk, career_mentor.pk)}
        assert all(p.is_fixed for p in proposal.pairs.all())
    # Unfix one and break it: the next run never proposes it again.
    pair = rerun.proposals.get(method=Method.OPTIMAL).pairs.get(mentee=good)
    services.proposal_pair_break(acting_user=school_x_curator, pair=pair)
    third = services.matching_run_rerun(acting_user=school_x_curator, run=rerun)
    for proposal in third.proposals.all():
        assert (good.pk, career_mentor.pk) not in pairs_of(proposal)
        assert (good.pk, math_mentor.pk) not in pairs_of(proposal)


def test_a_move_that_breaks_the_forms_rules_is_refused_with_the_reason(program, form, school_x_curator):
    e = mentee(program, grade=8)
    near = mentor(program, grade=9, age=15)
    run = run_for(program, form, school_x_curator, objective=Objective.MAX_MATCHED)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    with pytest.raises(ValidationError, match="старше всего на 1 кл"):
        services.proposal_move_mentee(acting_user=school_x_curator, proposal=proposal, mentee=e, mentor=near)


@pytest.mark.parametrize(
    ("first_name", "middle_name", "said"),
    [
        (
            "Дарина",
            "Юрьевна",
            "У наставника Казаковой Дарины Юрьевны в этом варианте нет свободных мест (1 из 1): "
            "сначала переведите кого-то из её наставляемых.",
        ),
        (
            "Андрей",
            "Юрьевич",
            "У наставника Казакова Андрея Юрьевича в этом варианте нет свободных мест (1 из 1): "
            "сначала переведите кого-то из его наставляемых.",
        ),
    ],
)
def test_a_move_to_a_full_mentor_names_her_or_him_in_russian(  # noqa: PLR0913 - the cases' columns
    program, form, school_x_curator, first_name, middle_name, said
):
    full = mentor(
        program,
        tags=("Математика",),
        capacity=1,
        last_name="Казаков" if middle_name.endswith("ч") else "Казакова",
        first_name=first_name,
        middle_name=middle_name,
    )
    first, second = mentee(program, tags=MATH), mentee(program, tags=MATH)
    run = run_for(program, form, school_x_curator)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    waiting = second if (first.pk, full.pk) in pairs_of(proposal) else first
    with pytest.raises(ValidationError) as refused:
        services.proposal_move_mentee(
            acting_user=school_x_curator, proposal=proposal, mentee=waiting, mentor=full
        )
    assert refused.value.messages == [said]


def test_a_stranger_cannot_run_or_edit(program, form, school_x_curator, school_y_curator):
    mentee(program, tags=MATH)
    mentor(program, tags=("Математика",))
    with pytest.raises(PermissionDenied):
        run_for(program, form, school_y_curator)
    run = run_for(program, form, school_x_curator)
    with pytest.raises(PermissionDenied):
        services.proposal_pair_fix(acting_user=school_y_curator, pair=ProposalPair.objects.first())
    with pytest.raises(PermissionDenied):
        services.matching_run_confirm(
            acting_user=school_y_curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL)
        )


def read_docx_table(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    (table,) = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_confirming_creates_the_groups_notifies_and_the_order_agrees(
    program, form, school_x_curator, django_capture_on_commit_callbacks
):
    m1 = mentor(program, tags=("Математика",), capacity=2, email="mentor1@example.org")
    m2 = mentor(program, tags=("Профориентация",), capacity=1)
    e1 = mentee(program, tags=MATH, email="pupil1@example.org")
    e2 = mentee(program, tags=MATH)
    e3 = mentee(program, tags=("Профориентация",))
    run = run_for(program, form, school_x_curator)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    assert pairs_of(proposal) == {(e1.pk, m1.pk), (e2.pk, m1.pk), (e3.pk, m2.pk)}

    with django_capture_on_commit_callbacks(execute=True):
        result = services.matching_run_confirm(
            acting_user=school_x_curator,
            run=run,
            proposal=proposal,
            order_number="45-о",
            order_date=dt.date(2026, 10, 5),
        )
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED and run.confirmed_proposal == proposal
    groups = MentoringGroup.objects.filter(program=program)
    assert {(g.mentor_id, frozenset(g.memberships.values_list("mentee_id", flat=True))) for g in groups} == {
        (m1.pk, frozenset({e1.pk, e2.pk})),
        (m2.pk, frozenset({e3.pk})),
    }
    assert all(g.status == GroupStatus.ACTIVE and g.started_on == dt.date(2026, 10, 5) for g in groups)
    assert (result.notified, result.without_email) == (2, 3)
    assert sorted(msg.to[0] for msg in mail.outbox) == ["mentor1@example.org", "pupil1@example.org"]
    assert e2.person.full_name in next(msg.body for msg in mail.outbox if msg.to == ["mentor1@example.org"])

    # The order lists exactly the confirmed pairs.
    content = order_docx(order_data(run))
    rows = read_docx_table(content)
    assert rows[0] == ["№", "Наставник", "Наставляемый(е)", "Форма наставничества"]
    from_order = {
        (row[1].split(",")[0], frozenset(line.split(",")[0] for line in row[2].split("\n")))
        for row in rows[1:]
    }
    from_db = {
        (g.mentor.person.full_name, frozenset(ms.mentee.person.full_name for ms in g.memberships.all()))
        for g in groups
    }
    assert from_order == from_db
    assert {row[3] for row in rows[1:]} == {"Ученик – ученик"}
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "О закреплении наставнических пар (групп)" in text
    assert "№ 45-о" in text and "«05» октября 2026 г." in text
    assert "в целях реализации программы наставничества обучающихся на " in text and "Р-145" in text
    # each pair (group) is a clause with the names in the cases the sentence needs
    m1_name = full_name_in("ablt", m1.person.last_name, m1.person.first_name, m1.person.middle_name)
    e3_name = full_name_in("accs", e3.person.last_name, e3.person.first_name, e3.person.middle_name)
    assert f"Закрепить за наставником {m1_name} (" in text
    assert f"наставляемого {e3_name} (" in text and "наставляемых" in text
    assert "Директор ____________________ Демаков Сергей Николаевич" in text
    assert order_pdf(order_data(run)).startswith(b"%PDF")

    # A confirmed run cannot be confirmed or edited again.
    with pytest.raises(ValidationError):
        services.matching_run_confirm(acting_user=school_x_curator, run=run, proposal=proposal)


def test_confirming_rechecks_consent_on_the_day(program, form, school_x_curator):
    e = mentee(program, tags=MATH)
    mentor(program, tags=("Математика",))
    run = run_for(program, form, school_x_curator)
    Consent.objects.filter(subject=e.person).update(revoked_on=today_in())
    with pytest.raises(ValidationError, match="согласия"):
        services.matching_run_confirm(
            acting_user=school_x_curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL)
        )
    assert not GroupMembership.objects.exists()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_mentees_already_in_pairs_are_not_matched_again(program, form, school_x_curator):
    e = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",), capacity=2)
    run = run_for(program, form, school_x_curator)
    services.matching_run_confirm(
        acting_user=school_x_curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL)
    )
    newcomer = mentee(program, tags=MATH)
    second = run_for(program, form, school_x_curator)
    assert pairs_of(second.proposals.get(method=Method.OPTIMAL)) == {(newcomer.pk, m.pk)}
    assert second.mentors.get(participation=m).capacity == 1
    assert any("уже в парах" in note for note in second.notes)
    assert e.pk not in set(
        second.proposals.get(method=Method.OPTIMAL).unmatched.values_list("mentee_id", flat=True)
    )


def test_a_mentor_matched_again_keeps_one_group_and_one_row_on_the_board(program, form, school_x_curator):
    from nastavnik.mentoring.board import curator_board

    first = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",), capacity=2)
    run = run_for(program, form, school_x_curator)
    services.matching_run_confirm(
        acting_user=school_x_curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL)
    )
    (group,) = MentoringGroup.objects.filter(program=program)
    newcomer = mentee(program, tags=MATH)
    second = run_for(program, form, school_x_curator)
    proposal = second.proposals.get(method=Method.OPTIMAL)
    assert pairs_of(proposal) == {(newcomer.pk, m.pk)}

    result = services.matching_run_confirm(
        acting_user=school_x_curator, run=second, proposal=proposal, order_number="46-о"
    )

    # The confirmation page's promise: one group per mentor — the newcomer joins the mentor's group.
    assert [g.pk for g in result.groups] == [group.pk]
    assert list(MentoringGroup.objects.filter(program=program)) == [group]
    current = group.memberships.filter(left_on__isnull=True).values_list("mentee_id", flat=True)
    assert set(current) == {first.pk, newcomer.pk}
    # The second order lists only the pair it confirmed.
    second.refresh_from_db()
    assert [ms.mentee_id for ms in second.confirmed_memberships.all()] == [newcomer.pk]
    rows = curator_board(school_x_curator, weeks=3, program_id=program.pk).rows
    assert [(r.group.mentor_id, len(r.members)) for r in rows] == [(m.pk, 2)]


def _confirm_counting_consent_queries(program, form, user, pairs: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(pairs):
        mentee(program, tags=MATH)
        mentor(program, tags=("Математика",), capacity=1)
    run = run_for(program, form, user)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    assert proposal.pairs.count() == pairs
    with CaptureQueriesContext(connection) as queries:
        services.matching_run_confirm(acting_user=user, run=run, proposal=proposal)
    return sum(1 for q in queries if "registry_consent" in q["sql"])


def test_confirming_reads_the_consents_of_the_whole_batch_at_once(form, school_x, school_x_curator):
    one = _confirm_counting_consent_queries(student_program(school_x), form, school_x_curator, 1)
    three = _confirm_counting_consent_queries(student_program(school_x), form, school_x_curator, 3)
    assert one == three


def _confirm_counting_queries(program, form, user, pairs: int, *, joining: int = 0) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.mentoring.services.groups import groups_create_or_join

    # `joining` mentors already lead a working pair: their new mentee joins it.
    for k in range(pairs):
        m = mentor(program, tags=("Математика",), capacity=2 if k < joining else 1)
        if k < joining:
            first = mentee(program, tags=MATH)
            groups_create_or_join(acting_user=user, program=program, form=form, batches=[(m, [first])])
        mentee(program, tags=MATH)
    run = run_for(program, form, user)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    assert proposal.pairs.count() == pairs
    with CaptureQueriesContext(connection) as queries:
        result = services.matching_run_confirm(acting_user=user, run=run, proposal=proposal)
    assert len(result.groups) == pairs
    assert (
        GroupMembership.objects.filter(group__program=program, left_on__isnull=True).count()
        == pairs + joining
    )
    return len(queries)


def test_confirming_runs_the_same_number_of_queries_for_3_and_12_pairs(form, school_x, school_x_curator):
    three = _confirm_counting_queries(student_program(school_x), form, school_x_curator, 3, joining=1)
    twelve = _confirm_counting_queries(student_program(school_x), form, school_x_curator, 12, joining=4)
    assert three == twelve


def _confirm_counting_queueing_queries(program, form, user, pairs: int, django_capture_on_commit_callbacks):
    """Queries of the confirmation and of queueing its «pair formed» messages once it commits,
    with every person reachable by e-mail; sending is the task runner's, so it is stubbed."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nastavnik.notifications import services as notification_services
    from nastavnik.notifications.models import Message

    for k in range(pairs):
        mentee(program, tags=MATH, email=f"pupil{k}@example.org")
        mentor(program, tags=("Математика",), capacity=1, email=f"mentor{k}@example.org")
    run = run_for(program, form, user)
    proposal = run.proposals.get(method=Method.OPTIMAL)
    with (
        mock.patch.object(notification_services, "deliver_task") as task,
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.matching_run_confirm(acting_user=user, run=run, proposal=proposal)
    (call,) = task.enqueue.call_args_list
    queued = Message.objects.filter(kind=Kind.PAIR_CONFIRMED, address__contains=f"{pairs - 1}@")
    assert queued.count() == 2 and len(call.args[0]) == 2 * pairs
    assert not mail.outbox  # nothing is sent inside the confirming request
    return len(queries)


def test_confirming_queues_the_messages_with_the_same_number_of_queries_for_3_and_12_pairs(
    form, school_x, school_x_curator, django_capture_on_commit_callbacks
):
    three = _confirm_counting_queueing_queries(
        student_program(school_x), form, school_x_curator, 3, django_capture_on_commit_callbacks
    )
    twelve = _confirm_counting_queueing_queries(
        student_program(school_x), form, school_x_curator, 12, django_capture_on_commit_callbacks
    )
    assert three == twelve


def test_confirming_audits_the_groups_memberships_and_statuses(program, form, school_x_curator):
    from auditlog.models import LogEntry

    e = mentee(program, tags=MATH)
    m = mentor(program, tags=("Математика",))
    run = run_for(program, form, school_x_curator)
    services.matching_run_confirm(
        acting_user=school_x_curator, run=run, proposal=run.proposals.get(method=Method.OPTIMAL)
    )
    (group,) = MentoringGroup.objects.filter(program=program)
    membership = group.memberships.get()
    e.refresh_from_db()
    assert e.status == m.__class__.objects.get(pk=m.pk).status == "in_pair"
    for obj in (group, membership, e, m):
        entry = LogEntry.objects.get_for_object(obj).latest("pk")
        assert entry.actor == school_x_curator
    assert LogEntry.objects.get_for_object(e).latest("pk").changes_dict["status"][1] == "in_pair"
