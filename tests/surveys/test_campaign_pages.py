"""What a curator reads on a campaign's page and a respondent on the questionnaire (issue #14):
plain Russian with the right numerals, the reason someone got nothing without their name again,
every personal link to copy at once or print as a list — for the campaign's curators only — and
no note meant for staff on a respondent's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.base.time import local_today
from nastavnik.surveys.models import CampaignExclusion, Response, ResponseLink, ResponseStatus
from nastavnik.surveys.services import campaigns as services
from nastavnik.surveys.services import links as link_services
from tests.factories import UserFactory
from tests.surveys.conftest import response_of, student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(copy_template, program_x, school_x_curator):
    return services.campaign_create(
        acting_user=school_x_curator,
        program=program_x,
        questionnaire=copy_template("mentee_entry"),
        title="Входная анкета",
        deadline_on=local_today() + dt.timedelta(days=10),
    )


def detail(client, campaign) -> str:
    html = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("n", "recipients", "to_whom"),
    [
        (1, "1 получатель", "1 участнику"),
        (2, "2 получателя", "2 участникам"),
        (5, "5 получателей", "5 участникам"),
    ],
)
def test_the_campaign_says_what_happened_with_the_right_numerals(
    n, recipients, to_whom, campaign, school_x, school_x_curator, client_for
):
    people = [student(school_x) for _ in range(n)]
    services.campaign_add_recipients(acting_user=school_x_curator, campaign=campaign, people=people)
    Response.objects.filter(campaign=campaign, respondent=people[0]).update(status=ResponseStatus.SUBMITTED)
    text = detail(client_for(school_x_curator), campaign)
    assert f"{recipients} в рассылке" in text
    assert f"1 из {n} заполнили и отправили" in text
    assert f"Анкета предназначена {to_whom}" in text
    assert "анкет разослано" not in text and "отправлено (" not in text
    if n == 1:
        assert "анкета заполнена и отправлена" in text
    else:
        assert f"1 из {n} уже заполнил(а) и отправил(а)" in text


def test_the_reason_column_shows_the_reason_without_the_name(
    campaign, school_x, school_x_curator, client_for
):
    refused = student(school_x, last_name="Безсогласия", consent=False)
    services.campaign_add_recipients(acting_user=school_x_curator, campaign=campaign, people=[refused])
    exclusion = CampaignExclusion.objects.get(campaign=campaign)
    assert exclusion.reason.startswith(refused.full_name)  # as the registry words it
    html = client_for(school_x_curator).get(reverse("surveys:campaign_detail", args=[campaign.pk])).content
    (row,) = re.findall(r"<tr><td><a [^>]*>[^<]*</a>.*?</tr>", html.decode())
    reason_cell = re.findall(r"<td>(.*?)</td>", row)[-1]
    assert refused.last_name not in reason_cell
    assert reason_cell == exclusion.reason_only and "согласи" in reason_cell and reason_cell[:1].isupper()


def test_all_links_are_offered_to_copy_at_once_and_as_a_printable_list(
    campaign, school_x, school_x_curator, client_for
):
    anna, boris = student(school_x, first_name="Анна"), student(school_x, first_name="Борис")
    services.campaign_add_recipients(acting_user=school_x_curator, campaign=campaign, people=[anna, boris])
    client = client_for(school_x_curator)
    url = reverse("surveys:campaign_links", args=[campaign.pk])

    page = client.post(url).content.decode()
    assert "Скопировать все ссылки" in page
    (box,) = re.findall(r'<textarea id="all-links"[^>]*>(.*?)</textarea>', page, re.S)
    lines = box.strip().splitlines()
    assert len(lines) == 2
    assert {line.split(" — ")[0].split(",")[0] for line in lines} == {anna.full_name, boris.full_name}
    assert all(re.search(r"/a/[\w-]+/?$", line) for line in lines)

    sheet = client.post(url, {"sheet": "1"})
    assert sheet["Cache-Control"] == "no-store"
    html = sheet.content.decode()
    assert "личные ссылки на анкету" in html and "window.print()" in html
    assert anna.full_name in html and boris.full_name in html
    assert len(set(re.findall(r"/a/[\w-]+", html))) == 2
    # Each sheet issues fresh links; the earlier ones keep working.
    assert ResponseLink.objects.filter(response__campaign=campaign).count() == 4
    detail_page = client.get(reverse("surveys:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Список ссылок для печати" in detail_page


@pytest.mark.parametrize("who", ["school_y", "teacher"])
def test_nobody_else_gets_the_links_or_the_list(
    who, campaign, school_x, school_x_curator, school_y_curator, client_for
):
    services.campaign_add_recipients(
        acting_user=school_x_curator, campaign=campaign, people=[student(school_x)]
    )
    if who == "school_y":
        user = school_y_curator
    else:
        user = UserFactory()
        RoleAssignment.objects.create(user=user, role=Role.MENTOR, organisation=school_x)
    client = client_for(user)
    url = reverse("surveys:campaign_links", args=[campaign.pk])
    for data in ({}, {"sheet": "1"}):
        response = client.post(url, data)
        assert response.status_code in (403, 404)
        assert "/a/" not in response.content.decode()
    assert not ResponseLink.objects.exists()


def test_a_respondent_does_not_see_the_note_about_an_empty_dictionary(
    campaign, school_x, school_x_curator, client, client_for
):
    pupil = student(school_x)
    services.campaign_add_recipients(acting_user=school_x_curator, campaign=campaign, people=[pupil])
    ((_, token),) = link_services.links_issue(
        acting_user=school_x_curator, campaign=campaign, channel="manual"
    )
    interests = campaign.questionnaire.questions.get(code="mentee_interests")
    interests.required = True
    interests.save()

    page = client.get(reverse("surveys_public:respond", args=[token])).content.decode()
    assert "пока пуст" not in page
    assert re.search(rf'id="q-{interests.pk}"[^>]* hidden', page)

    # The question cannot be answered, so it does not hold the submission back.
    goals = campaign.questionnaire.questions.get(code="mentee_goals")
    who = campaign.questionnaire.questions.get(code="mentee_preferred_mentor")
    client.post(
        reverse("surveys_public:respond", args=[token]),
        {"action": "submit", f"q{goals.pk}": ["exams"], f"q{who.pk}": "teacher"},
    )
    assert response_of(campaign, pupil).status == ResponseStatus.SUBMITTED

    # The curator's preview still says why the question is missing.
    preview = client_for(school_x_curator).get(reverse("surveys:preview", args=[campaign.questionnaire.pk]))
    assert "Словарь «Интересы» пока пуст" in preview.content.decode()
