"""Reads of pairs and groups, through the access layer: staff see the pairs of the
organisations they oversee; a mentor, a mentee and a mentee's parent see only their own."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, overseen_organisations_for, scopes_of
from nastavnik.accounts.models import Role
from nastavnik.registry.models import GuardianLink

from .models import GroupMembership, MentoringGroup


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
