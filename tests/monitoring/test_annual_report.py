"""The organisation's annual report carries both stages of monitoring, with charts, in DOCX and PDF.

The numbers are those of the hand-made school (arithmetic in test_stages.py and test_indicators.py)
and of its program events (conftest.add_events), the school being in Vladivostok.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from nastavnik.monitoring import documents
from nastavnik.monitoring.documents import charts
from nastavnik.monitoring.growth import Growth
from nastavnik.monitoring.models import Indicator
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.orgs.models import Program, ProgramKind
from tests.monitoring.conftest import D, HandMade, add_diagnostics, add_events, build_hand_made, submit

pytestmark = pytest.mark.django_db
ON_D = f"?date={D.isoformat()}"


@pytest.fixture
def full_school(school_x) -> HandMade:  # type: ignore[no-untyped-def]
    school_x.timezone = "Asia/Vladivostok"
    school_x.save()
    hm = build_hand_made(school_x)
    add_diagnostics(hm)
    add_events(hm)
    # the program-quality questionnaire: a mentor and a mentee, one SWOT answer given twice
    for key, score in (("s3", 8), ("s1", 5)):
        submit(hm.program, "program_quality", hm.people[key], {"quality_organisation": score,
               "swot_strengths": "Встречи раз в неделю"}, dt.date(2026, 3, 2))  # fmt: skip
    return hm


def docx_of(client, school, query: str = ON_D):  # type: ignore[no-untyped-def]
    from docx import Document

    response = client.get(reverse("monitoring:annual_report", args=[school.pk, "docx"]) + query)
    assert response.status_code == 200
    return Document(io.BytesIO(response.content))


def table_starting(document, first_header: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The rows (header included) of the one table whose first header cell is `first_header`."""
    found = [t for t in document.tables if t.rows[0].cells[0].text == first_header]
    assert len(found) == 1, first_header
    return [[cell.text for cell in row.cells] for row in found[0].rows]


def by_first_cell(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in rows[1:]}


def text_of(document) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(p.text for p in document.paragraphs)


# --- DOCX ----------------------------------------------------------------------------------------------


def test_the_docx_has_stage_1_with_the_hand_computed_satisfaction_plans_and_events(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    document = docx_of(client_for(school_x_curator), school_x)
    summary = by_first_cell(table_starting(document, "Участники"))
    # mentees s1 s2 s6, satisfied s1 s6; mentors s3 t4, satisfied s3; 3 of 5 in all
    assert summary == {
        "Наставляемые": ["3", "2", "66,7 % (2 из 3)"],
        "Наставники": ["2", "1", "50,0 % (1 из 2)"],
        "Все участники": ["5", "3", "60,0 % (3 из 5)"],
    }
    items = by_first_cell(table_starting(document, "Пункт анкеты (средняя оценка 1–10)"))
    assert items["Насколько комфортно было общаться с наставником?"] == ["7,3", "8,0"]
    assert items["Насколько вы чувствовали поддержку наставника, когда она была нужна?"] == ["8,0", "5,5"]
    assert items["Насколько вам удалось реализовать себя как наставнику?"] == ["—", "7,0"]
    assert items["Рады, что участвовали («да»)"] == ["66,7 % (2 из 3)", "100,0 % (2 из 2)"]
    assert items["Хотят продолжить («да»)"] == ["33,3 % (1 из 3)", "50,0 % (1 из 2)"]
    # plans: s1 s2 s14 (G1, 9 of 10 tasks) fulfilled, s6 (G2, 3 of 4) not
    assert (
        "Индивидуальные планы выполнены не менее чем на 90 % у 3 из 4 наставляемых "
        "с утверждённым планом (75,0 %)." in text_of(document)
    )
    # the share as the event's page shows it: whole per cent, rounded down (2 of 3 → 66 %)
    events = table_starting(document, "Мероприятие")
    assert events[1:] == [
        ["Общая встреча", "10.02.2026", "3", "2", "66 %"],
        ["Деловая игра", "15.03.2026", "1", "—", "не отмечено"],
        ["Всего", "", "4", "2", "50 %"],
    ]


def test_the_docx_has_stage_2_per_parameter_and_form_and_three_charts(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    document = docx_of(client_for(school_x_curator), school_x)
    total = by_first_cell(table_starting(document, "Показатель"))
    assert total == {
        "Участников с входной и итоговой диагностикой": ["4"],
        "Средняя оценка до": ["5,3"],
        "Средняя оценка после": ["6,3"],
        "Среднее изменение": ["+1,0"],
        "Участников с ростом": ["75,0 % (3 из 4)"],
        "Нет итоговой диагностики": ["2"],
    }
    parameters = by_first_cell(table_starting(document, "Параметр"))
    assert parameters == {
        "Мне интересно учиться": ["4", "5,3", "6,3", "+1,0", "50,0 % (2 из 4)"],
        "Я умею ставить цели и планировать свою работу": ["4", "5,3", "6,3", "+1,0", "75,0 % (3 из 4)"],
    }
    forms = by_first_cell(table_starting(document, "Форма"))
    assert forms == {
        "Ученик – ученик": ["3", "4,5", "5,5", "+1,0", "66,7 % (2 из 3)"],
        "Учитель – учитель": ["1", "7,5", "8,5", "+1,0", "100,0 % (1 из 1)"],
    }
    # indicators, satisfaction, growth: each a PNG of the text width, with its caption
    assert len(document.inline_shapes) == 3
    assert {round(shape.width.cm) for shape in document.inline_shapes} == {16}
    text = text_of(document)
    assert "Рисунок 2. Удовлетворённость участников" in text
    assert "Рисунок 3. Рост участников" in text
    assert "Нет участников" not in text and "не заполнены" not in text


def test_the_docx_has_the_program_quality_items_and_the_swot(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    document = docx_of(client_for(school_x_curator), school_x)
    items = by_first_cell(table_starting(document, "Пункт анкеты качества (1–10)"))
    assert items["Организация программы в целом"] == ["6,5", "2"]  # (8 + 5) / 2
    assert items["Удобство графика встреч"] == ["—", "0"]
    text = text_of(document)
    assert "Ответили на анкету качества реализации программы: 2." in text
    assert "Встречи раз в неделю (×2)" in text


def test_an_organisation_without_answers_diagnostics_plans_or_events_gets_sentences_not_tables(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    Program.objects.create(organisation=school_x, kind=ProgramKind.STUDENTS, title="П", academic_year=2025)
    client = client_for(school_x_curator)
    document = docx_of(client, school_x)
    text = text_of(document)
    for sentence in (
        "Анкеты удовлетворённости участников за 2025/2026 учебный год по состоянию на 15.03.2026 не заполнены.",
        "Утверждённых индивидуальных планов с задачами по состоянию на 15.03.2026 нет.",
        "Мероприятий программ по состоянию на 15.03.2026 не проводилось.",
        "Участников с входной и итоговой диагностикой за 2025/2026 учебный год по состоянию на 15.03.2026 нет.",
        "Анкеты качества реализации программы за 2025/2026 учебный год по состоянию на 15.03.2026 не заполнены.",
    ):
        assert sentence in text
    headers = {t.rows[0].cells[0].text for t in document.tables}
    assert not headers & {"Участники", "Пункт анкеты (средняя оценка 1–10)", "Мероприятие", "Параметр"}
    assert len(document.inline_shapes) == 0  # no indicator has a value or a target either
    html = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "html"]) + ON_D).content.decode()
    assert "не проводилось" in html and "<img" not in html


def test_plan_fulfilment_is_reported_even_when_the_region_hides_the_indicator(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    Indicator.objects.filter(code="plans-fulfilled").update(is_active=False)
    document = docx_of(client_for(school_x_curator), school_x)
    assert "у 3 из 4 наставляемых с утверждённым планом (75,0 %)" in text_of(document)


def test_the_report_of_an_academic_year_is_computed_on_its_last_day(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    page = client.get(reverse("monitoring:organisation", args=[school_x.pk]) + "?year=2024").content.decode()
    assert reverse("monitoring:annual_report", args=[school_x.pk, "docx"]) + "?date=2025-08-31" in page
    document = docx_of(client, school_x, "?year=2024")
    text = text_of(document)
    assert "за 2024/2025 учебный год" in text and "по состоянию на 31.08.2025" in text
    # s10's two diagnostics of 2024/25 (1, 1 → 9, 9) are that year's growth
    parameters = by_first_cell(table_starting(document, "Параметр"))
    assert parameters["Мне интересно учиться"] == ["1", "1,0", "9,0", "+8,0", "100,0 % (1 из 1)"]


# --- PDF -----------------------------------------------------------------------------------------------


def test_the_pdf_renders_and_its_html_has_both_stages_and_the_charts_as_images(
    client_for, full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    pdf = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "pdf"]) + ON_D)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "html"]) + ON_D).content.decode()
    assert "4. Мониторинг, этап 1" in html and "5. Мониторинг, этап 2" in html
    assert "60,0 % (3 из 5)" in html and "75,0 % (3 из 4)" in html and "66 %" in html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 3
    assert all(base64.b64decode(image).startswith(b"\x89PNG\r\n\x1a\n") for image in images)
    assert "Рисунок 3. Рост участников" in html


# --- charts --------------------------------------------------------------------------------------------


def test_a_chart_is_the_same_png_for_the_same_numbers_without_a_software_stamp(
    full_school, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    report = documents.annual_report(school_x_curator, Scope(ORGANISATION, school_x, school_x.timezone), D)
    first = charts.satisfaction_chart(report.stage1.total)
    again = charts.satisfaction_chart(report.stage1.total)
    assert first is not None and again is not None
    assert first.png == again.png
    assert b"Software" not in first.png and b"matplotlib" not in first.png
    other = charts.growth_chart([Growth(label="Параметр", measurements=2, sum_before=4, sum_after=9)], "Рост")
    assert other is not None and other.png != first.png
    assert charts.growth_chart([Growth(label="Параметр")], "Рост") is None
