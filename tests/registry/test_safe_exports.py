"""The registry export writes text a user typed as text, not as a formula."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.exports import FORMULA, assert_written_as_text

pytestmark = pytest.mark.django_db


def test_the_registry_export(client_for, school_x, school_x_curator):
    from tests.factories import TeacherFactory

    TeacherFactory(organisation=school_x, position=FORMULA, phone="+7 900 000-00-00")
    response = client_for(school_x_curator).get(reverse("registry:export"))
    assert_written_as_text(response.content)
    assert_written_as_text(response.content, "+7 900 000-00-00")
