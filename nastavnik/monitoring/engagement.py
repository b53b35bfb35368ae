"""Who is in mentoring on a date: the one definition every indicator, table and drill-down uses.

A person is a **mentee on day D** when one of their memberships of a pair or group
(`mentoring.GroupMembership`) of a program of the academic year that contains D began on or
before D and either was still open on D or lasted until the group completed its work
(«завершена», «продолжена на следующий год») — so an annual report on 31 August still counts
the pairs that finished in May, while a mentee who left a pair before D, or whose pair ended
early before D, is not counted. A person is a **mentor on day D** when a group they lead, of a
program of that academic year, had started by D and was working on D or completed its work.

Everything returns querysets used as `IN (subquery)` conditions, so the database evaluates each
of them once per statement instead of once per person.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet

from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, PersonKind

if TYPE_CHECKING:
    from .scopes import Scope

MENTEE = ParticipationRole.MENTEE
MENTOR = ParticipationRole.MENTOR
FINISHED = (GroupStatus.COMPLETED, GroupStatus.CONTINUED)


def memberships_on(day: dt.date) -> QuerySet[GroupMembership]:
    """Memberships that make their mentee a mentee on `day`."""
    return GroupMembership.objects.filter(
        group__program__academic_year=academic_year_of(day), joined_on__lte=day
    ).filter(
        Q(left_on__isnull=True)
        | Q(left_on__gt=day)
        | Q(group__status__in=FINISHED, left_on__gte=F("group__ended_on"))
    )


def groups_on(day: dt.date) -> QuerySet[MentoringGroup]:
    """Groups (pairs) whose mentor is a mentor on `day`."""
    return MentoringGroup.objects.filter(
        program__academic_year=academic_year_of(day), started_on__lte=day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day) | Q(status__in=FINISHED))


def mentee_person_ids(
    day: dt.date, form_id: int | None = None, within: Scope | None = None
) -> QuerySet[GroupMembership, Any]:
    memberships = memberships_on(day)
    if within is not None:
        memberships = memberships.filter(within.narrowing("mentee__person__"))
    if form_id is not None:
        memberships = memberships.filter(Q(group__form_id=form_id) | Q(group__form__parent_id=form_id))
    return memberships.values("mentee__person_id")


def mentor_person_ids(
    day: dt.date, form_id: int | None = None, within: Scope | None = None
) -> QuerySet[MentoringGroup, Any]:
    groups = groups_on(day)
    if within is not None:
        groups = groups.filter(within.narrowing("mentor__person__"))
    if form_id is not None:
        groups = groups.filter(Q(form_id=form_id) | Q(form__parent_id=form_id))
    return groups.values("mentor__person_id")


def engaged_condition(
    day: dt.date, role: str | None = None, form_id: int | None = None, within: Scope | None = None
) -> Q:
    """A condition over Person: a mentee (mentor, either) on `day`, optionally in a form.
    `within` narrows the subqueries to the people of a scope (the same result, less work)."""
    if role == MENTEE:
        return Q(pk__in=mentee_person_ids(day, form_id, within))
    if role == MENTOR:
        return Q(pk__in=mentor_person_ids(day, form_id, within))
    return Q(pk__in=mentee_person_ids(day, form_id, within)) | Q(
        pk__in=mentor_person_ids(day, form_id, within)
    )


def participant_person_ids(
    day: dt.date, within: Scope | None = None, role: str | None = None
) -> QuerySet[Participation, Any]:
    """People in a program of the academic year on `day` in any status but «выбыл(а)»: those
    whose consent the program needs, paired or not yet (only mentors or mentees with `role`)."""
    participations = Participation.objects.filter(
        program__academic_year=academic_year_of(day), added_on__lte=day
    ).exclude(status=ParticipationStatus.WITHDRAWN)
    if role is not None:
        participations = participations.filter(role=role)
    if within is not None:
        participations = participations.filter(within.narrowing("person__"))
    return participations.values("person_id")


def in_organisation_on(day: dt.date) -> Q:
    """People of an organisation on `day`: joined by then (if known) and not left by then.
    Parents are in the registry as legal representatives, not as the organisation's people."""
    return (
        (Q(joined_on__isnull=True) | Q(joined_on__lte=day))
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        & ~Q(kind=PersonKind.PARENT)
    )
