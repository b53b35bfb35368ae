"""Writes of the questionnaires app. Every function takes the acting user (None only for a
respondent who opened a personal link, or for the reminder job), checks the permission,
validates and writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.models import Program
from nastavnik.registry.models import (
    GuardianLink,
    Participation,
    ParticipationRole,
    Person,
    Tag,
)
from nastavnik.registry.services import ensure_can_take_part

from .access import require_manage_surveys
from .models import (
    CHOICE_KINDS,
    SCALE_KINDS,
    Answer,
    Campaign,
    CampaignExclusion,
    LinkChannel,
    Question,
    QuestionKind,
    Questionnaire,
    RankPool,
    Response,
    ResponseLink,
    ResponseStatus,
    Section,
    TemplateKind,
)

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000


def _require_sent(campaign: Campaign) -> None:
    """An in-app campaign has no recipients: its responses are made by pair members answering
    in «Мой кабинет» (mentoring/pair_feedback.py), so nothing is sent and no personal link is issued."""
    if campaign.in_app:
        raise ValidationError(
            "Эту анкету участники пар заполняют в «Мой кабинет»: получатели и ссылки ей не нужны."
        )


# --- questionnaires and their versions -------------------------------------------------------


def questionnaire_is_locked(questionnaire: Questionnaire) -> bool:
    """A questionnaire that has been sent is never changed in place (answers point at it)."""
    return questionnaire.campaigns.exists()


def _copy_contents(
    source: Questionnaire, target: Questionnaire
) -> tuple[dict[int, Section], dict[int, Question]]:
    """Copy sections and questions (with conditions) from `source` into `target`."""
    sections: dict[int, Section] = {}
    questions: dict[int, Question] = {}
    for section in source.sections.all():
        sections[section.pk] = Section.objects.create(
            questionnaire=target,
            title=section.title,
            description=section.description,
            position=section.position,
        )
    originals = list(source.questions.all())
    for question in originals:
        questions[question.pk] = Question.objects.create(
            questionnaire=target,
            section=sections[question.section_id],
            position=question.position,
            code=question.code,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            choices=question.choices,
            vocabulary=question.vocabulary,
            rank_pool=question.rank_pool,
            max_ranked=question.max_ranked,
            condition_choices=question.condition_choices,
        )
    for question in originals:
        if question.condition_question_id:
            copy = questions[question.pk]
            copy.condition_question = questions[question.condition_question_id]
            copy.save(update_fields=["condition_question"])
    return sections, questions


def questionnaire_copy(
    *, acting_user: User, source: Questionnaire, program: Program, title: str = ""
) -> Questionnaire:
    """Copy a template (or another program's questionnaire) into a program as a new form."""
    require_manage_surveys(acting_user, program)
    copy = Questionnaire(
        program=program,
        kind=source.kind,
        title=(title or source.title).strip(),
        description=source.description,
        about_other=source.about_other,
        source=source,
        created_by=acting_user,
    )
    copy.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        copy.save()
        _copy_contents(source, copy)
    return copy


def questionnaire_create(
    *,
    acting_user: User,
    program: Program,
    title: str,
    kind: str = TemplateKind.CUSTOM,
    description: str = "",
    about_other: bool = False,
) -> Questionnaire:
    require_manage_surveys(acting_user, program)
    questionnaire = Questionnaire(
        program=program,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        about_other=about_other,
        created_by=acting_user,
    )
    questionnaire.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        questionnaire.save()
        Section.objects.create(questionnaire=questionnaire, title="Вопросы", position=1)
    return questionnaire


def questionnaire_new_version(*, acting_user: User, questionnaire: Questionnaire) -> Questionnaire:
    version, _, _ = _new_version(acting_user, questionnaire)
    return version


def _new_version(
    acting_user: User, questionnaire: Questionnaire
) -> tuple[Questionnaire, dict[int, Section], dict[int, Question]]:
    if questionnaire.program is None:
        raise PermissionDenied("Встроенный шаблон не изменяется: сделайте копию для программы.")
    require_manage_surveys(acting_user, questionnaire.program)
    with transaction.atomic(), acting_as(acting_user):
        latest = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not latest.is_latest:
            raise ValidationError("Это не последняя версия анкеты: откройте последнюю и измените её.")
        version = Questionnaire.objects.create(
            program=latest.program,
            kind=latest.kind,
            title=latest.title,
            description=latest.description,
            about_other=latest.about_other,
            family=latest.family,
            version=latest.version + 1,
            source=latest,
            created_by=acting_user,
        )
        Questionnaire.objects.filter(pk=latest.pk).update(is_latest=False)
        questionnaire.is_latest = False
        sections, questions = _copy_contents(latest, version)
    return version, sections, questions


@dataclass
class Editable:
    """The version to edit and, when a new version was just made, how old objects map to it."""

    questionnaire: Questionnaire
    sections: dict[int, Section] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)
    new_version: bool = False

    def section(self, section: Section) -> Section:
        return self.sections.get(section.pk, section)

    def question(self, question: Question | None) -> Question | None:
        if question is None:
            return None
        return self.questions.get(question.pk, question)


def _editable(acting_user: User, questionnaire: Questionnaire) -> Editable:
    if questionnaire.program is None:
        raise PermissionDenied("Встроенный шаблон не изменяется: сделайте копию для программы.")
    require_manage_surveys(acting_user, questionnaire.program)
    if not questionnaire.is_latest:
        raise ValidationError("Это не последняя версия анкеты: откройте последнюю и измените её.")
    if not questionnaire_is_locked(questionnaire):
        return Editable(questionnaire)
    version, sections, questions = _new_version(acting_user, questionnaire)
    return Editable(version, sections, questions, new_version=True)


def questionnaire_update(
    *, acting_user: User, questionnaire: Questionnaire, title: str, description: str, about_other: bool
) -> Questionnaire:
    with transaction.atomic():
        target = _editable(acting_user, questionnaire).questionnaire
        target.title = title.strip()
        target.description = description.strip()
        target.about_other = about_other
        target.full_clean()
        with acting_as(acting_user):
            target.save(update_fields=["title", "description", "about_other"])
    return target


def section_add(
    *, acting_user: User, questionnaire: Questionnaire, title: str, description: str = ""
) -> Section:
    with transaction.atomic():
        target = _editable(acting_user, questionnaire).questionnaire
        position = (target.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section(
            questionnaire=target, title=title.strip(), description=description.strip(), position=position
        )
        section.full_clean()
        with acting_as(acting_user):
            section.save()
    return section


def section_update(*, acting_user: User, section: Section, title: str, description: str) -> Section:
    with transaction.atomic():
        target = _editable(acting_user, section.questionnaire).section(section)
        target.title = title.strip()
        target.description = description.strip()
        target.full_clean()
        with acting_as(acting_user):
            target.save(update_fields=["title", "description"])
    return target


def section_delete(*, acting_user: User, section: Section) -> Questionnaire:
    questionnaire = section.questionnaire
    if questionnaire.sections.count() <= 1:
        raise ValidationError("В анкете должен остаться хотя бы один раздел.")
    outside = Question.objects.filter(
        condition_question__section=section, questionnaire=questionnaire
    ).exclude(section=section)
    if outside.exists():
        raise ValidationError(
            "От вопросов этого раздела зависят вопросы других разделов: сначала уберите у них условия."
        )
    with transaction.atomic():
        editable = _editable(acting_user, questionnaire)
        with acting_as(acting_user):
            editable.section(section).delete()
    return editable.questionnaire


def merge_choices(existing: Sequence[dict[str, Any]], labels: Iterable[str]) -> list[dict[str, str]]:
    """New labels onto existing choices: a label kept keeps its id, a new one gets a new id."""
    by_label = {str(c["label"]).strip().lower(): str(c["id"]) for c in existing}
    used = {str(c["id"]) for c in existing}
    numbers = [int(m[1]) for cid in used if (m := re.fullmatch(r"c(\d+)", cid))]
    next_number = max(numbers, default=0) + 1
    result: list[dict[str, str]] = []
    seen: set[str] = set()
    for raw in labels:
        label = " ".join(raw.split())
        key = label.lower()
        if not label or key in seen:
            continue
        seen.add(key)
        choice_id = by_label.get(key)
        if choice_id is None:
            while f"c{next_number}" in used:
                next_number += 1
            choice_id = f"c{next_number}"
            used.add(choice_id)
        result.append({"id": choice_id, "label": label})
    return result


def _order_key(question: Question) -> tuple[int, int, int]:
    return (question.section.position, question.position, question.pk or 10**9)


def _validate_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if not question.text.strip():
        errors["text"] = "Напишите текст вопроса."
    if question.kind in CHOICE_KINDS and len(question.choices) < 2:
        errors["choices"] = "Укажите хотя бы два варианта ответа, каждый с новой строки."
    if question.kind not in CHOICE_KINDS:
        question.choices = []
    if question.kind == QuestionKind.TAGS and not question.vocabulary:
        errors["vocabulary"] = "Выберите словарь, из которого отвечающий выбирает теги."
    if question.kind == QuestionKind.RANK_PEOPLE and not 1 <= question.max_ranked <= 10:
        errors["max_ranked"] = "Можно предложить выбрать от 1 до 10 человек."
    condition = question.condition_question
    if condition is not None:
        if condition.questionnaire_id != question.questionnaire_id:
            errors["condition_question"] = "Условие может ссылаться только на вопрос этой же анкеты."
        elif condition.kind not in CHOICE_KINDS:
            errors["condition_question"] = "Условие можно поставить только на вопрос с вариантами ответа."
        elif condition.pk == question.pk or (question.pk and _order_key(condition) >= _order_key(question)):
            errors["condition_question"] = "Вопрос-условие должен стоять раньше этого вопроса."
        else:
            valid = {c["id"] for c in condition.choices}
            chosen = [c for c in question.condition_choices if c in valid]
            if not chosen:
                errors["condition_choices"] = "Отметьте варианты ответа, при которых показывать вопрос."
            question.condition_choices = chosen
    else:
        question.condition_choices = []
    if errors:
        raise ValidationError(errors)


QUESTION_FIELDS = frozenset(
    {
        "kind",
        "text",
        "help_text",
        "required",
        "vocabulary",
        "rank_pool",
        "max_ranked",
        "condition_question",
        "condition_choices",
    }
)


def question_add(
    *, acting_user: User, section: Section, choice_labels: Iterable[str] = (), **fields: Any
) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    with transaction.atomic():
        editable = _editable(acting_user, section.questionnaire)
        target_section = editable.section(section)
        fields["condition_question"] = editable.question(fields.get("condition_question"))
        position = (target_section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question(
            questionnaire=editable.questionnaire,
            section=target_section,
            position=position,
            code=f"q{uuid.uuid4().hex[:10]}",
            **fields,
        )
        question.choices = merge_choices([], choice_labels)
        question.text = question.text.strip()
        # The new question goes to the end of its section: a condition must point above it.
        if question.condition_question is not None and _order_key(question.condition_question) >= (
            target_section.position,
            position,
            10**9,
        ):
            raise ValidationError(
                {"condition_question": "Вопрос-условие должен стоять раньше этого вопроса."}
            )
        _validate_question(question)
        question.full_clean()
        with acting_as(acting_user):
            question.save()
    return question


def question_update(
    *, acting_user: User, question: Question, choice_labels: Iterable[str] | None = None, **fields: Any
) -> Question:
    unknown = set(fields) - QUESTION_FIELDS
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        if "condition_question" in fields:
            fields["condition_question"] = editable.question(fields["condition_question"])
        for name, value in fields.items():
            setattr(target, name, value)
        if choice_labels is not None:
            target.choices = merge_choices(target.choices, choice_labels)
        target.text = target.text.strip()
        _validate_question(target)
        dependents = list(target.dependents.all())
        valid_ids = {c["id"] for c in target.choices}
        for dependent in dependents:
            if target.kind not in CHOICE_KINDS or not set(dependent.condition_choices) & valid_ids:
                raise ValidationError(
                    f"От этого вопроса зависит вопрос «{dependent.text}»: сначала уберите у него условие."
                )
        target.full_clean()
        with acting_as(acting_user):
            target.save()
    return target


def question_delete(*, acting_user: User, question: Question) -> Questionnaire:
    dependents = list(question.dependents.values_list("text", flat=True))
    if dependents:
        raise ValidationError(
            f"От этого вопроса зависит вопрос «{dependents[0]}»: сначала уберите у него условие."
        )
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        with acting_as(acting_user):
            target.delete()
    return editable.questionnaire


def question_move(*, acting_user: User, question: Question, direction: str) -> Questionnaire:
    """Move a question one place up or down in its section (conditions keep their order)."""
    if direction not in {"up", "down"}:
        raise ValidationError("Неизвестное направление.")
    with transaction.atomic():
        editable = _editable(acting_user, question.questionnaire)
        target = editable.question(question)
        assert target is not None
        siblings = list(target.section.questions.order_by("position", "pk"))
        index = next(i for i, q in enumerate(siblings) if q.pk == target.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            moving, neighbour = siblings[index], siblings[other]
            if direction == "up" and moving.condition_question_id == neighbour.pk:
                raise ValidationError("Вопрос с условием не может стоять выше вопроса-условия.")
            if direction == "down" and neighbour.condition_question_id == moving.pk:
                raise ValidationError("Вопрос-условие должен стоять выше зависящего от него вопроса.")
            siblings[index], siblings[other] = neighbour, moving
            with acting_as(acting_user):
                for position, sibling in enumerate(siblings, start=1):
                    if sibling.position != position:
                        sibling.position = position
                        sibling.save(update_fields=["position"])
    return editable.questionnaire


# --- campaigns -------------------------------------------------------------------------------


def end_of_day(day: dt.date, program: Program) -> dt.datetime:
    """The last second of `day` in the organisation's time zone."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(program.organisation.timezone))


def campaign_create(
    *,
    acting_user: User,
    program: Program,
    questionnaire: Questionnaire,
    title: str,
    deadline_on: dt.date,
    rank_candidates: Iterable[Participation] | None = None,
) -> Campaign:
    """A campaign of the program's questionnaire. One with a «choose and rank people» question
    needs `rank_candidates`, the program's people it offers (the caller's: mentoring sends the
    preference questionnaire of a networking meeting with the people marked present)."""
    require_manage_surveys(acting_user, program)
    errors: dict[str, str] = {}
    if questionnaire.program_id != program.pk:
        errors["questionnaire"] = (
            "Анкета относится к другой программе: сначала сделайте её копию для этой программы."
        )
    elif not questionnaire.is_latest:
        errors["questionnaire"] = "Разослать можно только последнюю версию анкеты."
    elif not questionnaire.questions.exists():
        errors["questionnaire"] = "В анкете нет ни одного вопроса."
    if deadline_on < local_today(program.organisation):
        errors["deadline_on"] = "Срок заполнения не может быть в прошлом."
    has_ranking = questionnaire.questions.filter(kind=QuestionKind.RANK_PEOPLE).exists()
    candidates = list(rank_candidates) if rank_candidates is not None else None
    if has_ranking and candidates is None:
        errors["meeting"] = (
            "В анкете есть выбор людей со встречи: её рассылают со страницы общей встречи, "
            "чтобы указать общую встречу."
        )
    elif candidates and any(c.program_id != program.pk for c in candidates):
        errors["meeting"] = "Предлагаемые люди — участники другой программы."
    if errors:
        raise ValidationError(errors)
    campaign = Campaign(
        program=program,
        questionnaire=questionnaire,
        title=title.strip() or questionnaire.title,
        deadline=end_of_day(deadline_on, program),
        created_by=acting_user,
    )
    campaign.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        campaign.save()
        if candidates:
            campaign.rank_candidates.set(candidates)
    return campaign


def campaign_set_rank_candidates(
    *, acting_user: User, campaign: Campaign, participations: Iterable[Participation]
) -> None:
    """Whom the campaign's «choose and rank people» questions offer, replaced (the caller keeps
    them in step: mentoring, when the attendance of the meeting is marked again)."""
    require_manage_surveys(acting_user, campaign.program)
    chosen = list(participations)
    if any(p.program_id != campaign.program_id for p in chosen):
        raise ValidationError("Предлагаемые люди — участники другой программы.")
    with transaction.atomic(), acting_as(acting_user):
        campaign.rank_candidates.set(chosen)


def campaign_set_deadline(*, acting_user: User, campaign: Campaign, deadline_on: dt.date) -> Campaign:
    require_manage_surveys(acting_user, campaign.program)
    if deadline_on < local_today(campaign.program.organisation):
        raise ValidationError({"deadline_on": "Срок заполнения не может быть в прошлом."})
    campaign.deadline = end_of_day(deadline_on, campaign.program)
    with transaction.atomic(), acting_as(acting_user):
        campaign.save(update_fields=["deadline"])
    return campaign


@dataclass
class RecipientsResult:
    added: int = 0
    already: int = 0
    excluded: list[tuple[Person, str]] = field(default_factory=list)


def _exclude(campaign: Campaign, person: Person, reason: str, result: RecipientsResult) -> None:
    CampaignExclusion.objects.update_or_create(
        campaign=campaign, person=person, defaults={"reason": reason[:500]}
    )
    result.excluded.append((person, reason))


def _people_with_consents(people: Iterable[Person]) -> list[Person]:
    ids = [p.pk for p in people]
    return list(
        Person.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related("consents")
        .order_by("last_name", "first_name", "pk")
    )


def campaign_add_recipients(
    *, acting_user: User, campaign: Campaign, people: Iterable[Person]
) -> RecipientsResult:
    """Give each selected person a questionnaire about themselves. Nobody without a valid
    consent (152-ФЗ) is sent anything: they are listed on the campaign page with the reason."""
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if campaign.questionnaire.about_other:
        raise ValidationError(
            "Эта анкета заполняется о наставляемом: выберите наставляемых и кто о них отвечает."
        )
    organisation = campaign.program.organisation
    today = local_today(organisation)
    result = RecipientsResult()
    with transaction.atomic(), acting_as(acting_user):
        existing = set(
            campaign.responses.filter(about_person__isnull=True).values_list("respondent_id", flat=True)
        )
        for person in _people_with_consents(people):
            if person.organisation_id != organisation.pk:
                _exclude(campaign, person, "из другой организации", result)
                continue
            try:
                ensure_can_take_part(person, today)
            except ValidationError as error:
                _exclude(campaign, person, " ".join(error.messages), result)
                continue
            CampaignExclusion.objects.filter(campaign=campaign, person=person).delete()
            if person.pk in existing:
                result.already += 1
                continue
            Response.objects.create(campaign=campaign, respondent=person)
            result.added += 1
    return result


def campaign_add_third_party(
    *,
    acting_user: User,
    campaign: Campaign,
    subjects: Iterable[Person],
    respondent: Person | None = None,
) -> RecipientsResult:
    """A questionnaire about each mentee, answered by their legal representatives (when
    `respondent` is None) or by one specialist (class teacher, psychologist)."""
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if not campaign.questionnaire.about_other:
        raise ValidationError("Эта анкета заполняется участником о себе.")
    organisation = campaign.program.organisation
    today = local_today(organisation)
    if respondent is not None:
        if respondent.organisation_id != organisation.pk:
            raise ValidationError("Отвечающий должен быть из базы той же организации.")
        if respondent.left_on and respondent.left_on <= today:
            raise ValidationError(f"{respondent.full_name} выбыл(а) из организации.")
    result = RecipientsResult()
    subjects = _people_with_consents(subjects)
    guardians: dict[int, list[Person]] = {}
    if respondent is None:
        for link in GuardianLink.objects.filter(child__in=subjects).select_related("guardian"):
            guardians.setdefault(link.child_id, []).append(link.guardian)
    with transaction.atomic(), acting_as(acting_user):
        existing = set(campaign.responses.values_list("respondent_id", "about_person_id"))
        for subject in subjects:
            if subject.organisation_id != organisation.pk:
                _exclude(campaign, subject, "из другой организации", result)
                continue
            try:
                ensure_can_take_part(subject, today)
            except ValidationError as error:
                _exclude(campaign, subject, " ".join(error.messages), result)
                continue
            respondents = [respondent] if respondent is not None else guardians.get(subject.pk, [])
            if not respondents:
                _exclude(campaign, subject, "не указан законный представитель", result)
                continue
            CampaignExclusion.objects.filter(campaign=campaign, person=subject).delete()
            for who in respondents:
                if (who.pk, subject.pk) in existing:
                    result.already += 1
                    continue
                Response.objects.create(campaign=campaign, respondent=who, about_person=subject)
                result.added += 1
    return result


def campaign_add_rank_candidates(*, acting_user: User, campaign: Campaign) -> RecipientsResult:
    """Send the questionnaire to exactly the people its «choose and rank people» questions offer
    (for a preference questionnaire: the program's mentors and mentees present at the meeting;
    guests such as parents are invited to it, but choose nobody)."""
    if not campaign.rank_candidates.exists():
        raise ValidationError("Рассылка не связана с общей встречей.")
    people = Person.objects.filter(pk__in=campaign.rank_candidates.values("person_id"))
    return campaign_add_recipients(acting_user=acting_user, campaign=campaign, people=people)


# --- personal links ------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_issue(*, acting_user: User | None, response: Response, channel: str) -> str:
    """A new personal link; returns the token (shown once), stores only its hash.
    Earlier links of the same response keep working until the deadline."""
    if acting_user is not None:
        require_manage_surveys(acting_user, response.campaign.program)
    token = secrets.token_urlsafe(32)
    with transaction.atomic(), acting_as(acting_user):
        ResponseLink.objects.create(
            response=response, token_hash=hash_token(token), channel=channel, created_by=acting_user
        )
    return token


def links_issue(
    *, acting_user: User, campaign: Campaign, channel: str, responses: Iterable[Response] | None = None
) -> list[tuple[Response, str]]:
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if not campaign.is_open():
        raise ValidationError("Срок заполнения истёк: продлите его, чтобы выдать новые ссылки.")
    if responses is None:
        responses = campaign.responses.select_related("respondent", "about_person")
    issued = []
    with transaction.atomic():
        for response in responses:
            if response.campaign_id != campaign.pk:
                raise ValidationError("Анкета из другой рассылки.")
            issued.append((response, link_issue(acting_user=acting_user, response=response, channel=channel)))
    return issued


def link_url(token: str, base_url: str | None = None) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + reverse("surveys_public:respond", args=[token])


def response_for_token(token: str) -> Response | None:
    if not token or len(token) > 100:
        return None
    link = (
        ResponseLink.objects.filter(token_hash=hash_token(token))
        .select_related(
            "response__campaign__questionnaire",
            "response__campaign__program__organisation",
            "response__respondent__organisation",
            "response__about_person__organisation",
        )
        .first()
    )
    return link.response if link else None


# --- e-mail: invitations and reminders ------------------------------------------------------------


def _email_of(response: Response) -> str:
    return response.respondent.email.strip()


def _send_link(response: Response, url: str, *, reminder: bool) -> None:
    campaign = response.campaign
    deadline = timezone.localtime(campaign.deadline, ZoneInfo(campaign.program.organisation.timezone))
    about = f" о {response.about_person.full_name}" if response.about_person else ""
    subject = (
        f"Напоминание: анкета «{campaign.questionnaire.title}»"
        if reminder
        else f"Анкета «{campaign.questionnaire.title}»"
    )
    body = (
        f"Здравствуйте, {response.respondent.first_name} {response.respondent.middle_name}".rstrip()
        + "!\n\n"
        + f"{campaign.program.organisation.short_name} просит вас заполнить анкету{about} "
        f"«{campaign.questionnaire.title}» (программа «{campaign.program.title}»).\n\n"
        f"Ваша личная ссылка (не пересылайте её другим):\n{url}\n\n"
        f"Заполнить можно до {deadline:%d.%m.%Y} включительно. Ответы сохраняются сразу, "
        "их можно изменить до окончания срока.\n\n"
        "Это письмо отправлено автоматически системой «Наставник»."
    )
    send_mail(subject, body, None, [_email_of(response)])


@dataclass
class SendResult:
    sent: int = 0
    without_email: int = 0


def campaign_send_invitations(
    *, acting_user: User, campaign: Campaign, base_url: str | None = None
) -> SendResult:
    """E-mail a personal link to everyone who has an address and has not been invited yet."""
    require_manage_surveys(acting_user, campaign.program)
    _require_sent(campaign)
    if not campaign.is_open():
        raise ValidationError("Срок заполнения истёк: продлите его, чтобы разослать приглашения.")
    result = SendResult()
    pending = campaign.responses.filter(invited_at__isnull=True).exclude(status=ResponseStatus.SUBMITTED)
    for response in pending.select_related("respondent", "about_person", "campaign__program__organisation"):
        if not _email_of(response):
            result.without_email += 1
            continue
        with transaction.atomic():
            token = link_issue(acting_user=acting_user, response=response, channel=LinkChannel.EMAIL)
            _send_link(response, link_url(token, base_url), reminder=False)
            response.invited_at = timezone.now()
            with acting_as(acting_user):
                response.save(update_fields=["invited_at", "updated_at"])
        result.sent += 1
    return result


def send_due_reminders(
    *,
    now: dt.datetime | None = None,
    base_url: str | None = None,
    interval: dt.timedelta = dt.timedelta(days=3),
    max_reminders: int = 3,
    dry_run: bool = False,
    log: Callable[[str], None] | None = None,
) -> int:
    """Remind by e-mail everyone invited who has not submitted, at most once per `interval` and
    `max_reminders` times. Idempotent: a second run within the interval sends nothing. People whose
    consent lapsed since are not written to."""
    now = now or timezone.now()
    due = (
        Response.objects.filter(campaign__deadline__gt=now, invited_at__lte=now - interval)
        .exclude(status=ResponseStatus.SUBMITTED)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - interval))
        .filter(reminder_count__lt=max_reminders)
        .exclude(respondent__email="")
        .select_related(
            "campaign__program__organisation",
            "campaign__questionnaire",
            "respondent__organisation",
            "about_person__organisation",
        )
        .prefetch_related("respondent__consents", "about_person__consents")
        .order_by("pk")
    )
    sent = 0
    for response in due:
        try:
            ensure_can_take_part(response.subject)
        except ValidationError:
            continue
        if log:
            log(f"{response.campaign.title}: {response.respondent.full_name}")
        if dry_run:
            sent += 1
            continue
        with transaction.atomic():
            # Claim the row first, so two overlapping runs cannot both send.
            claimed = (
                Response.objects.filter(pk=response.pk, reminder_count=response.reminder_count)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - interval))
                .update(reminded_at=now, reminder_count=response.reminder_count + 1)
            )
            if not claimed:
                continue
            token = link_issue(acting_user=None, response=response, channel=LinkChannel.REMINDER)
            _send_link(response, link_url(token, base_url), reminder=True)
        sent += 1
    return sent


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
