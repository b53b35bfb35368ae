"""Writes of campaigns (a questionnaire sent to people of a program): creating one, its deadline,
its recipients and rank candidates. Every function takes the acting user, checks the permission,
validates and writes in a transaction under `acting_as`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.models import Program
from nastavnik.registry.models import (
    GuardianLink,
    Participation,
    Person,
)
from nastavnik.registry.services.people import ensure_can_take_part

from ..access import require_manage_surveys
from ..models import (
    Campaign,
    CampaignExclusion,
    QuestionKind,
    Questionnaire,
    Response,
)


def _require_sent(campaign: Campaign) -> None:
    """An in-app campaign has no recipients: its responses are made by pair members answering
    in «Мой кабинет» (mentoring/services/pair_feedback.py), so nothing is sent and no personal link is issued."""
    if campaign.in_app:
        raise ValidationError(
            "Эту анкету участники пар заполняют в «Мой кабинет»: получатели и ссылки ей не нужны."
        )


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
