"""The organisation pages that show people-derived figures: the list of organisations and one
organisation with consent coverage and candidates, a program with its participants and their
consents. They read the registry, so the registry serves them (orgs stands below it); their URLs
keep the `orgs:` names and paths (registry/urls_orgs.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render

from nastavnik.accounts.grants import can_view_staff_roles
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.time import local_today
from nastavnik.orgs.access import (
    can_manage_organisation,
    can_manage_program,
    can_open_program,
    get_organisation_for_user,
    get_program_for_user,
    overseen_organisations_for,
    oversees_many_organisations,
    visible_municipalities_for,
    visible_programs_for,
    visible_regions_for,
)
from nastavnik.orgs.models import academic_year_of
from nastavnik.orgs.roles import role_target

from ..consents import consent_state
from ..selectors.people import organisation_overviews, program_participations


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not oversees_many_organisations(request.user):
        raise PermissionDenied("Список организаций доступен муниципальным и региональным кураторам.")
    organisations = list(overseen_organisations_for(request.user).select_related("municipality"))
    today = local_today()
    overviews = organisation_overviews([o.pk for o in organisations], today, academic_year_of(today))
    rows = [(o, overviews[o.pk]) for o in organisations]
    totals = {
        "people": sum(o.people_total for _, o in rows),
        "with_consent": sum(o.coverage.with_consent for _, o in rows),
        "active": sum(o.coverage.total for _, o in rows),
        "mentors": sum(o.mentor_candidates for _, o in rows),
        "mentees": sum(o.mentee_candidates for _, o in rows),
    }
    totals["percent"] = round(100 * totals["with_consent"] / totals["active"]) if totals["active"] else 0
    staff_pages = [
        ("region", scope)
        for scope in visible_regions_for(request.user)
        if can_view_staff_roles(request.user, role_target(scope))
    ] + [
        ("municipality", scope)
        for scope in visible_municipalities_for(request.user).order_by("name")
        if can_view_staff_roles(request.user, role_target(scope))
    ]
    return render(
        request,
        "registry/organisation_list.html",
        {"rows": rows, "totals": totals, "staff_pages": staff_pages},
    )


@login_required
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, pk)
    today = local_today(organisation)
    overview = organisation_overviews([organisation.pk], today, academic_year_of(today))[organisation.pk]
    programs = (
        visible_programs_for(request.user)
        .filter(organisation=organisation)
        .annotate(
            mentors=Count("participations", filter=Q(participations__role="mentor")),
            mentees=Count("participations", filter=Q(participations__role="mentee")),
        )
    )
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "overview": overview,
            "programs": programs,
            "can_manage": can_manage_organisation(request.user, organisation),
            "can_view_staff_roles": can_view_staff_roles(request.user, role_target(organisation)),
        },
    )


@login_required
def program_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = get_program_for_user(request.user, pk)
    can_manage = can_manage_program(request.user, program)
    if not can_open_program(request.user, program):
        raise PermissionDenied("Список участников программы доступен кураторам.")
    today = local_today(program.organisation)
    participations = list(program_participations(program))
    rows = [(p, consent_state(p.person, today, p.person.consents.all())) for p in participations]
    return render(
        request,
        "registry/program_detail.html",
        {
            "program": program,
            "forms": list(program.forms.select_related("parent")),
            "mentors": [r for r in rows if r[0].role == "mentor"],
            "mentees": [r for r in rows if r[0].role == "mentee"],
            "can_manage": can_manage,
        },
    )
