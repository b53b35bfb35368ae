"""Demo questionnaires for the demo region: `build_survey_demo()` after `DemoBuilder.build()`.

In МБОУ «СОШ № 1» the curator takes the mentee entry and diagnostic templates into the
students' program, sends the entry questionnaire to grades 7–9 (most have answered) and runs the
diagnostic twice for the mentees. (The networking meeting and the preference questionnaire after
it: mentoring/demo.py.) Goes through the
services, so the result looks exactly like real use. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.time import local_today
from nastavnik.orgs.models import Program, ProgramKind
from nastavnik.registry.models import Person, Tag

from .models import Campaign, Question, QuestionKind, Questionnaire, Response, ResponseStatus
from .services import campaigns as campaign_services
from .services import questionnaires as questionnaire_services
from .services import responses as response_services


def _getter(data: dict[str, list[str]]) -> Callable[[str], list[str]]:
    return lambda name: data.get(name, [])


def _random_answer(rng: random.Random, question: Question, tags: dict[str, list[int]]) -> list[str]:
    if question.kind == QuestionKind.SINGLE:
        return [rng.choice(question.choices)["id"]]
    if question.kind == QuestionKind.MULTIPLE:
        return [c["id"] for c in rng.sample(question.choices, k=rng.randint(1, 2))]
    if question.is_scale:
        return [str(rng.randint(max(1, question.scale_max // 2 - 1), question.scale_max))]
    if question.kind == QuestionKind.TAGS:
        pool = tags.get(question.vocabulary, [])
        return [str(t) for t in rng.sample(pool, k=min(2, len(pool)))]
    if question.kind == QuestionKind.LONG_TEXT and rng.random() < 0.3:
        return [
            rng.choice(
                ["Хочу лучше понимать математику", "Интересно программирование", "Нужна помощь с проектом"]
            )
        ]
    return []


def _answer_all(
    rng: random.Random, response: Response, tags: dict[str, list[int]], submit: bool = True
) -> None:
    data = {f"q{q.pk}": _random_answer(rng, q, tags) for q in response.campaign.questionnaire.questions.all()}
    errors = response_services.response_save(response=response, get_values=_getter(data), submit=submit)
    if errors and submit:
        response_services.response_save(response=response, get_values=_getter(data), submit=False)


@transaction.atomic
def build_survey_demo(seed: int = 2026) -> None:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not security
    curator = User.objects.get(username="curator1")
    program = Program.objects.filter(curator=curator, kind=ProgramKind.STUDENTS).order_by("pk").first()
    if program is None or Campaign.objects.filter(program=program).exists():
        return
    today = local_today(program.organisation)
    tags: dict[str, list[int]] = {}
    for tag_id, vocabulary in Tag.objects.values_list("pk", "vocabulary"):
        tags.setdefault(vocabulary, []).append(tag_id)

    def template(code: str) -> Questionnaire:
        source = Questionnaire.objects.get(program__isnull=True, builtin_code=code, is_latest=True)
        return questionnaire_services.questionnaire_copy(acting_user=curator, source=source, program=program)

    # The entry questionnaire to grades 7–9.
    entry = template("mentee_entry")
    campaign = campaign_services.campaign_create(
        acting_user=curator,
        program=program,
        questionnaire=entry,
        title="Анкета наставляемого, 7–9 классы",
        deadline_on=today + dt.timedelta(days=10),
    )
    pupils = Person.objects.filter(
        organisation=program.organisation, grade__in=[7, 8, 9], left_on__isnull=True
    )
    campaign_services.campaign_add_recipients(acting_user=curator, campaign=campaign, people=pupils)
    for response in campaign.responses.order_by("pk"):
        roll = rng.random()
        if roll < 0.55:
            _answer_all(rng, response, tags)
        elif roll < 0.7:
            _answer_all(rng, response, tags, submit=False)

    # The diagnostic at entry (when the program started, after consents were collected) and
    # again now, so the before/after comparison has something to show.
    diagnostic = template("diagnostic")
    mentees = Person.objects.filter(
        participations__program=program, participations__role="mentee", left_on__isnull=True
    ).order_by("pk")[:12]
    for label, shift in (("входная", 0), ("итоговая", 2)):
        round_campaign = campaign_services.campaign_create(
            acting_user=curator,
            program=program,
            questionnaire=diagnostic,
            title=f"Диагностика наставляемых ({label})",
            deadline_on=today + dt.timedelta(days=5),
        )
        campaign_services.campaign_add_recipients(
            acting_user=curator, campaign=round_campaign, people=mentees
        )
        for response in round_campaign.responses.order_by("pk"):
            data = {
                f"q{q.pk}": [str(min(10, rng.randint(3, 7) + shift))]
                if q.is_scale
                else [rng.choice(q.choices)["id"]]
                for q in diagnostic.questions.all()
            }
            response_services.response_save(response=response, get_values=_getter(data), submit=True)
        if shift == 0:
            Response.objects.filter(campaign=round_campaign, status=ResponseStatus.SUBMITTED).update(
                submitted_at=timezone.now() - dt.timedelta(days=45)
            )

    # The program-quality questionnaire of stage 1: its 1–10 items and a SWOT analysis.
    quality = template("program_quality")
    quality_campaign = campaign_services.campaign_create(
        acting_user=curator,
        program=program,
        questionnaire=quality,
        title="Качество реализации программы (полугодие)",
        deadline_on=today + dt.timedelta(days=7),
    )
    respondents = (
        Person.objects.filter(participations__program=program, left_on__isnull=True).distinct().order_by("pk")
    )
    campaign_services.campaign_add_recipients(
        acting_user=curator, campaign=quality_campaign, people=respondents[:24]
    )
    swot = {
        "swot_strengths": ["Встречи каждую неделю", "Наставники-старшеклассники понятнее объясняют", "Поддержка куратора"],
        "swot_weaknesses": ["Мало времени после уроков", "Не все пары встречаются регулярно"],
        "swot_opportunities": ["Проектная неделя в марте", "Олимпиадный кружок для пар"],
        "swot_threats": ["Нагрузка в конце четверти", "Болезни в сезон ОРВИ"],
    }  # fmt: skip
    for response in quality_campaign.responses.order_by("pk"):
        if rng.random() < 0.7:
            data = {
                f"q{q.pk}": ([rng.choice(swot[q.code])] if rng.random() < 0.6 else [])
                if q.code in swot
                else _random_answer(rng, q, tags)
                for q in quality.questions.all()
            }
            response_services.response_save(response=response, get_values=_getter(data), submit=True)
