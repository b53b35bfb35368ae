"""What the surveys app holds on a person, for the registry's subject access export and erasure
(registered in `SurveysConfig.ready()`; see `nastavnik/registry/subject_data.py`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q
from django.utils import timezone

from nastavnik.registry.models import Person
from nastavnik.registry.subject_data import SubjectSection

from .models import TEXT_KINDS, Answer, Response
from .selectors import _resolve_display


def _responses(person: Person) -> list[Response]:
    """Questionnaires the person answered and those others answered about them."""
    return list(
        Response.objects.filter(Q(respondent=person) | Q(about_person=person))
        .select_related("campaign__questionnaire", "campaign__program", "respondent", "about_person")
        .order_by("created_at", "pk")
    )


class SurveysSubjectData:
    models: tuple[type[Model], ...] = (Response, Answer)

    def sections(self, person: Person) -> list[SubjectSection]:
        rows: list[dict[str, str]] = []
        objects: list = []
        for shown in _resolve_display(_responses(person)):
            response = shown.response
            objects.append(response)
            about = f" (о участнике: {response.about_person})" if response.about_person_id else ""
            header = {
                "Анкета": f"{response.campaign.questionnaire}{about}",
                "Программа": str(response.campaign.program),
                "Заполнил(а)": str(response.respondent),
                "Состояние": response.get_status_display(),
                "Отправлена": f"{timezone.localtime(response.submitted_at):%d.%m.%Y %H:%M}"
                if response.submitted_at
                else "",
            }
            if not shown.items:
                rows.append({**header, "Вопрос": "", "Ответ": ""})
            for question, text in shown.items:
                rows.append({**header, "Вопрос": question.text, "Ответ": text})
        return [SubjectSection("Анкеты и ответы", rows, objects)]

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        """Free-text answers by or about the person are emptied (numbers and choices stay: the
        indicators of satisfaction and growth count them)."""
        Answer.objects.filter(
            Q(response__respondent=person) | Q(response__about_person=person), question__kind__in=TEXT_KINDS
        ).update(value="")
