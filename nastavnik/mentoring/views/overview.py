"""Pages across pairs: the curator's board, «Мой кабинет», calendars, program events (the
networking meeting among them, with the preference questionnaire sent after it) and the order
approving individual plans."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.text import plural
from nastavnik.base.time import local_today
from nastavnik.notifications.access import bot_configured
from nastavnik.orgs.access import (
    can_manage_program,
    get_program_for_user,
    overseen_organisations_for,
    visible_programs_for,
)
from nastavnik.orgs.models import Program
from nastavnik.surveys import selectors as survey_selectors
from nastavnik.surveys.models import TemplateKind

from ..access import get_program_event_for_user, require_manage_program_events, staff_groups_for
from ..board import curator_board
from ..calendars import month_grid, month_of, person_calendar_items, program_calendar_items
from ..documents import approved_plans, plan_order, plan_order_docx
from ..extensions import links_for, panels_for
from ..forms import EventCancelForm, EventEditForm, EventForm, OrderForm, PreferenceCampaignForm
from ..health import Health, default_weeks
from ..models import ProgramEvent, ProgramEventKind
from ..personal import personal_overview
from ..selectors import program_events
from ..services import events as event_services
from ..services import preferences


def _staff_program(request: AuthenticatedHttpRequest, pk: int) -> Program:
    """A program whose organisation the user oversees as staff (404 otherwise)."""
    program = get_program_for_user(request.user, pk)
    if not overseen_organisations_for(request.user).filter(pk=program.organisation_id).exists():
        raise Http404("Программа не найдена")
    return program


@login_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    weeks_param = request.GET.get("weeks", "")
    weeks = int(weeks_param) if weeks_param.isdigit() and 1 <= int(weeks_param) <= 26 else default_weeks()
    program_param = request.GET.get("program", "")
    program_id = int(program_param) if program_param.isdigit() else None
    data = curator_board(request.user, weeks=weeks, program_id=program_id)
    programs = visible_programs_for(request.user).filter(
        pk__in=staff_groups_for(request.user).values("program_id")
    )
    return render(
        request,
        "mentoring/board.html",
        {
            "board": data,
            "weeks": weeks,
            "program_id": program_id,
            "programs": list(programs.select_related("organisation")),
            "health": Health,
            "counts": [(h, data.count(h)) for h in Health],
        },
    )


@login_required
def my_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "mentoring/my.html",
        {
            "overview": personal_overview(request.user),
            "now": timezone.now(),
            "panels": panels_for(request),
            "telegram_ready": bot_configured(),
        },
    )


def _calendar_context(first: Any, items: Any) -> dict[str, Any]:
    import datetime as dt

    return {
        "weeks": month_grid(first, items),
        "month": first,
        "previous": (first - dt.timedelta(days=1)).replace(day=1),
        "following": (first + dt.timedelta(days=32)).replace(day=1),
    }


@login_required
def my_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = local_today()
    first = month_of(request.GET.get("month", ""), today)
    context = _calendar_context(first, person_calendar_items(request.user, first))
    context.update({"title": "Мой календарь встреч", "today": today})
    return render(request, "mentoring/calendar.html", context)


@login_required
def program_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = _staff_program(request, pk)
    today = local_today(program.organisation)
    first = month_of(request.GET.get("month", ""), today)
    groups = staff_groups_for(request.user).filter(program=program)
    context = _calendar_context(first, program_calendar_items(program, groups, first))
    context.update({"title": f"Календарь: {program.title}", "program": program, "today": today})
    return render(request, "mentoring/calendar.html", context)


@login_required
def event_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = _staff_program(request, pk)
    can_manage = can_manage_program(request.user, program)
    initial: dict[str, Any] = {}
    if request.GET.get("kind") == ProgramEventKind.NETWORKING:
        # Sent here to hold the meeting a preference questionnaire follows.
        initial = {"kind": ProgramEventKind.NETWORKING, "title": ProgramEventKind.NETWORKING.label}
    form = EventForm(request.POST or None, initial=initial) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Мероприятия программы проводят администрация и кураторы организации.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                event = event_services.event_create(
                    acting_user=request.user,
                    program=program,
                    kind=data["kind"],
                    title=data["title"],
                    starts_at=form.starts_at(ZoneInfo(program.organisation.timezone)),
                    duration_minutes=data["duration_minutes"],
                    place=data["place"],
                    description=data["description"],
                )
                if data["invite"]:
                    event_services.event_invite_participants(
                        acting_user=request.user, event=event, with_guardians=data["with_guardians"]
                    )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, "Мероприятие создано.")
                return redirect("mentoring:event_detail", pk=event.pk)
    found = list(program_events(program))
    attendance = event_services.attendance_for_events([e.pk for e in found])
    return render(
        request,
        "mentoring/event_list.html",
        {
            "program": program,
            "rows": [(e, attendance.get(e.pk)) for e in found],
            "form": form,
            "target": event_services.attendance_target(),
        },
    )


@login_required
def event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_program_event_for_user(request.user, pk)
    is_staff = overseen_organisations_for(request.user).filter(pk=event.program.organisation_id).exists()
    invitations = list(event.invitations.select_related("person", "participation")) if is_staff else []
    attendance = event_services.attendance_for_events([event.pk]).get(event.pk)
    return render(
        request,
        "mentoring/event_detail.html",
        {
            **(_preference_context(request, event) if is_staff else {}),
            "event": event,
            "local": event.starts_at.astimezone(ZoneInfo(event.program.organisation.timezone)).replace(
                tzinfo=None
            ),
            "is_staff": is_staff,
            "can_manage": can_manage_program(request.user, event.program),
            "cancel_form": EventCancelForm(),
            "invitations": invitations,
            "attendance": attendance,
            "target": event_services.attendance_target(),
            "started": event.starts_at <= timezone.now(),
            "item_links": links_for(request.user, event),
        },
    )


def _preference_context(request: AuthenticatedHttpRequest, event: ProgramEvent) -> dict[str, Any]:
    """After a networking meeting: the preference questionnaires sent to those present and whom
    they chose (what matching reads as stated preferences)."""
    if event.kind != ProgramEventKind.NETWORKING:
        return {}
    campaigns = preferences.campaigns_of(event)
    return {
        "is_networking": True,
        "preference_campaigns": list(
            survey_selectors.campaign_list(request.user).filter(preference_of__event=event)
        ),
        "preference_choices": survey_selectors.preference_choices(campaigns),
    }


@login_required
def event_preference_campaign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Send the preference questionnaire after a networking meeting: the program's copies of
    questionnaires, the preference one first chosen; it offers those marked present."""
    event = get_program_event_for_user(request.user, pk)
    if not can_manage_program(request.user, event.program):
        raise PermissionDenied("Рассылать анкеты могут администрация и кураторы организации.")
    if event.kind != ProgramEventKind.NETWORKING:
        raise Http404("Анкету предпочтений рассылают после общей встречи.")
    questionnaires = survey_selectors.program_questionnaires(event.program)
    preference = questionnaires.filter(kind=TemplateKind.PREFERENCE).first()
    initial = {"questionnaire": preference.pk} if preference is not None else {}
    form = PreferenceCampaignForm(request.POST or None, initial=initial, questionnaires=questionnaires)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = preferences.preference_campaign_create(
                acting_user=request.user,
                event=event,
                questionnaire=data["questionnaire"],
                title=data["title"],
                deadline_on=data["deadline_on"],
            )
        except ValidationError as error:
            for name, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "Рассылка создана: выберите, кому отправить анкету.")
            return redirect("surveys:campaign_recipients", pk=campaign.pk)
    return render(request, "mentoring/preference_campaign_form.html", {"form": form, "meeting": event})


def _managed_event(request: AuthenticatedHttpRequest, pk: int) -> ProgramEvent:
    """An event the user may see, refused unless they manage the program's events."""
    event = get_program_event_for_user(request.user, pk)
    require_manage_program_events(request.user, event.program)
    return event


@login_required
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    zone = ZoneInfo(event.program.organisation.timezone)
    local = event.starts_at.astimezone(zone)
    form = EventEditForm(
        request.POST or None,
        initial={
            "kind": event.kind,
            "title": event.title,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": event.duration_minutes,
            "place": event.place,
            "description": event.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event_services.event_update(
                acting_user=request.user,
                event=event,
                kind=data["kind"],
                title=data["title"],
                starts_at=form.starts_at(zone),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                description=data["description"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Мероприятие изменено.")
            return redirect("mentoring:event_detail", pk=event.pk)
    return render(request, "mentoring/event_form.html", {"event": event, "form": form})


@login_required
def event_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A confirmation page; the POST deletes the event with its invitations and attendance."""
    event = _managed_event(request, pk)
    if request.method == "POST":
        try:
            event_services.event_delete(acting_user=request.user, event=event)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("mentoring:event_detail", pk=event.pk)
        messages.success(request, f"Мероприятие «{event.title}» удалено.")
        return redirect("mentoring:event_list", pk=event.program_id)
    invitations = event.invitations.aggregate(
        invited=Count("pk"), present=Count("pk", filter=Q(attended=True))
    )
    return render(
        request,
        "mentoring/event_delete.html",
        {
            "event": event,
            "local": event.starts_at.astimezone(ZoneInfo(event.program.organisation.timezone)),
            "blocked": event.preference_campaigns.exists(),
            **invitations,
        },
    )


@login_required
@require_POST
def event_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    event = get_program_event_for_user(request.user, pk)
    if action not in ("invite", "attendance", "cancel"):
        raise Http404("Нет такого действия")
    try:
        if action == "cancel":
            form = EventCancelForm(request.POST)
            if not form.is_valid():
                messages.error(request, form_errors_as_text(form))
            else:
                event_services.event_cancel(
                    acting_user=request.user, event=event, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "Мероприятие отменено: приглашённые увидят отметку «отменено».")
        elif action == "invite":
            added = event_services.event_invite_participants(
                acting_user=request.user, event=event, with_guardians="with_guardians" in request.POST
            )
            messages.success(request, f"Приглашено: {added}.")
        else:
            present = [int(x) for x in request.POST.getlist("present") if x.isdigit()]
            result = event_services.event_mark_attendance(
                acting_user=request.user, event=event, present=present
            )
            messages.success(
                request,
                f"{plural(result.present, 'Присутствовал,Присутствовали,Присутствовали')} {result.present} из "
                f"{result.invited} {plural(result.invited, 'участника,участников,участников')} ({result.percent}%).",
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mentoring:event_detail", pk=event.pk)


@login_required
def plans_order(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = _staff_program(request, pk)
    form = OrderForm(request.GET or None)
    if "download" in request.GET:
        if not form.is_valid():
            messages.error(request, form_errors_as_text(form))
            return redirect("mentoring:plans_order", pk=program.pk)
        order = plan_order(program, form.cleaned_data["number"], form.cleaned_data["date"])
        response = HttpResponse(
            plan_order_docx(order),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="plans-order-{program.pk}.docx"'
        return response
    return render(
        request,
        "mentoring/plans_order.html",
        {"program": program, "form": form, "plans": approved_plans(program)},
    )
