"""Writes of answers: what a question offers, parsing and validating an answer, saving one answer
or a whole form. The acting user is None only for a respondent who opened a personal link."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.registry.models import (
    Participation,
    ParticipationRole,
    Tag,
)
from nastavnik.registry.services.people import ensure_can_take_part

from ..access import require_manage_surveys
from ..models import (
    SCALE_KINDS,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    RankPool,
    Response,
    ResponseLink,
    ResponseStatus,
)

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000


# --- answers ---------------------------------------------------------------------------------------


def _may_be_offered(candidate: Participation) -> bool:
    """Someone's name is shown to other respondents only while they may take part (152-ФЗ)."""
    try:
        ensure_can_take_part(candidate.person)
    except ValidationError:
        return False
    return True


def allowed_people_for(question: Question, response: Response) -> list[Participation]:
    """Whom a «choose and rank people» question offers: the campaign's rank candidates (the
    program's mentors and mentees marked present at the meeting), other than the respondent and
    only those with a valid consent, of the role the question asks for."""
    candidates = [
        candidate
        for candidate in response.campaign.rank_candidates.select_related("person__organisation")
        .prefetch_related("person__consents")
        .order_by("person__last_name", "person__first_name", "person_id")
        if candidate.person_id == response.respondent_id or _may_be_offered(candidate)
    ]
    roles_of = {c.person_id: c.role for c in candidates}
    own_role = roles_of.get(response.respondent_id)
    pool = question.rank_pool
    roles: set[str]
    if pool == RankPool.MENTORS:
        roles = {ParticipationRole.MENTOR}
    elif pool == RankPool.MENTEES:
        roles = {ParticipationRole.MENTEE}
    elif pool == RankPool.OPPOSITE and own_role is not None:
        roles = {
            ParticipationRole.MENTEE if own_role == ParticipationRole.MENTOR else ParticipationRole.MENTOR
        }
    else:
        roles = {ParticipationRole.MENTOR, ParticipationRole.MENTEE}
    return [
        c for c in candidates if roles_of.get(c.person_id) in roles and c.person_id != response.respondent_id
    ]


def parse_answer(
    question: Question,
    raw: Sequence[str],
    *,
    tag_ids: set[int] | None = None,
    people_ids: set[int] | None = None,
) -> tuple[Any, int | None] | None:
    """Turn posted values into the stored structure; None when the answer is empty.
    Raises ValidationError (in Russian) for a value the question does not accept."""
    values = [v.strip() for v in raw if v is not None and v.strip()]
    kind = question.kind
    if kind == QuestionKind.RANK_PEOPLE:
        if not values:
            return None
        ranked: list[int] = []
        for value in values:
            if not value.isdigit() or (people_ids is not None and int(value) not in people_ids):
                raise ValidationError("Выберите людей из списка участников встречи.")
            if int(value) in ranked:
                raise ValidationError("Один и тот же человек выбран дважды: выберите разных.")
            ranked.append(int(value))
        if len(ranked) > question.max_ranked:
            raise ValidationError(f"Можно выбрать не больше {question.max_ranked}.")
        return ranked, None
    if not values:
        return None
    if kind == QuestionKind.SINGLE:
        valid = {c["id"] for c in question.choices}
        if len(values) != 1 or values[0] not in valid:
            raise ValidationError("Выберите один вариант из списка.")
        return values[0], None
    if kind == QuestionKind.MULTIPLE:
        valid = {c["id"] for c in question.choices}
        if any(v not in valid for v in values):
            raise ValidationError("Выберите варианты из списка.")
        order = [c["id"] for c in question.choices]
        return sorted(set(values), key=order.index), None
    if kind in SCALE_KINDS:
        if len(values) != 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= question.scale_max:
            raise ValidationError(f"Поставьте оценку от 1 до {question.scale_max}.")
        number = int(values[0])
        return number, number
    if kind in {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}:
        text = "\n".join(values).strip()
        limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            raise ValidationError(f"Ответ слишком длинный: не больше {limit} знаков.")
        return text, None
    if kind == QuestionKind.DATE:
        value = values[0]
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value, fmt).date().isoformat(), None  # noqa: DTZ007 - a date
            except ValueError:
                continue
        raise ValidationError("Укажите дату в виде ДД.ММ.ГГГГ.")
    if kind == QuestionKind.TAGS:
        chosen: list[int] = []
        for value in values:
            if not value.isdigit() or (tag_ids is not None and int(value) not in tag_ids):
                raise ValidationError("Выберите значения из списка.")
            if int(value) not in chosen:
                chosen.append(int(value))
        return chosen, None
    raise ValidationError("Неизвестный тип вопроса.")


def visible_question_ids(questions: Sequence[Question], values: dict[int, Any]) -> set[int]:
    """Questions shown for the given answers: a conditional one only when its condition question
    is shown and answered with one of the chosen options. `questions` must be in order."""
    visible: set[int] = set()
    for question in questions:
        condition_id = question.condition_question_id
        if condition_id is None:
            visible.add(question.pk)
            continue
        if condition_id not in visible:
            continue
        value = values.get(condition_id)
        chosen = {value} if isinstance(value, str) else set(value or [])
        if chosen & set(question.condition_choices):
            visible.add(question.pk)
    return visible


class ClosedError(ValidationError):
    """The campaign's deadline has passed."""


def _check_writable(response: Response, acting_user: User | None) -> None:
    if acting_user is not None:
        # A curator enters paper answers, also after the deadline (the paper came in on time).
        require_manage_surveys(acting_user, response.campaign.program)
        return
    if not response.campaign.is_open():
        raise ClosedError("Срок заполнения анкеты истёк: ответы больше нельзя изменить.")
    ensure_can_take_part(response.subject)


def _options_for(question: Question, response: Response) -> tuple[set[int] | None, set[int] | None]:
    tag_ids = None
    people_ids = None
    if question.kind == QuestionKind.TAGS:
        tag_ids = set(Tag.objects.filter(vocabulary=question.vocabulary).values_list("pk", flat=True))
    if question.kind == QuestionKind.RANK_PEOPLE:
        people_ids = {a.person_id for a in allowed_people_for(question, response)}
    return tag_ids, people_ids


def _store(response: Response, question: Question, parsed: tuple[Any, int | None] | None) -> Answer | None:
    if parsed is None:
        Answer.objects.filter(response=response, question=question).delete()
        return None
    value, number = parsed
    answer, _ = Answer.objects.update_or_create(
        response=response, question=question, defaults={"value": value, "number": number}
    )
    return answer


def _mark_started(response: Response, acting_user: User | None) -> None:
    fields = ["updated_at"]
    if response.status == ResponseStatus.INVITED:
        response.status = ResponseStatus.IN_PROGRESS
        response.started_at = timezone.now()
        fields += ["status", "started_at"]
    if acting_user is not None and response.entered_by_id is None:
        response.entered_by = acting_user
        fields.append("entered_by")
    response.save(update_fields=fields)


def answer_save(
    *, response: Response, question: Question, raw: Sequence[str], acting_user: User | None = None
) -> Answer | None:
    """Save one answer as the respondent goes (autosave per question). An empty value clears it."""
    if question.questionnaire_id != response.campaign.questionnaire_id:
        raise ValidationError("Вопрос из другой анкеты.")
    _check_writable(response, acting_user)
    tag_ids, people_ids = _options_for(question, response)
    parsed = parse_answer(question, raw, tag_ids=tag_ids, people_ids=people_ids)
    with transaction.atomic(), acting_as(acting_user):
        answer = _store(response, question, parsed)
        _mark_started(response, acting_user)
        ResponseLink.objects.filter(response=response).update(last_used_at=timezone.now())
    return answer


@dataclass
class ParsedForm:
    """A posted form, question by question: the values to store (None clears an answer), which
    questions are shown for those values, and the errors by question id."""

    parsed: dict[int, tuple[Any, int | None] | None]
    visible: set[int]
    errors: dict[int, str]

    @property
    def values(self) -> dict[int, Any]:
        """The valid answers of the shown questions, as `Answer.value` holds them."""
        return {pk: p[0] for pk, p in self.parsed.items() if p is not None and pk in self.visible}


def ordered_form_questions(questionnaire: Questionnaire) -> list[Question]:
    return list(
        questionnaire.questions.select_related("section").order_by(
            "section__position", "section_id", "position", "pk"
        )
    )


def parse_form(
    questions: Sequence[Question],
    get_values: Callable[[str], list[str]],
    *,
    submit: bool,
    response: Response | None = None,
) -> ParsedForm:
    """Check a whole posted form; on `submit` a required question that is shown must be answered.
    Without a response (nothing saved yet) no people can be chosen: there is no meeting to offer."""
    vocabularies = {q.vocabulary for q in questions if q.kind == QuestionKind.TAGS}
    tag_rows = list(Tag.objects.filter(vocabulary__in=vocabularies).values_list("pk", "vocabulary"))
    tag_ids = {pk for pk, _ in tag_rows}
    # A question on an empty dictionary is not shown to the respondent, so it cannot be required.
    empty = {q.pk for q in questions if q.kind == QuestionKind.TAGS} - {
        q.pk for q in questions if q.vocabulary in {vocabulary for _, vocabulary in tag_rows}
    }
    people_by_question = {
        q.pk: {a.person_id for a in allowed_people_for(q, response)} if response is not None else set()
        for q in questions
        if q.kind == QuestionKind.RANK_PEOPLE
    }
    errors: dict[int, str] = {}
    parsed: dict[int, tuple[Any, int | None] | None] = {}
    for question in questions:
        try:
            parsed[question.pk] = parse_answer(
                question,
                get_values(f"q{question.pk}"),
                tag_ids=tag_ids if question.kind == QuestionKind.TAGS else None,
                people_ids=people_by_question.get(question.pk),
            )
        except ValidationError as error:
            errors[question.pk] = " ".join(error.messages)
    values = {pk: p[0] for pk, p in parsed.items() if p is not None}
    visible = visible_question_ids(questions, values)
    if submit:
        for question in questions:
            if (
                question.required
                and question.pk in visible
                and question.pk not in errors
                and question.pk not in empty
                and parsed.get(question.pk) is None
            ):
                errors[question.pk] = "Это обязательный вопрос."
    errors = {pk: message for pk, message in errors.items() if pk in visible}
    return ParsedForm(parsed=parsed, visible=visible, errors=errors)


def response_save(
    *,
    response: Response,
    get_values: Callable[[str], list[str]],
    submit: bool,
    acting_user: User | None = None,
) -> dict[int, str]:
    """Save the whole form (the final «Отправить», a paper questionnaire, or a browser without
    JavaScript). Returns errors by question id; nothing is marked submitted while any remain.
    `get_values(name)` returns the posted values of a field (QueryDict.getlist)."""
    _check_writable(response, acting_user)
    questions = ordered_form_questions(response.campaign.questionnaire)
    form = parse_form(questions, get_values, submit=submit, response=response)
    with transaction.atomic(), acting_as(acting_user):
        for question in questions:
            if question.pk in form.errors:
                continue
            # Answers to questions hidden by a condition are not kept.
            _store(response, question, form.parsed.get(question.pk) if question.pk in form.visible else None)
        _mark_started(response, acting_user)
        if submit and not form.errors:
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = timezone.now()
            response.save(update_fields=["status", "submitted_at", "updated_at"])
    return form.errors
