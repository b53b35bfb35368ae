"""Who sees, writes, reviews and publishes cases, side by side.

- a school (its administration and curators) sees all of its own cases;
- a municipality sees its schools' cases once the school has accepted them (sent up to it);
- the region sees the cases its municipalities accepted;
- a mentor sees the cases of their own pairs and the ones they wrote.
A case outside the scope is invisible (404). Writing: the pair's mentor or the school's curator,
while the case is a draft or returned. Reviewing: the level the case is at. Publishing on the
public page: the school, once it has accepted the case."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.mentoring.access import group_role_for
from nastavnik.mentoring.models import CLOSED_STATUSES, MentoringGroup
from nastavnik.orgs.models import Region

from .models import STATUSES_OF_LEVEL, Case, CaseLevel, CaseMaterial, CaseStatus


def _condition(user: AnyUser) -> Q:
    scopes = scopes_of(user)
    condition = Q(organisation_id__in=scopes.staff_organisation_ids)
    condition |= Q(
        organisation__municipality_id__in=scopes.municipality_ids,
        status__in=STATUSES_OF_LEVEL[CaseLevel.SCHOOL],
    )
    condition |= Q(
        organisation__municipality__region_id__in=scopes.region_ids,
        status__in=STATUSES_OF_LEVEL[CaseLevel.MUNICIPALITY],
    )
    condition |= Q(author=user) | Q(group__mentor__person__user=user)
    return condition


def visible_cases_for(user: AnyUser) -> QuerySet[Case]:
    if scopes_of(user).superuser:
        return Case.objects.all()
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(_condition(user))


def get_case_for_user(user: AnyUser, pk: int) -> Case:
    try:
        return (
            visible_cases_for(user)
            .select_related("organisation__municipality__region", "form", "mentee_category", "author")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Кейс не найден") from exc


def get_material_for_user(user: AnyUser, case: Case, pk: int) -> CaseMaterial:
    try:
        return case.materials.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Материал не найден") from exc


def _is_school_staff(user: AnyUser, organisation_id: int) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or organisation_id in scopes.staff_organisation_ids


def can_write_case_for_group(user: AnyUser, group: MentoringGroup) -> bool:
    """A case is written from a pair (group) whose work is over, by its mentor or the curator."""
    return group.status in CLOSED_STATUSES and group_role_for(user, group).works


def require_write_case_for_group(user: AnyUser, group: MentoringGroup) -> None:
    require(group.status in CLOSED_STATUSES, "Кейс пишется по завершённой паре (группе).")
    require(can_write_case_for_group(user, group), "Кейс пишут наставник пары (группы) и куратор программы.")


def can_edit_case(user: AnyUser, case: Case) -> bool:
    if not case.is_editable or not user.is_authenticated:
        return False
    if _is_school_staff(user, case.organisation_id) or case.author_id == user.pk:
        return True
    return case.group.mentor.person.user_id == user.pk


def require_edit_case(user: AnyUser, case: Case) -> None:
    require(case.is_editable, "Кейс на рассмотрении: изменить его можно после возврата на доработку.")
    require(can_edit_case(user, case), "Кейс изменяют его автор, наставник пары и куратор организации.")


def review_level(case: Case) -> str | None:
    """The level that decides on the case now (None when nobody does)."""
    return {
        CaseStatus.SUBMITTED: CaseLevel.SCHOOL,
        CaseStatus.SCHOOL_ACCEPTED: CaseLevel.MUNICIPALITY,
        CaseStatus.MUNICIPALITY_ACCEPTED: CaseLevel.REGION,
    }.get(CaseStatus(case.status))


def can_review_case(user: AnyUser, case: Case) -> bool:
    scopes = scopes_of(user)
    level = review_level(case)
    if level is None or not user.is_authenticated:
        return False
    if scopes.superuser:
        return True
    organisation = case.organisation
    if level == CaseLevel.SCHOOL:
        return organisation.pk in scopes.staff_organisation_ids
    if level == CaseLevel.MUNICIPALITY:
        return organisation.municipality_id in scopes.municipality_ids
    return organisation.municipality.region_id in scopes.region_ids


def require_review_case(user: AnyUser, case: Case) -> None:
    require(can_review_case(user, case), "Решение по кейсу на этом этапе принимает другой уровень.")


def can_publish_case(user: AnyUser, case: Case) -> bool:
    return case.status in STATUSES_OF_LEVEL[CaseLevel.SCHOOL] and _is_school_staff(user, case.organisation_id)


def require_manage_cases(
    user: AnyUser,
    case: Case,
    refusal: str = "Публикует кейс администрация или куратор организации после того, как приняла его.",
) -> None:
    """Publishing a case (and taking it down) on the organisation's public page."""
    require(_is_school_staff(user, case.organisation_id), refusal)


def collection_regions_for(user: AnyUser) -> QuerySet[Region]:
    """Regions whose year's collection of best practices the user may build (the regional centre)."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scopes.region_ids)


def get_collection_region_for_user(user: AnyUser, pk: int) -> Region:
    try:
        return collection_regions_for(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Регион не найден") from exc


def can_open_bank(user: AnyUser) -> bool:
    scopes = scopes_of(user)
    return scopes.is_staff_anywhere or "mentor" in scopes.roles
