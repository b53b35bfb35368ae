"""Reads of pairs and groups, through the access layer (`access.py`: who sees which pairs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from nastavnik.accounts.access import AnyUser
from nastavnik.orgs.models import Program
from nastavnik.registry.models import Person
from nastavnik.surveys.models import Campaign

from .access import visible_groups_for, with_members
from .models import (
    GroupMembership,
    IndividualPlan,
    MentoringGroup,
    MentorReport,
    PairFeedbackResponse,
    PlanTask,
    PreferenceCampaign,
    ProgramEvent,
)


@dataclass(frozen=True)
class PersonGroupRow:
    group: MentoringGroup
    role: str  # «наставник» / «наставляемый»
    partners: list[str]
    joined_on: dt.date
    left_on: dt.date | None
    plan_percent: int | None


def person_groups(user: AnyUser, person: Person) -> list[PersonGroupRow]:
    """A person's pairs and groups, as mentor and as mentee, with their results: for the person
    card. Only groups the viewer may see; a fixed number of queries."""
    from .services.plans import progress_for_plans

    groups = list(
        with_members(
            visible_groups_for(user).filter(
                Q(mentor__person=person)
                | Q(pk__in=GroupMembership.objects.filter(mentee__person=person).values("group_id"))
            )
        ).order_by("-started_on", "-pk")
    )
    plans = {
        p.group_id: p.pk
        for p in IndividualPlan.objects.filter(group__in=[g.pk for g in groups], is_current=True).only(
            "pk", "group_id"
        )
    }
    progress = progress_for_plans(plans.values(), dt.date.max)
    rows: list[PersonGroupRow] = []
    for group in groups:
        members: list[GroupMembership] = group.all_members  # type: ignore[attr-defined]
        percent = (
            progress[plans[group.pk]].overall_percent
            if group.pk in plans and plans[group.pk] in progress
            else None
        )
        if group.mentor.person_id == person.pk:
            rows.append(
                PersonGroupRow(
                    group,
                    "наставник",
                    [m.mentee.person.full_name for m in members],
                    group.started_on,
                    group.ended_on,
                    percent,
                )
            )
        for membership in members:
            if membership.mentee.person_id == person.pk:
                rows.append(
                    PersonGroupRow(
                        group,
                        "наставляемый",
                        [group.mentor.person.full_name],
                        membership.joined_on,
                        membership.left_on,
                        percent,
                    )
                )
    return rows


# --- reads below a group or program that came through the access layer --------------------------


def plan_revisions(group: MentoringGroup) -> QuerySet[IndividualPlan]:
    """Every revision of the group's plan, newest first, with goals and tasks."""
    tasks = PlanTask.objects.select_related("done_by").order_by("due_on", "number", "pk")
    return group.plans.prefetch_related("goals", Prefetch("tasks", queryset=tasks)).order_by("-revision")


def group_report(group: MentoringGroup) -> MentorReport | None:
    return MentorReport.objects.filter(group=group).first()


def program_events(program: Program) -> QuerySet[ProgramEvent]:
    return ProgramEvent.objects.filter(program=program).order_by("starts_at")


def preference_meetings_of(campaigns: Iterable[Campaign]) -> QuerySet[PreferenceCampaign]:
    """The networking meetings the campaigns (already read through the access layer) follow."""
    return PreferenceCampaign.objects.filter(campaign__in=campaigns).select_related(
        "event__program__organisation"
    )


def campaign_pair_links(campaign: Campaign) -> QuerySet[PairFeedbackResponse]:
    """The pair and stage of each response of the campaign answered in «Мой кабинет»."""
    return PairFeedbackResponse.objects.filter(response__campaign=campaign).select_related(
        "group__mentor__person"
    )
