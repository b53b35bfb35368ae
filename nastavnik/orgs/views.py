"""Programs of an organisation: the list and the form. The pages that show people-derived figures
(organisations with consent coverage, a program's participants) are served by the registry
(registry/views/orgs.py) under the same `orgs:` names."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.time import local_today

from . import services
from .access import (
    get_program_for_user,
    managed_organisations_for,
    require_manage_program,
    visible_programs_for,
)
from .forms import ProgramForm
from .models import academic_year_of


@login_required
def program_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    programs = (
        visible_programs_for(request.user)
        .select_related("organisation", "curator")
        .annotate(
            mentors=Count("participations", filter=Q(participations__role="mentor")),
            mentees=Count("participations", filter=Q(participations__role="mentee")),
        )
        .order_by("-academic_year", "organisation__short_name", "title")
    )
    return render(
        request,
        "orgs/program_list.html",
        {"programs": programs, "can_create": managed_organisations_for(request.user).exists()},
    )


@login_required
def program_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    program = get_program_for_user(request.user, pk) if pk else None
    if program is not None:
        organisation = program.organisation
        require_manage_program(request.user, program)
    else:
        managed = managed_organisations_for(request.user)
        organisation_id = request.POST.get("organisation") or request.GET.get("organisation")
        chosen = (
            managed.filter(pk=organisation_id).first()
            if organisation_id and organisation_id.isdigit()
            else managed.first()
        )
        if chosen is None:
            raise PermissionDenied("Создавать программы могут администрация и кураторы организации.")
        organisation = chosen
    initial = (
        {}
        if program
        else {"academic_year": academic_year_of(local_today(organisation)), "curator": request.user.pk}
    )
    form = ProgramForm(request.POST or None, instance=program, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if program is None:
                program = services.program_create(
                    acting_user=request.user,
                    organisation=organisation,
                    forms=form.cleaned_data["forms"],
                    **form.service_fields(),
                )
            else:
                program.refresh_from_db()
                services.program_update(
                    acting_user=request.user,
                    program=program,
                    forms=form.cleaned_data["forms"],
                    **form.service_fields(),
                )
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Программа сохранена.")
            return redirect("orgs:program_detail", pk=program.pk)
    return render(
        request, "orgs/program_form.html", {"form": form, "program": program, "organisation": organisation}
    )
