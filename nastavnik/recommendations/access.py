"""Who gives, reads and answers recommendations.

- Give and decide: the administration of the level (the municipal curator for a municipality,
  the regional centre for a region) — the same rule as setting that level's targets.
- Read: whoever oversees one of the addressed schools (the school's own staff, its
  municipality, its region); a school reads only its own answer among several addressees.
- Answer: the administration and curators of the addressed school."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.monitoring.access import can_set_targets, get_scope_for_user
from nastavnik.monitoring.scopes import MUNICIPALITY, REGION, Scope
from nastavnik.orgs.access import can_manage_organisation, overseen_organisations_for

from .models import Addressee, Recommendation


def can_recommend(user: AnyUser, scope: Scope) -> bool:
    return scope.level in (MUNICIPALITY, REGION) and can_set_targets(user, scope)


def get_issuer_scope_for_user(user: AnyUser, level: str, pk: int) -> Scope:
    """A municipality or region whose recommendations the user may open (404 otherwise)."""
    if level not in (MUNICIPALITY, REGION):
        raise Http404("Раздел не найден")
    return get_scope_for_user(user, level, pk)


def issuer_scope_of(recommendation: Recommendation) -> Scope:
    if recommendation.municipality is not None:
        municipality = recommendation.municipality
        return Scope(MUNICIPALITY, municipality, municipality.region.timezone)
    assert recommendation.region is not None
    return Scope(REGION, recommendation.region, recommendation.region.timezone)


def can_open_issuer_list(user: AnyUser, recommendation: Recommendation) -> bool:
    """The list of the issuing municipality or region: for whoever oversees that level."""
    scope = issuer_scope_of(recommendation)
    try:
        get_scope_for_user(user, scope.level, scope.pk)
    except Http404:
        return False
    return True


def visible_recommendations_for(user: AnyUser) -> QuerySet[Recommendation]:
    if not user.is_authenticated:
        return Recommendation.objects.none()
    if scopes_of(user).superuser:
        return Recommendation.objects.all()
    addressed = Addressee.objects.filter(organisation__in=overseen_organisations_for(user))
    return Recommendation.objects.filter(pk__in=addressed.values("recommendation_id"))


def visible_addressees_for(user: AnyUser) -> QuerySet[Addressee]:
    return Addressee.objects.filter(organisation__in=overseen_organisations_for(user))


def get_recommendation_for_user(user: AnyUser, pk: int) -> Recommendation:
    try:
        return visible_recommendations_for(user).select_related("municipality__region", "region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Рекомендация не найдена") from exc


def get_addressee_for_user(user: AnyUser, pk: int) -> Addressee:
    try:
        return visible_addressees_for(user).select_related("recommendation", "organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Рекомендация не найдена") from exc


def can_decide(user: AnyUser, recommendation: Recommendation) -> bool:
    return can_set_targets(user, issuer_scope_of(recommendation))


def can_answer(user: AnyUser, addressee: Addressee) -> bool:
    return can_manage_organisation(user, addressee.organisation_id)


def require_recommend(user: AnyUser, scope: Scope) -> None:
    require(
        can_recommend(user, scope), "Адресные рекомендации дают муниципальный куратор и региональный центр."
    )


def require_decide(user: AnyUser, recommendation: Recommendation) -> None:
    require(can_decide(user, recommendation), "Управленческое решение записывает тот, кто дал рекомендацию.")


def require_answer(user: AnyUser, addressee: Addressee) -> None:
    require(can_answer(user, addressee), "Ответ даёт администрация или куратор организации.")


def issued_by_condition(scope: Scope) -> Q:
    """Recommendations given at the scope's level or to schools within it (a region sees its
    municipalities' recommendations too)."""
    if scope.level == MUNICIPALITY:
        return Q(municipality_id=scope.pk) | Q(addressees__organisation__municipality_id=scope.pk)
    return Q(region_id=scope.pk) | Q(municipality__region_id=scope.pk)
