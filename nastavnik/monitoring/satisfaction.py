"""Stage 1 of monitoring: how satisfied the participants are, from the satisfaction
questionnaires (built-in templates «Анкета удовлетворённости наставляемого / наставника», or a
program's copy) they submitted in the academic year. There is one storage for both ways of
answering, so both are counted alike:

- a campaign the curator sent (personal link, e-mail, or a paper questionnaire entered by them);
- the questionnaire a pair member fills about their pair in «Мой кабинет», interim or final
  (`nastavnik/mentoring/services/pair_feedback.py`): a response of the program's in-app campaign that also
  names the pair. One person may have several; all of them go into their average.

The questions are found by their stable `code` (kept across copies and versions of a template),
so a program's own copy of a template is read the same way as the template itself:

- items rated 1–10: the scale questions of the built-in satisfaction templates;
- «рад(а) участию» (`sat_glad`) and «хочу продолжить» (`sat_continue`): yes/no.

**Удовлетворённость участников (%)** = the share of respondents whose average satisfaction item
is 7 or more. A respondent is a person who submitted a satisfaction questionnaire about
themselves in the academic year of the date (by the date), in either way; their average is over
every 1–10 item they answered in such questionnaires of that year, except «ожидаемая эффективность»
(`sat_expected`), which is what they expected before the program, not how it went.

Everything here is a queryset or a grouped query: nothing is averaged in Python per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet, Sum

from nastavnik.base.time import until_end_of
from nastavnik.orgs.models import academic_year_of
from nastavnik.surveys.builtin import TEMPLATES
from nastavnik.surveys.models import Answer, QuestionKind, Response, ResponseStatus, TemplateKind

if TYPE_CHECKING:
    from .scopes import Scope

MENTEE_KIND = TemplateKind.SATISFACTION_MENTEE
MENTOR_KIND = TemplateKind.SATISFACTION_MENTOR
SATISFACTION_KINDS = (MENTEE_KIND, MENTOR_KIND)
GLAD = "sat_glad"
CONTINUE = "sat_continue"
YES = "yes"
EXPECTED = "sat_expected"
SATISFIED_FROM = 7  # the average item from which a respondent counts as satisfied


def _template_items() -> list[tuple[str, str, str]]:
    """(code, template kind, text) of the 1–10 items of the built-in satisfaction templates."""
    items = []
    for template in TEMPLATES:
        if template["kind"] not in SATISFACTION_KINDS:
            continue
        for section in template["sections"]:
            for question in section["questions"]:
                if question["kind"] == QuestionKind.SCALE10:
                    items.append((question["code"], template["kind"], question["text"]))
    return items


TEMPLATE_ITEMS = _template_items()
ITEM_CODES: tuple[str, ...] = tuple(dict.fromkeys(code for code, _, _ in TEMPLATE_ITEMS))
INDEX_CODES: tuple[str, ...] = tuple(code for code in ITEM_CODES if code != EXPECTED)


def item_label(code: str) -> str:
    """The mentee template's wording (the mentor's where only the mentor is asked)."""
    texts = {c: t for c, kind, t in reversed(TEMPLATE_ITEMS) if kind == MENTOR_KIND}
    texts.update({c: t for c, kind, t in TEMPLATE_ITEMS if kind == MENTEE_KIND})
    return texts.get(code, code)


def year_responses_condition(day: dt.date, prefix: str = "") -> Q:
    """Submitted satisfaction questionnaires about oneself, of the academic year of `day`, by `day`."""
    return Q(
        **{
            f"{prefix}status": ResponseStatus.SUBMITTED,
            f"{prefix}about_person__isnull": True,
            f"{prefix}campaign__questionnaire__kind__in": SATISFACTION_KINDS,
            f"{prefix}campaign__program__academic_year": academic_year_of(day),
            f"{prefix}submitted_at__lt": until_end_of(day),
        }
    )


def respondent_person_ids(day: dt.date, within: Scope | None = None) -> QuerySet[Response, Any]:
    responses = Response.objects.filter(year_responses_condition(day))
    if within is not None:
        responses = responses.filter(within.narrowing("respondent__"))
    return responses.values("respondent_id")


def satisfied_person_ids(day: dt.date, within: Scope | None = None) -> QuerySet[Answer, Any]:
    """Respondents whose average satisfaction item (without `sat_expected`) is ≥ 7: one
    `GROUP BY respondent HAVING AVG(number) >= 7` subquery."""
    answers = Answer.objects.filter(
        year_responses_condition(day, "response__"), question__code__in=INDEX_CODES, number__isnull=False
    )
    if within is not None:
        answers = answers.filter(within.narrowing("response__respondent__"))
    return (
        answers.order_by()
        .values("response__respondent_id")
        .annotate(mean=Avg("number"))
        .filter(mean__gte=SATISFIED_FROM)
        .values("response__respondent_id")
    )


# --- the stage 1 tables ------------------------------------------------------------------------------


def _mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Sums and counts (not averages), so that a municipality is the sum of its organisations."""

    total: int = 0
    count: int = 0

    @property
    def mean(self) -> Decimal | None:
        return _mean(self.total, self.count)

    @property
    def percent(self) -> Decimal | None:
        """For yes/no: `total` is the number of «да» of `count` answers."""
        return _percent(self.total, self.count)

    @property
    def percent_for_bar(self) -> int:
        return round(100 * self.total / self.count) if self.count else 0

    @property
    def mean_for_bar(self) -> int:
        """The mean of a 1–10 item as a width in %."""
        return round(10 * self.total / self.count) if self.count else 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.total + other.total, self.count + other.count)


@dataclass
class RoleSatisfaction:
    """One role (mentees or mentors) of one organisation or of a sum of them."""

    respondents: int = 0
    satisfied: int = 0
    items: dict[str, Tally] = field(default_factory=dict)
    glad: Tally = field(default_factory=Tally)
    wants_to_continue: Tally = field(default_factory=Tally)

    def __add__(self, other: RoleSatisfaction) -> RoleSatisfaction:
        codes = dict.fromkeys([*self.items, *other.items])
        return RoleSatisfaction(
            respondents=self.respondents + other.respondents,
            satisfied=self.satisfied + other.satisfied,
            items={c: self.items.get(c, Tally()) + other.items.get(c, Tally()) for c in codes},
            glad=self.glad + other.glad,
            wants_to_continue=self.wants_to_continue + other.wants_to_continue,
        )


@dataclass
class Satisfaction:
    """Stage 1 of one organisation (or the sum of several): per role and both roles together."""

    mentees: RoleSatisfaction = field(default_factory=RoleSatisfaction)
    mentors: RoleSatisfaction = field(default_factory=RoleSatisfaction)
    respondents: int = 0  # distinct people (someone who answered as both counts once)
    satisfied: int = 0

    @property
    def index(self) -> Decimal | None:
        """Удовлетворённость участников, %: satisfied respondents of all respondents."""
        return _percent(self.satisfied, self.respondents)

    @property
    def index_for_bar(self) -> int:
        return round(100 * self.satisfied / self.respondents) if self.respondents else 0

    @property
    def rows(self) -> list[tuple[str, str, Tally, Tally]]:
        """(code, label, mentees, mentors) per 1–10 item, in the templates' order."""
        return [
            (
                code,
                item_label(code),
                self.mentees.items.get(code, Tally()),
                self.mentors.items.get(code, Tally()),
            )
            for code in ITEM_CODES
        ]

    def __add__(self, other: Satisfaction) -> Satisfaction:
        return Satisfaction(
            mentees=self.mentees + other.mentees,
            mentors=self.mentors + other.mentors,
            respondents=self.respondents + other.respondents,
            satisfied=self.satisfied + other.satisfied,
        )


def sum_satisfaction(items: Iterable[Satisfaction]) -> Satisfaction:
    total = Satisfaction()
    for item in items:
        total = total + item
    return total


def satisfaction_by_organisation(
    person_ids: QuerySet[Any, Any], day: dt.date, within: Scope | None = None
) -> dict[int, Satisfaction]:
    """{organisation id: Satisfaction} for the people `person_ids` (a `values("pk")` queryset the
    access layer produced), in three grouped queries whatever the number of people."""
    answers = Answer.objects.filter(
        year_responses_condition(day, "response__"), response__respondent_id__in=person_ids
    ).order_by()
    responses = Response.objects.filter(
        year_responses_condition(day), respondent_id__in=person_ids
    ).order_by()
    organisation = "response__respondent__organisation_id"
    kind = "response__campaign__questionnaire__kind"
    result: dict[int, Satisfaction] = {}

    def of(org_id: int) -> Satisfaction:
        return result.setdefault(org_id, Satisfaction())

    def role(org_id: int, template_kind: str) -> RoleSatisfaction:
        satisfaction = of(org_id)
        return satisfaction.mentees if template_kind == MENTEE_KIND else satisfaction.mentors

    # 1. per organisation, role and question: sums and counts of the items, «да» of the yes/no
    for row in (
        answers.filter(question__code__in=[*ITEM_CODES, GLAD, CONTINUE])
        .values(organisation, kind, "question__code")
        .annotate(
            total=Sum("number"),
            count=Count("number"),
            yes=Count("pk", filter=Q(value=YES)),
            answered=Count("pk"),
        )
    ):
        target = role(row[organisation], row[kind])
        code = row["question__code"]
        if code == GLAD:
            target.glad = Tally(row["yes"], row["answered"])
        elif code == CONTINUE:
            target.wants_to_continue = Tally(row["yes"], row["answered"])
        else:
            target.items[code] = Tally(row["total"] or 0, row["count"])
    # 2. respondents and the satisfied among them per organisation and role
    satisfied = satisfied_person_ids(day, within)
    counts = {
        "respondents": Count("respondent_id", distinct=True),
        "satisfied": Count("respondent_id", distinct=True, filter=Q(respondent_id__in=satisfied)),
    }
    for row in responses.values("respondent__organisation_id", "campaign__questionnaire__kind").annotate(
        **counts
    ):
        target = role(row["respondent__organisation_id"], row["campaign__questionnaire__kind"])
        target.respondents = row["respondents"]
        target.satisfied = row["satisfied"]
    # 3. distinct respondents of both roles (the indicator's numerator and denominator)
    for row in responses.values("respondent__organisation_id").annotate(**counts):
        satisfaction = of(row["respondent__organisation_id"])
        satisfaction.respondents = row["respondents"]
        satisfaction.satisfied = row["satisfied"]
    return result
