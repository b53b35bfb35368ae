"""Pages of one pair's work: the individual plan, meetings, feedback, the mentor's report, the
completion and the history. Every page starts from `get_group_for_user` (404 for anyone who
may not see the pair); writes go through the services, which check the role."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.history import HistoryLine, history_lines
from nastavnik.base.time import local_today
from nastavnik.orgs.access import visible_programs_for
from nastavnik.registry.models import ParticipationRole
from nastavnik.surveys import selectors as survey_selectors

from ..access import GroupRole, get_group_for_user, get_meeting_for_user, get_task_for_user, group_role_for
from ..extensions import links_for
from ..forms import (
    CommentForm,
    CompleteForm,
    FeedbackStageForm,
    GoalForm,
    MeetingForm,
    MeetingHeldForm,
    MeetingRecordForm,
    OpeningForm,
    PlanCreateForm,
    PlanHeaderForm,
    ReflectionForm,
    ReportForm,
    RevisionForm,
    TaskForm,
)
from ..models import (
    GroupMembership,
    IndividualPlan,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MentoringGroup,
    PlanStatus,
)
from ..selectors import group_report, plan_revisions
from ..services import completion, meetings, pair_feedback, plans


def _group(request: AuthenticatedHttpRequest, pk: int) -> tuple[MentoringGroup, GroupRole]:
    group = get_group_for_user(request.user, pk)
    return group, group_role_for(request.user, group)


def _errors(request: AuthenticatedHttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _zone(group: MentoringGroup) -> ZoneInfo:
    return ZoneInfo(group.program.organisation.timezone)


# --- the individual plan ------------------------------------------------------------------------


def _plan_context(
    request: AuthenticatedHttpRequest, group: MentoringGroup, role: GroupRole
) -> dict[str, Any]:
    revisions = list(plan_revisions(group))
    wanted = request.GET.get("revision", "")
    plan = next((p for p in revisions if str(p.revision) == wanted), None)
    if plan is None:
        plan = next((p for p in revisions if p.status != PlanStatus.SUPERSEDED), None)
    today = local_today(group.program.organisation)
    context: dict[str, Any] = {
        "group": group,
        "role": role,
        "revisions": revisions,
        "plan": plan,
        "today": today,
        "tab": "plan",
    }
    if plan is None:
        if role.works:
            context["create_form"] = PlanCreateForm(
                form=group.form,
                initial={
                    "starts_on": max(group.started_on, today),
                    "ends_on": group.program.ends_on or today.replace(year=today.year + 1),
                },
            )
        return context
    all_tasks = list(plan.tasks.all())
    goals = [(goal, [t for t in all_tasks if t.goal_id == goal.pk]) for goal in plan.goals.all()]
    loose = [t for t in all_tasks if t.goal_id is None]
    editable = plan.is_editable and role.works
    context.update(
        {
            "goals": goals,
            "loose_tasks": loose,
            "progress": plans.plan_progress(plan, today),
            "editable": editable,
            "can_tick": role.works and plan.status != PlanStatus.SUPERSEDED and group.is_active,
            "pending": next(
                (p for p in revisions if p.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)), None
            ),
        }
    )
    if editable:
        context["header_form"] = PlanHeaderForm(
            initial={
                "title": plan.title,
                "starts_on": plan.starts_on,
                "ends_on": plan.ends_on,
                "change_note": plan.change_note,
            }
        )
        context["goal_form"] = GoalForm()
        context["task_form"] = TaskForm(
            plan=plan,
            initial={"due_on": today if plan.starts_on <= today <= plan.ends_on else plan.starts_on},
        )
    if role.manager and plan.status == PlanStatus.SUBMITTED:
        context["return_form"] = CommentForm()
    if role.works and plan.status == PlanStatus.APPROVED and plan.is_current:
        context["revision_form"] = RevisionForm()
    return context


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    return render(request, "mentoring/plan.html", _plan_context(request, group, role))


@login_required
@require_POST
def plan_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    form = PlanCreateForm(request.POST, form=group.form)
    if form.is_valid():
        try:
            plans.plan_create(
                acting_user=request.user,
                group=group,
                template_key=form.cleaned_data["template"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(
                request, "Черновик плана составлен по шаблону: поправьте цели и сроки под свою пару."
            )
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("mentoring:plan", pk=group.pk)


def _working_plan(group: MentoringGroup) -> IndividualPlan:
    plan = group.plans.exclude(status=PlanStatus.SUPERSEDED).order_by("-revision").first()
    if plan is None:
        raise Http404("У пары (группы) нет плана")
    return plan


PLAN_ACTIONS = {
    "header",
    "goal-add",
    "goal-delete",
    "task-add",
    "task-edit",
    "task-delete",
    "submit",
    "approve",
    "return",
    "revise",
}


@login_required
@require_POST
def plan_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """The plan's edits, one POST per action; the service checks who may do it."""
    group, role = _group(request, pk)
    if action not in PLAN_ACTIONS:
        raise Http404("Нет такого действия")
    plan = _working_plan(group)
    user = request.user
    success = {
        "submit": "План отправлен куратору на утверждение.",
        "approve": "План утверждён.",
        "return": "План возвращён наставнику на доработку.",
        "revise": "Создана новая редакция плана: после правок отправьте её на утверждение.",
    }.get(action, "Сохранено.")
    try:
        if action == "header":
            form: Any = PlanHeaderForm(request.POST)
            if form.is_valid():
                plans.plan_update(acting_user=user, plan=plan, **form.cleaned_data)
        elif action == "goal-add":
            form = GoalForm(request.POST)
            if form.is_valid():
                plans.goal_add(acting_user=user, plan=plan, title=form.cleaned_data["title"])
        elif action == "goal-delete":
            form = None
            goal = plan.goals.filter(pk=request.POST.get("goal") or 0).first()
            if goal is None:
                raise Http404("Цель не найдена")
            plans.goal_delete(acting_user=user, goal=goal)
        elif action in ("task-add", "task-edit"):
            form = TaskForm(request.POST, plan=plan)
            if form.is_valid():
                if action == "task-add":
                    plans.task_add(acting_user=user, plan=plan, **form.cleaned_data)
                else:
                    task = plan.tasks.filter(pk=request.POST.get("task") or 0).first()
                    if task is None:
                        raise Http404("Задача не найдена")
                    plans.task_update(acting_user=user, task=task, **form.cleaned_data)
        elif action == "task-delete":
            form = None
            task = plan.tasks.filter(pk=request.POST.get("task") or 0).first()
            if task is None:
                raise Http404("Задача не найдена")
            plans.task_delete(acting_user=user, task=task)
        elif action == "submit":
            form = None
            plans.plan_submit(acting_user=user, plan=plan)
        elif action == "approve":
            form = None
            plans.plan_approve(acting_user=user, plan=plan)
        elif action == "return":
            form = CommentForm(request.POST)
            if form.is_valid():
                plans.plan_return(acting_user=user, plan=plan, comment=form.cleaned_data["comment"])
        else:  # revise
            form = RevisionForm(request.POST)
            if form.is_valid():
                plans.plan_new_revision(
                    acting_user=user, plan=plan, change_note=form.cleaned_data["change_note"]
                )
    except ValidationError as error:
        _errors(request, error)
    else:
        if form is not None and not form.is_valid():
            messages.error(request, form_errors_as_text(form))
        else:
            messages.success(request, success)
    return redirect("mentoring:plan", pk=group.pk)


@login_required
@require_POST
def task_tick(request: AuthenticatedHttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Tick or untick a task; an HTMX request gets the task's row and the progress back."""
    group, role = _group(request, pk)
    task = get_task_for_user(request.user, group, task_pk)
    error = ""
    try:
        plans.task_set_done(
            acting_user=request.user,
            task=task,
            done=request.POST.get("done") == "1",
            result_note=request.POST.get("result_note"),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        today = local_today(group.program.organisation)
        return render(
            request,
            "mentoring/_task_tick.html",
            {
                "group": group,
                "task": task,
                "can_tick": True,
                "today": today,
                "error": error,
                "plan": task.plan,
                "progress": plans.plan_progress(task.plan, today),
            },
        )
    if error:
        messages.error(request, error)
    return redirect(reverse("mentoring:plan", args=[group.pk]) + f"#task-{task.pk}")


# --- meetings -------------------------------------------------------------------------------


def _visible_meetings(group: MentoringGroup, role: GroupRole) -> list[Meeting]:
    """All the group's meetings for staff and the mentor; for a mentee or a parent, those of
    their own time in the group (a re-formed pair's new mentee does not see the old ones)."""
    found = list(group.meetings.prefetch_related("attendance").order_by("starts_at", "pk"))
    if role.sees_all_members:
        return found
    zone = _zone(group)
    spans = [m for m in group.all_members if m.mentee_id in role.participant_ids]  # type: ignore[attr-defined]
    return [
        m
        for m in found
        if any(
            s.joined_on <= m.starts_at.astimezone(zone).date()
            and (s.left_on is None or m.starts_at.astimezone(zone).date() <= s.left_on)
            for s in spans
        )
    ]


@login_required
def meeting_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    found = _visible_meetings(group, role)
    today = local_today(group.program.organisation)
    context: dict[str, Any] = {
        "group": group,
        "role": role,
        "meetings": found,
        "steps": meetings.sequence_steps(found),
        "tab": "meetings",
    }
    if role.works and group.is_active:
        context["suggestion"] = meetings.suggest_next(group, found, today)
        if not [m for m in found if m.status != MeetingStatus.CANCELLED]:
            context["opening_form"] = OpeningForm(
                initial={"date": max(today, group.started_on), "time": "15:00"}
            )
    return render(request, "mentoring/meeting_list.html", context)


@login_required
def meeting_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    if not role.works:
        raise PermissionDenied("Встречи планирует наставник пары (группы) или куратор.")
    today = local_today(group.program.organisation)
    suggestion = meetings.suggest_next(group, list(group.meetings.all()), today)
    kind = request.GET.get("kind", suggestion.kind.value)
    kind = kind if kind in MeetingKind.values else suggestion.kind.value
    form = MeetingForm(
        request.POST or None,
        initial={
            "kind": kind,
            "date": suggestion.on,
            "time": "15:00",
            "format": "in_person",
            "topic": MeetingKind(kind).label,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_create(
                acting_user=request.user,
                group=group,
                **form.meeting_values(_zone(group)),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Встреча запланирована.")
            return redirect("mentoring:meeting_detail", pk=group.pk, meeting_pk=meeting.pk)
    return render(
        request,
        "mentoring/meeting_form.html",
        {"group": group, "role": role, "form": form, "tab": "meetings"},
    )


@login_required
def meeting_held(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A meeting that already took place, recorded in one form (when, what, who came, notes)."""
    group, role = _group(request, pk)
    if not role.works:
        raise PermissionDenied("Встречи записывает наставник пары (группы) или куратор.")
    zone = _zone(group)
    now = timezone.now().astimezone(zone)
    kind = meetings.suggest_next(group, list(group.meetings.all()), now.date()).kind.value
    members = {m.mentee_id: m.mentee.person.full_name for m in group.all_members}  # type: ignore[attr-defined]
    form = MeetingHeldForm(
        request.POST or None,
        choices=list(members.items()),
        initial={
            "kind": kind,
            "date": now.date(),
            "time": now.time().replace(minute=0, second=0, microsecond=0),
            "format": "in_person",
            "topic": MeetingKind(kind).label,
            "present": [m.mentee_id for m in group.current_members],  # type: ignore[attr-defined]
            "mentor_present": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.meeting_log_held(
                acting_user=request.user,
                group=group,
                kind=data["kind"],
                starts_at=form.starts_at(zone),
                topic=data["topic"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                place=data["place"],
                present=form.present_ids(),
                notes=data["notes"],
                mentor_reflection=data["mentor_reflection"],
                mentor_present=data["mentor_present"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Встреча записана как состоявшаяся.")
            return redirect("mentoring:meeting_detail", pk=group.pk, meeting_pk=meeting.pk)
    return render(
        request,
        "mentoring/meeting_form.html",
        {"group": group, "role": role, "form": form, "held": True, "tab": "meetings"},
    )


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    meeting = get_meeting_for_user(request.user, group, meeting_pk)
    if not role.works:
        raise PermissionDenied("Встречи меняет наставник пары (группы) или куратор.")
    local = meeting.starts_at.astimezone(_zone(group))
    form = MeetingForm(
        request.POST or None,
        initial={
            "kind": meeting.kind,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "format": meeting.format,
            "place": meeting.place,
            "topic": meeting.topic,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_update(
                acting_user=request.user,
                meeting=meeting,
                **form.meeting_values(_zone(group)),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Встреча изменена.")
            return redirect("mentoring:meeting_detail", pk=group.pk, meeting_pk=meeting.pk)
    return render(
        request,
        "mentoring/meeting_form.html",
        {"group": group, "role": role, "form": form, "meeting": meeting, "tab": "meetings"},
    )


def _attendance_choices(meeting: Meeting) -> list[tuple[int, str]]:
    return [
        (a.mentee_id, a.mentee.person.full_name) for a in meeting.attendance.select_related("mentee__person")
    ]


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    meeting = get_meeting_for_user(request.user, group, meeting_pk)
    if meeting not in _visible_meetings(group, role):
        raise Http404("Встреча не найдена")
    rows = list(meeting.attendance.select_related("mentee__person"))
    if not role.sees_all_members:
        rows = [a for a in rows if a.mentee_id in role.participant_ids]
    context: dict[str, Any] = {
        "group": group,
        "role": role,
        "meeting": meeting,
        "local": meeting.starts_at.astimezone(_zone(group)).replace(tzinfo=None),
        "attendance": rows,
        "tab": "meetings",
        "item_links": links_for(request.user, meeting),
    }
    if role.works and meeting.status != MeetingStatus.CANCELLED and group.is_active:
        present = [a.mentee_id for a in rows if a.present] if meeting.is_held else [a.mentee_id for a in rows]
        context["record_form"] = MeetingRecordForm(
            choices=_attendance_choices(meeting),
            initial={
                "present": present,
                "notes": meeting.notes,
                "mentor_reflection": meeting.mentor_reflection,
                "mentor_present": meeting.mentor_present,
            },
        )
    own = next((a for a in rows if a.mentee_id in role.own_mentee_ids), None)
    if own is not None and meeting.is_held:
        context["reflection_form"] = ReflectionForm(initial={"reflection": own.reflection})
        context["own_attendance"] = own
    return render(request, "mentoring/meeting_detail.html", context)


@login_required
@require_POST
def meeting_action(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int, action: str) -> HttpResponse:
    group, role = _group(request, pk)
    meeting = get_meeting_for_user(request.user, group, meeting_pk)
    if action not in ("record", "cancel", "reflect"):
        raise Http404("Нет такого действия")
    try:
        if action == "record":
            form: Any = MeetingRecordForm(request.POST, choices=_attendance_choices(meeting))
            if form.is_valid():
                meetings.meeting_record(
                    acting_user=request.user,
                    meeting=meeting,
                    present=form.present_ids(),
                    notes=form.cleaned_data["notes"],
                    mentor_reflection=form.cleaned_data["mentor_reflection"],
                    mentor_present=form.cleaned_data["mentor_present"],
                )
                messages.success(request, "Встреча отмечена как состоявшаяся.")
        elif action == "cancel":
            form = None
            meetings.meeting_cancel(
                acting_user=request.user, meeting=meeting, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Встреча отменена.")
        else:
            form = ReflectionForm(request.POST)
            if form.is_valid():
                meetings.meeting_reflect(
                    acting_user=request.user, meeting=meeting, text=form.cleaned_data["reflection"]
                )
                messages.success(request, "Спасибо! Ваши впечатления сохранены.")
        if form is not None and not form.is_valid():
            messages.error(request, form_errors_as_text(form))
    except ValidationError as error:
        _errors(request, error)
    return redirect("mentoring:meeting_detail", pk=group.pk, meeting_pk=meeting.pk)


@login_required
@require_POST
def meeting_opening(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    form = OpeningForm(request.POST)
    if form.is_valid():
        try:
            created = meetings.meetings_schedule_opening(
                acting_user=request.user,
                group=group,
                first_at=form.starts_at(_zone(group)),
                format=form.cleaned_data["format"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"Запланировано встреч по методологии: {len(created)}.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("mentoring:meeting_list", pk=group.pk)


# --- feedback, report, completion ----------------------------------------------------------


@login_required
def feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The satisfaction questionnaire of the pair's own people, and the answers given so far."""
    group, role = _group(request, pk)
    respondent = None
    if role.mentor:
        respondent = group.mentor
    elif role.own_mentee_ids:
        respondent = next(m.mentee for m in group.all_members if m.mentee_id in role.own_mentee_ids)  # type: ignore[attr-defined]
    can_answer = respondent is not None and group.is_active
    if request.method == "POST" and not can_answer:
        raise PermissionDenied("Анкету заполняет участник работающей пары (группы).")
    form = FeedbackStageForm(request.POST or None) if can_answer else None
    errors: dict[int, str] = {}
    values: dict[int, Any] = {}
    questionnaire = None
    if respondent is not None and form is not None:
        role_name = ParticipationRole.MENTOR if role.mentor else ParticipationRole.MENTEE
        try:
            questionnaire = pair_feedback.questionnaire_for(group.program, role_name)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        if request.method == "POST" and questionnaire is not None and form.is_valid():
            try:
                result = pair_feedback.pair_feedback_submit(
                    acting_user=request.user,
                    group=group,
                    respondent=respondent,
                    stage=form.cleaned_data["stage"],
                    get_values=request.POST.getlist,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                if result.response is not None:
                    messages.success(request, "Спасибо! Анкета сохранена.")
                    return redirect("mentoring:feedback", pk=group.pk)
                errors, values = result.errors, result.values
                form.add_error(None, "Проверьте отмеченные вопросы: не все ответы заполнены верно.")
    # Participants see their own answers; the mentees' answers are for the curator (and staff
    # above); a partner's contact has none of his own.
    own_only = not role.reads_notes or role.mentor and not role.manager
    return render(
        request,
        "mentoring/feedback.html",
        {
            "group": group,
            "role": role,
            "form": form,
            "questionnaire": questionnaire,
            "sections": survey_selectors.form_view(questionnaire, None, errors, values)
            if questionnaire is not None
            else [],
            "given": pair_feedback.group_feedback(group, respondent_user=request.user if own_only else None),
            "tab": "completion",
        },
    )


@login_required
def report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    if not role.reads_notes:
        raise Http404("Отчёт наставника доступен наставнику и куратору")
    existing = group_report(group)
    can_edit = role.works and (existing is None or not existing.submitted or role.manager)
    form = ReportForm(request.POST or None, instance=existing) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Отчёт пишет наставник пары (группы).")
        if form.is_valid():
            try:
                completion.report_save(
                    acting_user=request.user,
                    group=group,
                    submit="submit" in request.POST,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    "Отчёт сдан куратору." if "submit" in request.POST else "Черновик отчёта сохранён.",
                )
                return redirect("mentoring:report", pk=group.pk)
    held = group.meetings.filter(status=MeetingStatus.HELD).count()
    return render(
        request,
        "mentoring/report.html",
        {"group": group, "role": role, "form": form, "report": existing, "held": held, "tab": "completion"},
    )


def next_programs(request: AuthenticatedHttpRequest, group: MentoringGroup) -> Any:
    return visible_programs_for(request.user).filter(
        organisation_id=group.program.organisation_id, academic_year__gt=group.program.academic_year
    )


@login_required
@require_POST
def group_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group, role = _group(request, pk)
    if not role.manager:
        raise PermissionDenied("Решение о завершении принимает куратор программы.")
    form = CompleteForm(request.POST, programs=next_programs(request, group))
    if form.is_valid():
        try:
            completion.group_complete(acting_user=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "Итоги записаны: участники отмечены как завершившие программу.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("mentoring:group_detail", pk=group.pk)


# --- history -----------------------------------------------------------------------------------


@login_required
def group_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What happened to the pair, in order: formed, re-formed (who joined and left), plan
    revisions, meetings, the end and the continuation; for the curator also the audit log."""
    group, role = _group(request, pk)
    zone = _zone(group)
    events: list[tuple[Any, str]] = []
    members: list[GroupMembership] = group.all_members  # type: ignore[attr-defined]
    if not role.sees_all_members:
        members = [m for m in members if m.mentee_id in role.participant_ids]
    events.append(
        (group.started_on, f"Пара (группа) сформирована: наставник {group.mentor.person.full_name}")
    )
    if group.continued_from_id:
        events.append((group.started_on, "Продолжение пары (группы) прошлого учебного года"))
    for m in members:
        events.append((m.joined_on, f"{m.mentee.person.full_name} — в паре (группе)"))
        if m.left_on:
            events.append((m.left_on, f"{m.mentee.person.full_name} вышел(а): {m.leave_reason}"))
    for plan in group.plans.order_by("revision"):
        events.append((plan.created_at.astimezone(zone).date(), f"План, редакция {plan.revision}: составлен"))
        if plan.approved_at:
            events.append(
                (plan.approved_at.astimezone(zone).date(), f"План, редакция {plan.revision}: утверждён")
            )
    for meeting in _visible_meetings(group, role):
        if meeting.is_held:
            events.append(
                (meeting.starts_at.astimezone(zone).date(), f"{meeting.get_kind_display()}: {meeting.topic}")
            )
    if group.ended_on:
        reason = f" ({group.end_reason})" if group.end_reason else ""
        events.append((group.ended_on, f"{group.get_status_display()}{reason}"))
    for follow_up in group.continuations.select_related("program"):
        events.append((follow_up.started_on, f"Продолжена в программе {follow_up.program}"))
    events.sort(key=lambda e: e[0])
    audit: list[HistoryLine] = []
    if role.manager:
        types = ContentType.objects.get_for_models(MentoringGroup, GroupMembership, IndividualPlan, Meeting)
        condition = Q(content_type=types[MentoringGroup], object_pk=str(group.pk))
        condition |= Q(content_type=types[GroupMembership], object_pk__in=[str(m.pk) for m in members])
        condition |= Q(
            content_type=types[IndividualPlan],
            object_pk__in=[str(p) for p in group.plans.values_list("pk", flat=True)],
        )
        condition |= Q(
            content_type=types[Meeting],
            object_pk__in=[str(p) for p in group.meetings.values_list("pk", flat=True)],
        )
        entries = (
            LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp")
        )
        audit = history_lines(entries[:100], zone=zone)
    return render(
        request,
        "mentoring/history.html",
        {"group": group, "role": role, "events": events, "audit": audit, "tab": "history"},
    )
