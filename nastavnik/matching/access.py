"""Who sees and runs the matching of a program: a run is visible to whoever oversees the
organisation of its program (its curators and administration, the municipality, the region);
only the organisation's administration and curators start, change and confirm runs."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser
from nastavnik.orgs.access import overseen_organisations_for, require_manage_program
from nastavnik.orgs.models import Program

from .models import MatchingRun


def visible_runs_for(user: AnyUser) -> QuerySet[MatchingRun]:
    if not user.is_authenticated:
        return MatchingRun.objects.none()
    return MatchingRun.objects.filter(program__organisation__in=overseen_organisations_for(user))


def get_run_for_user(user: AnyUser, pk: int) -> MatchingRun:
    try:
        return (
            visible_runs_for(user)
            .select_related(
                "program__organisation", "form__parent", "created_by", "confirmed_by", "confirmed_proposal"
            )
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Подбор не найден") from exc


def can_view_program_matching(user: AnyUser, program: Program) -> bool:
    return overseen_organisations_for(user).filter(pk=program.organisation_id).exists()


def require_manage_matching(user: AnyUser, program: Program) -> None:
    require_manage_program(user, program, "Подбирать пары могут администрация и кураторы организации.")
