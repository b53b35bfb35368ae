"""Who sees and manages regions, municipalities, organisations and programs: the reads
(`visible_<things>_for`, `get_<thing>_for_user`, 404 outside the scope) and the checks
(`can_*`, `require_manage_*` raising PermissionDenied) side by side, on the scopes of
`nastavnik.accounts.access`."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import (
    AnyUser,
    member_organisation_q,
    require,
    scopes_of,
    staff_organisation_q,
)

from .models import Municipality, Organisation, Program, Region

# --- regions and municipalities -----------------------------------------------------------------


def visible_regions_for(user: AnyUser) -> QuerySet[Region]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Region.objects.all()
    return Region.objects.filter(
        Q(pk__in=scopes.region_ids)
        | Q(municipalities__pk__in=scopes.municipality_ids)
        | Q(municipalities__organisations__pk__in=scopes.member_organisation_ids)
    ).distinct()


def overseen_regions_for(user: AnyUser) -> QuerySet[Region]:
    """Regions the user oversees as their regional centre."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scopes.region_ids)


def visible_municipalities_for(user: AnyUser) -> QuerySet[Municipality]:
    """Municipalities the user oversees: as their curator or as the centre of their region."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(Q(pk__in=scopes.municipality_ids) | Q(region_id__in=scopes.region_ids))


def curated_municipalities_for(user: AnyUser) -> QuerySet[Municipality]:
    """Municipalities the user is the municipal curator of (not those of their region)."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=scopes.municipality_ids)


def can_oversee_municipality(user: AnyUser, municipality: Municipality) -> bool:
    scopes = scopes_of(user)
    return (
        scopes.superuser
        or municipality.pk in scopes.municipality_ids
        or municipality.region_id in scopes.region_ids
    )


# --- organisations ------------------------------------------------------------------------------


def visible_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user works in or oversees."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(member_organisation_q(scopes))


def overseen_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose whole registry the user may read (staff scope only)."""
    scopes = scopes_of(user)
    if scopes.superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(staff_organisation_q(scopes))


def managed_organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations whose registry the user may change (administration and curators)."""
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


def can_oversee_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Staff of the organisation, of its municipality or of its region: the scope of
    `overseen_organisations_for`, asked of one organisation (a query only for regional staff,
    who need the municipality's region)."""
    scopes = scopes_of(user)
    if can_manage_organisation(user, organisation) or organisation.municipality_id in scopes.municipality_ids:
        return True
    return (
        bool(scopes.region_ids)
        and organisation.municipality_id is not None
        and can_oversee_municipality(user, organisation.municipality)
    )


def require_manage_organisation(
    user: AnyUser,
    organisation: Organisation | int,
    refusal: str = "Недостаточно прав для изменения базы этой организации.",
) -> None:
    require(can_manage_organisation(user, organisation), refusal)


def oversees_many_organisations(user: AnyUser) -> bool:
    """A municipal or regional user (or a superuser): the one who compares organisations."""
    scopes = scopes_of(user)
    return scopes.superuser or bool(scopes.region_ids or scopes.municipality_ids)


# --- programs -----------------------------------------------------------------------------------


def visible_programs_for(user: AnyUser) -> QuerySet[Program]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Program.objects.all()
    return Program.objects.filter(member_organisation_q(scopes, "organisation__"))


def get_program_for_user(user: AnyUser, pk: int) -> Program:
    try:
        return visible_programs_for(user).select_related("organisation").get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Программа не найдена") from exc


def can_manage_program(user: AnyUser, program: Program) -> bool:
    return can_manage_organisation(user, program.organisation_id)


def require_manage_program(
    user: AnyUser | None,
    program: Program | None,
    refusal: str = "Изменять программу могут администрация и кураторы организации.",
) -> Program:
    """The program, if the user manages it (its organisation's administration and curators).
    Each app names what is refused in its own words (pairs, surveys, matching…)."""
    if user is None or program is None or not can_manage_program(user, program):
        raise PermissionDenied(refusal)
    return program


def can_open_program(user: AnyUser, program: Program) -> bool:
    """Whether the program's page (its participants) opens: the organisation's administration
    and curators and the levels above them; participants and specialists do not."""
    return (
        can_manage_program(user, program)
        or overseen_organisations_for(user).filter(pk=program.organisation_id).exists()
    )
