"""Apps above monitoring add counted indicators to the dashboards and sections to the annual report
through the signals of `monitoring/extensions.py`; monitoring renders what they return."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.urls import reverse

from nastavnik.monitoring.extensions import ProgramCount, ReportSection, program_counts, report_sections
from nastavnik.monitoring.scopes import ORGANISATION

pytestmark = pytest.mark.django_db


def _counts(sender, user, scope, day, **kwargs):  # type: ignore[no-untyped-def]
    if scope.level == ORGANISATION:
        return [
            ProgramCount(
                "publications", "Публикации о наставничестве", 2, "публикация,публикации,публикаций", 5
            )
        ]
    return ProgramCount("agreements", "Соглашения с партнёрами", 1, "соглашение,соглашения,соглашений")


def _sections(sender, user, scope, day, **kwargs):  # type: ignore[no-untyped-def]
    return [
        ReportSection(20, "Лучшие практики", paragraphs=("Принято кейсов: 3.",)),
        ReportSection(10, "Рекомендации", header=("Школа", "Срок"), rows=(("Школа № 1", "01.03.2027"),)),
        ReportSection(30, "Конкурсы", header=("Конкурс",)),
    ]


@pytest.fixture
def connected() -> Iterator[None]:
    program_counts.connect(_counts, dispatch_uid="test_counts")
    report_sections.connect(_sections, dispatch_uid="test_sections")
    yield
    program_counts.disconnect(dispatch_uid="test_counts")
    report_sections.disconnect(dispatch_uid="test_sections")


def _counts_url(level: str, pk: int) -> str:
    return reverse("monitoring:program_counts", args=[level, pk])


def test_dashboards_load_the_counts_after_the_page(client_for, school_x_curator, school_x):  # type: ignore[no-untyped-def]
    """The dashboard's own request does not count them: its slot asks for the card once shown."""
    page = client_for(school_x_curator).get(reverse("monitoring:organisation", args=[school_x.pk]))
    text = page.content.decode()
    assert f'hx-get="{_counts_url("organisation", school_x.pk)}?date=' in text
    assert 'hx-trigger="load"' in text


def test_dashboards_show_counts_with_agreeing_numerals(connected, client_for, school_x_curator, school_x,
                                                      municipal_curator_a, municipality_a):  # fmt: skip
    card = client_for(school_x_curator).get(_counts_url("organisation", school_x.pk), HTTP_HX_REQUEST="true")
    text = card.content.decode()
    assert "Другие показатели программы" in text and "<html" not in text
    assert "2\xa0публикации" in text and "не менее 5" in text and "отстаёт" in text
    overview = client_for(municipal_curator_a).get(
        _counts_url("municipality", municipality_a.pk), HTTP_HX_REQUEST="true"
    )
    assert "1\xa0соглашение" in overview.content.decode()


def test_without_js_the_counts_are_a_page_of_their_own(connected, client_for, school_x_curator, school_x):  # type: ignore[no-untyped-def]
    page = client_for(school_x_curator).get(_counts_url("organisation", school_x.pk) + "?date=2026-11-20")
    text = page.content.decode()
    assert "<html" in text and "2\xa0публикации" in text
    assert "на 20 ноября 2026" in text and "К панели мониторинга" in text


def test_without_receivers_the_block_is_absent(client_for, school_x_curator, school_x, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(program_counts, "receivers", [])
    monkeypatch.setattr(program_counts, "sender_receivers_cache", {})
    card = client_for(school_x_curator).get(_counts_url("organisation", school_x.pk), HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and card.content.decode().strip() == ""
    page = client_for(school_x_curator).get(_counts_url("organisation", school_x.pk))
    assert "Других показателей на эту дату нет" in page.content.decode()


def test_counts_of_another_school_are_refused(connected, client_for, school_x_curator, school_y):  # type: ignore[no-untyped-def]
    card = client_for(school_x_curator).get(_counts_url("organisation", school_y.pk), HTTP_HX_REQUEST="true")
    assert card.status_code in (403, 404)
    assert "публикаци" not in card.content.decode()


def test_counts_of_an_unknown_level_are_not_found(client_for, school_x_curator, school_x):  # type: ignore[no-untyped-def]
    assert client_for(school_x_curator).get(_counts_url("planet", school_x.pk)).status_code == 404


def test_annual_report_numbers_extra_sections_after_the_built_in_five(connected, client_for, school_x_curator,
                                                                      school_x):  # fmt: skip
    from docx import Document

    client = client_for(school_x_curator)
    html = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "html"])).content.decode()
    assert "6. Другие показатели программы" in html
    assert "7. Рекомендации" in html and "Школа № 1" in html
    assert "8. Лучшие практики" in html and "Принято кейсов: 3." in html
    assert "9. Конкурсы" in html and "Нет данных за этот период." in html
    response = client.get(reverse("monitoring:annual_report", args=[school_x.pk, "docx"]))
    document = Document(io.BytesIO(response.content))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings[-4:] == [
        "6. Другие показатели программы",
        "7. Рекомендации",
        "8. Лучшие практики",
        "9. Конкурсы",
    ]
    assert any(
        t.rows[0].cells[0].text == "Школа" and t.rows[1].cells[0].text == "Школа № 1" for t in document.tables
    )
