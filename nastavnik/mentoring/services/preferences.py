"""The preference questionnaire of a networking meeting (общая встреча наставников и
наставляемых): a campaign of the surveys app that this app ties to the meeting
(`PreferenceCampaign`). It goes to the program's mentors and mentees marked present, and its
«choose and rank people» questions offer them: the campaign's rank candidates, which follow the
attendance whenever it is marked again."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from nastavnik.accounts.models import User
from nastavnik.registry.models import Participation
from nastavnik.surveys.models import Campaign, Questionnaire
from nastavnik.surveys.services import campaigns as campaign_services

from ..models import PreferenceCampaign, ProgramEvent, ProgramEventKind


def present_participations(event: ProgramEvent) -> QuerySet[Participation]:
    """The program's mentors and mentees marked present (guests such as parents choose nobody)."""
    return Participation.objects.filter(
        program=event.program_id, event_invitations__event=event, event_invitations__attended=True
    ).distinct()


def campaigns_of(event: ProgramEvent) -> QuerySet[Campaign]:
    return Campaign.objects.filter(preference_of__event=event)


def preference_campaign_create(
    *,
    acting_user: User,
    event: ProgramEvent,
    questionnaire: Questionnaire,
    title: str,
    deadline_on: dt.date,
) -> Campaign:
    """A campaign of `questionnaire` after the networking meeting `event`, offering those present."""
    if event.program_id != questionnaire.program_id:
        raise ValidationError({"meeting": "Встреча относится к другой программе."})
    if event.kind != ProgramEventKind.NETWORKING:
        raise ValidationError(
            {
                "meeting": f"«{event.title}» — не общая встреча наставников и наставляемых: анкету "
                "предпочтений рассылают после мероприятия этого вида."
            }
        )
    with transaction.atomic():
        campaign = campaign_services.campaign_create(
            acting_user=acting_user,
            program=event.program,
            questionnaire=questionnaire,
            title=title,
            deadline_on=deadline_on,
            rank_candidates=present_participations(event),
        )
        link = PreferenceCampaign(event=event, campaign=campaign)
        link.full_clean()
        link.save()
    return campaign


def rank_candidates_follow_attendance(*, acting_user: User, event: ProgramEvent) -> None:
    """After the attendance of `event` is marked: its preference questionnaires offer who came."""
    present = list(present_participations(event))
    for campaign in campaigns_of(event).select_related("program"):
        campaign_services.campaign_set_rank_candidates(
            acting_user=acting_user, campaign=campaign, participations=present
        )
