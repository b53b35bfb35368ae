"""The person's own questionnaire answers offered where a curator includes them in a program.

The registry's form cannot import surveys (surveys stand above the registry in the layers
contract), so it loads this fragment by HTMX, as the person card loads its «Анкеты» block.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.registry.access import can_manage_person, get_person_for_user

from .. import selectors


@login_required
def person_tag_suggestions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Chips of the tags the person chose in questionnaires; a click ticks the tag below."""
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied("Анкеты человека видят администрация и кураторы его организации.")
    return render(
        request,
        "surveys/_tag_suggestions.html",
        {"suggestions": selectors.tag_suggestions_for_person(request.user, person)},
    )
