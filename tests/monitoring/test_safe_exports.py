"""The monitoring spreadsheets write names typed by users as text, not as formulas."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.orgs.models import MentoringForm
from nastavnik.registry.models import Person
from tests.exports import FORMULA, assert_written_as_text

pytestmark = pytest.mark.django_db


def test_the_statistics_for_the_regional_centre(client_for, school_x, school_x_curator):
    from tests.monitoring.conftest import D, build_hand_made

    build_hand_made(school_x)
    MentoringForm.objects.filter(organisation__isnull=True, parent__isnull=True).update(name=FORMULA)
    url = reverse("monitoring:statistics", args=["organisation", school_x.pk]) + f"?date={D.isoformat()}"
    assert_written_as_text(client_for(school_x_curator).get(url).content)


def test_the_municipal_base(client_for, school_x, municipal_curator_a, municipality_a):
    from tests.monitoring.conftest import D, build_hand_made

    build_hand_made(school_x)
    Person.objects.filter(organisation=school_x, last_name="ОВЗ-учёт").update(last_name=FORMULA)
    url = reverse("monitoring:municipal_base", args=[municipality_a.pk]) + f"?date={D.isoformat()}"
    content = client_for(municipal_curator_a).get(url).content
    cells = [c for s in load_workbook(io.BytesIO(content)).worksheets for r in s.iter_rows() for c in r]
    named = [c for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA + " ")]
    assert named and all(c.data_type == "s" for c in named)
