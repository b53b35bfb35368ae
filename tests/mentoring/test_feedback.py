"""The pair's feedback is the satisfaction questionnaire: a pair member answers it on the pair's
completion tab (from «Мой кабинет»), it is stored as a questionnaire response of the program's
in-app campaign, and only the pair's own people (or the curator, from paper) may submit it."""

from __future__ import annotations

from importlib import import_module

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import today_in
from nastavnik.mentoring.services import groups as group_services
from nastavnik.surveys.models import Answer, Campaign, Questionnaire, Response, ResponseStatus, TemplateKind
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import links as link_services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from tests.mentoring.conftest import account_for, feedback_answers, give_feedback

pytestmark = pytest.mark.django_db


def feedback_url(group):
    return reverse("mentoring:feedback", args=[group.pk])


def answers_by_code(response):
    return dict(response.answers.values_list("question__code", "value"))


def test_a_mentee_answers_in_the_personal_cabinet_and_it_is_a_satisfaction_questionnaire(
    pair, mentee_user, client_for
):
    client = client_for(mentee_user)
    page = client.get(feedback_url(pair))
    # The form is the built-in mentee questionnaire: every item of it, by its wording.
    assert "Насколько комфортно было общаться с наставником?" in page.content.decode()
    data = feedback_answers(pair.program, sat_comfort="10", sat_continue="no", sat_comment="Спасибо!")
    response = client.post(feedback_url(pair), {"stage": "interim", **data})
    assert response.status_code == 302
    answered = Response.objects.select_related("campaign__questionnaire").get()
    campaign = answered.campaign
    assert campaign.in_app and campaign.program == pair.program
    assert campaign.title == "Анкета удовлетворённости наставляемого (в личном кабинете)"
    assert campaign.questionnaire.kind == TemplateKind.SATISFACTION_MENTEE
    assert campaign.questionnaire.program is None  # the program has no copy of its own
    assert (answered.respondent, answered.pair_feedback.group, answered.pair_feedback.stage) == (
        pair.memberships.get().mentee.person,
        pair,
        "interim",
    )
    assert answered.status == ResponseStatus.SUBMITTED and answered.entered_by is None
    assert answers_by_code(answered) == {
        "sat_expected": 8,
        "sat_real": 8,
        "sat_comfort": 10,
        "sat_meetings": 8,
        "sat_clarity": 8,
        "sat_support": 8,
        "sat_glad": "yes",
        "sat_continue": "no",
        "sat_comment": "Спасибо!",
    }
    assert Answer.objects.filter(response=answered, question__code="sat_comfort").get().number == 10
    # Written under the mentee's name in the audit log.
    assert LogEntry.objects.get_for_object(answered).get().actor == mentee_user
    shown = client.get(feedback_url(pair)).context["given"]
    assert [(f.role, f.average, f.glad, f.wants_to_continue) for f in shown] == [("mentee", 8.3, True, False)]


def test_a_second_answer_goes_to_the_same_campaign(pair, mentee_user, mentor_user):
    mentee = pair.memberships.get().mentee
    give_feedback(mentee_user, pair, mentee)
    give_feedback(mentee_user, pair, mentee, stage="final")
    give_feedback(mentor_user, pair, pair.mentor, stage="final")
    kinds = dict(Campaign.objects.values_list("questionnaire__kind", "in_app"))
    assert kinds == {TemplateKind.SATISFACTION_MENTEE: True, TemplateKind.SATISFACTION_MENTOR: True}
    assert Response.objects.filter(respondent=mentee.person).count() == 2


def test_a_mentor_answers_the_mentors_questionnaire_with_all_its_items(pair, mentor_user, client_for):
    client = client_for(mentor_user)
    data = feedback_answers(pair.program, "mentor", sat_self_realisation=None)
    page = client.post(feedback_url(pair), {"stage": "final", **data})
    # «Насколько вам удалось реализовать себя как наставнику?» is required: nothing is saved,
    # the form comes back with the answers given.
    assert page.status_code == 200 and not Response.objects.exists()
    assert "Это обязательный вопрос." in page.content.decode()
    comfort = next(
        v for _, views in page.context["sections"] for v in views if v.question.code == "sat_comfort"
    )
    assert comfort.value == 8
    data = feedback_answers(pair.program, "mentor")
    assert client.post(feedback_url(pair), {"stage": "final", **data}).status_code == 302
    answered = Response.objects.get()
    assert answered.campaign.questionnaire.kind == TemplateKind.SATISFACTION_MENTOR
    assert answers_by_code(answered)["sat_self_realisation"] == 8


def test_the_programs_own_copy_of_the_template_is_asked_when_it_has_one(
    pair, mentee_user, school_x_curator, client_for
):
    template = Questionnaire.objects.get(program__isnull=True, builtin_code="satisfaction_mentee")
    copy = questionnaire_services.questionnaire_copy(
        acting_user=school_x_curator, source=template, program=pair.program, title="Наша анкета"
    )
    questionnaire_services.question_add(
        acting_user=school_x_curator,
        section=copy.sections.first(),
        kind="short_text",
        text="Любимый предмет",
    )
    give_feedback(mentee_user, pair, pair.memberships.get().mentee)
    campaign = Response.objects.get().campaign
    assert campaign.questionnaire == copy and campaign.title == "Наша анкета (в личном кабинете)"


def test_another_pairs_member_gets_404_and_nothing_is_saved(pair, other_pair, client_for):
    other_mentee = account_for(other_pair.memberships.get().mentee.person, Role.MENTEE)
    other_mentor = account_for(other_pair.mentor.person, Role.MENTOR)
    for user, role in ((other_mentee, "mentee"), (other_mentor, "mentor")):
        client = client_for(user)
        data = {"stage": "interim", **feedback_answers(pair.program, role)}
        assert client.get(feedback_url(pair)).status_code == 404
        assert client.post(feedback_url(pair), data).status_code == 404
    assert not Response.objects.exists()


def test_a_mentor_cannot_submit_as_the_mentee(pair, mentor_user):
    with pytest.raises(PermissionDenied):
        give_feedback(mentor_user, pair, pair.memberships.get().mentee)
    assert not Response.objects.exists()


def test_a_mentee_cannot_submit_as_the_mentor(pair, mentee_user):
    with pytest.raises(PermissionDenied):
        give_feedback(mentee_user, pair, pair.mentor)


def test_a_parent_reads_the_tab_but_cannot_answer(pair, parent_user, client_for):
    client = client_for(parent_user)
    page = client.get(feedback_url(pair))
    assert page.status_code == 200 and page.context["form"] is None
    data = {"stage": "interim", **feedback_answers(pair.program)}
    assert client.post(feedback_url(pair), data).status_code == 403
    assert not Response.objects.exists()


def test_someone_outside_the_pair_is_not_a_respondent_of_it(pair, other_pair, school_x_curator):
    with pytest.raises(ValidationError):
        give_feedback(school_x_curator, pair, other_pair.memberships.get().mentee)


def test_the_curator_enters_a_paper_questionnaire_and_school_y_cannot(
    pair, school_x_curator, school_y_curator
):
    mentee = pair.memberships.get().mentee
    with pytest.raises(PermissionDenied):
        give_feedback(school_y_curator, pair, mentee)
    result = give_feedback(school_x_curator, pair, mentee)
    assert result.response.entered_by == school_x_curator


def test_an_ended_pair_takes_no_more_answers_in_the_cabinet(pair, mentee_user, school_x_curator, client_for):
    group_services.group_end(
        acting_user=school_x_curator, group=pair, status="completed", ended_on=today_in()
    )
    client = client_for(mentee_user)
    assert client.get(feedback_url(pair)).context["form"] is None
    data = {"stage": "final", **feedback_answers(pair.program)}
    assert client.post(feedback_url(pair), data).status_code == 403


def test_participants_read_their_own_answers_and_the_curator_reads_all(
    pair, mentor_user, mentee_user, school_x_curator, school_y_curator, client_for
):
    give_feedback(mentee_user, pair, pair.memberships.get().mentee)
    give_feedback(mentor_user, pair, pair.mentor)

    def shown(user):
        return [f.role for f in client_for(user).get(feedback_url(pair)).context["given"]]

    assert shown(mentee_user) == ["mentee"]
    assert shown(mentor_user) == ["mentor"]
    assert sorted(shown(school_x_curator)) == ["mentee", "mentor"]
    # The curator opens the whole questionnaire among the program's answers; school Y cannot.
    answered = Response.objects.get(respondent=pair.memberships.get().mentee.person)
    url = reverse("surveys:response_detail", args=[answered.pk])
    assert client_for(school_x_curator).get(url).status_code == 200
    assert client_for(school_y_curator).get(url).status_code == 404


def test_the_in_app_campaign_is_not_sent_to_anyone(pair, mentee_user, school_x_curator, client_for):
    give_feedback(mentee_user, pair, pair.memberships.get().mentee)
    campaign = Campaign.objects.get()
    with pytest.raises(ValidationError):
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=campaign, people=[pair.mentor.person]
        )
    with pytest.raises(ValidationError):
        link_services.links_issue(acting_user=school_x_curator, campaign=campaign, channel="manual")
    page = client_for(school_x_curator).get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    assert "заполняют сами в «Мой кабинет»" in page.content.decode()
    assert "Как доставить анкеты" not in page.content.decode()


def test_the_campaign_page_names_the_pair_and_stage_of_each_answer(
    pair, mentee_user, school_x_curator, school_y_curator, client_for
):
    """The surveys app's campaign page loads the pairs' side by HTMX: which pair and which stage
    each answer from «Мой кабинет» is about."""
    answered = give_feedback(mentee_user, pair, pair.memberships.get().mentee, stage="final").response
    campaign = answered.campaign
    client = client_for(school_x_curator)
    page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    pieces_url = reverse("mentoring:campaign_links", args=[campaign.pk])
    assert f'id="response-pair-{answered.pk}"' in page and pieces_url in page
    pieces = client.get(pieces_url).content.decode()
    assert f'id="response-pair-{answered.pk}" hx-swap-oob="true"' in pieces
    assert f"итоговая, пара наставника {pair.mentor.person.short_name}" in pieces
    assert client_for(school_y_curator).get(pieces_url).status_code == 404


def test_the_personal_page_asks_the_mentee_until_they_answer(pair, mentee_user, client_for):
    def todos():
        overview = client_for(mentee_user).get(reverse("mentoring:my")).context["overview"]
        return [t.text for t in overview.as_mentee[0].todos]

    assert "Ответьте на несколько вопросов о работе с наставником" in todos()
    give_feedback(mentee_user, pair, pair.memberships.get().mentee)
    assert "Ответьте на несколько вопросов о работе с наставником" not in todos()


def test_the_feedback_tab_query_count_does_not_grow(pair, mentee_user, school_x_curator, client_for):
    mentee = pair.memberships.get().mentee
    client = client_for(school_x_curator)
    give_feedback(mentee_user, pair, mentee, sat_comment="Хорошо")
    with CaptureQueriesContext(connection) as one:
        client.get(feedback_url(pair))
    for stage in ("interim", "final"):
        give_feedback(mentee_user, pair, mentee, stage=stage, sat_best="Встречи", sat_comment="Ещё")
    with CaptureQueriesContext(connection) as three:
        page = client.get(feedback_url(pair))
    assert len(page.context["given"]) == 3
    assert len(one) == len(three)


def test_the_templates_have_a_question_for_every_item_of_the_old_pair_feedback():
    # What the data migration (mentoring 0003) maps the old feedback's fields to.
    migration = import_module("nastavnik.mentoring.migrations.0003_pair_feedback_to_questionnaires")
    for role in ("mentee", "mentor"):
        questions = {
            q.code: q
            for q in Questionnaire.objects.get(
                program__isnull=True, builtin_code=f"satisfaction_{role}", is_latest=True
            ).questions.all()
        }
        for code in migration.RATINGS.values():
            assert questions[code].kind == "scale10"
        for code in migration.YES_NO.values():
            assert [c["id"] for c in questions[code].choices] == ["yes", "no"]
        assert questions[migration.COMMENT].kind == "long_text"
