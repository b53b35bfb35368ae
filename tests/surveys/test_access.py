"""Who may open what: school Y's curator gets 404 for everything of school X, the municipal
curator reads but does not change, participants and anonymous users see no survey pages."""

import pytest
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.base.time import local_today
from nastavnik.surveys.models import Campaign
from tests.factories import user_with_role
from tests.surveys.conftest import mentee, networking_meeting, response_of, student


@pytest.fixture
def x_objects(copy_template, open_campaign, program_x, school_x, school_x_curator):
    questionnaire = copy_template("mentee_entry")
    pupil = student(school_x)
    campaign, _ = open_campaign(questionnaire, [pupil])
    meeting = networking_meeting(program_x, school_x_curator, present=[mentee(program_x, pupil)])
    return {
        "questionnaire": questionnaire,
        "question": questionnaire.questions.first(),
        "section": questionnaire.sections.first(),
        "campaign": campaign,
        "response": response_of(campaign, pupil),
        "meeting": meeting,
        "pupil": pupil,
    }


def read_urls(o):
    return [
        reverse("surveys:builder", args=[o["questionnaire"].pk]),
        reverse("surveys:preview", args=[o["questionnaire"].pk]),
        reverse("surveys:blank_pdf", args=[o["questionnaire"].pk]),
        reverse("surveys:campaign_detail", args=[o["campaign"].pk]),
        reverse("surveys:campaign_results", args=[o["campaign"].pk]),
        reverse("surveys:campaign_export", args=[o["campaign"].pk]),
        reverse("surveys:response_detail", args=[o["response"].pk]),
        reverse("mentoring:event_detail", args=[o["meeting"].pk]),
        reverse("mentoring:campaign_links", args=[o["campaign"].pk]),
    ]


def write_urls(o):
    return [
        reverse("surveys:questionnaire_settings", args=[o["questionnaire"].pk]),
        reverse("surveys:section_add", args=[o["questionnaire"].pk]),
        reverse("surveys:question_add", args=[o["section"].pk]),
        reverse("surveys:question_edit", args=[o["question"].pk]),
        reverse("surveys:question_delete", args=[o["question"].pk]),
        reverse("surveys:question_move", args=[o["question"].pk, "down"]),
        reverse("surveys:campaign_recipients", args=[o["campaign"].pk]),
        reverse("surveys:campaign_invite", args=[o["campaign"].pk]),
        reverse("surveys:campaign_links", args=[o["campaign"].pk]),
        reverse("surveys:campaign_print", args=[o["campaign"].pk]),
        reverse("surveys:campaign_deadline", args=[o["campaign"].pk]),
        reverse("surveys:response_detail", args=[o["response"].pk]),
        reverse("mentoring:event_action", args=[o["meeting"].pk, "invite"]),
        reverse("mentoring:event_action", args=[o["meeting"].pk, "attendance"]),
        reverse("mentoring:event_preference_campaign", args=[o["meeting"].pk]),
    ]


def test_school_y_curator_gets_404_for_everything_of_school_x(client_for, school_y_curator, x_objects):
    client = client_for(school_y_curator)
    for url in read_urls(x_objects):
        assert client.get(url).status_code == 404, url
    for url in write_urls(x_objects):
        assert client.post(url, {"title": "Взлом", "text": "?", "kind": "short_text"}).status_code == 404, url
    assert client.get(reverse("surveys:person_answers", args=[x_objects["pupil"].pk])).status_code == 404
    listing = client.get(reverse("surveys:questionnaire_list")).content.decode()
    assert reverse("surveys:builder", args=[x_objects["questionnaire"].pk]) not in listing
    assert x_objects["campaign"].title not in client.get(reverse("surveys:campaign_list")).content.decode()


def test_school_y_curator_cannot_send_a_questionnaire_after_school_xs_networking_meeting(
    client_for, copy_template, school_y_curator, x_objects, program_y
):
    """The networking → preference questionnaire path: the meeting is neither offered nor accepted."""
    preference = copy_template("preference", program=program_y, user=school_y_curator)
    meeting = x_objects["meeting"]
    client = client_for(school_y_curator)
    assert client.get(reverse("mentoring:event_detail", args=[meeting.pk])).status_code == 404
    start = reverse("mentoring:event_preference_campaign", args=[meeting.pk])
    assert client.get(start).status_code == 404
    # A link saved from the meeting's page before leads to the same refusal.
    assert (
        client.get(reverse("surveys:campaign_create") + f"?meeting={meeting.pk}", follow=True).status_code
        == 404
    )
    response = client.post(
        start,
        {
            "questionnaire": preference.pk,
            "deadline_on": local_today().isoformat(),
        },
    )
    assert response.status_code == 404
    assert not Campaign.objects.filter(preference_of__event=meeting).exists()
    # Nor does the list of campaigns name school X's meeting to them.
    assert (
        f"campaign-meeting-{x_objects['campaign'].pk}"
        not in client.get(reverse("mentoring:campaign_meetings")).content.decode()
    )


def test_school_y_curator_cannot_copy_a_template_into_school_xs_program(
    client_for, school_y_curator, program_x
):
    from tests.surveys.conftest import template

    response = client_for(school_y_curator).post(
        reverse("surveys:questionnaire_copy", args=[template("mentee_entry").pk]), {"program": program_x.pk}
    )
    assert response.status_code == 302
    assert not program_x.questionnaires.exists()


def test_the_municipal_curator_reads_but_does_not_change(client_for, municipal_curator_a, x_objects):
    client = client_for(municipal_curator_a)
    for url in read_urls(x_objects):
        assert client.get(url).status_code == 200, url
    for url in write_urls(x_objects):
        assert client.post(url, {"title": "Правка", "text": "?", "kind": "short_text"}).status_code == 403, (
            url
        )
    meeting_page = client.get(reverse("mentoring:event_detail", args=[x_objects["meeting"].pk]))
    assert "Анкета предпочтений" in meeting_page.content.decode()
    assert reverse("surveys:campaign_create") not in meeting_page.content.decode()
    assert reverse("mentoring:event_preference_campaign", args=[x_objects["meeting"].pk]) not in (
        meeting_page.content.decode()
    )


def test_participants_and_anonymous_users_see_no_survey_pages(client, client_for, school_x, x_objects):
    mentee_user = user_with_role(Role.MENTEE, organisation=school_x)
    client_m = client_for(mentee_user)
    assert client_m.get(reverse("surveys:questionnaire_list")).status_code == 403
    for url in read_urls(x_objects):
        assert client_m.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url  # to the login page
