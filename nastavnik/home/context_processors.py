from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.models import Role
from nastavnik.mentors.access import can_see_candidates
from nastavnik.orgs.access import oversees_many_organisations


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the top menu shows: only sections the user's roles can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scopes = scopes_of(user)
    oversees = oversees_many_organisations(user)
    return {
        "nav": {
            "registry": scopes.is_staff_anywhere or bool(scopes.specialist_organisation_ids),
            "organisations": oversees,
            "programs": scopes.is_staff_anywhere,
            "documents": scopes.is_staff_anywhere,
            "partners": scopes.is_staff_anywhere,
            "mentors": can_see_candidates(user),
            # Teachers who mentor or advise may apply (again) and follow their application.
            "apply": not scopes.is_staff_anywhere and bool(scopes.roles & {Role.MENTOR, Role.SPECIALIST}),
            "training": scopes.superuser
            or bool(scopes.member_organisation_ids or scopes.municipality_ids or scopes.region_ids),
            "admin": user.is_superuser,
            "cases": scopes.is_staff_anywhere or Role.MENTOR in scopes.roles,
            "publications": scopes.superuser or bool(scopes.staff_organisation_ids),
            "role_labels": sorted({Role(r).label for r in scopes.roles}),
        }
    }
