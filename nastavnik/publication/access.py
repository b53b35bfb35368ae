"""Who manages the publications of an organisation's public page: its administration and curators.
Everyone else — including anonymous visitors — reads only what the public selectors return
(`selectors.visible_publications`), never the staff pages."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.orgs.access import managed_organisations_for
from nastavnik.orgs.models import Organisation
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person

from .models import Publication


def managed_publications_for(user: AnyUser) -> QuerySet[Publication]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Publication.objects.all()
    return Publication.objects.filter(organisation_id__in=scopes.staff_organisation_ids)


def get_publication_for_user(user: AnyUser, pk: int) -> Publication:
    try:
        return managed_publications_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Публикация не найдена") from exc


def publishing_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    return managed_organisations_for(user)


def get_publishing_organisation_for_user(user: AnyUser, pk: int) -> Organisation:
    try:
        return publishing_organisations_for(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Организация не найдена") from exc


def can_manage_publications(user: AnyUser, organisation: Organisation) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or organisation.pk in scopes.staff_organisation_ids


def require_manage_publications(
    user: AnyUser,
    organisation: Organisation,
    refusal: str = "Публикации на странице «Наставничество» ведут администрация и кураторы организации.",
) -> None:
    require(can_manage_publications(user, organisation), refusal)


def featurable_people_for(user: AnyUser, organisation: Organisation) -> QuerySet[Person]:
    """People of the organisation the user may name in a publication (consent is checked on publishing)."""
    return (
        visible_people_for(user)
        .filter(organisation=organisation, left_on__isnull=True)
        .order_by("last_name", "first_name", "pk")
    )
