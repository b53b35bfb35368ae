"""Results: response rate, per-question summaries with bars, the table of all answers, XLSX,
the answers of one person over time, and the structured reads matching and monitoring use."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from nastavnik.base.names import full_name_in
from nastavnik.registry.models import Tag
from nastavnik.surveys import selectors
from nastavnik.surveys.models import Response
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from nastavnik.surveys.services import responses as response_services
from tests.surveys.conftest import networking_meeting, response_of, student, submit


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


SATISFIED = {
    "sat_expected": ["6"],
    "sat_real": ["9"],
    "sat_comfort": ["10"],
    "sat_meetings": ["8"],
    "sat_clarity": ["7"],
    "sat_support": ["9"],
    "sat_glad": ["yes"],
    "sat_continue": ["yes"],
    "sat_best": ["Подготовка к олимпиаде"],
}


class TestCampaignResults:
    def test_rate_summaries_and_table(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        questionnaire = copy_template("satisfaction_mentee")
        people = [student(school_x) for _ in range(4)]
        campaign, _ = open_campaign(questionnaire, people)
        submit(response_of(campaign, people[0]), SATISFIED)
        submit(response_of(campaign, people[1]), {**SATISFIED, "sat_real": ["5"], "sat_continue": ["no"]})
        response_services.answer_save(
            response=response_of(campaign, people[2]),
            question=questionnaire.questions.get(code="sat_real"),
            raw=["1"],
        )

        results = selectors.campaign_results(campaign)
        assert (results.total, results.started, results.submitted, results.rate) == (4, 3, 2, 50)
        summaries = {s.question.code: s for s in results.summaries}
        assert summaries["sat_real"].average == 7.0  # only submitted questionnaires count
        assert [(b.label, b.count, b.percent) for b in summaries["sat_continue"].bars] == [
            ("Да", 1, 50),
            ("Нет", 1, 50),
        ]
        assert [b.count for b in summaries["sat_real"].bars] == [0, 0, 0, 0, 1, 0, 0, 0, 1, 0]
        assert summaries["sat_best"].texts == ["Подготовка к олимпиаде", "Подготовка к олимпиаде"]

        page = (
            client_for(school_x_curator)
            .get(reverse("surveys:campaign_results", args=[campaign.pk]))
            .content.decode()
        )
        assert "доля ответивших: 2 из 4" in page
        assert 'class="chart-fill" style="width:50%"' in page
        assert "Подготовка к олимпиаде" in page and people[3].full_name in page

    def test_the_xlsx_has_every_answer_and_the_summary(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        questionnaire = copy_template("satisfaction_mentee")
        pupil = student(school_x)
        campaign, _ = open_campaign(questionnaire, [pupil])
        submit(response_of(campaign, pupil), SATISFIED)
        response = client_for(school_x_curator).get(reverse("surveys:campaign_export", args=[campaign.pk]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = load_workbook(io.BytesIO(response.content))
        rows = list(workbook["Ответы"].values)
        assert rows[0][0] == "Респондент" and "Насколько эффективной программа оказалась на деле?" in rows[0]
        assert rows[1][0] == pupil.full_name and rows[1][3] == "Отправлена"
        assert "9" in rows[1] and "Да" in rows[1]
        summary = list(workbook["Сводка"].values)
        assert summary[1][:2] == ("Анкет", 1)

    def test_the_results_page_runs_the_same_queries_for_1_and_many_responses(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        questionnaire = copy_template("mentee_entry")
        tag = Tag.objects.create(vocabulary="request", name="Подготовка к ОГЭ")
        people = [student(school_x) for _ in range(6)]
        campaign, _ = open_campaign(questionnaire, people)
        answers = {
            "mentee_goals": ["study"],
            "mentee_preferred_mentor": ["any"],
            "mentee_requests": [str(tag.pk)],
        }
        submit(response_of(campaign, people[0]), answers)
        client = client_for(school_x_curator)
        url = reverse("surveys:campaign_results", args=[campaign.pk])
        few = count_queries(client, url)
        for person in people[1:]:
            submit(response_of(campaign, person), answers)
        assert count_queries(client, url) == few
        assert few <= 15


class TestListPages:
    @pytest.mark.parametrize("name", ["surveys:questionnaire_list", "surveys:campaign_list"])
    def test_a_list_runs_the_same_queries_for_1_and_3_items(
        self, name, copy_template, open_campaign, program_x, school_x, client_for, school_x_curator
    ):
        def add_one():
            questionnaire = copy_template("mentee_entry")
            open_campaign(questionnaire, [student(school_x)])
            # A preference questionnaire after a networking meeting shows the meeting's date.
            meeting = networking_meeting(program_x, school_x_curator)
            open_campaign(copy_template("preference"), [], meeting=meeting)

        client = client_for(school_x_curator)
        add_one()
        few = count_queries(client, reverse(name))
        add_one()
        add_one()
        assert count_queries(client, reverse(name)) == few


class TestPersonAnswers:
    def test_answers_over_time_are_shown_to_staff(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        pupil = student(school_x)
        entry = copy_template("mentee_entry")
        campaign, _ = open_campaign(entry, [pupil])
        submit(
            response_of(campaign, pupil),
            {"mentee_goals": ["career"], "mentee_preferred_mentor": ["employer"]},
        )
        items = selectors.answers_for_person(school_x_curator, pupil)
        assert len(items) == 1
        assert (
            "Что вы хотите получить от участия в программе наставничества?",
            "Помощь в выборе профессии",
        ) in [(q.text, text) for q, text in items[0].items]
        page = (
            client_for(school_x_curator)
            .get(reverse("surveys:person_answers", args=[pupil.pk]))
            .content.decode()
        )
        assert "Помощь в выборе профессии" in page and "Специалиста с предприятия" in page

    def test_another_school_sees_nothing(self, copy_template, open_campaign, school_x, school_y_curator):
        pupil = student(school_x)
        campaign, _ = open_campaign(copy_template("mentee_entry"), [pupil])
        submit(response_of(campaign, pupil), {"mentee_goals": ["career"], "mentee_preferred_mentor": ["any"]})
        assert selectors.answers_for_person(school_y_curator, pupil) == []

    def test_the_partial_renders_for_the_person_card(
        self, copy_template, open_campaign, school_x, school_x_curator
    ):
        from django.template.loader import render_to_string

        pupil = student(school_x)
        campaign, _ = open_campaign(copy_template("third_party"), [], user=school_x_curator)
        campaign_services.campaign_add_third_party(
            acting_user=school_x_curator, campaign=campaign, subjects=[pupil]
        )
        response = Response.objects.get(campaign=campaign)
        submit(response, {"third_party_relation": ["parent"], "third_party_strengths": ["Любит рисовать"]})
        html = render_to_string(
            "surveys/_person_answers.html",
            {"survey_answers": selectors.answers_for_person(school_x_curator, pupil)},
        )
        about = full_name_in("loct", pupil.last_name, pupil.first_name, pupil.middle_name)
        assert "Любит рисовать" in html and f"о {about}" in html and about != pupil.full_name

    def test_the_person_card_loads_its_answers_block_from_the_surveys_app(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        pupil = student(school_x)
        campaign, _ = open_campaign(copy_template("mentee_entry"), [pupil])
        submit(response_of(campaign, pupil), {"mentee_goals": ["career"], "mentee_preferred_mentor": ["any"]})
        client = client_for(school_x_curator)
        fragment_url = reverse("surveys:person_answers_card", args=[pupil.pk])
        card = client.get(reverse("registry:person_detail", args=[pupil.pk])).content.decode()
        assert f'hx-get="{fragment_url}"' in card and 'hx-trigger="load"' in card
        fragment = client.get(fragment_url).content.decode()
        assert 'id="survey-answers"' in fragment and "Помощь в выборе профессии" in fragment

    def test_the_answers_block_is_refused_to_whoever_does_not_manage_the_person(
        self, copy_template, open_campaign, school_x, client_for, school_y_curator, school_x_specialist
    ):
        pupil = student(school_x)
        open_campaign(copy_template("mentee_entry"), [pupil])
        url = reverse("surveys:person_answers_card", args=[pupil.pk])
        assert client_for(school_y_curator).get(url).status_code == 404
        assert client_for(school_x_specialist).get(url).status_code in (403, 404)
        card = client_for(school_x_specialist).get(reverse("registry:person_detail", args=[pupil.pk]))
        assert card.status_code != 200 or url not in card.content.decode()

    def test_the_answers_block_runs_the_same_queries_for_1_and_3_questionnaires(
        self, copy_template, open_campaign, school_x, client_for, school_x_curator
    ):
        pupil = student(school_x)
        entry = copy_template("mentee_entry")
        client = client_for(school_x_curator)
        url = reverse("surveys:person_answers_card", args=[pupil.pk])

        def answer_once():
            campaign, _ = open_campaign(entry, [pupil])
            submit(
                response_of(campaign, pupil), {"mentee_goals": ["career"], "mentee_preferred_mentor": ["any"]}
            )

        answer_once()
        few = count_queries(client, url)
        answer_once()
        answer_once()
        assert count_queries(client, url) == few


class TestStructuredReads:
    def test_latest_answers_give_codes_and_stored_values(self, copy_template, open_campaign, school_x):
        tag = Tag.objects.create(vocabulary="competency", name="Робототехника")
        teacher_like = student(school_x, grade=10)
        mentor_form = copy_template("mentor_entry")
        campaign, _ = open_campaign(mentor_form, [teacher_like])
        submit(
            response_of(campaign, teacher_like),
            {
                "mentor_competencies": [str(tag.pk)],
                "mentor_has_experience": ["no"],
                "mentor_hours": ["1-2"],
                "mentor_capacity": ["2"],
            },
        )
        answers = selectors.latest_answers(teacher_like, "mentor_entry")
        assert answers == {
            "mentor_competencies": [tag.pk],
            "mentor_has_experience": "no",
            "mentor_hours": "1-2",
            "mentor_capacity": "2",
        }
        assert selectors.latest_answers(teacher_like, "mentee_entry") == {}


class TestDiagnostics:
    ENTRY = {
        "diag_motivation": "4",
        "diag_goals": "3",
        "diag_communication": "5",
        "diag_teamwork": "6",
        "diag_confidence": "4",
        "diag_involvement": "2",
        "diag_career": "3",
        "diag_average_mark": "3.5-4",
    }

    def test_two_dates_of_the_same_person_are_compared_side_by_side(
        self, copy_template, open_campaign, school_x, school_x_curator, client_for
    ):
        pupil = student(school_x)
        diagnostic = copy_template("diagnostic")
        autumn, _ = open_campaign(diagnostic, [pupil])
        submit(response_of(autumn, pupil), {k: [v] for k, v in self.ENTRY.items()})
        Response.objects.filter(campaign=autumn).update(submitted_at=timezone.now() - dt.timedelta(days=200))
        # In spring the curator edited the form: a new version, the same question codes.
        spring_version = questionnaire_services.questionnaire_new_version(
            acting_user=school_x_curator, questionnaire=diagnostic
        )
        spring, _ = open_campaign(spring_version, [pupil])
        submit(
            response_of(spring, pupil),
            {
                **{k: [v] for k, v in self.ENTRY.items()},
                "diag_motivation": ["8"],
                "diag_involvement": ["1"],
                "diag_average_mark": ["4-4.5"],
            },
        )

        comparison = selectors.diagnostic_comparison(pupil)
        assert comparison.comparable
        rows = {row.code: row for row in comparison.rows}
        assert (
            rows["diag_motivation"].before,
            rows["diag_motivation"].after,
            rows["diag_motivation"].delta,
        ) == ("4", "8", 4)
        assert rows["diag_involvement"].delta == -1
        assert (rows["diag_average_mark"].before, rows["diag_average_mark"].after) == (
            "От 3,5 до 4",
            "От 4 до 4,5",
        )
        assert rows["diag_average_mark"].delta is None

        page = (
            client_for(school_x_curator)
            .get(reverse("surveys:person_answers", args=[pupil.pk]))
            .content.decode()
        )
        assert "Диагностика: до и после" in page and "+4" in page

    def test_a_single_diagnostic_is_shown_as_the_entry_one(self, copy_template, open_campaign, school_x):
        pupil = student(school_x)
        campaign, _ = open_campaign(copy_template("diagnostic"), [pupil])
        submit(response_of(campaign, pupil), {k: [v] for k, v in self.ENTRY.items()})
        comparison = selectors.diagnostic_comparison(pupil)
        assert not comparison.comparable and comparison.before is not None and comparison.after is None
        assert {row.before for row in comparison.rows} >= {"4", "3"}
