"""Names in the case the sentence needs on the pair's pages, and its history in Russian."""

from __future__ import annotations

import re

from django.urls import reverse

from nastavnik.mentoring.services import groups as services
from tests.builders import builtin_form, mentee, mentor, student_program


def test_the_pair_page_names_the_mentor_in_the_genitive_and_its_history_speaks_russian(
    client_for, school_x, school_x_curator
):
    program = student_program(school_x)
    group = services.group_create(
        acting_user=school_x_curator,
        program=program,
        form=builtin_form("student-student"),
        mentor=mentor(program, last_name="Сидоров", first_name="Олег", middle_name="Константинович"),
        mentees=[mentee(program)],
    )
    client = client_for(school_x_curator)
    page = client.get(reverse("mentoring:group_detail", args=[group.pk])).content.decode()
    assert "Пара наставника Сидорова Олега Константиновича" in page
    assert "Пара наставника Сидорова О. К." in page

    history = client.get(reverse("mentoring:group_history", args=[group.pk])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history[history.index("Журнал изменений") :]))
    assert "Создана: наставническая пара (группа) Пара (группа) наставника Сидорова О. К." in text
    assert "Наставник: — → Сидоров Олег Константинович" in text
    assert "create:" not in text and "None" not in text
