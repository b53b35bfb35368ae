"""Satisfaction questionnaires the people of a pair (or group) fill in «Мой кабинет» about their
own pair, interim or final. They are stored as every other questionnaire is (a `Response` with
`Answer`s), so stage 1 of monitoring counts them together with the ones sent by personal link or
entered from paper, and a curator reads them among the program's campaigns.

The questionnaire is the program's own copy of the built-in satisfaction template for the
respondent's role (mentee or mentor) if the program has one, else the built-in template itself.
Its answers go to the program's in-app campaign of that questionnaire version, made on the first
answer; a `PairFeedbackResponse` names the pair and the stage of the response. One person may send several: interim and
final, in each of their pairs.

The pair's pages (the completion tab, the curator's board, «Мой кабинет») read a summary of each
response — the average of its 1–10 items, «рад(а) участвовать», «хочу продолжить» and the open
answers — computed in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.access import can_manage_program
from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation, ParticipationRole
from nastavnik.surveys.models import (
    TEXT_KINDS,
    Answer,
    Campaign,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseStatus,
    TemplateKind,
)
from nastavnik.surveys.services.campaigns import end_of_day
from nastavnik.surveys.services.responses import ordered_form_questions, parse_form

from ..models import MentoringGroup, PairFeedbackResponse, PairStage

ROLE_KINDS: dict[str, str] = {
    ParticipationRole.MENTEE: TemplateKind.SATISFACTION_MENTEE,
    ParticipationRole.MENTOR: TemplateKind.SATISFACTION_MENTOR,
}
# The yes/no questions of the built-in templates (choice ids are kept in copies and versions).
GLAD = "sat_glad"
CONTINUE = "sat_continue"
YES = "yes"


def questionnaire_for(program: Program, role: str) -> Questionnaire:
    """What a pair member of `role` answers in «Мой кабинет»: the latest version of the program's
    own satisfaction questionnaire for the role, else the built-in template."""
    kind = ROLE_KINDS[role]
    has_questions = Exists(Question.objects.filter(questionnaire=OuterRef("pk")))
    own = (
        Questionnaire.objects.filter(program=program, kind=kind, is_latest=True)
        .filter(has_questions)
        .order_by("-created_at", "-pk")
        .first()
    )
    if own is not None:
        return own
    builtin = (
        Questionnaire.objects.filter(program__isnull=True, kind=kind, is_latest=True)
        .exclude(builtin_code="")
        .order_by("pk")
        .first()
    )
    if builtin is None:
        raise ValidationError(
            "Анкета удовлетворённости не найдена: загрузите встроенные шаблоны (load_survey_templates)."
        )
    return builtin


def _in_app_campaign(program: Program, questionnaire: Questionnaire) -> Campaign:
    """The program's in-app campaign of this questionnaire version, made on the first answer.
    Open until the end of the program's academic year: what closes the form is the pair's work
    being over, which the pair's page checks."""
    existing = Campaign.objects.filter(program=program, questionnaire=questionnaire, in_app=True).first()
    if existing is not None:
        return existing
    campaign = Campaign(
        program=program,
        questionnaire=questionnaire,
        title=f"{questionnaire.title} (в личном кабинете)",
        deadline=end_of_day(dt.date(program.academic_year + 1, 8, 31), program),
        in_app=True,
    )
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        # Two pair members answered at the same moment: the other one made it.
        return Campaign.objects.get(program=program, questionnaire=questionnaire, in_app=True)
    return campaign


@dataclass
class FeedbackResult:
    """The saved response, or the errors by question id and the valid answers given (to show
    the form again)."""

    response: Response | None
    errors: dict[int, str] = field(default_factory=dict)
    values: dict[int, Any] = field(default_factory=dict)


def pair_feedback_submit(
    *,
    acting_user: User,
    group: MentoringGroup,
    respondent: Participation,
    stage: str,
    get_values: Callable[[str], list[str]],
) -> FeedbackResult:
    """A pair member's own satisfaction questionnaire about the pair (the curator may enter a
    paper one for them). `get_values(name)` returns the posted values of a field, as for
    `services.response_save`; nothing is saved while any answer is wrong or missing."""
    if respondent.pk == group.mentor_id:
        role = ParticipationRole.MENTOR
    elif group.memberships.filter(mentee=respondent).exists():
        role = ParticipationRole.MENTEE
    else:
        raise ValidationError("Отвечает участник этой пары (группы).")
    own = respondent.person.user_id is not None and respondent.person.user_id == acting_user.pk
    if not (own or can_manage_program(acting_user, group.program)):
        raise PermissionDenied("Анкету заполняет сам участник (или куратор — с бумажной анкеты).")
    if stage not in PairStage.values:
        raise ValidationError({"stage": "Выберите: промежуточная или итоговая анкета."})
    questionnaire = questionnaire_for(group.program, role)
    questions = ordered_form_questions(questionnaire)
    form = parse_form(questions, get_values, submit=True)
    if form.errors:
        return FeedbackResult(None, form.errors, form.values)
    now = timezone.now()
    with transaction.atomic(), acting_as(acting_user):
        response = Response(
            campaign=_in_app_campaign(group.program, questionnaire),
            respondent=respondent.person,
            in_app=True,
            status=ResponseStatus.SUBMITTED,
            started_at=now,
            submitted_at=now,
            entered_by=None if own else acting_user,
        )
        response.full_clean()
        response.save()
        for question in questions:
            parsed = form.parsed.get(question.pk)
            if parsed is not None and question.pk in form.visible:
                value, number = parsed
                Answer.objects.create(response=response, question=question, value=value, number=number)
        link = PairFeedbackResponse(response=response, group=group, stage=stage)
        link.full_clean()
        link.save()
    return FeedbackResult(response)


# --- reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairFeedback:
    """One submitted in-app questionnaire as the pair's pages show it. `average` is over the
    1–10 items the respondent answered; None where a question was not asked."""

    response: Response
    role: str  # ParticipationRole
    average: float | None
    glad: bool | None
    wants_to_continue: bool | None
    texts: tuple[tuple[str, str], ...] = ()  # (question, answer) of the open questions, if read

    @property
    def group_id(self) -> int:
        return self.response.pair_feedback.group_id

    @property
    def stage(self) -> str:
        return self.response.pair_feedback.stage

    @property
    def submitted_at(self) -> dt.datetime | None:
        return self.response.submitted_at

    def get_role_display(self) -> str:
        return str(ParticipationRole(self.role).label)

    def get_stage_display(self) -> str:
        return self.response.pair_feedback.get_stage_display()


def submitted_feedback() -> QuerySet[Response]:
    """Submitted in-app questionnaires with the figures of `PairFeedback`, in one grouped query."""
    answers = "answers__question__"
    return (
        Response.objects.filter(pair_feedback__isnull=False, status=ResponseStatus.SUBMITTED)
        .select_related("respondent", "pair_feedback")
        .annotate(
            questionnaire_kind=F("campaign__questionnaire__kind"),
            scale_average=Avg("answers__number", filter=Q(**{f"{answers}kind": QuestionKind.SCALE10})),
            glad_yes=Count("answers", filter=Q(**{f"{answers}code": GLAD}, answers__value=YES)),
            glad_answered=Count("answers", filter=Q(**{f"{answers}code": GLAD})),
            continue_yes=Count("answers", filter=Q(**{f"{answers}code": CONTINUE}, answers__value=YES)),
            continue_answered=Count("answers", filter=Q(**{f"{answers}code": CONTINUE})),
        )
    )


def _summary(response: Response) -> PairFeedback:
    row: Any = response  # the annotations of submitted_feedback()
    texts = tuple(
        (answer.question.text, str(answer.value)) for answer in getattr(response, "text_answers", [])
    )
    return PairFeedback(
        response=response,
        role=ParticipationRole.MENTOR
        if row.questionnaire_kind == TemplateKind.SATISFACTION_MENTOR
        else ParticipationRole.MENTEE,
        average=round(row.scale_average, 1) if row.scale_average is not None else None,
        glad=row.glad_yes > 0 if row.glad_answered else None,
        wants_to_continue=row.continue_yes > 0 if row.continue_answered else None,
        texts=texts,
    )


def summarise(responses: QuerySet[Response], *, with_texts: bool = False) -> list[PairFeedback]:
    """`responses` (from `submitted_feedback()`) as summaries; with the open answers in one more
    query if asked."""
    if with_texts:
        texts = (
            Answer.objects.filter(question__kind__in=TEXT_KINDS)
            .select_related("question__section")
            .order_by("question__section__position", "question__position", "pk")
        )
        responses = responses.prefetch_related(Prefetch("answers", queryset=texts, to_attr="text_answers"))
    return [_summary(response) for response in responses]


def group_feedback(group: MentoringGroup, *, respondent_user: User | None = None) -> list[PairFeedback]:
    """The pair's questionnaires, the latest first, with their open answers; only those of
    `respondent_user` if given (a participant reads their own)."""
    responses = submitted_feedback().filter(pair_feedback__group=group)
    if respondent_user is not None:
        responses = responses.filter(respondent__user=respondent_user)
    return summarise(responses.order_by("-submitted_at", "-pk"), with_texts=True)


def own_feedback(group_ids: Iterable[int], user: User) -> list[PairFeedback]:
    """What `user` has answered about these pairs (for the reminders in «Мой кабинет»)."""
    return summarise(
        submitted_feedback().filter(pair_feedback__group_id__in=list(group_ids), respondent__user=user)
    )


def latest_mentee_feedback_id(group_ref: OuterRef) -> Subquery:
    """A subquery: the id of the pair's latest questionnaire answered by a mentee."""
    latest = Response.objects.filter(
        pair_feedback__group=group_ref,
        status=ResponseStatus.SUBMITTED,
        campaign__questionnaire__kind=TemplateKind.SATISFACTION_MENTEE,
    ).order_by("-submitted_at", "-pk")
    return Subquery(latest.values("pk")[:1])


def feedback_by_group(response_ids: Iterable[int]) -> dict[int, PairFeedback]:
    return {f.group_id: f for f in summarise(submitted_feedback().filter(pk__in=list(response_ids)))}
