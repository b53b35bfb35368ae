"""Pages of a municipal roadmap carried out school by school — the school's duties, its status of
each, the municipality's matrix schools × events and its reminders — and the export ready to sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import private_file_suffix, serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.text import count_ru
from nastavnik.orgs.access import managed_organisations_for

from . import services
from .access import (
    can_manage_roadmap,
    can_mark_school_duty,
    can_see_school_duties,
    get_duty_school_for_user,
    get_event_for_user,
    get_roadmap_for_user,
    get_school_status_for_user,
    require_manage_roadmap,
    require_see_school_matrix,
)
from .forms import ApprovalForm, SchoolsCarryOutForm, SchoolStatusForm
from .models import SchoolStatus
from .reminders import remind_late_schools
from .school_duties import duties_for_schools, school_matrix


@login_required
def my_school_duties(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The duties of the user's school; with several schools, the first one (the page lets them switch)."""
    school = managed_organisations_for(request.user).order_by("short_name").first()
    if school is None:
        raise Http404("Задачи по муниципальной дорожной карте есть у администрации и кураторов школ.")
    return redirect("roadmaps:school_duties", pk=school.pk)


@login_required
def school_duties(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    school = get_duty_school_for_user(request.user, pk)
    if not can_see_school_duties(request.user, school):
        raise Http404("Организация не найдена")
    duties = duties_for_schools([school])[school.pk]
    return render(
        request,
        "roadmaps/school_duties.html",
        {
            "school": school,
            "duties": duties,
            "can_mark": can_mark_school_duty(request.user, school),
            "other_schools": managed_organisations_for(request.user)
            .exclude(pk=school.pk)
            .order_by("short_name"),
            "statuses": SchoolStatus,
        },
    )


@login_required
@require_POST
def school_status_update(request: AuthenticatedHttpRequest, pk: int, school_pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    school = get_duty_school_for_user(request.user, school_pk)
    form = SchoolStatusForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.school_status_set(
                acting_user=request.user,
                event=event,
                organisation=school,
                status=data["status"],
                done_on=data["done_on"],
                comment=data["comment"],
                result_file=data["result_file"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form_errors_as_text(form)
    if not request.htmx:
        if error:
            messages.error(request, f"Отметка не сохранена: {error}")
        else:
            messages.success(request, "Отметка школы сохранена.")
        return redirect(reverse("roadmaps:school_duties", args=[school.pk]) + f"#duty-{event.pk}")
    duties = duties_for_schools([school])[school.pk]
    cell = next(c for _roadmap, cells in duties.groups for c in cells if c.event.pk == event.pk)
    return render(
        request,
        "roadmaps/_duty_row.html",
        {"cell": cell, "school": school, "can_mark": True, "error": error, "statuses": SchoolStatus},
    )


@login_required
def school_status_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A school's result document, for the school's administration and its municipality."""
    record = get_school_status_for_user(request.user, pk)
    return serve_private_file(
        request, record.result_file, f"rezultat-shkoly-{record.pk}{private_file_suffix(record.result_file)}"
    )


@login_required
def roadmap_schools(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The municipality's matrix: its schools × the events every school carries out."""
    roadmap = get_roadmap_for_user(request.user, pk)
    require_see_school_matrix(request.user, roadmap)
    matrix = school_matrix(roadmap)
    return render(
        request,
        "roadmaps/school_matrix.html",
        {"roadmap": roadmap, "matrix": matrix, "can_manage": can_manage_roadmap(request.user, roadmap)},
    )


@login_required
@require_POST
def roadmap_remind_schools(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap_for_user(request.user, pk)
    report = remind_late_schools(acting_user=request.user, roadmap=roadmap)
    if report.reminded:
        messages.success(
            request, f"Напоминание отправлено {count_ru(len(report.reminded), 'школе,школам,школам')}."
        )
    elif not report.nobody:
        messages.info(request, "Просроченных мероприятий у школ нет: напоминать некому.")
    if report.nobody:
        messages.warning(
            request,
            "Не отправлено: у " + ", ".join(report.nobody) + " нет администратора или куратора с e-mail.",
        )
    return redirect("roadmaps:schools", pk=roadmap.pk)


@login_required
@require_POST
def event_schools_carry_out(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    form = SchoolsCarryOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
    else:
        try:
            services.event_set_schools_carry_out(acting_user=request.user, event=event, value=form.as_flag())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Сохранено, кто выполняет мероприятие.")
    return redirect(reverse("roadmaps:detail", args=[event.roadmap_id]) + f"#event-{event.pk}")


def _approval_initial(roadmap: object) -> dict[str, object]:
    organisation = getattr(roadmap, "organisation", None)
    return {
        "position": getattr(roadmap, "approval_position", "")
        or (f"{organisation.head_position} {organisation.short_name}".strip() if organisation else ""),
        "name": getattr(roadmap, "approval_name", "") or (organisation.head_name if organisation else ""),
        "approved_on": getattr(roadmap, "approval_date", None),
        "order": getattr(roadmap, "approval_order", ""),
    }


@login_required
def roadmap_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The export ready to sign: who approves it and by which order, asked once and remembered."""
    roadmap = get_roadmap_for_user(request.user, pk)
    can_manage = can_manage_roadmap(request.user, roadmap)
    form = ApprovalForm(request.POST or None, initial=_approval_initial(roadmap))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Гриф утверждения задают кураторы дорожной карты.")
        if form.is_valid():
            require_manage_roadmap(request.user, roadmap)
            data = form.cleaned_data
            services.roadmap_set_approval(
                acting_user=request.user,
                roadmap=roadmap,
                position=data["position"],
                name=data["name"],
                approved_on=data["approved_on"],
                order=data["order"],
            )
            fmt = request.POST.get("fmt") if request.POST.get("fmt") in ("docx", "pdf") else "docx"
            messages.success(request, "Гриф утверждения сохранён.")
            return redirect("roadmaps:export", pk=roadmap.pk, fmt=fmt)
    return render(
        request, "roadmaps/sign_form.html", {"roadmap": roadmap, "form": form, "can_manage": can_manage}
    )
