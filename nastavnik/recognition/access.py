"""Who sees and changes what of recognition, on the access layers of the apps below.

- The ranking, the procedure, assessments, nominations, competitions and orders of an
  organisation: its administration and curators and those who oversee it (municipality, regional
  centre) read them; the organisation's administration and curators change them. A municipality's
  procedure is changed by its municipal curator.
- A mentor reads their own awards and competitions (their card and cabinet), never the ranking;
  mentees, parents and specialists read nothing of it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of, staff_organisation_q
from nastavnik.monitoring.access import get_scope_for_user
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.orgs.access import can_manage_organisation, overseen_organisations_for
from nastavnik.orgs.models import Organisation
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import ParticipationRole, Person

from .models import Award, AwardKind, AwardOrder, CompetitionEntry

RANKING_LEVELS = (ORGANISATION, MUNICIPALITY)


def get_recognition_scope_for_user(user: AnyUser, level: str, pk: Any) -> Scope:
    """An organisation or a municipality the user oversees (404 otherwise, and for a region:
    the region compares municipalities in monitoring, it has no ranking of its own)."""
    if level not in RANKING_LEVELS:
        raise Http404("Рейтинг составляется для организации или муниципалитета")
    return get_scope_for_user(user, level, pk)


def can_manage_recognition(user: AnyUser, scope: Scope) -> bool:
    """An organisation's administration and curators; a municipality's municipal curator."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return True
    if scope.level == ORGANISATION:
        return can_manage_organisation(user, scope.pk)
    return scope.level == MUNICIPALITY and scope.pk in scopes.municipality_ids


def require_manage_recognition(user: AnyUser, scope: Scope) -> None:
    require(
        can_manage_recognition(user, scope),
        "Порядок, оценки, конкурсы и поощрения ведут администрация и кураторы организации "
        "(порядок муниципалитета — муниципальный куратор).",
    )


def _staff_or_own(user: AnyUser, organisation_prefix: str, person_field: str) -> Q:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Q()
    condition = staff_organisation_q(scopes, organisation_prefix)
    if user.is_authenticated:
        condition |= Q(**{f"{person_field}__user": user})
    return condition


def visible_competitions_for(user: AnyUser) -> QuerySet[CompetitionEntry]:
    if not user.is_authenticated:
        return CompetitionEntry.objects.none()
    return CompetitionEntry.objects.filter(_staff_or_own(user, "organisation__", "mentor"))


def get_competition_for_user(user: AnyUser, pk: Any) -> CompetitionEntry:
    try:
        return visible_competitions_for(user).select_related("organisation", "mentor").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Участие в конкурсе не найдено") from exc


def visible_award_orders_for(user: AnyUser) -> QuerySet[AwardOrder]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return AwardOrder.objects.all()
    if not user.is_authenticated:
        return AwardOrder.objects.none()
    return AwardOrder.objects.filter(staff_organisation_q(scopes, "organisation__"))


def get_award_order_for_user(user: AnyUser, pk: Any) -> AwardOrder:
    try:
        return visible_award_orders_for(user).select_related("organisation__municipality").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Приказ не найден") from exc


def visible_awards_for(user: AnyUser) -> QuerySet[Award]:
    if not user.is_authenticated:
        return Award.objects.none()
    return Award.objects.filter(_staff_or_own(user, "order__organisation__", "person"))


def get_award_for_user(user: AnyUser, pk: Any) -> Award:
    try:
        return visible_awards_for(user).select_related("order__organisation", "person", "kind").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Поощрение не найдено") from exc


def award_kinds_for(organisation: Organisation | int) -> QuerySet[AwardKind]:
    """The built-in forms of encouragement and the organisation's own, in use."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return AwardKind.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=org_id), is_active=True)


def mentors_of_organisation(user: AnyUser, organisation: Organisation) -> QuerySet[Person]:
    """People of the organisation who are (or were) mentors in its programs, as the user may read."""
    return (
        visible_people_for(user)
        .filter(organisation=organisation, participations__role=ParticipationRole.MENTOR)
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def can_see_recognition_of(user: AnyUser, person: Person) -> bool:
    """A person's awards and competitions: staff who oversee their organisation, and the person."""
    return can_see_ranking_of(user, person) or (user.is_authenticated and person.user_id == user.pk)


def can_see_ranking_of(user: AnyUser, person: Person) -> bool:
    """The place in the ranking: only staff who oversee the person's organisation."""
    scopes = scopes_of(user)
    if scopes.superuser or person.organisation_id in scopes.staff_organisation_ids:
        return True
    if not (scopes.municipality_ids or scopes.region_ids):
        return False
    return overseen_organisations_for(user).filter(pk=person.organisation_id).exists()
