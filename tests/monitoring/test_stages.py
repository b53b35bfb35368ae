"""Stage 1 (satisfaction) and stage 2 (growth) of monitoring on the hand-made school, by hand.

Stage 1 — the satisfaction questionnaires of conftest.add_satisfaction, counted on D:
  mentees s1 (10, 8, 8, 6, 7, 9; да, да), s2 (9, 6, 7, 6, 7, 8; да, нет), s6 (5, 7, 7, 7, 7, 7; нет, нет)
  mentors s3 (8, 9, 10, 9, 8, 7, 9; да, да), t4 (6, 5, 6, 5, 6, 4, 5; да, нет)
  (items: expected, real, comfort, meetings, clarity, support[, self-realisation])

Stage 2 — two parameters (motivation, goals) of the diagnostic, first → last round of 2025/26:
  s1 (G1, ученик–ученик)        4, 5 → 7, 6     change +3, +1  mean +2.0  improved
  s2 (G1)  a middle round 1, 1 is ignored; 6, 6 → 5, 6   change −1, 0   mean −0.5
  s6 (G2, a variant of ученик–ученик)  3, 3 → 5, 4  change +2, +1  mean +1.5  improved
  t1 (G5, педагог–педагог)      8, 7 → 8, 9     change 0, +2   mean +1.0  improved
  s14 only an entry round, s8 a second round only after D → «нет итоговой диагностики» (2);
  s10's two rounds are of 2024/25 → not counted at all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring.services import groups as group_services
from nastavnik.monitoring import stages
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION, Scope
from nastavnik.orgs.models import Program, academic_year_of
from tests.builders import builtin_form, mentee, mentor, student_program
from tests.factories import PersonFactory
from tests.mentoring.conftest import account_for, feedback_answers, give_feedback
from tests.monitoring.conftest import (
    SAT_ITEMS,
    D,
    add_diagnostics,
    build_hand_made,
    submit,
    take_part,
)

pytestmark = pytest.mark.django_db
ON_D = f"?date={D.isoformat()}"
OCT = dt.date(2025, 10, 1)
MAR = dt.date(2026, 3, 1)


def org_scope(school) -> Scope:  # type: ignore[no-untyped-def]
    return Scope(ORGANISATION, school, school.timezone)


def figures(g) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    return (g.participants, g.mean_before, g.mean_after, g.mean_change, g.improved, g.improved_percent)


# --- stage 1 ---------------------------------------------------------------------------------------


def test_stage_1_averages_each_item_per_role_and_counts_yes(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    page = stages.stage1(school_x_curator, org_scope(school_x), D)
    s = page.total
    rows = {code: (mentees.mean, mentors.mean) for code, _, mentees, mentors in s.rows}
    # mentees s1 s2 s6: expected (10+9+5)/3 = 8.0, real (8+6+7)/3 = 7.0, comfort 22/3 = 7.33,
    # meetings 19/3 = 6.33, clarity 21/3 = 7.0, support 24/3 = 8.0;
    # mentors s3 t4: expected 14/2 = 7.0, real 14/2, comfort 16/2 = 8.0, meetings 14/2, clarity 14/2,
    # support 11/2 = 5.5, self-realisation 14/2 = 7.0 (mentees are not asked it)
    assert rows == {
        "sat_expected": (Decimal("8.0"), Decimal("7.0")),
        "sat_real": (Decimal("7.0"), Decimal("7.0")),
        "sat_comfort": (Decimal("7.3"), Decimal("8.0")),
        "sat_meetings": (Decimal("6.3"), Decimal("7.0")),
        "sat_clarity": (Decimal("7.0"), Decimal("7.0")),
        "sat_support": (Decimal("8.0"), Decimal("5.5")),
        "sat_self_realisation": (None, Decimal("7.0")),
    }
    # «рады»: mentees да, да, нет → 2/3 = 66.7 %; mentors да, да → 100 %
    # «продолжить»: mentees да, нет, нет → 1/3 = 33.3 %; mentors да, нет → 50 %
    assert (s.mentees.glad.total, s.mentees.glad.count, s.mentees.glad.percent) == (2, 3, Decimal("66.7"))
    assert s.mentees.wants_to_continue.percent == Decimal("33.3")
    assert s.mentors.glad.percent == Decimal("100.0")
    assert s.mentors.wants_to_continue.percent == Decimal("50.0")
    # respondents 3 mentees (satisfied s1 s6) + 2 mentors (satisfied s3) → 3 of 5 = 60 %
    assert (s.mentees.respondents, s.mentees.satisfied, s.mentors.respondents, s.mentors.satisfied) == (
        3,
        2,
        2,
        1,
    )
    assert (s.respondents, s.satisfied, s.index) == (5, 3, Decimal("60.0"))


def test_stage_1_of_a_municipality_is_the_sum_of_its_organisations(
    client_for, school_x, school_y, municipal_curator_a, municipality_a
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    y = build_hand_made(school_y)
    # school Y the same, plus one more mentee of Y: all 10s, да/да → satisfied
    extra = PersonFactory(organisation=school_y, birth_date=dt.date(2012, 1, 1))
    take_part(y.program, extra, "mentee")
    submit(y.program, "satisfaction_mentee", extra, {"sat_real": 10, "sat_glad": "yes"}, MAR)
    page = stages.stage1(municipal_curator_a, Scope(MUNICIPALITY, municipality_a, "Europe/Moscow"), D)
    rows = {row.label: row.satisfaction for row in page.rows}
    assert (rows["Школа X"].respondents, rows["Школа X"].satisfied) == (5, 3)
    assert (rows["Школа Y"].respondents, rows["Школа Y"].satisfied) == (6, 4)
    # 3 + 4 satisfied of 5 + 6 → 7/11 = 63.6 %; «рады» among mentees 2/3 + 3/4 → 5/7
    assert (page.total.respondents, page.total.satisfied, page.total.index) == (11, 7, Decimal("63.6"))
    assert (page.total.mentees.glad.total, page.total.mentees.glad.count) == (5, 7)
    response = client_for(municipal_curator_a).get(
        reverse("monitoring:stage1", args=[MUNICIPALITY, municipality_a.pk]) + ON_D
    )
    assert response.status_code == 200
    assert "63,6" in response.content.decode()


def test_the_satisfaction_indicator_is_on_the_dashboard_and_drills_down_to_the_satisfied(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    hm = build_hand_made(school_x)
    client = client_for(school_x_curator)
    page = client.get(reverse("monitoring:organisation", args=[school_x.pk]) + ON_D).content.decode()
    assert "Удовлетворённость участников" in page and "60,0" in page
    query = f"&level=organisation&pk={school_x.pk}&indicator=participants-satisfied"
    satisfied = client.get(reverse("monitoring:people") + ON_D + query + "&part=numerator").content.decode()
    for key in ("s1", "s6", "s3"):
        assert hm.people[key].last_name in satisfied
    for key in ("s2", "t4"):
        assert hm.people[key].last_name not in satisfied


def test_a_mentee_who_answered_in_the_personal_cabinet_is_counted_in_stage_1(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    """One storage: the questionnaire a mentee fills about their pair in «Мой кабинет» is a
    satisfaction questionnaire like one sent by link, so the indicator counts it."""
    today = today_in()
    program = student_program(school_x, "student-student")
    program.academic_year = academic_year_of(today)
    program.starts_on = today - dt.timedelta(days=60)
    program.save()
    group = group_services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("student-student"),
        mentor=mentor(program, capacity=2),
        mentees=[mentee(program, last_name="Довольная"), mentee(program, last_name="Сомневающийся")],
        started_on=today - dt.timedelta(days=40),
    )
    glad, doubtful = (m.mentee for m in group.memberships.order_by("pk"))
    page = stages.stage1(school_x_curator, org_scope(school_x), today)
    assert (page.total.respondents, page.total.index) == (0, None)

    # The first mentee answers on the pair's tab, reached from «Мой кабинет»: all 9s.
    client = client_for(account_for(glad.person, Role.MENTEE))
    data = feedback_answers(program, **dict.fromkeys(("sat_real", "sat_comfort", "sat_support"), 9))
    posted = client.post(reverse("mentoring:feedback", args=[group.pk]), {"stage": "interim", **data})
    assert posted.status_code == 302
    s = stages.stage1(school_x_curator, org_scope(school_x), today).total
    assert (s.mentees.respondents, s.mentees.satisfied, s.respondents, s.satisfied) == (1, 1, 1, 1)
    assert s.index == Decimal("100.0")
    assert (s.mentees.glad.percent, s.mentees.items["sat_real"].mean) == (Decimal("100.0"), Decimal("9.0"))
    # The second one's paper questionnaire, entered by the curator: 5s, does not want to go on.
    give_feedback(school_x_curator, group, doubtful, **dict.fromkeys(SAT_ITEMS, 5), sat_continue="no")
    s = stages.stage1(school_x_curator, org_scope(school_x), today).total
    assert (s.respondents, s.satisfied, s.index) == (2, 1, Decimal("50.0"))
    assert s.mentees.wants_to_continue.percent == Decimal("50.0")
    # The dashboard's indicator drills down to the satisfied mentee.
    query = f"?date={today.isoformat()}&level=organisation&pk={school_x.pk}&indicator=participants-satisfied"
    curator = client_for(school_x_curator)
    satisfied = curator.get(reverse("monitoring:people") + query + "&part=numerator").content.decode()
    assert glad.person.last_name in satisfied and doubtful.person.last_name not in satisfied
    answered = curator.get(reverse("monitoring:people") + query + "&part=denominator").content.decode()
    assert glad.person.last_name in answered and doubtful.person.last_name in answered


# --- stage 2 ---------------------------------------------------------------------------------------


def test_stage_2_compares_entry_and_exit_per_participant_pair_form_and_organisation(
    school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    hm = build_hand_made(school_x)
    add_diagnostics(hm)
    page = stages.stage2(school_x_curator, org_scope(school_x), D)
    p = hm.people
    participants = {g.key: figures(g) for g in page.by_participant}
    assert participants == {
        p["s1"].pk: (1, Decimal("4.5"), Decimal("6.5"), Decimal("2.0"), 1, Decimal("100.0")),
        p["s2"].pk: (1, Decimal("6.0"), Decimal("5.5"), Decimal("-0.5"), 0, Decimal("0.0")),
        p["s6"].pk: (1, Decimal("3.0"), Decimal("4.5"), Decimal("1.5"), 1, Decimal("100.0")),
        p["t1"].pk: (1, Decimal("7.5"), Decimal("8.5"), Decimal("1.0"), 1, Decimal("100.0")),
    }
    # pairs: G1 (s1, s2) before (4+5+6+6)/4 = 5.25, after (7+6+5+6)/4 = 6.0, change 3/4 = 0.75,
    # improved 1 of 2; G2 (s6) and G5 (t1) as their only participant
    pairs = sorted(figures(g) for g in page.by_pair)
    assert pairs == sorted(
        [
            (2, Decimal("5.3"), Decimal("6.0"), Decimal("0.8"), 1, Decimal("50.0")),
            (1, Decimal("3.0"), Decimal("4.5"), Decimal("1.5"), 1, Decimal("100.0")),
            (1, Decimal("7.5"), Decimal("8.5"), Decimal("1.0"), 1, Decimal("100.0")),
        ]
    )
    # forms: ученик–ученик = G1 + G2 (a variant counts to its form): before (21+6)/6 = 4.5,
    # after (24+9)/6 = 5.5, change 6/6 = 1.0, improved s1 s6 of 3; учитель–учитель = t1
    forms = {g.label: figures(g) for g in page.by_form}
    assert forms == {
        "Ученик – ученик": (3, Decimal("4.5"), Decimal("5.5"), Decimal("1.0"), 2, Decimal("66.7")),
        "Учитель – учитель": (1, Decimal("7.5"), Decimal("8.5"), Decimal("1.0"), 1, Decimal("100.0")),
    }
    # organisation: 8 measurements, before 42/8 = 5.25, after 50/8 = 6.25, change 8/8 = 1.0,
    # improved 3 of 4; without exit: s14, s8 (its second round is after D)
    assert figures(page.total) == (4, Decimal("5.3"), Decimal("6.3"), Decimal("1.0"), 3, Decimal("75.0"))
    assert page.total.without_exit == 2
    assert {person.pk for person in page.without_exit} == {p["s14"].pk, p["s8"].pk}
    # parameters: motivation 4+6+3+8 = 21 → 7+5+5+8 = 25 (5.25 → 6.25), grew for s1 s6: 2 of 4;
    # goals 5+6+3+7 = 21 → 6+6+4+9 = 25, grew for s1 s6 t1: 3 of 4
    parameters = {g.key: figures(g) for g in page.parameters}
    assert parameters == {
        "diag_motivation": (4, Decimal("5.3"), Decimal("6.3"), Decimal("1.0"), 2, Decimal("50.0")),
        "diag_goals": (4, Decimal("5.3"), Decimal("6.3"), Decimal("1.0"), 3, Decimal("75.0")),
    }


def test_stage_2_on_a_later_date_counts_the_exit_round_sent_after_d(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    hm = build_hand_made(school_x)
    add_diagnostics(hm)
    page = stages.stage2(school_x_curator, org_scope(school_x), dt.date(2026, 3, 31))
    # s8 (5, 5 → 9, 9) is compared now: 5 participants, only s14 without exit
    assert page.total.participants == 5
    assert page.total.without_exit == 1


def test_stage_2_of_a_municipality_puts_organisations_side_by_side_and_sums_them(
    client_for, school_x, school_y, municipal_curator_a, municipality_a
):  # type: ignore[no-untyped-def]
    add_diagnostics(build_hand_made(school_x))
    y_program = Program.objects.create(organisation=school_y, kind="students", title="П", academic_year=2025)
    y_person = PersonFactory(organisation=school_y, birth_date=dt.date(2012, 1, 1))
    take_part(y_program, y_person, "mentee")
    submit(y_program, "diagnostic", y_person, {"diag_motivation": 2}, OCT)
    submit(y_program, "diagnostic", y_person, {"diag_motivation": 4}, MAR)
    page = stages.stage2(municipal_curator_a, Scope(MUNICIPALITY, municipality_a, "Europe/Moscow"), D)
    rows = {g.label: g for g in page.by_organisation}
    assert figures(rows["Школа Y"]) == (
        1,
        Decimal("2.0"),
        Decimal("4.0"),
        Decimal("2.0"),
        1,
        Decimal("100.0"),
    )
    assert rows["Школа X"].without_exit == 2
    # 8 + 1 measurements: before (42+2)/9 = 4.89, after (50+4)/9 = 6.0, change 10/9 = 1.11,
    # improved 3 + 1 of 4 + 1
    assert figures(page.total) == (5, Decimal("4.9"), Decimal("6.0"), Decimal("1.1"), 4, Decimal("80.0"))
    assert page.total.without_exit == 2
    response = client_for(municipal_curator_a).get(
        reverse("monitoring:stage2", args=[MUNICIPALITY, municipality_a.pk]) + ON_D
    )
    assert response.status_code == 200
    assert "Школа Y" in response.content.decode()


def test_stage_2_of_a_region_puts_municipalities_side_by_side_and_sums_them(
    client_for, school_x, school_z, regional_user, region, municipality_a, municipality_b
):  # type: ignore[no-untyped-def]
    add_diagnostics(build_hand_made(school_x))
    z_program = Program.objects.create(organisation=school_z, kind="students", title="П", academic_year=2025)
    z_person = PersonFactory(organisation=school_z, birth_date=dt.date(2012, 1, 1))
    take_part(z_program, z_person, "mentee")
    submit(z_program, "diagnostic", z_person, {"diag_motivation": 2}, OCT)
    submit(z_program, "diagnostic", z_person, {"diag_motivation": 4}, MAR)
    page = stages.stage2(regional_user, Scope(REGION, region, "Europe/Moscow"), D)
    rows = {g.label: g for g in page.by_organisation}
    assert set(rows) == {municipality_a.name, municipality_b.name}
    # Район А is school X alone: the same figures as the municipality page of the test above
    # without school Y; Район Б is school Z's one participant, 2 → 4
    assert figures(rows[municipality_b.name]) == (
        1,
        Decimal("2.0"),
        Decimal("4.0"),
        Decimal("2.0"),
        1,
        Decimal("100.0"),
    )
    assert rows[municipality_a.name].without_exit == 2
    # the region is exactly the sum of its municipalities (same arithmetic as the municipality test)
    assert figures(page.total) == (5, Decimal("4.9"), Decimal("6.0"), Decimal("1.1"), 4, Decimal("80.0"))
    response = client_for(regional_user).get(reverse("monitoring:stage2", args=[REGION, region.pk]) + ON_D)
    assert response.status_code == 200
    assert "По муниципалитетам" in response.content.decode()
    assert municipality_b.name in response.content.decode()


def test_stage_1_sums_the_program_quality_items_and_lists_the_swot_of_an_organisation(
    client_for, school_x, school_y, school_x_curator, municipal_curator_a, municipality_a
):  # type: ignore[no-untyped-def]
    from nastavnik.monitoring.quality import program_quality
    from tests.factories import ParentFactory

    x, y = build_hand_made(school_x), build_hand_made(school_y)
    mentor, parent = x.people["s3"], ParentFactory(organisation=school_x, last_name="Мама")
    submit(x.program, "program_quality", mentor, {"quality_organisation": 9, "quality_goals": 6,
           "swot_strengths": "Встречи раз в неделю", "swot_threats": " "}, OCT)  # fmt: skip
    submit(
        x.program,
        "program_quality",
        parent,
        {"quality_organisation": 6, "swot_strengths": "Ребёнок ждёт встреч"},
        MAR,
    )
    submit(
        x.program, "program_quality", x.people["s1"], {"quality_organisation": 1}, D + dt.timedelta(days=1)
    )
    submit(x.program, "program_quality", x.people["s8"], {"swot_strengths": "встречи  раз в неделю."}, OCT)
    submit(
        y.program,
        "program_quality",
        y.people["s3"],
        {"quality_organisation": 10, "swot_weaknesses": "Мало"},
        MAR,
    )

    quality = program_quality(school_x_curator, org_scope(school_x), D)
    items = {item.code: (item.tally.total, item.tally.count, item.tally.mean) for item in quality.items}
    # on D: the mentor (9, 6), the parent (6) and s8 (SWOT only); s1 answered the day after D
    assert quality.respondents == 3
    assert items["quality_organisation"] == (15, 2, Decimal("7.5"))
    assert items["quality_goals"] == (6, 1, Decimal("6.0"))
    assert items["quality_schedule"] == (0, 0, None)
    swot = {label: [(a.text, a.count) for a in answers] for label, answers in quality.swot or []}
    # the latest first; s8's «встречи  раз в неделю.» is the mentor's answer again: counted, not repeated
    assert swot["Сильные стороны программы"] == [("Ребёнок ждёт встреч", 1), ("встречи раз в неделю.", 2)]
    assert swot["Риски и угрозы"] == []  # a blank answer is no answer

    municipal = program_quality(municipal_curator_a, Scope(MUNICIPALITY, municipality_a, "Europe/Moscow"), D)
    assert municipal.respondents == 4 and municipal.swot is None
    assert next(i for i in municipal.items if i.code == "quality_organisation").tally.total == 25  # 15 + 10

    page = client_for(school_x_curator).get(
        reverse("monitoring:stage1", args=[ORGANISATION, school_x.pk]) + ON_D
    )
    html = page.content.decode()
    assert "Качество реализации программы" in html and "Ребёнок ждёт встреч" in html and "Мало" not in html


# --- access and queries ------------------------------------------------------------------------------


def test_a_curator_of_school_y_gets_404_on_school_xs_stage_pages(
    client_for, school_x, school_y_curator, school_x_curator, municipality_a, region
):  # type: ignore[no-untyped-def]
    add_diagnostics(build_hand_made(school_x))
    stranger = client_for(school_y_curator)
    for name in ("monitoring:stage1", "monitoring:stage2"):
        assert stranger.get(reverse(name, args=[ORGANISATION, school_x.pk])).status_code == 404
    curator = client_for(school_x_curator)
    for name in ("monitoring:stage1", "monitoring:stage2"):
        assert curator.get(reverse(name, args=[ORGANISATION, school_x.pk]) + ON_D).status_code == 200
        assert curator.get(reverse(name, args=[MUNICIPALITY, municipality_a.pk])).status_code == 404
    assert curator.get(reverse("monitoring:stage2", args=["region", region.pk])).status_code == 404


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _participant(school, program) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory(organisation=school, birth_date=dt.date(2012, 1, 1))
    take_part(program, person, "mentee")
    submit(program, "diagnostic", person, {"diag_motivation": 3, "diag_goals": 4}, OCT)
    submit(program, "diagnostic", person, {"diag_motivation": 6, "diag_goals": 4}, MAR)
    submit(program, "satisfaction_mentee", person, {"sat_real": 8, "sat_glad": "yes"}, MAR)
    submit(
        program, "program_quality", person, {"quality_organisation": 7, "swot_strengths": "Поддержка"}, MAR
    )
    submit(program, "diagnostic", PersonFactory(organisation=school), {"diag_motivation": 3}, OCT)


def test_stage_pages_make_as_many_queries_for_one_participant_as_for_many(
    client_for,
    school_x,
    school_y,
    school_x_curator,
    municipal_curator_a,
    municipality_a,
    regional_user,
    region,
):  # type: ignore[no-untyped-def]
    program_x = Program.objects.create(organisation=school_x, kind="students", title="П", academic_year=2025)
    program_y = Program.objects.create(organisation=school_y, kind="students", title="П", academic_year=2025)
    _participant(school_x, program_x)
    _participant(school_y, program_y)
    curator, municipal = client_for(school_x_curator), client_for(municipal_curator_a)
    urls = [
        (curator, reverse("monitoring:stage1", args=[ORGANISATION, school_x.pk]) + ON_D),
        (curator, reverse("monitoring:stage2", args=[ORGANISATION, school_x.pk]) + ON_D),
        (municipal, reverse("monitoring:stage1", args=[MUNICIPALITY, municipality_a.pk]) + ON_D),
        (municipal, reverse("monitoring:stage2", args=[MUNICIPALITY, municipality_a.pk]) + ON_D),
        (client_for(regional_user), reverse("monitoring:stage2", args=[REGION, region.pk]) + ON_D),
    ]
    before = [_queries(client, url) for client, url in urls]
    for _ in range(4):
        _participant(school_x, program_x)
        _participant(school_y, program_y)
    add_diagnostics(build_hand_made(school_x))  # pairs and forms too
    assert [_queries(client, url) for client, url in urls] == before


def test_grouping_fetched_measurements_gives_the_figures_of_grouping_in_the_database(school_x):  # type: ignore[no-untyped-def]
    """An organisation's stage 2 groups its measurements in Python, a municipality's in SQL:
    every way of grouping gives the same figures both ways."""
    from nastavnik.monitoring import growth
    from nastavnik.registry.models import Person

    add_diagnostics(build_hand_made(school_x))
    rows = growth.measurements(Person.objects.filter(organisation=school_x).values("pk"), D)
    fetched = growth.measured(rows)
    assert len(fetched) == 8  # four participants, two parameters each

    def as_figures(groups):  # type: ignore[no-untyped-def]
        return {
            key: (
                g.measurements,
                g.sum_before,
                g.sum_after,
                g.participants,
                g.improved,
                g.improved_measurements,
            )
            for key, g in groups.items()
        }

    for by in (None, "pair", "form", growth.RESPONDENT, "question__code"):
        for per_measurement in (False, True):
            assert as_figures(growth.grouped_measured(fetched, by, per_measurement)) == as_figures(
                growth.grouped(rows, by, per_measurement)
            ), (by, per_measurement)
