"""Who reads and changes personal data in the registry: the reads (`visible_people_for`,
`get_person_for_user`, 404 outside the scope), the checks (`can_manage_person`,
`require_manage_person`) and a parent's children (`wards_of`), on the scopes of
`nastavnik.accounts.access` and the organisations of `nastavnik.orgs.access`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of, staff_organisation_q
from nastavnik.accounts.models import Role
from nastavnik.orgs.access import can_manage_organisation, overseen_organisations_for

from .models import LEARNER_KINDS, Consent, GuardianLink, ImportJob, Person


def wards_of(user: AnyUser) -> QuerySet[GuardianLink, Any]:
    """The children of a parent user, as a subquery of `child_id` values: use it as
    `Q(person__in=wards_of(user))`, or narrow it further. Empty (and free: no query, and a
    condition on it drops out of an OR) for a user who is not a legal representative."""
    if not user.is_authenticated or Role.PARENT not in scopes_of(user).roles:
        return GuardianLink.objects.none().values("child_id")
    return GuardianLink.objects.filter(guardian__user=user).values("child_id")


def visible_people_for(user: AnyUser) -> QuerySet[Person]:
    """People whose personal data the user may read.

    Staff read the registry of their scope; a specialist (class teacher, psychologist) reads the
    learners of their organisation; a participant reads their own card and a parent their
    children's. Nobody else reads anything.
    """
    scopes = scopes_of(user)
    if scopes.superuser:
        return Person.objects.all()
    if not user.is_authenticated:
        return Person.objects.none()
    condition = staff_organisation_q(scopes, "organisation__") | Q(user=user)
    if scopes.specialist_organisation_ids:
        condition |= Q(organisation_id__in=scopes.specialist_organisation_ids, kind__in=LEARNER_KINDS)
    if Role.PARENT in scopes.roles:
        condition |= Q(pk__in=wards_of(user))
    return Person.objects.filter(condition)


def get_person_for_user(user: AnyUser, pk: int) -> Person:
    try:
        return visible_people_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Участник не найден") from exc


def get_consent_for_user(user: AnyUser, pk: int) -> Consent:
    """A consent of a person whose data the user may read."""
    try:
        return Consent.objects.select_related("subject").get(pk=pk, subject__in=visible_people_for(user))
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Согласие не найдено") from exc


def can_manage_person(user: AnyUser, person: Person) -> bool:
    return can_manage_organisation(user, person.organisation_id)


def can_see_consent_documents(user: AnyUser, person: Person) -> bool:
    """Scans of a person's consents (documents of minors): the administration and curators of the
    person's organisation and those who oversee it; not specialists, parents or the person's own
    account, who read the card without the scans. The caller has checked the person is visible."""
    scopes = scopes_of(user)
    if scopes.superuser or person.organisation_id in scopes.staff_organisation_ids:
        return True
    if not (scopes.municipality_ids or scopes.region_ids):
        return False
    return overseen_organisations_for(user).filter(pk=person.organisation_id).exists()


def require_manage_person(
    user: AnyUser,
    person: Person,
    refusal: str = "Изменять карточку могут администрация и кураторы организации.",
) -> None:
    require(can_manage_person(user, person), refusal)


def get_import_job_for_user(user: AnyUser, pk: int) -> ImportJob:
    """A background import, for the one who started it while they still manage its organisation."""
    try:
        job = ImportJob.objects.select_related("organisation").get(pk=pk, created_by_id=user.pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Загрузка не найдена") from exc
    if not can_manage_organisation(user, job.organisation):
        raise Http404("Загрузка не найдена")
    return job
