"""The documents' pages: who downloads, who uploads templates and records adoptions; school A can
neither see nor change school B's; the plan prints for its pair, not for a stranger."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from nastavnik.programdocs.models import Adoption, CustomTemplate, DocumentKind
from nastavnik.programdocs.selectors import adopted_documents, published_documents
from nastavnik.programdocs.services import adoption_record
from tests.factories import ProgramFactory

from .test_documents import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def docx_upload(*lines: str) -> SimpleUploadedFile:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        "polozhenie.docx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def test_a_curator_downloads_the_regulation_as_docx_and_pdf(client_for, school_x_curator, documented_program):
    client = client_for(school_x_curator)
    url = reverse("programdocs:generate", args=[documented_program.organisation_id, "regulation", "docx"])
    response = client.get(url, {"program": documented_program.pk})
    assert response.status_code == 200
    assert "Кузнецова Елена Викторовна" in docx_text(response.content)
    response = client.get(url.replace(".docx", ".pdf"), {"program": documented_program.pk})
    assert response["Content-Type"] == "application/pdf"
    assert "Средняя школа № 7" in pdf_text(response.content)


def test_the_organisations_page_lists_every_document(client_for, school_x_curator, documented_program):
    response = client_for(school_x_curator).get(
        reverse("programdocs:organisation", args=[documented_program.organisation_id])
    )
    assert response.status_code == 200
    for kind in DocumentKind:
        assert kind.label in response.content.decode()


def test_another_school_can_neither_see_nor_generate_nor_change_the_documents(
    client_for, school_y_curator, documented_program
):
    client = client_for(school_y_curator)
    org = documented_program.organisation_id
    assert client.get(reverse("programdocs:organisation", args=[org])).status_code == 404
    assert client.get(reverse("programdocs:generate", args=[org, "regulation", "docx"])).status_code == 404
    upload = client.post(
        reverse("programdocs:template_upload", args=[org, "regulation"]),
        {"regulation-file": docx_upload("{{ org.full_name }}")},
    )
    assert upload.status_code == 404
    adopt = client.post(
        reverse("programdocs:adoption_create", args=[org, "regulation"]),
        {"regulation-adopted_on": "2026-09-01", "regulation-order_number": "1"},
    )
    assert adopt.status_code == 404
    assert not CustomTemplate.objects.exists() and not Adoption.objects.exists()


def test_the_municipality_reads_but_does_not_change_a_schools_documents(
    client_for, municipal_curator_a, documented_program
):
    client = client_for(municipal_curator_a)
    org = documented_program.organisation_id
    assert client.get(reverse("programdocs:index")).status_code == 200
    assert client.get(reverse("programdocs:organisation", args=[org])).status_code == 200
    response = client.post(
        reverse("programdocs:template_upload", args=[org, "regulation"]),
        {"regulation-file": docx_upload("x")},
    )
    assert response.status_code == 403


def test_an_uploaded_template_is_used_and_reset_returns_the_builtin_one(
    client_for, school_x_curator, documented_program
):
    client = client_for(school_x_curator)
    org = documented_program.organisation_id
    response = client.post(
        reverse("programdocs:template_upload", args=[org, "regulation"]),
        {
            "regulation-file": docx_upload(
                "Положение нашей школы {{ org.full_name }}, директор {{ org.head_name }}"
            )
        },
        follow=True,
    )
    assert "Свой шаблон" in response.content.decode()
    url = reverse("programdocs:generate", args=[org, "regulation", "docx"])
    text = docx_text(client.get(url).content)
    assert "Положение нашей школы Муниципальное" in text and "Кузнецова Елена Викторовна" in text
    custom = client.get(reverse("programdocs:template_custom", args=[org, "regulation"]))
    assert "{{ org.full_name }}" in docx_text(b"".join(custom.streaming_content))
    client.post(reverse("programdocs:template_reset", args=[org, "regulation"]))
    assert not CustomTemplate.objects.exists()
    assert "Права и обязанности наставника" in docx_text(client.get(url).content)


def test_a_template_with_unknown_fields_is_refused_with_their_names(
    client_for, school_x_curator, documented_program
):
    response = client_for(school_x_curator).post(
        reverse("programdocs:template_upload", args=[documented_program.organisation_id, "regulation"]),
        {"regulation-file": docx_upload("{{ org.director }}")},
        follow=True,
    )
    page = response.content.decode()
    assert "не принят" in page and "director" in page
    assert not CustomTemplate.objects.exists()


def test_the_builtin_template_downloads_with_its_fields(client_for, school_x_curator):
    response = client_for(school_x_curator).get(reverse("programdocs:template_builtin", args=["regulation"]))
    assert "{{ org.full_name }}" in docx_text(response.content)


def test_a_stranger_gets_no_builtin_template_nor_field_list(client_for, no_role_user):
    client = client_for(no_role_user)
    assert client.get(reverse("programdocs:template_builtin", args=["regulation"])).status_code == 403
    assert client.get(reverse("programdocs:fields")).status_code == 403


def test_the_fields_page_describes_the_fields_in_russian(client_for, school_x_curator):
    page = client_for(school_x_curator).get(reverse("programdocs:fields")).content.decode()
    assert "org.full_name" in page and "полное наименование организации" in page


def test_an_adoption_answers_whether_the_regulation_is_adopted(
    client_for, school_x_curator, documented_program
):
    org = documented_program.organisation
    assert "regulation" not in adopted_documents(org)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client_for(school_x_curator).post(
        reverse("programdocs:adoption_create", args=[org.pk, "regulation"]),
        {
            "regulation-adopted_on": "2026-09-01",
            "regulation-order_number": "45-о",
            "regulation-scan": scan,
            "program": documented_program.pk,
        },
    )
    assert response.status_code == 302
    adopted = adopted_documents(org)["regulation"]
    assert adopted.order_number == "45-о" and adopted.adopted_on == dt.date(2026, 9, 1) and adopted.has_scan
    assert published_documents(org) == []
    text = docx_text(
        client_for(school_x_curator)
        .get(reverse("programdocs:generate", args=[org.pk, "regulation", "docx"]))
        .content
    )
    assert "№ 45-о" in text and "«01» сентября 2026 г." in text


def test_a_published_adoption_is_listed_for_the_public_page(school_x_curator, documented_program):
    org = documented_program.organisation
    adoption_record(
        acting_user=school_x_curator,
        organisation=org,
        kind="program",
        adopted_on=dt.date(2026, 9, 1),
        order_number="46",
        is_published=True,
    )
    adoption_record(
        acting_user=school_x_curator,
        organisation=org,
        kind="regulation",
        adopted_on=dt.date(2026, 9, 1),
        order_number="45",
    )
    assert [d.kind for d in published_documents(org)] == ["program"]


def test_the_scan_is_served_only_within_the_scope(
    client_for, school_x_curator, school_y_curator, documented_program
):
    org = documented_program.organisation
    adoption = adoption_record(
        acting_user=school_x_curator,
        organisation=org,
        kind="regulation",
        adopted_on=dt.date(2026, 9, 1),
        order_number="45",
        scan=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    url = reverse("programdocs:adoption_scan", args=[adoption.pk])
    response = client_for(school_x_curator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(school_y_curator).get(url).status_code == 404


def test_an_adoption_of_another_schools_program_is_refused(school_x_curator, documented_program, school_y):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        adoption_record(
            acting_user=school_x_curator,
            organisation=documented_program.organisation,
            kind="program",
            adopted_on=dt.date(2026, 9, 1),
            order_number="1",
            program=ProgramFactory(organisation=school_y),
        )


def test_the_plan_prints_for_signature_for_its_pair_only(
    client_for, plan, mentor_user, mentee_user, school_y_curator
):
    group = plan.group
    url = reverse("programdocs:plan_print", args=[group.pk, "pdf"])
    response = client_for(mentor_user).get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert group.mentor.person.last_name in text and "Куратор программы" in text
    assert client_for(mentee_user).get(url.replace(".pdf", ".docx")).status_code == 200
    assert client_for(school_y_curator).get(url).status_code == 404


def test_the_plan_page_has_the_print_button(client_for, plan, mentor_user):
    page = client_for(mentor_user).get(reverse("mentoring:plan", args=[plan.group.pk])).content.decode()
    assert "Печать для подписи" in page
    assert reverse("programdocs:plan_print", args=[plan.group.pk, "pdf"]) in page


def test_the_program_form_edits_the_document_fields(client_for, school_x_curator, documented_program):
    client = client_for(school_x_curator)
    url = reverse("orgs:program_edit", args=[documented_program.pk])
    assert "Целевые группы" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "organisation": documented_program.organisation_id,
            "kind": documented_program.kind,
            "title": documented_program.title,
            "academic_year": documented_program.academic_year,
            "curator": school_x_curator.pk,
            "max_mentees_per_mentor": 3,
            "goals": "Новая цель",
            "tasks": "Первая задача\n\n- Вторая задача",
            "expected_results": "Результат",
            "target_groups": "Пятиклассники",
            "forms": [f.pk for f in documented_program.forms.all()],
        },
    )
    assert response.status_code == 302
    documented_program.refresh_from_db()
    assert documented_program.goals == "Новая цель"
    assert documented_program.task_list == ["Первая задача", "Вторая задача"]
    assert documented_program.target_group_list == ["Пятиклассники"]


def test_the_municipal_overview_takes_the_same_queries_for_one_and_many_schools(
    client_for,
    municipal_curator_a,
    municipality_a,
    school_x_curator,
    documented_program,
    django_assert_num_queries,
):
    from tests.factories import OrganisationFactory

    client = client_for(municipal_curator_a)
    client.get(reverse("programdocs:index"))
    with django_assert_num_queries(5) as one:
        client.get(reverse("programdocs:index"))
    for _ in range(3):
        school = OrganisationFactory(municipality=municipality_a)
        Adoption.objects.create(
            organisation=school, kind="regulation", adopted_on=dt.date(2026, 9, 1), order_number="1"
        )
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("programdocs:index")).content.decode()
    assert page.count("от 01.09.2026 № 1") == 3
