"""The criteria read from the rest of the product — plans, satisfaction, growth, training —
recomputed by hand for two mentors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nastavnik.mentoring.models import IndividualPlan, PlanStatus, PlanTask
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.recognition.ranking import build_ranking
from nastavnik.training.models import Certificate, Course, CourseFormat, Enrolment, Provider, TraineeRole
from tests.builders import student_program, teacher
from tests.monitoring.conftest import at_noon, diag, satisfaction, submit
from tests.recognition.conftest import YEAR, make_pair, procedure_for_school

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    monkeypatch.setattr(Scope, "today", lambda self: dt.date(YEAR + 1, 6, 1))


def plan(group, done, total):
    made = IndividualPlan.objects.create(
        group=group,
        status=PlanStatus.APPROVED,
        title="План",
        starts_on=dt.date(YEAR, 10, 1),
        ends_on=dt.date(YEAR + 1, 5, 31),
        approved_at=at_noon(dt.date(YEAR, 10, 5)),
    )
    for number in range(1, total + 1):
        is_done = number <= done
        PlanTask.objects.create(
            plan=made,
            number=number,
            title=f"Задача {number}",
            due_on=dt.date(YEAR + 1, 3, 1),
            done=is_done,
            done_on=dt.date(YEAR + 1, 2, 1) if is_done else None,
        )


def course_completed(person, hours, school, *, certificate):
    course = Course.objects.create(
        title=f"Курс {hours} ч",
        provider=Provider.values[0],
        format=CourseFormat.values[0],
        hours=Decimal(hours),
        starts_on=dt.date(YEAR, 10, 1),
        ends_on=dt.date(YEAR, 11, 1),
        organisation=school,
    )
    enrolment = Enrolment.objects.create(
        course=course,
        person=person,
        role=TraineeRole.values[0],
        enrolled_on=dt.date(YEAR, 9, 20),
        completed_on=dt.date(YEAR, 11, 1),
    )
    if certificate:
        Certificate.objects.create(enrolment=enrolment, number="77-1", issued_on=dt.date(YEAR, 11, 2))


def test_plans_satisfaction_growth_and_training_give_the_hand_computed_points(school_x, school_x_curator):
    program = student_program(school_x)
    program.academic_year = YEAR
    program.save()
    anna = teacher(school_x, experience=10, last_name="Антонова", first_name="Анна", middle_name="Ивановна")
    boris = teacher(school_x, experience=10, last_name="Борисов", first_name="Борис", middle_name="Ильич")
    pair_a, pair_b = make_pair(program, anna), make_pair(program, boris)
    mentee_a = pair_a.memberships.get().mentee.person
    mentee_b = pair_b.memberships.get().mentee.person
    # Plans: Анна's 9 of 10 tasks (≥ 90 %) — fulfilled; Борис's 2 of 4 — not.
    plan(pair_a, 9, 10)
    plan(pair_b, 2, 4)
    # Satisfaction without «ожидаемая»: (8 + 8 + 6 + 7 + 9) / 5 = 7.6 and (7 × 5) / 5 = 7.
    sent = dt.date(YEAR + 1, 3, 2)
    submit(program, "satisfaction_mentee", mentee_a, satisfaction((10, 8, 8, 6, 7, 9), "yes", "yes"), sent)
    submit(program, "satisfaction_mentee", mentee_b, satisfaction((5, 7, 7, 7, 7, 7), "no", "no"), sent)
    # Growth: (4, 5) → (7, 6) is (+3 + 1) / 2 = +2; (6, 6) → (5, 6) is (−1 + 0) / 2 = −0.5.
    for person, before, after in ((mentee_a, (4, 5), (7, 6)), (mentee_b, (6, 6), (5, 6))):
        submit(program, "diagnostic", person, diag(*before), dt.date(YEAR, 10, 1))
        submit(program, "diagnostic", person, diag(*after), dt.date(YEAR + 1, 3, 1))
    # Training: 36 h with a certificate, 16 h without.
    course_completed(anna, 36, school_x, certificate=True)
    course_completed(boris, 16, school_x, certificate=False)
    procedure_for_school(school_x, plans_fulfilled=10, satisfaction=20, growth=10, training=10)

    ranking = build_ranking(school_x_curator, Scope(ORGANISATION, school_x, school_x.timezone), YEAR)

    a, b = ranking.entries
    assert (a.person, b.person) == (anna, boris)
    # Plans best 1: 1/1·10 = 10, 0. Satisfaction on the scale: 7.6/10·20 = 15.20, 7/10·20 = 14.
    # Growth best 2: 2/2·10 = 10, negative → 0. Training best 36: 10, 16/36·10 = 4.44.
    assert [s.points for s in a.scores] == [
        Decimal("10.00"),
        Decimal("15.20"),
        Decimal("10.00"),
        Decimal("10.00"),
    ]
    assert [s.points for s in b.scores] == [
        Decimal("0.00"),
        Decimal("14.00"),
        Decimal("0.00"),
        Decimal("4.44"),
    ]
    assert (a.total, b.total) == (Decimal("45.20"), Decimal("18.44"))
    texts = {s.code: s.figure.text for s in a.scores}
    assert texts["plans_fulfilled"] == "выполнено не менее чем на 90 %: 1; всего 1\u00a0утверждённый план"
    assert texts["satisfaction"] == "средняя оценка 7,6 из 10 (ответов — 5, наставляемых — 1)"
    assert texts["growth"] == "среднее изменение +2 (измерений — 2, наставляемых — 1, с ростом — 1)"
    assert texts["training"] == "36 ч: 1\u00a0курс завершён, 1\u00a0документ об обучении"
    growth_b = next(s for s in b.scores if s.code == "growth")
    assert growth_b.figure.value == Decimal("-0.50")
    assert growth_b.explanation == "0 (отрицательное считается за 0) / 2 (лучшее 2) × 10 = 0"
