"""Reads of pairs and groups, through the access layer: staff see the pairs of the
organisations they oversee; a mentor, a mentee and a mentee's parent see only their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, overseen_organisations_for, scopes_of
from nastavnik.accounts.models import Role
from nastavnik.registry.models import GuardianLink, Person

from .models import GroupMembership, IndividualPlan, Meeting, MentoringGroup, PlanTask, ProgramEvent


def visible_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return MentoringGroup.objects.all()
    if not user.is_authenticated:
        return MentoringGroup.objects.none()
    condition = Q(program__organisation__in=overseen_organisations_for(user))
    condition |= Q(mentor__person__user=user)
    condition |= Q(pk__in=GroupMembership.objects.filter(mentee__person__user=user).values("group_id"))
    if Role.PARENT in scopes.roles:
        wards = GuardianLink.objects.filter(guardian__user=user).values("child_id")
        condition |= Q(pk__in=GroupMembership.objects.filter(mentee__person__in=wards).values("group_id"))
    return MentoringGroup.objects.filter(condition)


def with_members(groups: QuerySet[MentoringGroup]) -> QuerySet[MentoringGroup]:
    """Groups with their mentor, form and program, and `current_members` / `all_members`
    prefetched: a fixed number of queries for any number of groups."""
    memberships = GroupMembership.objects.select_related("mentee__person").order_by(
        "mentee__person__last_name", "mentee__person__first_name", "pk"
    )
    return groups.select_related("mentor__person", "form__parent", "program__organisation").prefetch_related(
        Prefetch("memberships", queryset=memberships.filter(left_on__isnull=True), to_attr="current_members"),
        Prefetch("memberships", queryset=memberships, to_attr="all_members"),
    )


def get_group_for_user(user: AnyUser, pk: int) -> MentoringGroup:
    try:
        return with_members(visible_groups_for(user)).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Пара (группа) не найдена") from exc


def participant_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    """Groups the user takes part in as a mentor, a mentee or a mentee's legal representative
    (not the ones they oversee as staff): what «Мой кабинет» shows."""
    if not user.is_authenticated:
        return MentoringGroup.objects.none()
    condition = Q(mentor__person__user=user)
    condition |= Q(pk__in=GroupMembership.objects.filter(mentee__person__user=user).values("group_id"))
    if Role.PARENT in scopes_of(user).roles:
        wards = GuardianLink.objects.filter(guardian__user=user).values("child_id")
        condition |= Q(pk__in=GroupMembership.objects.filter(mentee__person__in=wards).values("group_id"))
    return visible_groups_for(user).filter(condition)


def staff_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    """Groups of the organisations the user oversees as staff (the curator's board)."""
    return visible_groups_for(user).filter(program__organisation__in=overseen_organisations_for(user))


def get_meeting_for_user(user: AnyUser, group: MentoringGroup, pk: int) -> Meeting:
    try:
        return group.meetings.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Встреча не найдена") from exc


def get_task_for_user(user: AnyUser, group: MentoringGroup, pk: int) -> PlanTask:
    try:
        return PlanTask.objects.select_related("plan__group__program__organisation").get(
            pk=pk, plan__group=group
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Задача не найдена") from exc


def get_program_event_for_user(user: AnyUser, pk: int) -> ProgramEvent:
    """A program event: staff of the organisation see it; a participant sees the events they
    (or their children) are invited to."""
    from nastavnik.accounts.access import visible_programs_for

    if not user.is_authenticated:
        raise Http404("Мероприятие не найдено")
    condition = Q(program__organisation__in=overseen_organisations_for(user)) | Q(
        invitations__person__user=user
    )
    if Role.PARENT in scopes_of(user).roles:
        wards = GuardianLink.objects.filter(guardian__user=user).values("child_id")
        condition |= Q(invitations__person__in=wards)
    try:
        return (
            ProgramEvent.objects.filter(program__in=visible_programs_for(user))
            .filter(condition)
            .distinct()
            .select_related("program__organisation")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Мероприятие не найдено") from exc


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
    from .plans import progress_for_plans

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
