"""Every document opens as DOCX and as PDF and carries the organisation's real data."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from nastavnik.programdocs.builtin import builtin_template
from nastavnik.programdocs.context import context_for
from nastavnik.programdocs.documents import check_template, render_docx, render_pdf
from nastavnik.programdocs.models import ADOPTED_KINDS, DocumentKind

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )


@pytest.mark.parametrize("kind", ADOPTED_KINDS)
def test_each_program_document_carries_the_organisations_data_in_docx_and_pdf(kind, documented_program):
    organisation = documented_program.organisation
    context = context_for(kind, organisation, program=documented_program, number="17-о")
    text = docx_text(render_docx(builtin_template(kind), context))
    assert "Средняя школа № 7" in text
    assert "Кузнецова Елена Викторовна" in text
    assert "{{" not in text and "{%" not in text
    pdf = pdf_text(render_pdf(builtin_template(kind), context, "x"))
    assert "Кузнецова Елена Викторовна" in pdf
    assert "Средняя школа № 7" in pdf


def test_the_regulation_lists_the_programs_tasks_results_and_target_groups(documented_program):
    context = context_for(
        DocumentKind.REGULATION, documented_program.organisation, program=documented_program
    )
    text = docx_text(render_docx(builtin_template(DocumentKind.REGULATION), context))
    for expected in (
        "Раскрытие личностного потенциала",
        "— Адаптация пятиклассников;",
        "— Профориентация старшеклассников;",
        "Рост успеваемости наставляемых",
        "Обучающиеся 5–9 классов",
        "Общие положения",
        "Права и обязанности наставника",
    ):
        assert expected in text


def test_the_roadmap_order_carries_the_roadmaps_events(documented_program):
    from nastavnik.roadmaps.models import Roadmap, RoadmapEvent

    roadmap = Roadmap.objects.create(
        organisation=documented_program.organisation,
        title="Дорожная карта внедрения ЦМН",
        period_start=documented_program.starts_on,
        period_end=documented_program.ends_on,
    )
    RoadmapEvent.objects.create(
        roadmap=roadmap, position=1, number="1.1", title="Издать приказ", deadline_text="сентябрь"
    )
    context = context_for(
        DocumentKind.ROADMAP_ORDER, documented_program.organisation, program=documented_program
    )
    text = docx_text(render_docx(builtin_template(DocumentKind.ROADMAP_ORDER), context))
    assert "Дорожная карта внедрения ЦМН" in text
    assert "Издать приказ" in text and "сентябрь" in text


def test_the_individual_plan_has_its_tasks_and_the_signatures_of_every_side(plan, documented_program):
    context = context_for(DocumentKind.PLAN, documented_program.organisation, plan=plan)
    data = render_docx(builtin_template(DocumentKind.PLAN), context)
    text = docx_text(data)
    group = plan.group
    mentee = group.memberships.get().mentee.person
    assert group.mentor.person.full_name in text
    assert mentee.full_name in text
    assert "Законный представитель" in text
    assert "Куратор программы" in text
    assert plan.tasks.first().title in text
    assert mentee.last_name in pdf_text(render_pdf(builtin_template(DocumentKind.PLAN), context, "plan"))


def custom(text_lines: list[str]) -> bytes:
    document = Document()
    for line in text_lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_customised_template_keeps_the_data_fields(documented_program):
    template = custom(["Наше положение для {{ org.short_name }}", "Руководитель: {{ org.head_name }}"])
    context = context_for(
        DocumentKind.REGULATION, documented_program.organisation, program=documented_program
    )
    check = check_template(DocumentKind.REGULATION, template, context)
    assert check.ok
    assert "program.tasks" in check.missing
    text = docx_text(render_docx(template, context))
    assert "Наше положение для Школа X" in text
    assert "Руководитель: Кузнецова Елена Викторовна" in text


def test_unknown_fields_of_an_uploaded_template_are_named_in_russian(documented_program):
    template = custom(["{{ org.full_nam }} {{ director }}"])
    context = context_for(
        DocumentKind.REGULATION, documented_program.organisation, program=documented_program
    )
    check = check_template(DocumentKind.REGULATION, template, context)
    assert not check.ok
    assert "неизвестные поля" in check.errors[0]
    assert "full_nam" in check.errors[0] and "director" in check.errors[0]


def test_a_broken_template_markup_is_refused_with_a_russian_message(documented_program):
    template = custom(["{% for x in %}"])
    context = context_for(
        DocumentKind.REGULATION, documented_program.organisation, program=documented_program
    )
    check = check_template(DocumentKind.REGULATION, template, context)
    assert not check.ok and check.errors[0].startswith("Ошибка в разметке шаблона")


def test_a_file_that_is_not_a_docx_is_refused(documented_program):
    context = context_for(
        DocumentKind.REGULATION, documented_program.organisation, program=documented_program
    )
    check = check_template(DocumentKind.REGULATION, b"not a docx", context)
    assert check.errors == ["Файл не читается как документ Word (.docx) с разметкой шаблона."]


def test_the_orders_name_the_curator_in_the_case_the_sentence_needs(documented_program, school_x_curator):
    school_x_curator.last_name, school_x_curator.first_name, school_x_curator.middle_name = (
        "Демакова",
        "Татьяна",
        "Викторовна",
    )
    school_x_curator.save()
    documented_program.curator = school_x_curator
    organisation = documented_program.organisation
    model = docx_text(
        render_docx(
            builtin_template(DocumentKind.MODEL_ORDER),
            context_for("model_order", organisation, program=documented_program),
        )
    )
    assert "наставничества Демакову Татьяну Викторовну" in model
    assert "Утвердить программу наставничества «Шаг в будущее»" in model
    roadmap = docx_text(
        render_docx(
            builtin_template(DocumentKind.ROADMAP_ORDER),
            context_for("roadmap_order", organisation, program=documented_program),
        )
    )
    assert "Куратору программы Демаковой Татьяне Викторовне" in roadmap
