"""Stage 1 of monitoring also asks about the program itself: the program-quality questionnaire
(built-in «Анкета качества реализации программы наставничества»): 1–10 items about how the
program is organised, and a SWOT analysis in free text.

Respondents are the scope's people (through the access layer: mentors, mentees, curators,
parents) who submitted such a questionnaire of the academic year by the date. Items are found
by their stable `code`, so a program's own copy is read the same way. Item figures are sums
and counts (`Tally`), so a municipality shows exactly the sum of its organisations; the SWOT
answers are listed for an organisation only (a municipality reads them school by school).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum

from nastavnik.base.time import until_end_of
from nastavnik.orgs.models import academic_year_of
from nastavnik.surveys.builtin import TEMPLATES
from nastavnik.surveys.models import Answer, QuestionKind, Response, ResponseStatus, TemplateKind

from .satisfaction import Tally
from .scopes import ORGANISATION, Scope, scope_people

SWOT_LIMIT = 200  # different open answers shown per question, the latest first


def _builtin_questions(kinds: set[str]) -> list[tuple[str, str]]:
    template = next(t for t in TEMPLATES if t["kind"] == TemplateKind.PROGRAM_QUALITY)
    return [
        (question["code"], question["text"])
        for section in template["sections"]
        for question in section["questions"]
        if question["kind"] in kinds
    ]


ITEMS = _builtin_questions({QuestionKind.SCALE10})
SWOT = _builtin_questions({QuestionKind.LONG_TEXT})


@dataclass
class QualityItem:
    code: str
    label: str
    tally: Tally


@dataclass
class SwotAnswer:
    text: str
    count: int = 1


@dataclass
class ProgramQuality:
    respondents: int
    items: list[QualityItem]
    # (question, answers) per SWOT question; None where the scope is not one organisation
    swot: list[tuple[str, list[SwotAnswer]]] | None = field(default=None)


def quality_responses(user: Any, scope: Scope, day: dt.date) -> QuerySet[Response]:
    # Anyone of the scope's registry may answer (parents too, who are not the organisation's
    # people for the indicators), and an answer stays counted after its author leaves.
    people = scope_people(user, scope).values("pk")
    return Response.objects.filter(
        status=ResponseStatus.SUBMITTED,
        campaign__questionnaire__kind=TemplateKind.PROGRAM_QUALITY,
        campaign__program__academic_year=academic_year_of(day),
        submitted_at__lt=until_end_of(day),
        respondent_id__in=people,
    )


def program_quality(user: Any, scope: Scope, day: dt.date) -> ProgramQuality:
    """Three queries whatever the number of answers: respondents, item sums, SWOT texts."""
    responses = quality_responses(user, scope, day)
    respondents = responses.values("respondent_id").distinct().count()
    answers = Answer.objects.filter(response__in=responses.values("pk"))
    sums = {
        row["question__code"]: Tally(row["total"] or 0, row["count"])
        for row in answers.filter(question__code__in=[code for code, _ in ITEMS], number__isnull=False)
        .order_by()
        .values("question__code")
        .annotate(total=Sum("number"), count=Count("pk"))
    }
    quality = ProgramQuality(
        respondents=respondents,
        items=[QualityItem(code, label, sums.get(code, Tally())) for code, label in ITEMS],
    )
    if scope.level == ORGANISATION:
        # The same answer from several people is shown once with how many gave it.
        texts: dict[str, dict[str, SwotAnswer]] = {code: {} for code, _ in SWOT}
        rows = (
            answers.filter(question__code__in=list(texts))
            .order_by("-response__submitted_at", "-pk")
            .values_list("question__code", "value")
        )
        for code, value in rows:
            text = " ".join(str(value or "").split())
            key = text.casefold().rstrip(".")
            if not text:
                continue
            if key in texts[code]:
                texts[code][key].count += 1
            elif len(texts[code]) < SWOT_LIMIT:
                texts[code][key] = SwotAnswer(text)
        quality.swot = [(label, list(texts[code].values())) for code, label in SWOT]
    return quality
