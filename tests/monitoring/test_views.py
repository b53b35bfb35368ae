"""Dashboards and drill-downs: who may open them, that a municipality sums its organisations,
that every number leads to exactly the people it counts, and constant query counts."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.mentoring.models import (
    EventInvitation,
    GroupMembership,
    MentoringGroup,
    ProgramEvent,
    ProgramEventKind,
)
from nastavnik.monitoring import selectors
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.models import Indicator, IndicatorTarget
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, REGION
from nastavnik.orgs.models import MentoringForm, Program, ProgramKind
from tests.factories import OrganisationFactory, PersonFactory, TeacherFactory
from tests.monitoring.conftest import (
    OCT_1,
    D,
    add_diagnostics,
    add_events,
    at_noon,
    build_hand_made,
    submit,
    take_part,
)

pytestmark = pytest.mark.django_db
ON_D = f"?date={D.isoformat()}"


def org_url(org) -> str:  # type: ignore[no-untyped-def]
    return reverse("monitoring:organisation", args=[org.pk])


def mun_url(mun) -> str:  # type: ignore[no-untyped-def]
    return reverse("monitoring:municipality", args=[mun.pk])


def drill(client, **params) -> list[str]:  # type: ignore[no-untyped-def]
    from urllib.parse import urlencode

    response = client.get(reverse("monitoring:people") + "?" + urlencode(params))
    assert response.status_code == 200
    return re.findall(r'href="/registry/\d+/">([^<]+)</a>', response.content.decode())


def small_school(municipality, mentees: int, learners: int):  # type: ignore[no-untyped-def]
    """A school with `learners` 12-year-olds of whom the first `mentees` are in a group of one
    teacher (who is the school's only mentor)."""
    school = OrganisationFactory(municipality=municipality)
    program = Program.objects.create(
        organisation=school, kind=ProgramKind.STUDENTS, title="П", academic_year=2025
    )
    in_group = []
    for n in range(learners):
        person = PersonFactory(organisation=school, birth_date=dt.date(2013, 6, 1))
        if n < mentees:
            in_group.append(take_part(program, person, "mentee"))
    if in_group:
        mentor = take_part(program, TeacherFactory(organisation=school), "mentor")
        group = MentoringGroup.objects.create(
            program=program,
            form=MentoringForm.objects.get(code="teacher-student"),
            mentor=mentor,
            started_on=OCT_1,
        )
        for mentee in in_group:
            GroupMembership.objects.create(group=group, mentee=mentee, joined_on=OCT_1)
    return school


# --- permissions -----------------------------------------------------------------------------------


def test_a_curator_of_school_y_gets_404_on_school_xs_dashboard_drilldowns_and_reports(
    client_for, school_x, school_y_curator
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    client = client_for(school_y_curator)
    for url in (
        org_url(school_x),
        reverse("monitoring:people") + f"?level=organisation&pk={school_x.pk}&indicator=mentees-count",
        reverse("monitoring:people") + f"?level=organisation&pk={school_x.pk}&role=mentee",
        reverse("monitoring:targets", args=["organisation", school_x.pk]),
        reverse("monitoring:annual_report", args=[school_x.pk, "docx"]),
        reverse("monitoring:annual_report", args=[school_x.pk, "pdf"]),
        reverse("monitoring:annual_report", args=[school_x.pk, "html"]),
        reverse("monitoring:statistics", args=["organisation", school_x.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_school_curator_cannot_open_the_municipality_or_the_region(
    client_for, school_x_curator, municipality_a, region
):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    assert client.get(mun_url(municipality_a)).status_code == 404
    assert client.get(reverse("monitoring:region", args=[region.pk])).status_code == 404
    assert client.get(reverse("monitoring:municipal_base", args=[municipality_a.pk])).status_code == 404
    assert (
        client.get(
            reverse("monitoring:people") + f"?level=municipality&pk={municipality_a.pk}&role=mentee"
        ).status_code
        == 404
    )


def test_a_municipal_curator_sees_only_their_municipality(
    client_for, municipal_curator_a, municipality_a, municipality_b, school_x, school_z, region
):  # type: ignore[no-untyped-def]
    client = client_for(municipal_curator_a)
    assert client.get(mun_url(municipality_a)).status_code == 200
    assert client.get(org_url(school_x)).status_code == 200
    assert client.get(mun_url(municipality_b)).status_code == 404
    assert client.get(org_url(school_z)).status_code == 404
    assert client.get(reverse("monitoring:region", args=[region.pk])).status_code == 404
    page = client.get(mun_url(municipality_a)).content.decode()
    assert school_x.short_name in page and school_z.short_name not in page


def test_participants_and_specialists_have_no_monitoring(
    client_for, school_x, school_x_specialist, no_role_user
):  # type: ignore[no-untyped-def]
    for user in (school_x_specialist, no_role_user):
        client = client_for(user)
        assert client.get(reverse("monitoring:index")).status_code == 404
        assert client.get(org_url(school_x)).status_code == 404


def test_anonymous_users_are_sent_to_login(client, school_x):  # type: ignore[no-untyped-def]
    response = client.get(org_url(school_x))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_index_leads_each_level_to_its_dashboard(
    client_for, school_x_curator, municipal_curator_a, regional_user, school_x, municipality_a, region
):  # type: ignore[no-untyped-def]
    assert client_for(school_x_curator).get(reverse("monitoring:index"))["Location"] == org_url(school_x)
    assert client_for(municipal_curator_a).get(reverse("monitoring:index"))["Location"] == mun_url(
        municipality_a
    )
    assert client_for(regional_user).get(reverse("monitoring:index"))["Location"] == reverse(
        "monitoring:region", args=[region.pk]
    )


# --- numbers ---------------------------------------------------------------------------------------


def test_the_organisation_dashboard_shows_the_hand_computed_values_and_status(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="ovz-covered"),
        year=2026,
        value=Decimal(50),
        organisation=school_x,
    )
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="at-risk-covered"),
        year=2021,
        value=Decimal(70),
        organisation=school_x,
    )
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    cells = {c.indicator.code: c for c in selectors.organisation_dashboard(school_x_curator, scope, D).cells}
    assert cells["ovz-covered"].status == selectors.MET  # 1/2 = 50 % ≥ 50 %
    assert cells["at-risk-covered"].status == selectors.BEHIND  # 2/3 < 70 % (the 2021 target holds in 2026)
    assert cells["mentees-count"].status == selectors.NO_TARGET
    page = client_for(school_x_curator).get(org_url(school_x) + ON_D).content.decode()
    assert "66,7&nbsp;%" in page and "отставание" in page and "достигнуто" in page


def test_a_target_before_its_year_is_not_in_force_and_an_organisation_inherits_the_municipalitys(
    school_x, school_x_curator, municipality_a
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    indicator = Indicator.objects.get(code="learners-covered")
    IndicatorTarget.objects.create(indicator=indicator, year=2027, value=Decimal(10), organisation=school_x)
    IndicatorTarget.objects.create(
        indicator=indicator, year=2025, value=Decimal(60), municipality=municipality_a
    )
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    cell = next(
        c
        for c in selectors.organisation_dashboard(school_x_curator, scope, D).cells
        if c.indicator == indicator
    )
    assert cell.target is not None and cell.target.source == MUNICIPALITY and cell.target.value == 60
    assert cell.status == selectors.BEHIND  # 7/12 = 58.3 % < 60 %


def test_a_municipality_sums_exactly_what_each_of_its_organisations_shows(
    school_x, school_y, municipality_a, municipal_curator_a
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    build_hand_made(school_y)
    small_school(municipality_a, mentees=3, learners=7)
    board = selectors.municipality_dashboard(
        municipal_curator_a, get_scope_for_user(municipal_curator_a, MUNICIPALITY, municipality_a.pk), D
    )
    assert len(board.rows) == 3
    for index, indicator in enumerate(board.indicators):
        shown = []
        for row in board.rows:
            own = selectors.organisation_dashboard(
                municipal_curator_a, get_scope_for_user(municipal_curator_a, ORGANISATION, row.obj.pk), D
            ).cells[index]
            assert (
                own.measure == row.cells[index].measure
            )  # the side-by-side table shows the school's own number
            shown.append(own.measure)
        total = board.total[index].measure
        assert total.numerator == sum(m.numerator for m in shown), indicator.code
        if indicator.is_share:
            assert total.denominator == sum(m.denominator or 0 for m in shown), indicator.code
    # and by hand: two hand-made schools (5 mentees each) + 3 → 13
    assert next(c for c in board.total if c.indicator.code == "mentees-count").measure.numerator == 13


def test_a_region_sums_its_municipalities(
    regional_user, region, municipality_a, municipality_b, school_x, school_z
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    small_school(municipality_b, mentees=2, learners=4)
    board = selectors.region_dashboard(regional_user, get_scope_for_user(regional_user, REGION, region.pk), D)
    counts = {
        row.obj.pk: next(c for c in row.cells if c.indicator.code == "mentees-count").measure.numerator
        for row in board.rows
    }
    assert counts == {municipality_a.pk: 5, municipality_b.pk: 2}
    total = next(c for c in board.total if c.indicator.code == "learners-covered").measure
    assert (total.numerator, total.denominator) == (7 + 2, 12 + 4)


def test_the_region_counts_organisations_behind_their_targets(
    regional_user, region, municipality_a, school_x
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    small_school(municipality_a, mentees=1, learners=10)  # 10 % covered
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="learners-covered"), year=2024, value=Decimal(50), region=region
    )
    board = selectors.region_dashboard(regional_user, get_scope_for_user(regional_user, REGION, region.pk), D)
    behind = {i.code: n for i, n in board.behind_counts}
    assert behind["learners-covered"] == 1  # school X has 58.3 %, the small school 10 %
    row = next(r for r in board.rows if r.obj == municipality_a)
    assert next(c for c in row.cells if c.indicator.code == "learners-covered").organisations_behind == 1


# --- drill-down --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "part", "expected"),
    [
        ("mentees-11-18", "numerator", {"Одиннадцать-сегодня", "ОВЗ-учёт"}),
        ("mentors-15-18", "numerator", {"Восемнадцать-завтра-девятнадцать", "Учёт-выбудет-после"}),
        ("at-risk-covered", "denominator", {"ОВЗ-учёт", "Учёт-выбудет-после", "Учёт-не-охвачен"}),
        ("consent-coverage", "numerator", {
            "Одиннадцать-сегодня", "Восемнадцать-завтра-девятнадцать", "Девятнадцать-сегодня", "ОВЗ-учёт",
            "Учёт-выбудет-после", "Девять-завтра-десять", "Молодой-наставляемый",
        }),
        ("young-teachers-mentees", "denominator", {"Молодой-наставляемый", "Молодой-специалист-по-отметке", "Молодой-кандидат"}),
    ],
)  # fmt: skip
def test_every_indicator_number_drills_down_to_the_people_it_counts(
    client_for, school_x, school_x_curator, code, part, expected
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    names = drill(
        client_for(school_x_curator),
        level="organisation",
        pk=school_x.pk,
        date=D.isoformat(),
        indicator=code,
        part=part,
    )
    assert {name.split()[0] for name in names} == expected


def test_the_links_on_the_dashboard_lead_to_lists_as_long_as_the_numbers(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    client = client_for(school_x_curator)
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    board = selectors.organisation_dashboard(school_x_curator, scope, D)
    checked = 0
    for cell in board.cells:
        for url, number in (
            (cell.numerator_url, cell.measure.numerator),
            (cell.denominator_url, cell.measure.denominator),
        ):
            if not url:
                continue
            query = {k: v[0] for k, v in parse_qs(urlparse(unescape(url)).query).items()}
            assert len(drill(client, **query)) == number, url
            checked += 1
    stats = board.statistics
    for b in stats.by_kind + stats.by_category + stats.by_form:
        for url, number in ((b.mentees_url, b.mentees), (b.mentors_url, b.mentors)):
            query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
            assert len(drill(client, **query)) == number, url
            checked += 1
    assert checked > 25


def test_a_municipal_drilldown_lists_only_people_of_the_municipality(
    client_for, municipal_curator_a, municipality_a, school_x, school_z
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    build_hand_made(school_z)  # another municipality
    names = drill(
        client_for(municipal_curator_a),
        level="municipality",
        pk=municipality_a.pk,
        date=D.isoformat(),
        role="mentee",
    )
    assert len(names) == 5


def test_statistics_by_role_agree_with_the_count_indicators(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    scope = get_scope_for_user(school_x_curator, ORGANISATION, school_x.pk)
    board = selectors.organisation_dashboard(school_x_curator, scope, D)
    cells = {c.indicator.code: c.measure.numerator for c in board.cells}
    assert (board.statistics.mentees, board.statistics.mentors) == (
        cells["mentees-count"],
        cells["mentors-count"],
    )
    by_kind = {b.key: (b.mentees, b.mentors) for b in board.statistics.by_kind}
    assert by_kind == {"student": (4, 3), "teacher": (1, 1)}
    at_risk = next(b for b in board.statistics.by_category if b.label == "Учёт / СОП")
    assert (at_risk.mentees, at_risk.mentors) == (1, 1)  # s6 mentee, s8 mentor (s7 left)
    by_form = {b.label: (b.mentees, b.mentors) for b in board.statistics.by_form}
    # G1, G3 and the role variant G2 are ученик–ученик: s1 s2 s14 s6 / s3 s8 s4; G5 учитель–учитель
    assert by_form == {"Ученик – ученик": (4, 3), "Учитель – учитель": (1, 1)}
    progress = {row.role: {s: n for s, _, n, _ in row.by_status} for row in board.progress}
    # mentees of 2025/26 added by D, still in school: s1 s2 s14 t1 in pair, s6 completed,
    # s5 a candidate, t3 admitted again after an early end, s9 withdrawn
    assert progress["mentee"]["in_pair"] == 4 and progress["mentee"]["completed"] == 1
    assert (
        progress["mentee"]["candidate"],
        progress["mentee"]["admitted"],
        progress["mentee"]["withdrawn"],
    ) == (1, 1, 1)


# --- query counts ------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("level", ["organisation", "municipality", "region"])
def test_dashboard_queries_do_not_grow_with_organisations_and_people(
    client_for, level, municipality_a, region, school_x, school_x_curator, municipal_curator_a, regional_user
):  # type: ignore[no-untyped-def]
    user, url = {
        "organisation": (school_x_curator, org_url(school_x)),
        "municipality": (municipal_curator_a, mun_url(municipality_a)),
        "region": (regional_user, reverse("monitoring:region", args=[region.pk])),
    }[level]
    client = client_for(user)
    small_school(municipality_a, mentees=1, learners=1)
    one = _queries(client, url + ON_D)
    build_hand_made(school_x)
    for _ in range(3):
        small_school(municipality_a, mentees=4, learners=9)
    TeacherFactory(organisation=school_x)
    IndicatorTarget.objects.create(
        indicator=Indicator.objects.get(code="ovz-covered"),
        year=2026,
        value=Decimal(50),
        organisation=school_x,
    )
    assert _queries(client, url + ON_D) == one


def test_drilldown_and_report_queries_do_not_grow_with_people(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    """One of everything the report counts (a pair, a satisfaction questionnaire, two
    diagnostics, an event) against the hand-made school with all of it several times over."""
    client = client_for(school_x_curator)
    small = reverse("monitoring:people") + f"?level=organisation&pk={school_x.pk}&date={D}&role=mentee"
    reports = [
        reverse("monitoring:annual_report", args=[school_x.pk, fmt]) + ON_D for fmt in ("html", "docx")
    ]
    program = Program.objects.create(
        organisation=school_x, kind=ProgramKind.STUDENTS, title="П", academic_year=2025
    )
    group = MentoringGroup.objects.create(
        program=program,
        form=MentoringForm.objects.get(code="teacher-student"),
        mentor=take_part(program, TeacherFactory(organisation=school_x), "mentor"),
        started_on=OCT_1,
    )
    person = PersonFactory(organisation=school_x)
    mentee = take_part(program, person, "mentee")
    GroupMembership.objects.create(group=group, mentee=mentee, joined_on=OCT_1)
    submit(program, "satisfaction_mentee", person, {"sat_real": 8, "sat_glad": "yes"}, dt.date(2026, 3, 1))
    submit(program, "diagnostic", person, {"diag_motivation": 3}, OCT_1)
    submit(program, "diagnostic", person, {"diag_motivation": 5}, dt.date(2026, 3, 1))
    event = ProgramEvent.objects.create(
        program=program, kind=ProgramEventKind.OTHER, title="Встреча", starts_at=at_noon(dt.date(2026, 2, 1))
    )
    EventInvitation.objects.create(event=event, person=person, participation=mentee, attended=True)
    few = [_queries(client, url) for url in (small, *reports)]
    hm = build_hand_made(school_x)
    add_diagnostics(hm)
    add_events(hm)
    assert [_queries(client, url) for url in (small, *reports)] == few


# --- dates -------------------------------------------------------------------------------------------


def test_a_past_date_and_an_academic_year_are_shown_as_asked(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    client = client_for(school_x_curator)
    assert "15 марта 2026" in client.get(org_url(school_x) + ON_D).content.decode()
    page = client.get(org_url(school_x) + "?year=2024").content.decode()
    assert "31 августа 2025" in page and "2024/2025" in page
    # a future date is today, not a forecast
    assert "прошлая дата" not in client.get(org_url(school_x) + "?date=2999-01-01").content.decode()


def test_reports_download_for_the_chosen_date(
    client_for, school_x, school_x_curator, municipal_curator_a, municipality_a
):  # type: ignore[no-untyped-def]
    from docx import Document
    from openpyxl import load_workbook

    build_hand_made(school_x)
    client = client_for(school_x_curator)
    docx = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "docx"]) + ON_D)
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2025/2026" in text and "15.03.2026" in text
    indicator_table = document.tables[1]
    ovz_row = next(r for r in indicator_table.rows if "ограниченными" in r.cells[1].text)
    assert [ovz_row.cells[i].text for i in (2, 3)] == ["50,0 %", "1 из 2"]

    pdf = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "pdf"]) + ON_D)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    form = client.get(reverse("monitoring:statistics", args=["organisation", school_x.pk]) + ON_D)
    sheet = load_workbook(io.BytesIO(form.content))["Участники"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["1"][2:5] == (5, 4, 9)  # mentees, mentors, total
    assert rows["2.1"][1] == "Обучающийся" and rows["2.1"][2:4] == (4, 3)
    assert "15.03.2026" in sheet["A4"].value

    base = client_for(municipal_curator_a).get(
        reverse("monitoring:municipal_base", args=[municipality_a.pk]) + ON_D
    )
    book = load_workbook(io.BytesIO(base.content))
    data = list(book.active.iter_rows(min_row=5, values_only=True))
    # participations of 2025/26 added by D of people still in school: s1 s2 s3 s4 s5 s6 s8 s9 s14 t1 t3 t4
    assert len(data) == 12
    by_name = {r[2].split()[0]: r for r in data}
    assert by_name["Учёт-совершеннолетний"][9] == "Выбыл(а)"
    assert by_name["ОВЗ-кандидат"][12] == "нет" and by_name["ОВЗ-учёт"][12] == "есть"
    assert "ОВЗ" in by_name["ОВЗ-учёт"][11]


def test_every_indicator_of_every_unit_loads_when_opened(
    client_for, regional_user, municipal_curator_a, region, municipality_a, municipality_b, school_x
):  # type: ignore[no-untyped-def]
    build_hand_made(school_x)
    matrix = reverse("monitoring:matrix", args=["region", region.pk]) + ON_D
    client = client_for(regional_user)
    page = client.get(reverse("monitoring:region", args=[region.pk]) + ON_D).content.decode()
    # the dashboard carries the key columns; the full table is asked for when «Все показатели» opens
    assert "mon-matrix" not in page
    assert f'hx-get="{matrix.replace("&", "&amp;")}"' in page and f'href="{matrix}"' in page

    partial = client.get(matrix, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div class="table-wrap"><table class="mon-matrix">')
    assert "<html" not in partial
    for indicator in Indicator.objects.filter(is_active=True):
        assert f">{indicator.short_name}</th>" in unescape(partial)
    assert municipality_a.name in partial and municipality_b.name in partial

    without_js = client.get(matrix).content.decode()
    assert "<html" in without_js and 'class="mon-matrix"' in without_js
    assert reverse("monitoring:region", args=[region.pk]) in without_js  # back to the dashboard

    municipal = client_for(municipal_curator_a)
    assert municipal.get(matrix).status_code == 404  # the region is not theirs
    own = reverse("monitoring:matrix", args=["municipality", municipality_a.pk]) + ON_D
    assert school_x.short_name in municipal.get(own, HTTP_HX_REQUEST="true").content.decode()
    assert (
        municipal.get(reverse("monitoring:matrix", args=["municipality", municipality_b.pk])).status_code
        == 404
    )
    assert municipal.get(reverse("monitoring:matrix", args=["organisation", school_x.pk])).status_code == 404
