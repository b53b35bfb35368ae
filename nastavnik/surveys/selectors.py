"""Reads of questionnaires, campaigns and answers. Access starts from the permission layer
(`access.py`): surveys of a program are read by the staff who oversee its organisation.

For other apps (matching, monitoring, the person card):
- `answers_for_person(user, person)` — everything a person answered or was answered about;
- `latest_answers(person, template_kind)` — the newest submitted answers of one kind, by code;
- `preference_rankings(campaigns)` — who ranked whom in these campaigns, among their rank
  candidates (mentoring passes the preference campaigns of a networking meeting);
- `diagnostic_comparison(person)` — the first and the last diagnostic side by side.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from nastavnik.accounts.access import AnyUser
from nastavnik.orgs.models import Program
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.labels import person_label
from nastavnik.registry.models import Participation, Person, Tag

from .access import survey_programs_for, visible_campaigns_for
from .models import (
    Answer,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
    Section,
    TemplateKind,
    answer_display,
)

# --- lists ----------------------------------------------------------------------------------------


def questionnaire_list(user: AnyUser) -> QuerySet[Questionnaire]:
    """The latest version of every program questionnaire the user reads."""
    return (
        Questionnaire.objects.filter(program__in=survey_programs_for(user), is_latest=True)
        .select_related("program__organisation")
        .annotate(
            question_count=Count("questions", distinct=True),
            campaign_count=Count("campaigns", distinct=True),
        )
        .order_by("program__organisation__short_name", "program__title", "kind", "title")
    )


def program_questionnaires(program: Program) -> QuerySet[Questionnaire]:
    """The latest version of each questionnaire of one program (the caller checked the program)."""
    return Questionnaire.objects.filter(program=program, is_latest=True).order_by("title")


def latest_questionnaires_of(programs: QuerySet[Program]) -> QuerySet[Questionnaire]:
    """The latest version of each questionnaire of the programs (the caller's programs came
    through the access layer)."""
    return (
        Questionnaire.objects.filter(program__in=programs, is_latest=True)
        .select_related("program__organisation")
        .order_by("program__title", "title")
    )


def latest_version(questionnaire: Questionnaire) -> Questionnaire | None:
    return Questionnaire.objects.filter(family=questionnaire.family, is_latest=True).first()


def questionnaire_versions(questionnaire: Questionnaire) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(family=questionnaire.family).order_by("-version").only("pk", "version")
    )


def question_of(response: Response, question_id: int) -> Question | None:
    """A question of the questionnaire a response answers (the public page came by its token)."""
    return Question.objects.filter(
        pk=question_id, questionnaire_id=response.campaign.questionnaire_id
    ).first()


def template_list() -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(program__isnull=True, is_latest=True)
        .annotate(question_count=Count("questions"))
        .order_by("pk")
    )


def campaign_list(user: AnyUser) -> QuerySet[Campaign]:
    return (
        visible_campaigns_for(user)
        .select_related("program__organisation", "questionnaire")
        .annotate(
            total=Count("responses", distinct=True),
            submitted=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED), distinct=True),
            excluded=Count("exclusions", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


# --- structure of a questionnaire -------------------------------------------------------------------


def ordered_questions(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("section", "condition_question").order_by(
            "section__position", "section_id", "position", "pk"
        )
    )


def questionnaire_structure(questionnaire: Questionnaire) -> list[tuple[Section, list[Question]]]:
    """Sections with their questions in order, in two queries."""
    sections = list(
        questionnaire.sections.order_by("position", "pk").prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("condition_question").order_by("position", "pk"),
            )
        )
    )
    return [(section, list(section.questions.all())) for section in sections]


def tags_by_vocabulary(vocabularies: set[str]) -> dict[str, list[Tag]]:
    result: dict[str, list[Tag]] = defaultdict(list)
    if vocabularies:
        for tag in Tag.objects.filter(vocabulary__in=vocabularies).order_by("name"):
            result[tag.vocabulary].append(tag)
    return result


def deadline_on(campaign: Campaign) -> dt.date:
    """The last day to answer, in the organisation's time zone."""
    return timezone.localtime(campaign.deadline, ZoneInfo(campaign.program.organisation.timezone)).date()


# --- results of a campaign ----------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    percent: int


@dataclass
class QuestionSummary:
    question: Question
    answered: int
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class ResultRow:
    response: Response
    cells: list[str]


@dataclass
class CampaignResults:
    total: int
    started: int
    submitted: int
    questions: list[Question]
    summaries: list[QuestionSummary]
    rows: list[ResultRow]

    @property
    def rate(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _summarise(
    question: Question, values: list[Any], tags: dict[int, str], people: dict[int, str]
) -> QuestionSummary:
    summary = QuestionSummary(question=question, answered=len(values))
    n = len(values)
    if question.kind in {QuestionKind.SINGLE, QuestionKind.MULTIPLE}:
        counts: Counter[str] = Counter()
        for value in values:
            counts.update([value] if isinstance(value, str) else value)
        summary.bars = [
            Bar(str(choice["label"]), counts[choice["id"]], _percent(counts[choice["id"]], n))
            for choice in question.choices
        ]
    elif question.is_scale:
        counts_n: Counter[int] = Counter(int(v) for v in values)
        summary.bars = [Bar(str(v), counts_n[v], _percent(counts_n[v], n)) for v in question.scale_values]
        summary.average = round(sum(int(v) for v in values) / n, 1) if n else None
    elif question.kind == QuestionKind.TAGS:
        tag_counts: Counter[int] = Counter(int(t) for value in values for t in value)
        summary.bars = [
            Bar(tags.get(tag_id, "—"), count, _percent(count, n))
            for tag_id, count in tag_counts.most_common(15)
        ]
    elif question.kind == QuestionKind.RANK_PEOPLE:
        # Points as in a Borda count: the first of k choices gets k points, the last one 1.
        points: Counter[int] = Counter()
        for value in values:
            for index, person_id in enumerate(value):
                points[int(person_id)] += question.max_ranked - index
        top = max(points.values(), default=0)
        summary.bars = [
            Bar(people.get(person_id, "—"), score, _percent(score, top))
            for person_id, score in points.most_common(15)
        ]
    else:
        summary.texts = [answer_display(question, v, tags, people) for v in values[-30:]]
    return summary


def campaign_results(campaign: Campaign) -> CampaignResults:
    """Response rate, per-question summaries and the table of all answers, in a fixed number
    of queries whatever the number of responses."""
    questions = ordered_questions(campaign.questionnaire)
    responses = list(
        campaign.responses.select_related("respondent", "about_person", "entered_by").order_by(
            "respondent__last_name", "respondent__first_name", "pk"
        )
    )
    answers = list(
        Answer.objects.filter(response__campaign=campaign).values_list("response_id", "question_id", "value")
    )
    by_response: dict[int, dict[int, Any]] = defaultdict(dict)
    by_question: dict[int, list[Any]] = defaultdict(list)
    tag_ids: set[int] = set()
    person_ids: set[int] = set()
    kinds = {q.pk: q.kind for q in questions}
    for response_id, question_id, value in answers:
        by_response[response_id][question_id] = value
        kind = kinds.get(question_id)
        if kind == QuestionKind.TAGS:
            tag_ids.update(int(v) for v in value)
        elif kind == QuestionKind.RANK_PEOPLE:
            person_ids.update(int(v) for v in value)
    submitted_ids = {r.pk for r in responses if r.status == ResponseStatus.SUBMITTED}
    for response_id, question_id, value in answers:
        if response_id in submitted_ids:
            by_question[question_id].append(value)
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")) if tag_ids else {}
    people = {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)} if person_ids else {}
    summaries = [_summarise(q, by_question.get(q.pk, []), tags, people) for q in questions]
    rows = [
        ResultRow(
            response=r,
            cells=[answer_display(q, by_response[r.pk].get(q.pk), tags, people) for q in questions],
        )
        for r in responses
    ]
    return CampaignResults(
        total=len(responses),
        started=sum(1 for r in responses if r.status != ResponseStatus.INVITED),
        submitted=len(submitted_ids),
        questions=questions,
        summaries=summaries,
        rows=rows,
    )


# --- answers of one person ---------------------------------------------------------------------------


@dataclass
class PersonResponse:
    response: Response
    items: list[tuple[Question, str]]

    @property
    def when(self) -> dt.datetime:
        return self.response.submitted_at or self.response.updated_at


def _resolve_display(responses: list[Response]) -> list[PersonResponse]:
    answers = list(
        Answer.objects.filter(response__in=responses)
        .select_related("question__section")
        .order_by("question__section__position", "question__section_id", "question__position", "question_id")
    )
    tag_ids = {int(v) for a in answers if a.question.kind == QuestionKind.TAGS for v in a.value}
    person_ids = {int(v) for a in answers if a.question.kind == QuestionKind.RANK_PEOPLE for v in a.value}
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")) if tag_ids else {}
    people = {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)} if person_ids else {}
    items: dict[int, list[tuple[Question, str]]] = defaultdict(list)
    for answer in answers:
        items[answer.response_id].append(
            (answer.question, answer_display(answer.question, answer.value, tags, people))
        )
    return [PersonResponse(response=r, items=items[r.pk]) for r in responses]


def answers_for_person(user: AnyUser, person: Person) -> list[PersonResponse]:
    """All questionnaires a person answered or that others answered about them, newest first,
    within what the user may read (staff of programs they oversee). For the person card:
    `{% include "surveys/_person_answers.html" with survey_answers=... %}`."""
    if not visible_people_for(user).filter(pk=person.pk).exists():
        return []
    responses = list(
        Response.objects.filter(campaign__in=visible_campaigns_for(user))
        .filter(Q(respondent=person, about_person__isnull=True) | Q(about_person=person))
        .exclude(status=ResponseStatus.INVITED)
        .select_related(
            "campaign__questionnaire", "campaign__program", "respondent", "about_person", "entered_by"
        )
        .order_by("-submitted_at", "-updated_at", "-pk")
    )
    return _resolve_display(responses)


def _subject_responses(person: Person, kind: str) -> QuerySet[Response]:
    condition = (
        Q(about_person=person)
        if kind == TemplateKind.THIRD_PARTY
        else Q(respondent=person, about_person__isnull=True)
    )
    return Response.objects.filter(
        condition, campaign__questionnaire__kind=kind, status=ResponseStatus.SUBMITTED
    )


def latest_answers(person: Person, template_kind: str) -> dict[str, Any]:
    """The newest submitted answers of the person to a questionnaire of this kind (for
    third-party information: the newest answers about them), by question code. Values are the
    stored structure: choice ids, numbers, tag ids, ranked person ids. Empty if none.

    Not filtered by a user: matching and monitoring call it for people already read through the
    access layer."""
    response = _subject_responses(person, template_kind).order_by("-submitted_at", "-pk").first()
    if response is None:
        return {}
    return dict(response.answers.values_list("question__code", "value"))


def preference_rankings(campaigns: QuerySet[Campaign]) -> dict[int, list[int]]:
    """Respondent person id → person ids they ranked, the most preferred first, from submitted
    answers to «choose and rank people» questions of these campaigns (a later answer replaces an
    earlier one). Only the campaigns' rank candidates count, on both sides."""
    candidates = set(
        Participation.objects.filter(pk__in=campaigns.values("rank_candidates")).values_list(
            "person_id", flat=True
        )
    )
    rows = (
        Answer.objects.filter(
            response__campaign__in=campaigns,
            response__status=ResponseStatus.SUBMITTED,
            question__kind=QuestionKind.RANK_PEOPLE,
        )
        .order_by("response__submitted_at", "pk")
        .values_list("response__respondent_id", "value")
    )
    rankings: dict[int, list[int]] = {}
    for respondent_id, value in rows:
        if respondent_id in candidates:
            rankings[respondent_id] = [int(v) for v in value if int(v) in candidates]
    return rankings


def preference_choices(campaigns: QuerySet[Campaign]) -> list[tuple[Person, list[Person]]]:
    """`preference_rankings` with the people, by the chooser's name (for the meeting's page)."""
    rankings = preference_rankings(campaigns)
    ids = set(rankings) | {pid for ranked in rankings.values() for pid in ranked}
    people = Person.objects.in_bulk(ids)
    rows = [
        (people[respondent], [people[p] for p in ranked if p in people])
        for respondent, ranked in rankings.items()
        if respondent in people
    ]
    return sorted(rows, key=lambda row: row[0].full_name)


@dataclass
class ComparisonRow:
    code: str
    text: str
    kind: str
    before: str
    after: str
    delta: int | None


@dataclass
class DiagnosticComparison:
    before: Response | None
    after: Response | None
    rows: list[ComparisonRow]

    @property
    def comparable(self) -> bool:
        return self.before is not None and self.after is not None


def diagnostic_comparison(person: Person) -> DiagnosticComparison:
    """The person's first and last submitted diagnostic side by side, matched by question code
    (so versions of the form stay comparable); scales get the change."""
    responses = list(
        _subject_responses(person, TemplateKind.DIAGNOSTIC)
        .select_related("campaign__questionnaire", "campaign__program")
        .order_by("submitted_at", "pk")
    )
    if not responses:
        return DiagnosticComparison(None, None, [])
    before = responses[0]
    after = responses[-1] if len(responses) > 1 else None
    pair = [before] if after is None else [before, after]
    answers = list(
        Answer.objects.filter(response__in=pair)
        .select_related("question__section")
        .order_by("question__section__position", "question__position", "question_id")
    )
    tag_ids = {int(v) for a in answers if a.question.kind == QuestionKind.TAGS for v in a.value}
    tags = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")) if tag_ids else {}
    rows: dict[str, ComparisonRow] = {}
    values: dict[tuple[str, int], Answer] = {}
    for answer in answers:
        code = answer.question.code
        values[(code, answer.response_id)] = answer
        if code not in rows:
            rows[code] = ComparisonRow(code, answer.question.text, answer.question.kind, "", "", None)
    for code, row in rows.items():
        first = values.get((code, before.pk))
        last = values.get((code, after.pk)) if after is not None else None
        if first is not None:
            row.before = answer_display(first.question, first.value, tags, {})
        if last is not None:
            row.after = answer_display(last.question, last.value, tags, {})
        if first is not None and last is not None and first.number is not None and last.number is not None:
            row.delta = last.number - first.number
    return DiagnosticComparison(before=before, after=after, rows=list(rows.values()))


# --- a questionnaire as a respondent sees it -------------------------------------------------------


@dataclass
class QuestionView:
    question: Question
    value: Any = None
    visible: bool = True
    error: str = ""
    tags: list[Tag] = field(default_factory=list)
    people: list[Participation] = field(default_factory=list)

    @property
    def selected(self) -> set[str]:
        if self.value is None:
            return set()
        if isinstance(self.value, list):
            return {str(v) for v in self.value}
        return {str(self.value)}

    @property
    def people_choices(self) -> list[tuple[int, str]]:
        """The offered people as «ФИО (наставник, учитель математики)»: a student must tell a
        teacher from a 10th-grader; the organisation too when the people come from several."""
        several = len({p.person.organisation_id for p in self.people}) > 1
        return [
            (p.person_id, person_label(p.person, role=p.get_role_display(), organisation=several))
            for p in self.people
        ]

    @property
    def text_value(self) -> str:
        return "" if self.value is None else str(self.value)

    @property
    def slots(self) -> list[tuple[int, str]]:
        ranked = [str(v) for v in self.value] if isinstance(self.value, list) else []
        return [(i + 1, ranked[i] if i < len(ranked) else "") for i in range(self.question.max_ranked)]


def form_view(
    questionnaire: Questionnaire,
    response: Response | None = None,
    errors: dict[int, str] | None = None,
    values: dict[int, Any] | None = None,
) -> list[tuple[Section, list[QuestionView]]]:
    """Sections and questions with the saved answers of `response` (or, with none saved yet,
    the `values` just posted; neither for a preview), which conditional questions are shown, and
    the options of tag and people questions."""
    from .services.responses import allowed_people_for, visible_question_ids

    structure = questionnaire_structure(questionnaire)
    if response is not None:
        values = dict(response.answers.values_list("question_id", "value"))
    values = values or {}
    ordered = [q for _, questions in structure for q in questions]
    visible = visible_question_ids(ordered, values)
    tags = tags_by_vocabulary({q.vocabulary for q in ordered if q.kind == QuestionKind.TAGS})
    errors = errors or {}
    result = []
    for section, questions in structure:
        views = []
        for question in questions:
            views.append(
                QuestionView(
                    question=question,
                    value=values.get(question.pk),
                    visible=question.pk in visible,
                    error=errors.get(question.pk, ""),
                    tags=tags.get(question.vocabulary, []) if question.kind == QuestionKind.TAGS else [],
                    people=allowed_people_for(question, response)
                    if response is not None and question.kind == QuestionKind.RANK_PEOPLE
                    else [],
                )
            )
        result.append((section, views))
    return result


# --- the person's own answers offered when they are included in a program --------------------


def tag_suggestions_for_person(user: AnyUser, person: Person) -> list[Tag]:
    """The tags (requests, competencies, interests, subjects) a person chose in submitted
    questionnaires — their own or others' about them — that the user may read, newest answers
    first, each tag once. The registry's «include in a program» form offers them above its tag
    picker (loaded by HTMX: surveys stand above the registry)."""
    if not visible_people_for(user).filter(pk=person.pk).exists():
        return []
    values = (
        Answer.objects.filter(
            response__campaign__in=visible_campaigns_for(user),
            response__status=ResponseStatus.SUBMITTED,
            question__kind=QuestionKind.TAGS,
        )
        .filter(
            Q(response__respondent=person, response__about_person__isnull=True)
            | Q(response__about_person=person)
        )
        .order_by("-response__submitted_at", "-pk")
        .values_list("value", flat=True)
    )
    ordered: dict[int, None] = {}
    for value in values:
        for tag_id in value if isinstance(value, list) else []:
            ordered.setdefault(int(tag_id), None)
    tags = Tag.objects.in_bulk(list(ordered))
    return [tags[pk] for pk in ordered if pk in tags]
