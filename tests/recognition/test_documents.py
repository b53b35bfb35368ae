"""The encouragement order, the certificate and the procedure open as DOCX and PDF, with the
mentor's name in the case each sentence needs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from nastavnik.recognition import services
from tests.recognition.conftest import YEAR

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def order_with_awards(ranked_school, award_kinds, school_x, school_x_curator):
    school_x.head_name = "Лебедева Н. А."
    school_x.save()
    order = services.award_order_create(
        acting_user=school_x_curator, organisation=school_x, signed_on=dt.date(YEAR, 12, 1), number="148-о"
    )
    thanks = services.award_add(
        acting_user=school_x_curator,
        order=order,
        person=ranked_school["ivanova"],
        kind=award_kinds["Благодарность"],
        reason="за высокие результаты наставнической деятельности",
    )
    diploma = services.award_add(
        acting_user=school_x_curator,
        order=order,
        person=ranked_school["petrov"],
        kind=award_kinds["Почётная грамота"],
        reason="за вклад в развитие наставничества",
    )
    services.award_add(
        acting_user=school_x_curator,
        order=order,
        person=ranked_school["sidorov"],
        kind=award_kinds["Премия"],
        reason="за подготовку призёра",
        amount=Decimal("5000"),
    )
    return order, thanks, diploma


def test_the_order_names_each_mentor_in_the_case_of_its_point(
    order_with_awards, client_for, school_x_curator
):
    order, _, _ = order_with_awards
    client = client_for(school_x_curator)

    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        response = client.get(reverse("recognition:order_download", args=[order.pk, fmt]))
        assert response.status_code == 200
        text = " ".join(read(response.content).split())
        assert "ПРИКАЗ" in text and "148-о" in text
        assert (
            "Объявить благодарность Ивановой Марии Петровне (учитель математики) за высокие результаты"
            in text
        )
        assert "Наградить почётной грамотой Петрова Олега Ильича" in text
        assert (
            "Выплатить премию Сидорову Антону Юрьевичу (учитель математики) в размере 5 000 руб."
            in text.replace("\u00a0", " ")
        )
        assert "Лебедева Н. А." in text


def test_a_letter_of_gratitude_is_portrait_and_thanks_the_mentor_in_the_dative(
    order_with_awards, client_for, school_x_curator
):
    _, thanks, _ = order_with_awards
    client = client_for(school_x_curator)

    docx = client.get(reverse("recognition:certificate", args=[thanks.pk, "docx"])).content
    section = Document(io.BytesIO(docx)).sections[0]
    assert section.page_height > section.page_width
    assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in docx_text(docx)
    assert "Ивановой Марии Петровне" in docx_text(docx)
    pdf = client.get(reverse("recognition:certificate", args=[thanks.pk, "pdf"])).content
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.height > page.mediabox.width
    assert "Ивановой Марии Петровне" in pdf_text(pdf)
    assert "Лебедева Н. А." in pdf_text(pdf)


def test_a_certificate_of_honour_is_landscape_and_names_the_mentor_in_the_nominative(
    order_with_awards, client_for, school_x_curator
):
    _, _, diploma = order_with_awards
    client = client_for(school_x_curator)

    docx = client.get(reverse("recognition:certificate", args=[diploma.pk, "docx"])).content
    section = Document(io.BytesIO(docx)).sections[0]
    assert section.page_width > section.page_height
    assert "ПОЧЁТНАЯ ГРАМОТА" in docx_text(docx) and "Петров Олег Ильич" in docx_text(docx)
    pdf = client.get(reverse("recognition:certificate", args=[diploma.pk, "pdf"])).content
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    assert "Петров Олег Ильич" in pdf_text(pdf)


def test_a_bonus_has_no_certificate(order_with_awards, client_for, school_x_curator):
    order, _, _ = order_with_awards
    bonus = order.awards.get(kind__name="Премия")
    response = client_for(school_x_curator).get(reverse("recognition:certificate", args=[bonus.pk, "pdf"]))
    assert response.status_code == 404


def test_the_procedure_prints_its_criteria_and_weights(ranked_school, school_x, client_for, school_x_curator):
    client = client_for(school_x_curator)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        response = client.get(
            reverse("recognition:procedure_download", args=["organisation", school_x.pk, fmt])
        )
        text = " ".join(read(response.content).split())
        assert "ПОРЯДОК ВЫБОРА ЛУЧШЕГО НАСТАВНИКА" in text
        assert "Оценка куратора" in text and "Завершённые пары и группы" in text
        assert "наибольшая сумма — 100 баллов" in text


def test_a_material_award_without_a_sum_is_refused_in_russian(
    order_with_awards, award_kinds, ranked_school, school_x_curator
):
    from django.core.exceptions import ValidationError

    order, _, _ = order_with_awards
    with pytest.raises(ValidationError) as refusal:
        services.award_add(
            acting_user=school_x_curator,
            order=order,
            person=ranked_school["ivanova"],
            kind=award_kinds["Премия"],
            reason="за",
        )
    assert "Укажите сумму" in " ".join(refusal.value.messages)
