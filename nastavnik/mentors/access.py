"""Who sees candidates, interviews and the municipal base of mentors.

- Candidates: the administration and curators of the school, its specialists (the psychologist
  invited to interviews), the municipality and the region over it — and the candidate themself
  (their own status). Parents, mentees and other schools see nothing (404).
- Interview notes (questions, notes, the reason): only the administration and curators of that
  school and its specialists; never the municipality or the region, nor the candidate.
- The municipal base: the municipality's curator (everything of it), the region's centre (the bases
  of its municipalities), the administration and curators of its schools (the approved mentors, to
  request one, and their own proposals)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of, staff_organisation_q
from nastavnik.orgs.access import can_manage_organisation
from nastavnik.orgs.models import Organisation

from .models import BaseEntry, BaseEntryStatus, Candidacy

# --- candidates ----------------------------------------------------------------------------------


def visible_candidacies_for(user: AnyUser) -> QuerySet[Candidacy]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return Candidacy.objects.all()
    if not user.is_authenticated:
        return Candidacy.objects.none()
    prefix = "participation__program__organisation__"
    condition = (
        staff_organisation_q(scopes, prefix)
        | Q(participation__program__organisation_id__in=scopes.specialist_organisation_ids)
        | Q(participation__person__user=user)
    )
    return Candidacy.objects.filter(condition)


def get_candidacy_for_user(user: AnyUser, pk: int) -> Candidacy:
    try:
        return (
            visible_candidacies_for(user)
            .select_related(
                "participation__person__organisation",
                "participation__program__organisation",
                "participation__preferred_form",
                "nominated_by",
                "decided_by",
            )
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Кандидат не найден") from exc


def can_read_interview_notes(user: AnyUser, candidacy: Candidacy) -> bool:
    """The school's administration and curators and its specialists (the psychologist)."""
    scopes = scopes_of(user)
    organisation_id = candidacy.participation.program.organisation_id
    return (
        scopes.superuser
        or organisation_id in scopes.staff_organisation_ids
        or organisation_id in scopes.specialist_organisation_ids
    )


def can_manage_candidacy(user: AnyUser, candidacy: Candidacy) -> bool:
    return can_manage_organisation(user, candidacy.participation.program.organisation_id)


def require_manage_candidacy(user: AnyUser, candidacy: Candidacy) -> None:
    require(
        can_manage_candidacy(user, candidacy),
        "Вести отбор наставников могут администрация и кураторы организации.",
    )


# --- the municipal base -------------------------------------------------------------------------


def visible_base_entries_for(user: AnyUser) -> QuerySet[BaseEntry]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return BaseEntry.objects.all()
    if not user.is_authenticated:
        return BaseEntry.objects.none()
    own_municipalities = Organisation.objects.filter(pk__in=scopes.staff_organisation_ids).values(
        "municipality_id"
    )
    return BaseEntry.objects.filter(
        Q(municipality_id__in=scopes.municipality_ids)
        | Q(municipality__region_id__in=scopes.region_ids)
        | Q(person__organisation_id__in=scopes.staff_organisation_ids)
        | Q(municipality_id__in=own_municipalities, status=BaseEntryStatus.APPROVED)
    )


def get_base_entry_for_user(user: AnyUser, pk: int) -> BaseEntry:
    try:
        return (
            visible_base_entries_for(user)
            .select_related("person__organisation", "municipality", "participation__program")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Запись базы наставников не найдена") from exc


def can_decide_base_entry(user: AnyUser, entry: BaseEntry) -> bool:
    """The municipal curator approves or returns the schools' proposals."""
    scopes = scopes_of(user)
    return scopes.superuser or entry.municipality_id in scopes.municipality_ids


def can_see_base(user: AnyUser) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(
        scopes.region_ids or scopes.municipality_ids or scopes.staff_organisation_ids
    )


def can_see_candidates(user: AnyUser) -> bool:
    scopes = scopes_of(user)
    return scopes.superuser or bool(
        scopes.region_ids
        or scopes.municipality_ids
        or scopes.staff_organisation_ids
        or scopes.specialist_organisation_ids
    )
