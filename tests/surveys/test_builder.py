"""The form builder: templates copied per program, questions of every kind, conditions,
reordering, and versioning — a questionnaire that has been sent is never changed in place."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nastavnik.surveys.builtin import TEMPLATES
from nastavnik.surveys.models import Answer, Question, QuestionKind, Questionnaire, TemplateKind
from nastavnik.surveys.services import questionnaires as questionnaire_services
from nastavnik.surveys.services import responses as response_services
from tests.surveys.conftest import response_of, student, template


class TestBuiltinTemplates:
    def test_every_methodology_questionnaire_is_installed_by_the_migration(self, db):
        kinds = set(Questionnaire.objects.filter(program__isnull=True).values_list("kind", flat=True))
        assert kinds == {k for k in TemplateKind.values if k != TemplateKind.CUSTOM}
        assert len(TEMPLATES) == 8

    def test_satisfaction_asks_the_domain_items_on_1_to_10_and_yes_no(self, db):
        questions = {q.code: q for q in template("satisfaction_mentee").questions.all()}
        for code in ("sat_expected", "sat_real", "sat_comfort", "sat_meetings", "sat_clarity", "sat_support"):
            assert questions[code].kind == QuestionKind.SCALE10
        assert [c["id"] for c in questions["sat_glad"].choices] == ["yes", "no"]
        assert [c["id"] for c in questions["sat_continue"].choices] == ["yes", "no"]

    def test_loading_templates_again_adds_nothing(self, db):
        from django.core.management import call_command

        before = Questionnaire.objects.count()
        call_command("load_survey_templates")
        assert Questionnaire.objects.count() == before

    def test_a_template_itself_cannot_be_edited(self, db, school_x_curator):
        question = template("mentee_entry").questions.first()
        with pytest.raises(PermissionDenied):
            questionnaire_services.question_update(
                acting_user=school_x_curator, question=question, text="Другое"
            )


class TestCopyAndEdit:
    def test_a_copy_belongs_to_the_program_and_keeps_codes_and_conditions(self, copy_template, program_x):
        copy = copy_template("mentee_entry")
        assert copy.program == program_x
        original = template("mentee_entry")
        assert sorted(copy.questions.values_list("code", flat=True)) == sorted(
            original.questions.values_list("code", flat=True)
        )
        other = copy.questions.get(code="mentee_goals_other")
        assert other.condition_question.questionnaire_id == copy.pk
        assert other.condition_choices == ["other"]

    def test_questions_of_every_kind_can_be_added(self, program_x, school_x_curator):
        q = questionnaire_services.questionnaire_create(
            acting_user=school_x_curator, program=program_x, title="Своя"
        )
        section = q.sections.get()
        for kind in QuestionKind.values:
            questionnaire_services.question_add(
                acting_user=school_x_curator,
                section=section,
                kind=kind,
                text=f"Вопрос {kind}",
                choice_labels=["Да", "Нет"],
                vocabulary="interest",
                required=True,
            )
        assert set(q.questions.values_list("kind", flat=True)) == set(QuestionKind.values)
        assert q.questions.get(kind="scale5").choices == []  # choices only where they mean something

    def test_a_choice_question_needs_two_options_and_a_tag_question_a_vocabulary(
        self, program_x, school_x_curator
    ):
        q = questionnaire_services.questionnaire_create(
            acting_user=school_x_curator, program=program_x, title="Своя"
        )
        section = q.sections.get()
        with pytest.raises(ValidationError, match="два варианта"):
            questionnaire_services.question_add(
                acting_user=school_x_curator, section=section, kind="single", text="?", choice_labels=["Один"]
            )
        with pytest.raises(ValidationError, match="словарь"):
            questionnaire_services.question_add(
                acting_user=school_x_curator, section=section, kind="tags", text="?"
            )

    def test_editing_choice_labels_keeps_the_ids_of_kept_options(self):
        existing = [{"id": "c1", "label": "Да"}, {"id": "c2", "label": "Нет"}]
        merged = questionnaire_services.merge_choices(existing, ["Нет", "Не знаю", "да"])
        assert merged == [
            {"id": "c2", "label": "Нет"},
            {"id": "c3", "label": "Не знаю"},
            {"id": "c1", "label": "да"},
        ]

    def test_a_condition_must_point_to_an_earlier_choice_question(self, copy_template, school_x_curator):
        copy = copy_template("mentor_entry")
        first = copy.questions.get(code="mentor_competencies")  # tags: not a choice question
        section = first.section
        with pytest.raises(ValidationError, match="вариантами"):
            questionnaire_services.question_add(
                acting_user=school_x_curator,
                section=section,
                kind="short_text",
                text="?",
                condition_question=first,
            )
        experience = copy.questions.get(code="mentor_has_experience")
        added = questionnaire_services.question_add(
            acting_user=school_x_curator,
            section=section,
            kind="short_text",
            text="Где именно?",
            condition_question=experience,
            condition_choices=["yes", "bogus"],
        )
        assert added.condition_choices == ["yes"]

    def test_a_question_others_depend_on_cannot_be_deleted(self, copy_template, school_x_curator):
        copy = copy_template("mentor_entry")
        with pytest.raises(ValidationError, match="зависит"):
            questionnaire_services.question_delete(
                acting_user=school_x_curator, question=copy.questions.get(code="mentor_has_experience")
            )

    def test_moving_questions_reorders_the_section(self, copy_template, school_x_curator):
        copy = copy_template("satisfaction_mentee")
        section = copy.sections.order_by("position").first()
        codes = lambda: list(section.questions.order_by("position").values_list("code", flat=True))  # noqa: E731
        before = codes()
        questionnaire_services.question_move(
            acting_user=school_x_curator, question=section.questions.get(code=before[1]), direction="up"
        )
        assert codes() == [before[1], before[0], *before[2:]]

    def test_another_schools_curator_cannot_edit(self, copy_template, school_y_curator):
        copy = copy_template("mentee_entry")
        with pytest.raises(PermissionDenied):
            questionnaire_services.questionnaire_update(
                acting_user=school_y_curator, questionnaire=copy, title="X", description="", about_other=False
            )


class TestVersioning:
    def test_a_sent_questionnaire_is_edited_as_a_new_version_and_old_answers_keep_their_questions(
        self, copy_template, open_campaign, school_x, school_x_curator
    ):
        copy = copy_template("mentee_entry")
        pupil = student(school_x)
        campaign, _ = open_campaign(copy, [pupil])
        response = response_of(campaign, pupil)
        goals = copy.questions.get(code="mentee_goals")
        response_services.answer_save(response=response, question=goals, raw=["study"])

        updated = questionnaire_services.question_update(
            acting_user=school_x_curator, question=goals, text="Чего вы ждёте от наставника?"
        )

        assert updated.questionnaire_id != copy.pk
        new_version = updated.questionnaire
        assert new_version.version == 2 and new_version.is_latest and new_version.family == copy.family
        copy.refresh_from_db()
        assert not copy.is_latest
        goals.refresh_from_db()
        assert goals.text == "Что вы хотите получить от участия в программе наставничества?"
        assert Answer.objects.get(response=response).question_id == goals.pk
        assert new_version.questions.count() == copy.questions.count()
        # The conditions of the copy point inside the new version.
        other = new_version.questions.get(code="mentee_goals_other")
        assert other.condition_question.questionnaire_id == new_version.pk

    def test_an_unsent_questionnaire_is_edited_in_place(self, copy_template, school_x_curator):
        copy = copy_template("mentee_entry")
        goals = copy.questions.get(code="mentee_goals")
        updated = questionnaire_services.question_update(
            acting_user=school_x_curator, question=goals, text="Новый текст"
        )
        assert updated.pk == goals.pk
        assert Questionnaire.objects.filter(family=copy.family).count() == 1

    def test_an_old_version_cannot_be_edited(self, copy_template, open_campaign, school_x, school_x_curator):
        copy = copy_template("mentee_entry")
        open_campaign(copy, [student(school_x)])
        questionnaire_services.questionnaire_new_version(acting_user=school_x_curator, questionnaire=copy)
        copy.refresh_from_db()
        with pytest.raises(ValidationError, match="не последняя версия"):
            questionnaire_services.question_update(
                acting_user=school_x_curator, question=copy.questions.first(), text="?"
            )


class TestBuilderViews:
    def test_a_curator_takes_a_template_into_the_program(self, client_for, school_x_curator, program_x):
        response = client_for(school_x_curator).post(
            reverse("surveys:questionnaire_copy", args=[template("mentor_entry").pk]),
            {"program": program_x.pk},
        )
        copy = Questionnaire.objects.get(program=program_x)
        assert response.url == reverse("surveys:builder", args=[copy.pk])

    def test_adding_a_question_with_htmx_returns_the_builder_fragment(
        self, client_for, school_x_curator, copy_template
    ):
        copy = copy_template("mentee_entry")
        section = copy.sections.first()
        response = client_for(school_x_curator).post(
            reverse("surveys:question_add", args=[section.pk]),
            {"text": "Любимый предмет?", "kind": "short_text", "rank_pool": "opposite", "max_ranked": 3},
            headers={"HX-Request": "true"},
        )
        page = response.content.decode()
        assert response.status_code == 200 and "<html" not in page
        assert 'id="builder"' in page and "Любимый предмет?" in page
        assert Question.objects.filter(questionnaire=copy, text="Любимый предмет?").exists()

    def test_an_edit_of_a_sent_form_redirects_htmx_to_the_new_version(
        self, client_for, school_x_curator, copy_template, open_campaign, school_x
    ):
        copy = copy_template("mentee_entry")
        open_campaign(copy, [student(school_x)])
        question = copy.questions.get(code="mentee_format")
        response = client_for(school_x_curator).post(
            reverse("surveys:question_move", args=[question.pk, "up"]), headers={"HX-Request": "true"}
        )
        new_version = Questionnaire.objects.get(family=copy.family, is_latest=True)
        assert new_version.pk != copy.pk
        assert response["HX-Redirect"] == reverse("surveys:builder", args=[new_version.pk])

    def test_an_invalid_question_shows_a_russian_message(self, client_for, school_x_curator, copy_template):
        copy = copy_template("mentee_entry")
        response = client_for(school_x_curator).post(
            reverse("surveys:question_add", args=[copy.sections.first().pk]),
            {
                "text": "Выберите",
                "kind": "single",
                "choices_text": "Один",
                "rank_pool": "opposite",
                "max_ranked": 3,
            },
            follow=True,
        )
        assert "Укажите хотя бы два варианта ответа" in response.content.decode()

    def test_the_preview_and_the_blank_pdf_render(self, client_for, school_x_curator, copy_template):
        copy = copy_template("preference")
        client = client_for(school_x_curator)
        assert (
            "Здесь будет список участников"
            in client.get(reverse("surveys:preview", args=[copy.pk])).content.decode()
        )
        pdf = client.get(reverse("surveys:blank_pdf", args=[copy.pk]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
