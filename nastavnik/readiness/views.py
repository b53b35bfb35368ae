"""The readiness page of an organisation (what is missing and what to do next) and a
municipality's schools side by side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.time import local_today

from . import services
from .access import (
    can_tick,
    get_municipality_for_user,
    get_organisation_for_user,
    is_org_admin,
    municipality_organisations,
)
from .items import Context
from .selectors import current_program_id, readiness_of


@login_required
def organisation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    day = local_today(org)
    manages = can_tick(request.user, org)
    context = Context(
        org.pk, manages, manages and is_org_admin(request.user, org), current_program_id(org, day)
    )
    (readiness,) = readiness_of([org], day, {org.pk: context})
    return render(
        request,
        "readiness/organisation.html",
        {"r": readiness, "can_tick": manages, "day": day},
    )


@login_required
@require_POST
def tick(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    org = get_organisation_for_user(request.user, pk)
    try:
        services.readiness_tick(
            acting_user=request.user,
            organisation=org,
            code=code,
            done=request.POST.get("done") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Отметка сохранена.")
    return redirect("readiness:organisation", org.pk)


@login_required
def municipality(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mun = get_municipality_for_user(request.user, pk)
    organisations = municipality_organisations(request.user, mun)
    day = local_today(organisations[0]) if organisations else local_today()
    rows = readiness_of(organisations, day)
    return render(
        request,
        "readiness/municipality.html",
        {"municipality": mun, "rows": rows, "items": rows[0].lines if rows else [], "day": day},
    )
