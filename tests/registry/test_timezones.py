"""One organisation, one clock (issue #14): every time shown to a user of an organisation is in
that organisation's time zone, whatever the server's."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.registry.timezones import user_timezone_name
from nastavnik.surveys.services.links import link_issue
from tests.factories import PersonFactory, ProgramFactory, UserFactory, give_consent, user_with_role
from tests.monitoring.conftest import submit

pytestmark = pytest.mark.django_db
AT_04_16_UTC = dt.datetime(2026, 3, 2, 4, 16, tzinfo=dt.UTC)  # 07:16 in Moscow, 09:16 in Yekaterinburg


@pytest.fixture
def yekaterinburg(school_x):  # type: ignore[no-untyped-def]
    school_x.timezone = "Asia/Yekaterinburg"
    school_x.save()
    return school_x


def test_a_response_submitted_at_04_16_utc_shows_09_16_on_the_campaign_page_and_in_the_history(
    client_for, yekaterinburg, school_x_curator
):  # type: ignore[no-untyped-def]
    student = PersonFactory(organisation=yekaterinburg, last_name="Уральская")
    response = submit(
        ProgramFactory(organisation=yekaterinburg), "satisfaction_mentee", student, {}, dt.date(2026, 3, 2)
    )
    response.submitted_at = AT_04_16_UTC
    response.save()
    LogEntry.objects.get_for_object(student).update(timestamp=AT_04_16_UTC)
    client = client_for(school_x_curator)

    campaign_page = client.get(
        reverse("surveys:campaign_detail", args=[response.campaign_id])
    ).content.decode()
    history = client.get(reverse("registry:person_detail", args=[student.pk])).content.decode()

    assert "02.03.2026 09:16" in campaign_page and "07:16" not in campaign_page
    assert "02.03.2026 09:16" in history and "07:16" not in history


def test_the_public_survey_page_shows_the_organisations_time_to_a_respondent_without_an_account(
    client, yekaterinburg
):  # type: ignore[no-untyped-def]
    student = PersonFactory(organisation=yekaterinburg, birth_date=dt.date(1990, 1, 1))
    give_consent(student, signed_on=dt.date(2026, 1, 10))
    response = submit(
        ProgramFactory(organisation=yekaterinburg), "satisfaction_mentee", student, {}, dt.date(2026, 3, 2)
    )
    response.submitted_at = AT_04_16_UTC
    response.save()
    response.campaign.deadline = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    response.campaign.save()
    token = link_issue(acting_user=None, response=response, channel="print")

    page = client.get(reverse("surveys_public:respond", args=[token])).content.decode()

    assert "Анкета отправлена 02.03.2026 09:16" in page


def test_the_zone_is_that_of_the_first_role_else_of_the_person_else_the_default(school_x, municipality_a):  # type: ignore[no-untyped-def]
    school_x.timezone = "Asia/Yekaterinburg"
    school_x.save()
    municipality_a.region.timezone = "Asia/Vladivostok"
    municipality_a.region.save()

    assert (
        user_timezone_name(user_with_role(Role.PROGRAM_CURATOR, organisation=school_x))
        == "Asia/Yekaterinburg"
    )
    assert user_timezone_name(user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_a)) == (
        "Asia/Vladivostok"
    )
    mentee = UserFactory()
    PersonFactory(organisation=school_x, user=mentee)
    assert user_timezone_name(mentee) == "Asia/Yekaterinburg"
    assert user_timezone_name(UserFactory()) == "Europe/Moscow"
