from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.time import local_today
from nastavnik.orgs.access import can_manage_program, visible_programs_for

from ..access import get_group_for_user, visible_groups_for, with_members
from ..forms import GroupEndForm, MenteeRemoveForm
from ..models import GroupStatus, MeetingKind, MeetingStatus, MentoringGroup
from ..services import groups as group_services


@login_required
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = visible_groups_for(request.user)
    program_id = request.GET.get("program", "")
    status = request.GET.get("status", GroupStatus.ACTIVE)
    if program_id.isdigit():
        groups = groups.filter(program_id=int(program_id))
    if status in GroupStatus.values:
        groups = groups.filter(status=status)
    groups = with_members(groups).order_by("program__title", "mentor__person__last_name", "pk")
    programs = visible_programs_for(request.user).filter(
        pk__in=visible_groups_for(request.user).values("program_id")
    )
    return render(
        request,
        "mentoring/group_list.html",
        {
            "groups": list(groups),
            "programs": list(programs.select_related("organisation")),
            "program_id": int(program_id) if program_id.isdigit() else None,
            "status": status,
            "statuses": GroupStatus.choices,
        },
    )


@login_required
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from ..access import group_role_for
    from ..forms import CompleteForm
    from ..services import meetings as meeting_services
    from ..services.plans import PlanProgress, plan_progress
    from .work import next_programs

    group = get_group_for_user(request.user, pk)
    role = group_role_for(request.user, group)
    can_manage = role.manager
    today = local_today(group.program.organisation)
    plan = group.plans.filter(is_current=True).first()
    found = list(group.meetings.order_by("starts_at", "pk")) if role.sees_all_members else []
    members = group.all_members  # type: ignore[attr-defined]
    if not role.sees_all_members:
        members = [m for m in members if m.mentee_id in role.participant_ids]
    upcoming = [m for m in found if m.status == MeetingStatus.PLANNED and m.starts_at >= timezone.now()][:3]
    return render(
        request,
        "mentoring/group_detail.html",
        {
            "group": group,
            "role": role,
            "tab": "overview",
            "can_manage": can_manage,
            "members": members,
            "plan": plan,
            "progress": plan_progress(plan, today) if plan else PlanProgress(),
            "upcoming": upcoming,
            "suggestion": meeting_services.suggest_next(group, found, today)
            if role.works and group.is_active
            else None,
            "final_held": any(m.kind == MeetingKind.FINAL and m.is_held for m in found),
            "continuations": list(group.continuations.select_related("program")),
            "end_form": GroupEndForm(initial={"ended_on": today, "status": GroupStatus.ENDED_EARLY}),
            "remove_form": MenteeRemoveForm(initial={"left_on": today}),
            "complete_form": CompleteForm(
                programs=next_programs(request, group),
                initial={"ended_on": today, "decision": GroupStatus.COMPLETED},
            )
            if can_manage
            else None,
        },
    )


def _managed_group(request: AuthenticatedHttpRequest, pk: int) -> MentoringGroup:
    group = get_group_for_user(request.user, pk)
    if not can_manage_program(request.user, group.program):
        raise PermissionDenied("Изменять пары и группы могут администрация и кураторы организации.")
    return group


@login_required
@require_POST
def group_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    form = GroupEndForm(request.POST)
    if form.is_valid():
        try:
            group_services.group_end(
                acting_user=request.user,
                group=group,
                status=form.cleaned_data["status"],
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Работа пары (группы) завершена.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("mentoring:group_detail", pk=group.pk)


@login_required
@require_POST
def mentee_remove(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    group = _managed_group(request, pk)
    membership = next((m for m in group.current_members if m.pk == membership_pk), None)  # type: ignore[attr-defined]
    if membership is None:
        raise Http404("Наставляемый не найден в этой паре (группе)")
    form = MenteeRemoveForm(request.POST)
    if form.is_valid():
        try:
            group_services.group_remove_mentee(
                acting_user=request.user,
                group=group,
                mentee=membership.mentee,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{membership.mentee.person.full_name} выведен(а) из пары (группы).")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("mentoring:group_detail", pk=group.pk)
