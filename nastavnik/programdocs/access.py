"""Who sees and changes an organisation's program documents: its administration and curators manage
them (templates, adoption records); the municipality and the region above read them. A pair's
individual plan prints for whoever may open the plan's page."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require
from nastavnik.mentoring.access import get_group_for_user
from nastavnik.mentoring.models import IndividualPlan, MentoringGroup, PlanStatus
from nastavnik.orgs.access import can_manage_organisation, overseen_organisations_for
from nastavnik.orgs.models import Organisation, Program

from .models import Adoption


def documents_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    return overseen_organisations_for(user)


def get_documents_organisation_for_user(user: AnyUser, pk: int) -> Organisation:
    try:
        return documents_organisations_for(user).select_related("municipality__region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Организация не найдена") from exc


def can_manage_documents(user: AnyUser, organisation: Organisation) -> bool:
    return can_manage_organisation(user, organisation)


def require_manage_documents(user: AnyUser, organisation: Organisation) -> None:
    require(
        can_manage_documents(user, organisation),
        "Шаблоны и принятые документы ведут администрация и кураторы организации.",
    )


def get_program_of(organisation: Organisation, pk: object) -> Program | None:
    """The organisation's program chosen on the page (its latest one when none is chosen)."""
    programs = Program.objects.filter(organisation=organisation).select_related(
        "organisation__municipality__region", "curator"
    )
    if pk:
        try:
            return programs.get(pk=int(str(pk)))
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404("Программа не найдена") from exc
    return programs.order_by("-academic_year", "kind", "pk").first()


def get_adoption_for_user(user: AnyUser, pk: int) -> Adoption:
    try:
        return Adoption.objects.select_related("organisation").get(
            pk=pk, organisation__in=documents_organisations_for(user)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Документ не найден") from exc


def get_printable_plan(user: AnyUser, group_pk: int, revision: object = None) -> IndividualPlan:
    """The plan of a pair whose page the user may open: the chosen revision or the working one."""
    group: MentoringGroup = get_group_for_user(user, group_pk)
    plans = group.plans.select_related(
        "group__program__organisation__municipality__region",
        "group__program__curator",
        "group__mentor__person",
    )
    try:
        if revision:
            return plans.get(revision=int(str(revision)))
        plan = plans.exclude(status=PlanStatus.SUPERSEDED).order_by("-revision").first()
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("План не найден") from exc
    if plan is None:
        raise Http404("У пары (группы) нет плана")
    return plan
