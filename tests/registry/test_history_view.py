"""The person card's «История изменений» reads as Russian: no codes, no internal fields, times
in the organisation's zone."""

from __future__ import annotations

import datetime as dt
import re

from auditlog.models import LogEntry
from django.urls import reverse

from nastavnik.base.audit import acting_as
from nastavnik.registry.models import Participation, ParticipationStatus
from tests.builders import student, student_program, take_part


def test_the_person_card_shows_the_history_in_russian(client_for, school_x, school_x_curator):
    school_x.timezone = "Asia/Yekaterinburg"
    school_x.save()
    pupil = student(school_x, 8, last_name="Иванов", first_name="Иван", middle_name="Иванович")
    participation = take_part(student_program(school_x), pupil, "mentee")
    with acting_as(school_x_curator):
        participation.status = ParticipationStatus.IN_PAIR
        participation.save()
        pupil.grade = 9
        pupil.save()
    LogEntry.objects.filter(object_pk=str(pupil.pk), action=LogEntry.Action.UPDATE).update(
        timestamp=dt.datetime(2026, 9, 1, 5, 30, tzinfo=dt.UTC)
    )

    page = (
        client_for(school_x_curator).get(reverse("registry:person_detail", args=[pupil.pk])).content.decode()
    )
    history = page[page.index("История изменений") :]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history))
    assert "Создан: участник Иванов И. И." in text
    assert "Изменено: участие в программе" in text
    assert "Кандидат → В паре / группе" in text
    assert "01.09.2026 10:30" in text  # 05:30 UTC in Yekaterinburg
    for raw in ("search_text", "candidate", "in_pair", "None", "create:", "survey_responses"):
        assert raw not in text
    assert Participation.objects.get(pk=participation.pk).status == ParticipationStatus.IN_PAIR
