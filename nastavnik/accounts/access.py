"""The one permission layer: who may see and change what.

Every view and every read of personal data goes through the functions here
(`visible_<things>_for(user)`, `get_<thing>_for_user(user, pk)`, `can_<verb>(user, obj)`).
Scopes come from the user's role assignments: a region, a municipality or an organisation.
Objects outside the scope are invisible (404), not forbidden, so that their existence does
not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import MANAGER_ROLES, STAFF_ROLES, Role, RoleAssignment, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from nastavnik.orgs.models import Municipality, Organisation, Program
    from nastavnik.registry.models import Person

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


@dataclass(frozen=True)
class Scopes:
    """The ids a user's roles reach, by level; computed once per user object."""

    superuser: bool
    region_ids: frozenset[int]
    municipality_ids: frozenset[int]
    staff_organisation_ids: frozenset[int]  # org admin / program curator
    specialist_organisation_ids: frozenset[int]
    member_organisation_ids: frozenset[int]  # any role in the organisation
    roles: frozenset[str]

    @property
    def is_staff_anywhere(self) -> bool:
        return self.superuser or bool(self.roles & STAFF_ROLES)


_EMPTY = Scopes(False, frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def scopes_of(user: AnyUser) -> Scopes:
    if not user.is_authenticated:
        return _EMPTY
    cached: Scopes | None = getattr(user, "_nastavnik_scopes", None)
    if cached is not None:
        return cached
    assignments: Iterable[RoleAssignment] = RoleAssignment.objects.filter(user=user).only(
        "role", "region_id", "municipality_id", "organisation_id"
    )
    region_ids, municipality_ids, staff_orgs, specialist_orgs, member_orgs, roles = (
        set(),
        set(),
        set(),
        set(),
        set(),
        set(),
    )
    for assignment in assignments:
        roles.add(assignment.role)
        if assignment.role == Role.REGIONAL_CENTRE and assignment.region_id:
            region_ids.add(assignment.region_id)
        elif assignment.role == Role.MUNICIPAL_CURATOR and assignment.municipality_id:
            municipality_ids.add(assignment.municipality_id)
        elif assignment.organisation_id:
            member_orgs.add(assignment.organisation_id)
            if assignment.role in MANAGER_ROLES:
                staff_orgs.add(assignment.organisation_id)
            elif assignment.role == Role.SPECIALIST:
                specialist_orgs.add(assignment.organisation_id)
    scopes = Scopes(
        superuser=user.is_superuser,
        region_ids=frozenset(region_ids),
        municipality_ids=frozenset(municipality_ids),
        staff_organisation_ids=frozenset(staff_orgs),
        specialist_organisation_ids=frozenset(specialist_orgs),
        member_organisation_ids=frozenset(member_orgs),
        roles=frozenset(roles),
    )
    user._nastavnik_scopes = scopes  # type: ignore[attr-defined]
    return scopes


def has_role(user: AnyUser, *roles: Role) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(scopes.roles & set(roles))


def _staff_organisation_q(scopes: Scopes, prefix: str = "") -> Q:
    """Organisations whose registry the user reads as staff (region, municipality, org staff)."""
    return (
        Q(**{f"{prefix}pk__in": scopes.staff_organisation_ids})
        | Q(**{f"{prefix}municipality_id__in": scopes.municipality_ids})
        | Q(**{f"{prefix}municipality__region_id__in": scopes.region_ids})
    )


# --- organisations and the levels above them -------------------------------------------------


def visible_regions_for(user: AnyUser) -> QuerySet:
    from nastavnik.orgs.models import Region

    scopes = scopes_of(user)
    if scopes.superuser:
        return Region.objects.all()
    return Region.objects.filter(
        Q(pk__in=scopes.region_ids)
        | Q(municipalities__pk__in=scopes.municipality_ids)
        | Q(municipalities__organisations__pk__in=scopes.member_organisation_ids)
    ).distinct()


def visible_municipalities_for(user: AnyUser) -> QuerySet[Municipality]:
    from nastavnik.orgs.models import Municipality

    scopes = scopes_of(user)
    if scopes.superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(Q(pk__in=scopes.municipality_ids) | Q(region_id__in=scopes.region_ids))


def visible_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user works in or oversees."""
    from nastavnik.orgs.models import Organisation

    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        _staff_organisation_q(scopes) | Q(pk__in=scopes.member_organisation_ids)
    )


def overseen_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose whole registry the user may read (staff scope only)."""
    from nastavnik.orgs.models import Organisation

    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(_staff_organisation_q(scopes))


def managed_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose registry the user may change (administration and curators)."""
    from nastavnik.orgs.models import Organisation

    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=scopes.staff_organisation_ids)


def get_organisation_for_user(user: AnyUser, pk: int) -> Organisation:
    try:
        return visible_organisations_for(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Организация не найдена") from exc


def can_manage_organisation(user: AnyUser, organisation: Organisation | int) -> bool:
    scopes = scopes_of(user)
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return scopes.superuser or org_id in scopes.staff_organisation_ids


def oversees_many_organisations(user: AnyUser) -> bool:
    """A municipal or regional user (or a superuser): the one who compares organisations."""
    scopes = scopes_of(user)
    return scopes.superuser or bool(scopes.region_ids or scopes.municipality_ids)


def can_oversee_municipality(user: AnyUser, municipality: Municipality) -> bool:
    scopes = scopes_of(user)
    return (
        scopes.superuser
        or municipality.pk in scopes.municipality_ids
        or municipality.region_id in scopes.region_ids
    )


# --- programs ---------------------------------------------------------------------------------


def visible_programs_for(user: AnyUser) -> QuerySet[Program]:
    from nastavnik.orgs.models import Program

    scopes = scopes_of(user)
    if scopes.superuser:
        return Program.objects.all()
    return Program.objects.filter(
        _staff_organisation_q(scopes, "organisation__")
        | Q(organisation_id__in=scopes.member_organisation_ids)
    )


def get_program_for_user(user: AnyUser, pk: int) -> Program:
    try:
        return visible_programs_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Программа не найдена") from exc


def can_manage_program(user: AnyUser, program: Program) -> bool:
    return can_manage_organisation(user, program.organisation_id)


# --- people (personal data) ---------------------------------------------------------------------


def visible_people_for(user: AnyUser) -> QuerySet[Person]:
    """People whose personal data the user may read.

    Staff read the registry of their scope; a specialist (class teacher, psychologist) reads the
    learners of their organisation; a participant reads their own card and a parent their
    children's. Nobody else reads anything.
    """
    from nastavnik.registry.models import LEARNER_KINDS, GuardianLink, Person

    scopes = scopes_of(user)
    if scopes.superuser:
        return Person.objects.all()
    if not user.is_authenticated:
        return Person.objects.none()
    condition = _staff_organisation_q(scopes, "organisation__") | Q(user=user)
    if scopes.specialist_organisation_ids:
        condition |= Q(organisation_id__in=scopes.specialist_organisation_ids, kind__in=LEARNER_KINDS)
    if Role.PARENT in scopes.roles:
        wards = GuardianLink.objects.filter(guardian__user=user).values("child_id")
        condition |= Q(pk__in=wards)
    return Person.objects.filter(condition)


def get_person_for_user(user: AnyUser, pk: int) -> Person:
    try:
        return visible_people_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Участник не найден") from exc


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
