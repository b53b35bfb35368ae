"""The survey results export writes answers typed by respondents as text, not as formulas."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.exports import FORMULA, assert_written_as_text
from tests.surveys.test_results import SATISFIED

pytestmark = pytest.mark.django_db


def test_the_survey_results_export(copy_template, open_campaign, school_x, client_for, school_x_curator):
    from tests.surveys.conftest import response_of, student, submit

    questionnaire = copy_template("satisfaction_mentee")
    pupil = student(school_x)
    campaign, _ = open_campaign(questionnaire, [pupil])
    submit(response_of(campaign, pupil), {**SATISFIED, "sat_best": [FORMULA]})
    response = client_for(school_x_curator).get(reverse("surveys:campaign_export", args=[campaign.pk]))
    assert_written_as_text(response.content)
