"""Stage 1 of monitoring: how far the pairs' individual plans are carried out (the seeds:
«индивидуальные планы реализованы не менее чем на 90 %»).

A mentee holds a plan on day D when they are a mentee on D (see `engagement`) and their group's
current plan was approved by D and has tasks. The plan is fulfilled on D when at least
`PLAN_FULFILLED_FROM` % of all its tasks were done by D — the same overall fulfilment the pair's
page shows (`nastavnik.mentoring.services.plans.PlanProgress.overall_percent`), read at a date.
Counted in the database: a grouped subquery over plans, no plan is loaded into Python.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet

from nastavnik.base.time import until_end_of
from nastavnik.mentoring.models import GroupMembership, IndividualPlan

from .engagement import memberships_on

if TYPE_CHECKING:
    from .scopes import Scope

PLAN_FULFILLED_FROM = 90  # %


def approved_plans_on(day: dt.date) -> QuerySet[IndividualPlan]:
    return (
        IndividualPlan.objects.filter(is_current=True, approved_at__lt=until_end_of(day))
        .annotate(n_tasks=Count("tasks"))
        .filter(n_tasks__gt=0)
    )


def fulfilled_plans_on(day: dt.date) -> QuerySet[IndividualPlan]:
    return (
        approved_plans_on(day)
        .annotate(n_done=Count("tasks", filter=Q(tasks__done=True, tasks__done_on__lte=day)))
        # done / tasks ≥ 90 % without integer division: 100 · done ≥ 90 · tasks.
        .alias(done_100=F("n_done") * 100, tasks_share=F("n_tasks") * PLAN_FULFILLED_FROM)
        .filter(done_100__gte=F("tasks_share"))
    )


def _mentees_of(
    plans: QuerySet[IndividualPlan], day: dt.date, within: Scope | None
) -> QuerySet[GroupMembership, Any]:
    memberships = memberships_on(day).filter(group_id__in=plans.values("group_id"))
    if within is not None:
        memberships = memberships.filter(within.narrowing("mentee__person__"))
    return memberships.values("mentee__person_id")


def plan_holder_person_ids(day: dt.date, within: Scope | None = None) -> QuerySet[GroupMembership, Any]:
    return _mentees_of(approved_plans_on(day), day, within)


def plan_fulfilled_person_ids(day: dt.date, within: Scope | None = None) -> QuerySet[GroupMembership, Any]:
    return _mentees_of(fulfilled_plans_on(day), day, within)
