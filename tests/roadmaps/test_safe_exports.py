"""The roadmap export writes imported and typed text as text, not as formulas."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.exports import FORMULA, assert_written_as_text

pytestmark = pytest.mark.django_db


def test_the_roadmap_export(client_for, school_x, school_x_curator):
    from tests.roadmaps.test_views import make_roadmap

    roadmap = make_roadmap(school_x_curator, school_x)
    roadmap.events.filter(pk=roadmap.events.first().pk).update(title=FORMULA)
    response = client_for(school_x_curator).get(reverse("roadmaps:export", args=[roadmap.pk, "xlsx"]))
    assert_written_as_text(response.content)
