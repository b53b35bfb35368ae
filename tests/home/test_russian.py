import pytest

from nastavnik.base.text import plural_form


@pytest.mark.parametrize(
    ("number", "word"),
    [(0, "лет"), (1, "год"), (2, "года"), (4, "года"), (5, "лет"), (11, "лет"), (12, "лет"), (14, "лет"),
     (21, "год"), (22, "года"), (25, "лет"), (101, "год"), (111, "лет")],
)  # fmt: skip
def test_russian_plural_forms(number, word):
    assert plural_form(number, "год", "года", "лет") == word
