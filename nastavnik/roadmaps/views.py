from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import private_file_suffix, serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.text import count_ru
from nastavnik.base.time import local_today
from nastavnik.base.uploads import HeldUploadMissing, discard_held, hold_upload, read_held
from nastavnik.orgs.access import (
    can_oversee_municipality,
    get_organisation_for_user,
    managed_organisations_for,
    oversees_many_organisations,
    visible_municipalities_for,
)
from nastavnik.orgs.models import Municipality, Organisation

from . import documents, services
from .access import (
    can_manage_roadmap,
    can_see_school_duties,
    can_see_school_matrix,
    get_completion_for_user,
    get_event_for_user,
    get_roadmap_for_user,
    require_manage_roadmap,
    visible_roadmaps_for,
)
from .blueprints import BLUEPRINTS
from .deadlines import Period, describe
from .forms import EventForm, ImportForm, StatusForm, TemplateForm, owner_choices, resolve_owner
from .importing import RoadmapDraft, RoadmapImportError, read_roadmap
from .importing.draft import SPLIT, WHOLE
from .models import EventStatus, Roadmap, SchoolStatus
from .school_duties import SchoolDuties, duties_for_schools, is_school_duty, schools_of
from .selectors import Control, event_state, month_calendar, roadmap_control, summary_for

_IMPORT_SESSION_KEY = "roadmap_imports"


@login_required
def roadmap_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Each roadmap's control on its own (the summary's rows), so the list shows at once which
    # roadmap is behind; a fixed number of queries for any number of roadmaps.
    _, rows = summary_for(visible_roadmaps_for(request.user), local_today())
    rows.sort(key=lambda row: (-row.roadmap.period_start.toordinal(), row.roadmap.title))
    return render(
        request,
        "roadmaps/roadmap_list.html",
        {
            "rows": rows,
            "can_create": bool(owner_choices(request.user)),
            "keeps_school": managed_organisations_for(request.user).exists(),
            "oversees": oversees_many_organisations(request.user),
        },
    )


def _sections(control_states: list[Any]) -> list[tuple[Any, list[Any]]]:
    groups: list[tuple[Any, list[Any]]] = []
    for state in control_states:
        section = state.event.section
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append(state)
    return groups


def _school_of(user: AnyUser, roadmap: Roadmap) -> Organisation | None:
    """The user's own school under a municipal roadmap (the first, if they keep several)."""
    if not roadmap.municipality_id:
        return None
    return (
        managed_organisations_for(user)
        .filter(municipality_id=roadmap.municipality_id)
        .select_related("municipality")
        .order_by("short_name")
        .first()
    )


def _mark_school_duties(user: AnyUser, roadmap: Roadmap, control: Control) -> SchoolDuties | None:
    """Flag the events every school carries out and give each the user's own school's part; for an
    organisation's roadmap, its duties under the municipality's roadmaps (shown beside it)."""
    if roadmap.organisation is not None:
        if not can_see_school_duties(user, roadmap.organisation):
            return None
        return duties_for_schools([roadmap.organisation])[roadmap.organisation.pk]
    school = _school_of(user, roadmap)
    cells = {}
    if school is not None:
        cells = {
            c.event.pk: c
            for group, group_cells in duties_for_schools([school])[school.pk].groups
            if group.pk == roadmap.pk
            for c in group_cells
        }
    for state in control.states:
        state.school_duty = is_school_duty(state.event, roadmap)  # type: ignore[attr-defined]
        state.my_cell = cells.get(state.event.pk)  # type: ignore[attr-defined]
    return None


@login_required
def roadmap_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap_for_user(request.user, pk)
    today = services.roadmap_today(roadmap)
    control = roadmap_control(roadmap, today)
    school_duties = _mark_school_duties(request.user, roadmap, control)
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "control": control,
            "sections": _sections(control.states),
            "can_manage": can_manage_roadmap(request.user, roadmap),
            "can_see_matrix": can_see_school_matrix(request.user, roadmap),
            "school_duties": school_duties,
            "statuses": EventStatus,
            "today": today,
        },
    )


@login_required
def roadmap_calendar(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap_for_user(request.user, pk)
    today = services.roadmap_today(roadmap)
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    control = roadmap_control(roadmap, today)
    weeks, ongoing = month_calendar(control.states, first.year, first.month)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "roadmaps/roadmap_calendar.html",
        {
            "roadmap": roadmap,
            "weeks": weeks,
            "ongoing": ongoing,
            "month": first,
            "previous": previous,
            "following": following,
            "today": today,
        },
    )


@login_required
@require_POST
def event_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    roadmap = event.roadmap
    if not can_manage_roadmap(request.user, roadmap) and is_school_duty(event, roadmap):
        school = _school_of(request.user, roadmap)
        if school is not None:
            return _school_marks_event(request, event, school)
    require_manage_roadmap(request.user, roadmap)
    form = StatusForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            services.event_set_status(
                acting_user=request.user,
                event=event,
                status=form.cleaned_data["status"],
                done_on=form.cleaned_data["done_on"],
                due_on=form.cleaned_data["due_on"],
                result_file=form.cleaned_data["result_file"],
                result_link=form.cleaned_data["result_link"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = form_errors_as_text(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Статус мероприятия изменён.")
        return redirect("roadmaps:detail", pk=roadmap.pk)
    event = get_event_for_user(request.user, pk)
    today = services.roadmap_today(roadmap)
    state = event_state(event, roadmap, today)
    return render(
        request,
        "roadmaps/_event_row.html",
        {"state": state, "roadmap": roadmap, "can_manage": True, "error": error, "statuses": EventStatus},
    )


_SCHOOL_STATUS_OF = {
    EventStatus.PLANNED: SchoolStatus.NOT_STARTED,
    EventStatus.IN_PROGRESS: SchoolStatus.IN_PROGRESS,
    EventStatus.DONE: SchoolStatus.DONE,
}


def _school_marks_event(request: AuthenticatedHttpRequest, event: Any, school: Organisation) -> HttpResponse:
    """A school's administration marks a municipal event every school carries out: that is their
    school's own status, not the municipality's."""
    form = StatusForm(request.POST, request.FILES)
    if not form.is_valid() or form.cleaned_data["status"] not in _SCHOOL_STATUS_OF:
        messages.error(
            request, form_errors_as_text(form) or "Школа отмечает: не начато, в работе или выполнено."
        )
    else:
        try:
            services.school_status_set(
                acting_user=request.user,
                event=event,
                organisation=school,
                status=_SCHOOL_STATUS_OF[form.cleaned_data["status"]],
                done_on=form.cleaned_data["done_on"],
                result_file=form.cleaned_data["result_file"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Отмечено выполнение за {school.short_name}.")
    target = reverse("roadmaps:school_duties", args=[school.pk]) + f"#duty-{event.pk}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


def _result_name(kind: str, pk: int, fieldfile: Any) -> str:
    return f"{kind}-{pk}{private_file_suffix(fieldfile)}"


@login_required
def event_result_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The document attached to an event, for those who see the roadmap."""
    event = get_event_for_user(request.user, pk)
    return serve_private_file(
        request, event.result_file, _result_name("rezultat", event.pk, event.result_file)
    )


@login_required
def completion_result_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The document attached to one occurrence of a recurring event, for those who see the roadmap."""
    completion = get_completion_for_user(request.user, pk)
    return serve_private_file(
        request, completion.result_file, _result_name("vypolnenie", completion.pk, completion.result_file)
    )


@login_required
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, pk)
    roadmap = event.roadmap
    require_manage_roadmap(request.user, roadmap)
    form = EventForm(
        request.POST or None, initial=EventForm.initial_for(event), two_levels=roadmap.has_municipal_level
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.event_update(
                acting_user=request.user,
                event=event,
                title=data["title"],
                content=data["content"],
                deadline_text=data["deadline_text"],
                responsibles=form.responsibles(),
                expected_result=data["expected_result"],
                indicator=data["indicator"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if event.deadline_understood:
                messages.success(request, f"Мероприятие сохранено. Срок: {describe(event.parsed_deadline)}.")
            else:
                messages.warning(
                    request, "Мероприятие сохранено, но срок не распознан: он сохранён как написан."
                )
            return redirect("roadmaps:detail", pk=roadmap.pk)
    return render(request, "roadmaps/event_form.html", {"form": form, "event": event, "roadmap": roadmap})


@login_required
def summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    roadmaps = visible_roadmaps_for(request.user)
    scope_name = "Все доступные дорожные карты"
    organisation_id = request.GET.get("organisation")
    municipality_id = request.GET.get("municipality")
    organisation: Organisation | None = None
    municipality: Municipality | None = None
    if organisation_id:
        organisation = get_organisation_for_user(
            request.user, int(organisation_id) if organisation_id.isdigit() else 0
        )
        roadmaps = roadmaps.filter(organisation=organisation)
        scope_name = organisation.short_name
    elif municipality_id:
        municipality = (
            visible_municipalities_for(request.user).filter(pk=municipality_id).first()
            if municipality_id.isdigit()
            else None
        )
        if municipality is None or not can_oversee_municipality(request.user, municipality):
            raise Http404("Муниципалитет не найден")
        roadmaps = roadmaps.filter(municipality=municipality) | roadmaps.filter(
            organisation__municipality=municipality
        )
        scope_name = municipality.name
    today = local_today()
    total, rows = summary_for(roadmaps, today)
    duty_schools: list[Organisation] = []
    if organisation is not None and can_see_school_duties(request.user, organisation):
        duty_schools = [organisation]
    elif municipality is not None:
        duty_schools = list(schools_of([municipality.pk]))
    return render(
        request,
        "roadmaps/summary.html",
        {
            "total": total,
            "rows": rows,
            "scope_name": scope_name,
            "today": today,
            "school_duties": _duty_summary(duty_schools),
        },
    )


def _duty_summary(schools: list[Organisation]) -> dict[str, Any] | None:
    """«Выполнено X % позиций» of the municipal roadmaps' school duties, per school and in total."""
    if not schools:
        return None
    duties = list(duties_for_schools(schools).values())
    total = sum(d.progress.total for d in duties)
    if not total:
        return None
    done = sum(d.progress.done for d in duties)
    return {"schools": duties, "total": total, "done": done, "percent": round(100 * done / total)}


def _stash_upload(
    request: AuthenticatedHttpRequest, data: bytes, filename: str, owner: str, year: str
) -> str:
    token = hold_upload(data, "roadmap", name=filename)
    stash = request.session.get(_IMPORT_SESSION_KEY, {})
    stash[token] = {"name": filename, "owner": owner, "year": year, "lists": {}, "shift": 0}
    request.session[_IMPORT_SESSION_KEY] = stash
    return token


def _entry(request: AuthenticatedHttpRequest, token: str) -> dict[str, Any]:
    entry = request.session.get(_IMPORT_SESSION_KEY, {}).get(token)
    if not entry:
        raise Http404("Загруженный файл не найден: загрузите его ещё раз.")
    return dict(entry)


def _take_upload(request: AuthenticatedHttpRequest, token: str) -> tuple[bytes, str]:
    entry = request.session.get(_IMPORT_SESSION_KEY, {}).get(token)
    try:
        if not entry:
            raise HeldUploadMissing
        return read_held(token), entry["name"]
    except HeldUploadMissing as exc:
        raise Http404(exc.message) from None


def _drop_upload(request: AuthenticatedHttpRequest, token: str) -> None:
    stash = request.session.get(_IMPORT_SESSION_KEY, {})
    entry = stash.pop(token, None)
    request.session[_IMPORT_SESSION_KEY] = stash
    if entry:
        discard_held(token)


def _import_target(owner: str, year: Period | None) -> Period:
    """The year the roadmap is imported into: the one given, the program's, or the current one."""
    from nastavnik.orgs.models import academic_year_of

    if year is not None:
        return year
    program = resolve_owner(owner).get("program") if owner.startswith("program:") else None
    if program is not None:
        return Period.academic_year(program.academic_year)
    return Period.academic_year(academic_year_of(local_today()))


def _read_for_preview(data: bytes, name: str, entry: dict[str, Any]) -> tuple[RoadmapDraft, int]:
    """The draft as the curator set it up (lists, years moved), and by how many years the document's
    own period is off the year it is imported into (0 when it fits)."""
    year = Period.parse(entry.get("year") or "") if entry.get("year") else None
    choices = entry.get("lists") or {}
    if entry.get("shift"):
        return read_roadmap(data, name, list_choices=choices, shift_years=int(entry["shift"])), 0
    draft = read_roadmap(data, name, period=year, list_choices=choices)
    own = draft.period if year is None else read_roadmap(data, name).period
    target = _import_target(entry.get("owner", ""), year)
    if own is None or own.starts_on <= target.starts_on <= own.ends_on:
        return draft, 0
    return draft, target.starts_on.year - own.starts_on.year


def _render_preview(request: AuthenticatedHttpRequest, token: str, *, partial: bool = False) -> HttpResponse:
    entry = _entry(request, token)
    data, name = _take_upload(request, token)
    try:
        draft, offset = _read_for_preview(data, name, entry)
    except RoadmapImportError as exc:
        messages.error(request, exc.message)
        return redirect("roadmaps:import")
    choices = dict(owner_choices(request.user))
    context = {
        "draft": draft,
        "rows": [(e, describe(e.deadline)) for e in draft.events],
        "token": token,
        "owner": entry.get("owner", ""),
        "owner_label": choices.get(entry.get("owner", ""), ""),
        "year": entry.get("year", ""),
        "filename": name,
        "offset": offset,
        "target": draft.period.shifted(offset) if offset and draft.period else None,
    }
    template = "roadmaps/_import_preview_body.html" if partial else "roadmaps/import_preview.html"
    return render(request, template, context)


@login_required
def roadmap_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload → preview of what was read and not understood → save. Nothing is saved before «Сохранить»."""
    if not owner_choices(request.user):
        raise PermissionDenied("Загружать дорожные карты могут кураторы организаций и муниципалитетов.")
    if request.method == "POST" and request.POST.get("token"):
        return _save_import(request, request.POST["token"])
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            read_roadmap(data, upload.name, period=form.cleaned_data["year"])
        except RoadmapImportError as exc:
            form.add_error("file", exc.message)
        else:
            owner, year = form.cleaned_data["owner"], request.POST.get("year", "")
            token = _stash_upload(request, data, upload.name, owner, year)
            return _render_preview(request, token)
    return render(request, "roadmaps/import_form.html", {"form": form})


def _save_import(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    entry = _entry(request, token)
    data, name = _take_upload(request, token)
    form = ImportForm(
        {"owner": request.POST.get("owner"), "year": request.POST.get("year", "")}, user=request.user
    )
    form.fields["file"].required = False
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("roadmaps:import")
    entry.update(owner=form.cleaned_data["owner"], year=request.POST.get("year", ""))
    try:
        draft, _offset = _read_for_preview(data, name, entry)
        roadmap = services.roadmap_import(
            acting_user=request.user,
            draft=draft,
            period=draft.period if draft.shifted_years else form.cleaned_data["year"],
            source_name=name,
            **resolve_owner(form.cleaned_data["owner"]),
        )
    except (RoadmapImportError, ValidationError) as exc:
        text = exc.message if isinstance(exc, RoadmapImportError) else " ".join(exc.messages)
        messages.error(request, f"Дорожная карта не сохранена: {text}")
        return redirect("roadmaps:import")
    _drop_upload(request, token)
    messages.success(
        request,
        f"Дорожная карта сохранена: {count_ru(roadmap.events.count(), 'мероприятие,мероприятия,мероприятий')}.",
    )
    return redirect("roadmaps:detail", pk=roadmap.pk)


@login_required
def roadmap_import_preview(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The preview of an upload held in this session (after a switch without JavaScript)."""
    if not owner_choices(request.user):
        raise PermissionDenied("Загружать дорожные карты могут кураторы организаций и муниципалитетов.")
    return _render_preview(request, token)


@login_required
@require_POST
def roadmap_import_options(request: AuthenticatedHttpRequest, token: str) -> HttpResponseBase:
    """One click in the preview: a row's list as events or as content; the years moved or not."""
    if not owner_choices(request.user):
        raise PermissionDenied("Загружать дорожные карты могут кураторы организаций и муниципалитетов.")
    entry = _entry(request, token)
    row, choice = request.POST.get("row", ""), request.POST.get("choice", "")
    if row and choice in (SPLIT, WHOLE):
        entry["lists"] = {**(entry.get("lists") or {}), row[:200]: choice}
    if "shift" in request.POST:
        try:
            entry["shift"] = max(-50, min(50, int(request.POST["shift"])))
        except ValueError:
            raise Http404("Неверный сдвиг лет.") from None
    stash = request.session.get(_IMPORT_SESSION_KEY, {})
    stash[token] = entry
    request.session[_IMPORT_SESSION_KEY] = stash
    if request.htmx:
        return _render_preview(request, token, partial=True)
    return redirect("roadmaps:import_preview", token=token)


@login_required
def roadmap_from_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not owner_choices(request.user):
        raise PermissionDenied("Создавать дорожные карты могут кураторы организаций и муниципалитетов.")
    from nastavnik.orgs.models import academic_year_of

    form = TemplateForm(
        request.POST or None, user=request.user, initial={"academic_year": academic_year_of(local_today())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = services.roadmap_create_from_template(
                acting_user=request.user,
                template_key=form.cleaned_data["template"],
                academic_year=form.cleaned_data["academic_year"],
                **resolve_owner(form.cleaned_data["owner"]),
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, "Дорожная карта создана по шаблону: проверьте сроки и ответственных.")
            return redirect("roadmaps:detail", pk=roadmap.pk)
    return render(request, "roadmaps/template_form.html", {"form": form, "blueprints": BLUEPRINTS.values()})


@login_required
@require_POST
def roadmap_roll_over_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roadmap = get_roadmap_for_user(request.user, pk)
    new = services.roadmap_roll_over(acting_user=request.user, roadmap=roadmap)
    messages.success(
        request, "Создана дорожная карта на следующий год: сроки сдвинуты на год, статусы сброшены."
    )
    return redirect("roadmaps:detail", pk=new.pk)


_EXPORTS = {
    "docx": (
        documents.export_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (documents.export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": (documents.export_pdf, "application/pdf"),
}


@login_required
def roadmap_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    roadmap = get_roadmap_for_user(request.user, pk)
    if fmt not in _EXPORTS:
        raise Http404("Такого формата нет")
    make, content_type = _EXPORTS[fmt]
    response = HttpResponse(make(roadmap), content_type=content_type)
    filename = f"roadmap-{roadmap.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
