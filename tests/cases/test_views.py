"""The bank's pages: search and filters, the query count that does not grow with the cases, a
stranger's 404, private materials, and the year's collection as DOCX and PDF read back."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from nastavnik.cases import services
from nastavnik.cases.models import CaseStatus

from .conftest import accepted_by_school, allow_distribution, completed_pair, people_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cases_for_bank(program, curator, n):
    made = []
    for number in range(n):
        group = completed_pair(
            program,
            curator,
            mentor_name=(f"Орлов{'а' * number}", "Илья", "Петрович"),
            mentee_name=(f"Зайцев{'а' * number}", "Олег", "Ильич"),
        )
        made.append(services.case_create(acting_user=curator, group=group, topic=f"адаптация {number}"))
    return made


@pytest.mark.parametrize("n", [1, 3])
def test_the_bank_takes_the_same_number_of_queries_for_one_case_or_three(
    n, program, school_x_curator, client_for, django_assert_num_queries
):
    cases_for_bank(program, school_x_curator, n)
    client = client_for(school_x_curator)
    client.get(reverse("cases:bank"))  # warm the session and the user's scopes
    with django_assert_num_queries(10):
        response = client.get(reverse("cases:bank"), {"q": "адаптация"})
    assert response.status_code == 200
    assert response.content.decode().count("адаптация") >= n


def test_the_bank_filters_by_text_topic_year_and_level(program, school_x_curator, client_for):
    first, second = cases_for_bank(program, school_x_curator, 2)
    services.case_update(acting_user=school_x_curator, case=second, title="Профориентация восьмиклассника")
    accepted_by_school(second, school_x_curator)
    client = client_for(school_x_curator)
    page = client.get(reverse("cases:bank"), {"q": "профориентация"}).content.decode()
    assert "Профориентация восьмиклассника" in page and first.title not in page.split("Найдено")[1]
    page = client.get(reverse("cases:bank"), {"level": "school"}).content.decode()
    assert "Найдено: 1" in page
    page = client.get(
        reverse("cases:bank"), {"topic": "адаптация 0", "year": first.academic_year}
    ).content.decode()
    assert "Найдено: 1" in page


def test_the_municipality_sees_in_its_bank_only_the_cases_its_schools_accepted(
    program, school_x_curator, municipal_curator_a, client_for
):
    draft, accepted = cases_for_bank(program, school_x_curator, 2)
    accepted_by_school(accepted, school_x_curator)
    page = client_for(municipal_curator_a).get(reverse("cases:bank")).content.decode()
    assert "Найдено: 1" in page and reverse("cases:detail", args=[accepted.pk]) in page
    assert reverse("cases:detail", args=[draft.pk]) not in page


def test_a_curator_of_another_school_gets_404_for_the_case_and_its_material(
    case, school_x_curator, school_y_curator, client_for
):
    material = services.material_add(
        acting_user=school_x_curator, case=case, title="План", file=SimpleUploadedFile("plan.pdf", PDF)
    )
    own = client_for(school_x_curator)
    assert own.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    download = own.get(reverse("cases:material_file", args=[case.pk, material.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    stranger = client_for(school_y_curator)
    assert stranger.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert stranger.get(reverse("cases:material_file", args=[case.pk, material.pk])).status_code == 404
    assert stranger.post(reverse("cases:submit", args=[case.pk])).status_code == 404


def test_the_case_page_says_why_names_cannot_be_published(case, school_x_curator, client_for):
    accepted_by_school(case, school_x_curator)
    page = client_for(school_x_curator).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "нет согласия на распространение" in page
    assert "только обезличенно" in page and "Опубликовать с именами" not in page


def test_the_mentor_writes_a_case_from_the_prefilled_form(pair, mentor_user, client_for):
    client = client_for(mentor_user)
    bank = client.get(reverse("cases:bank")).content.decode()
    assert reverse("cases:new", args=[pair.pk]) in bank
    form = client.get(reverse("cases:new", args=[pair.pk])).content.decode()
    assert "отстаёт по математике" in form
    response = client.post(
        reverse("cases:new", args=[pair.pk]),
        {
            "title": "Математика без страха",
            "topic": "успеваемость",
            "request": "Запрос",
            "work_done": "Сделано",
            "result": "Итог",
        },
    )
    assert response.status_code == 302
    assert pair.cases.get().title == "Математика без страха"


def read_docx(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_collection_of_the_year_reads_back_as_docx_and_pdf_anonymised_where_consent_is_missing(
    program, school_x_curator, municipal_curator_a, regional_user, region, client_for
):
    named_pair = completed_pair(program, school_x_curator)
    anonymous_pair = completed_pair(
        program,
        school_x_curator,
        mentor_name=("Егоров", "Павел", "Олегович"),
        mentee_name=("Лисицына", "Вера", "Ивановна"),
    )
    for person in people_of(named_pair):
        allow_distribution(person)
    for group, title in ((named_pair, "Математика без страха"), (anonymous_pair, "Первый год в школе")):
        case = services.case_create(acting_user=school_x_curator, group=group, title=title)
        accepted_by_school(case, school_x_curator)
        services.case_accept(acting_user=municipal_curator_a, case=case)
        services.case_accept(acting_user=regional_user, case=case)
        assert case.status == CaseStatus.REGION_ACCEPTED
    client = client_for(regional_user)
    url = reverse("cases:collection", args=[region.pk])
    docx = read_docx(client.get(url, {"year": case.academic_year, "fmt": "docx"}).content)
    assert "СБОРНИК ЛУЧШИХ ПРАКТИК НАСТАВНИЧЕСТВА" in docx and "Содержание" in docx
    assert "1. Математика без страха" in docx and "2. Первый год в школе" in docx
    assert "Белова Мария Андреевна" in docx and "Лисицына" not in docx and "Егоров" not in docx
    assert "Кейс обезличен" in docx
    response = client.get(url, {"year": case.academic_year, "fmt": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "СБОРНИК ЛУЧШИХ ПРАКТИК" in pdf and "Содержание" in pdf and "Математика без страха" in pdf
    assert "Лисицына" not in pdf and "Соколов" in pdf
    assert client_for(municipal_curator_a).get(url, {"year": case.academic_year}).status_code == 404


def test_the_home_page_reminds_each_level_of_the_cases_waiting_for_it(
    case, school_x_curator, municipal_curator_a, regional_user, client_for
):
    services.case_submit(acting_user=school_x_curator, case=case)
    assert (
        ">1</span> кейс ждёт вашего решения"
        in client_for(school_x_curator).get(reverse("home")).content.decode()
    )
    assert (
        "вашего решения в банке" not in client_for(municipal_curator_a).get(reverse("home")).content.decode()
    )
    services.case_accept(acting_user=school_x_curator, case=case)
    assert (
        ">1</span> кейс ждёт вашего решения"
        in client_for(municipal_curator_a).get(reverse("home")).content.decode()
    )
    assert "вашего решения в банке" not in client_for(regional_user).get(reverse("home")).content.decode()
