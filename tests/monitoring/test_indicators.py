"""Each built-in indicator on the hand-made school of conftest.py, computed by hand.

On D = 15.03.2026 the school's people are (s7, t5 left before D; s12 joined after D; the parent
is never counted):
  learners: s1 s2 s3 s4 s5 s6 s8 s9 s10 s11 s13 s14 = 12
  pairs and groups of 2025/26 (conftest): G1 s3 → s1 s2 s14 (+ s11 from 01.04, s9 left 01.12);
     G2 s4 → s6, completed 28.02; G3 s8 → s7; G5 t4 → t1 t5; G6 t4 → t3, ended early 15.11;
     G4 of 2024/25: s13 → s10.
  mentees on D: s1 s2 s6 s14 t1
     (not: s5 a candidate, s7 and t5 left the school, s9 left the pair, s10 last year's pair,
      s11 joins after D, t3's group ended early)
  mentors on D: s3 s4 (G2 completed) s8 t4
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from nastavnik.monitoring.indicators import Measure, age_between, measure_people
from nastavnik.monitoring.models import Indicator
from nastavnik.registry.models import Person
from tests.monitoring.conftest import D, build_hand_made

pytestmark = pytest.mark.django_db


def measures_on(school, day):  # type: ignore[no-untyped-def]
    indicators = list(Indicator.objects.all())
    rows = measure_people(Person.objects.filter(organisation=school), indicators, day, "organisation_id")
    return rows[school.pk]


# (code, numerator, denominator, value) with the arithmetic
EXPECTED_ON_D = [
    # mentees aged 11..18 on D: s1 (11, birthday on D), s6 (14); not s2 (10), s14 (9) → 2 of 12 learners
    ("mentees-11-18", 2, 12, Decimal("16.7")),
    # mentors aged 15..18: s3 (18, 19 tomorrow), s8 (15, leaves after D); not s4 (19 on D) → 2 of 12
    ("mentors-15-18", 2, 12, Decimal("16.7")),
    # young teachers on D: t1 (1 year), t2 (marked young specialist), t3 (2 years); t5 left → 3;
    # mentees among them: t1 → 1/3
    ("young-teachers-mentees", 1, 3, Decimal("33.3")),
    # learners with ОВЗ: s5, s6 → 2; in mentoring: s6 (s5 only a candidate) → 1/2
    ("ovz-covered", 1, 2, Decimal("50.0")),
    # at-risk minors on D: s6 (14), s8 (15), s13 (16); s7 left, s9 is 18 → 3; covered: s6, s8 → 2/3
    ("at-risk-covered", 2, 3, Decimal("66.7")),
    # learners aged 10..19: all 12 but s14 (9) → 11; mentees among them: s1, s2, s6 → 3/11 = 27.27
    ("mentees-10-19", 3, 11, Decimal("27.3")),
    # learners aged 15..19: s3 (18), s4 (19), s5 (15), s8 (15), s9 (18), s13 (16) → 6;
    # mentors: s3, s4, s8 → 3/6
    ("mentors-15-19", 3, 6, Decimal("50.0")),
    # learners in mentoring (any role): s1 s2 s3 s4 s6 s8 s14 → 7 of 12 = 58.33
    ("learners-covered", 7, 12, Decimal("58.3")),
    # participants on D (not withdrawn, 2025/26, added by D, still in school):
    #   s1 s2 s3 s4 s5 s6 s8 s14 t1 t3 t4 → 11
    # valid consent: s1 (child, representative), s3, s4 (adults), s6, s8 (teens, both), s14, t1 → 7;
    # not: s2 (none), s5 (teen, own missing), t3 (none), t4 (revoked 01.03) → 7/11 = 63.64
    ("consent-coverage", 7, 11, Decimal("63.6")),
    # satisfaction questionnaires sent by D this year by people of the school on D: s1 s2 s6
    # (mentees), s3 t4 (mentors) → 5 (not s7 who left, s14 not sent, s10 last year, s8 after D);
    # average item without sat_expected: s1 (8+8+6+7+9)/5 = 7.6 ✓, s2 34/5 = 6.8 ✗ (with
    # sat_expected it would be 43/6 = 7.17), s6 35/5 = 7.0 ✓ (the edge), s3 52/6 = 8.67 ✓,
    # t4 31/6 = 5.17 ✗ → 3/5
    ("participants-satisfied", 3, 5, Decimal("60.0")),
    # mentees on D whose pair's current plan was approved by D and has tasks: s1, s2, s14 (G1),
    # s6 (G2, completed but counts this year); not s7 (left the school), t1 (plan only submitted)
    # → 4; fulfilled ≥ 90 % by D: G1 9/10 = 90 % ✓ (the edge) → s1 s2 s14; G2 3/4 = 75 % ✗ → 3/4
    ("plans-fulfilled", 3, 4, Decimal("75.0")),
    ("mentees-count", 5, None, Decimal(5)),  # s1 s2 s6 s14 t1
    ("mentors-count", 4, None, Decimal(4)),  # s3 s4 s8 t4
    # mentors of the year's programs on D: t4, s3, s4, s8 (in pairs or completed) → 4, none
    # trained (tests/training covers the trained ones); no curator has a card here → 0 of 0
    ("mentors-trained", 0, 4, Decimal("0.0")),
    ("curators-trained", 0, 0, None),
]


@pytest.mark.parametrize(("code", "numerator", "denominator", "value"), EXPECTED_ON_D)
def test_each_builtin_indicator_matches_the_hand_computed_value(
    school_x, code, numerator, denominator, value
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    measure = measures_on(school_x, D)[code]
    assert (measure.numerator, measure.denominator) == (numerator, denominator)
    assert measure.value == value


def test_every_builtin_indicator_is_covered_by_the_hand_made_school(db):  # type: ignore[no-untyped-def]
    assert {row[0] for row in EXPECTED_ON_D} == set(Indicator.objects.values_list("code", flat=True))


def test_a_task_done_after_the_date_counts_from_that_day(school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    # G2's 4th task is done on 20 March: 4/4 from then on → s6 joins s1 s2 s14
    assert (measures_on(school_x, dt.date(2026, 3, 19))["plans-fulfilled"].numerator) == 3
    later = measures_on(school_x, dt.date(2026, 3, 20))["plans-fulfilled"]
    assert (later.numerator, later.denominator) == (4, 4)


def test_a_later_date_counts_who_joined_and_drops_who_left(school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    # 15.04.2026: s8 left on 01.04 (gone: not a mentor, not a learner); s11's participation
    # (added 01.04) now counts; s12 joined on 01.04 (a learner now).
    measures = measures_on(school_x, dt.date(2026, 4, 15))
    assert measures["mentees-count"] == Measure(6, None)  # s1 s2 s6 s14 t1 + s11
    assert measures["mentors-count"] == Measure(3, None)  # s3 s4 t4
    # learners: 12 - s8 + s12 = 12; mentors 15..18: none — s3 turned 19 on 16.03, s8 is gone → 0/12
    assert measures["mentors-15-18"] == Measure(0, 12)
    # at-risk minors: s6, s13 (s8 gone) → covered s6 → 1/2
    assert measures["at-risk-covered"] == Measure(1, 2)


def test_a_date_of_the_previous_academic_year_reads_that_years_pairs(school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    # 31.08.2025 is in 2024/25: only G4 (s13 with s10, program of 2024, completed 31.05.2025) counts —
    # a pair that completed its work still counts for the whole academic year.
    measures = measures_on(school_x, dt.date(2025, 8, 31))
    assert measures["mentees-count"] == Measure(1, None)  # s10
    assert measures["mentors-count"] == Measure(1, None)  # s13


def test_a_mentee_counts_from_joining_and_until_leaving_a_pair(school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    # 30.11.2025: s9 was still in G1 (left 01.12) and t3 in G6 (ended early 15.11: no longer)
    measures = measures_on(school_x, dt.date(2025, 11, 30))
    # mentees: s1 s2 s14 s6 s7 s9 (G1–G3) + t1 t5 (G5; t5 left the school only in January) → 8
    assert measures["mentees-count"] == Measure(8, None)
    # young teachers then: t1 t2 t3 t5 → 4; mentees among them t1 t5 (t3's group ended 15.11) → 2/4
    assert measures["young-teachers-mentees"] == Measure(2, 4)
    # 14.11.2025: G6 was still working → t3 counts as well
    assert measures_on(school_x, dt.date(2025, 11, 14))["young-teachers-mentees"] == Measure(3, 4)


def test_age_range_edges_are_inclusive_on_the_birthday(db):  # type: ignore[no-untyped-def]
    day = dt.date(2026, 3, 15)
    condition = age_between(day, 11, 18)
    assert Person.objects.filter(condition).query  # builds
    # birth dates on both edges (birthday on D is the new age; 19 on D is out)
    children = condition.children
    assert ("birth_date__lte", dt.date(2015, 3, 15)) in children
    assert ("birth_date__gt", dt.date(2007, 3, 15)) in children


def test_a_29_february_birthday_turns_a_year_older_on_28_february(db):  # type: ignore[no-untyped-def]
    condition = age_between(dt.date(2027, 2, 28), 11, None)
    assert ("birth_date__lte", dt.date(2016, 2, 28)) in condition.children


def test_share_rounding_and_exact_comparison_with_the_target():  # type: ignore[no-untyped-def]
    assert Measure(1, 8).value == Decimal("12.5")
    assert Measure(1, 8).reaches(Decimal("12.5"))
    assert not Measure(1, 8).reaches(Decimal("12.51"))
    # 2/3 shows 66.7 but does not reach 66.7 exactly
    assert Measure(2, 3).value == Decimal("66.7")
    assert not Measure(2, 3).reaches(Decimal("66.7"))
    assert Measure(0, 0).value is None
    assert Measure(3, None).reaches(Decimal(3))


def test_changing_an_indicators_ages_changes_the_formula(school_x):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    # the methodology's 10..19 instead of the seed's 11..18, on the seed's denominator (all learners)
    Indicator.objects.filter(code="mentees-11-18").update(age_min=10, age_max=19)
    assert measures_on(school_x, D)["mentees-11-18"] == Measure(3, 12)  # s1 s2 s6


def test_a_young_specialist_grows_out_of_it_on_the_anniversary(school_x):  # type: ignore[no-untyped-def]
    """Experience is kept with the date it was given on: 3 years on 01.09.2025 is 3 years until
    31.08.2026 and 4 years from 01.09.2026, so the past and the future both read right."""
    from tests.factories import TeacherFactory

    teacher = TeacherFactory(organisation=school_x, experience_years=3, experience_on=dt.date(2025, 9, 1))
    assert teacher.teaching_since == dt.date(2022, 9, 1)
    assert (teacher.experience_at(dt.date(2026, 8, 31)), teacher.experience_at(dt.date(2026, 9, 1))) == (3, 4)
    young_denominator = {day: measures_on(school_x, day)["young-teachers-mentees"].denominator for day in (
        dt.date(2024, 1, 10),  # 1 year then
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 1),
    )}  # fmt: skip
    assert young_denominator == {dt.date(2024, 1, 10): 1, dt.date(2026, 8, 31): 1, dt.date(2026, 9, 1): 0}
