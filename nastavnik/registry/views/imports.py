"""Import of people from a class list (upload → mapping and preview → import) and export of the
registry to XLSX. Thin views: reading, validation and writing live in `people_import`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.text import quoted
from nastavnik.base.time import local_today
from nastavnik.base.uploads import HeldUploadMissing, discard_held, hold_upload, read_held
from nastavnik.orgs.access import managed_organisations_for
from nastavnik.orgs.models import Organisation

from ..access import get_import_job_for_user
from ..documents import registry_export_xlsx
from ..forms.imports import ImportMappingForm, ImportUploadForm
from ..people_import import (
    ImportFileError,
    ImportRejected,
    ImportTable,
    analyse,
    auto_mapping,
    people_import,
    read_table,
    table_as_json,
    table_from_json,
)
from ..selectors.people import RegistryFilters, registry_people
from ..services.imports import import_job_restart, import_job_start

SESSION_KEY = "people_import"
DONE_KEY = "people_import_done"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _discard(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state:
        discard_held(state["token"])
        _discard_table(state)


def _discard_table(state: dict[str, Any]) -> None:
    if state.get("table_token"):
        discard_held(state["table_token"])


def _current(request: AuthenticatedHttpRequest) -> tuple[dict[str, Any], Organisation, ImportTable] | None:
    """The import in progress in this session: its state, organisation and table."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    organisation = get_object_or_404(managed_organisations_for(request.user), pk=state["organisation_id"])
    try:
        if state.get("table_token"):  # the table as read at upload
            table = table_from_json(read_held(state["table_token"]))
        else:
            table = read_table(state["filename"], read_held(state["token"]))
    except (ImportFileError, HeldUploadMissing) as exc:
        messages.error(request, str(exc))
        _discard(request)
        return None
    return state, organisation, table


@login_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = managed_organisations_for(request.user)
    if not organisations.exists():
        raise PermissionDenied("Загружать списки могут администрация организации и кураторы программ.")
    form = ImportUploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        filename = form.cleaned_data["file"].name
        table_json = table_as_json(form.cleaned_data["table"])
        request.session[SESSION_KEY] = {
            "token": hold_upload(form.cleaned_data["data"], "class-list", name=filename),
            "table_token": table_json and hold_upload(table_json, "class-list-table", name="table.json"),
            "filename": filename,
            "organisation_id": form.cleaned_data["organisation"].pk,
            "default_kind": form.cleaned_data["default_kind"],
            "skip_existing": True,
            "mapping": None,
        }
        return redirect("registry_import:preview")
    return render(request, "registry/import_upload.html", {"form": form})


@login_required
def import_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = _current(request)
    if current is None:
        return redirect("registry_import:upload")
    state, organisation, table = current
    if state["mapping"] is None:
        state["mapping"] = auto_mapping(table)
    state["rows"] = len(table.rows)  # a long list is confirmed without reading it again
    request.session.modified = True
    mapping = {key: int(index) for key, index in state["mapping"].items()}
    initial = {"default_kind": state["default_kind"], "skip_existing": state["skip_existing"]}
    if request.method == "POST":
        form = ImportMappingForm(request.POST, table=table, mapping=mapping, initial=initial)
        if form.is_valid():
            state.update(
                mapping=form.mapping(),
                default_kind=form.cleaned_data["default_kind"],
                skip_existing=form.cleaned_data["skip_existing"],
            )
            request.session.modified = True
            return redirect("registry_import:preview")
    else:
        form = ImportMappingForm(table=table, mapping=mapping, initial=initial)
    preview = analyse(
        table,
        mapping,
        organisation=organisation,
        default_kind=state["default_kind"],
        skip_existing=state["skip_existing"],
    )
    context = {
        "form": form,
        "preview": preview,
        "organisation": organisation,
        "filename": state["filename"],
        "display_rows": preview.display_rows(),
    }
    return render(request, "registry/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.session.get(SESSION_KEY)
    if state and state["mapping"] is not None and state.get("rows", 0) > settings.IMPORT_BACKGROUND_ROWS:
        organisation = get_object_or_404(managed_organisations_for(request.user), pk=state["organisation_id"])
        return _confirm_in_background(request, state, organisation, state["rows"])
    current = _current(request)
    if current is None or current[0]["mapping"] is None:
        return redirect("registry_import:upload")
    state, organisation, table = current
    try:
        result = people_import(
            acting_user=request.user,
            organisation=organisation,
            table=table,
            mapping={key: int(index) for key, index in state["mapping"].items()},
            default_kind=state["default_kind"],
            skip_existing=state["skip_existing"],
        )
    except ImportRejected as exc:
        messages.error(
            request,
            f"Ничего не загружено: ошибок в файле — {len(exc.problems)}. Исправьте их и загрузите файл снова.",
        )
        return redirect("registry_import:preview")
    _discard(request)
    request.session[DONE_KEY] = {
        "summary": result.summary(),
        "total": result.total,
        "organisation": quoted(organisation.short_name),
    }
    return redirect("registry_import:done")


def _confirm_in_background(
    request: AuthenticatedHttpRequest, state: dict[str, Any], organisation: Organisation, rows: int
) -> HttpResponse:
    """A long list: the task runner imports it; the held file is now the job's."""
    job = import_job_start(
        acting_user=request.user,
        organisation=organisation,
        token=state["token"],
        filename=state["filename"],
        mapping={key: int(index) for key, index in state["mapping"].items()},
        default_kind=state["default_kind"],
        skip_existing=state["skip_existing"],
        rows_total=rows,
    )
    request.session.pop(SESSION_KEY, None)
    _discard_table(state)  # the job reads the file itself
    return redirect("registry_import:job", pk=job.pk)


@login_required
def import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress (polled by HTMX while it runs) and its outcome."""
    job = get_import_job_for_user(request.user, pk)
    template = "registry/_import_job.html" if request.htmx else "registry/import_job.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def import_job_restart_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start again an import that has lost its task (the page offers it only then)."""
    job = get_import_job_for_user(request.user, pk)
    try:
        import_job_restart(acting_user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Загрузка запущена заново.")
    return redirect("registry_import:job", pk=job.pk)


@login_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest) -> HttpResponse:
    _discard(request)
    return redirect("registry_import:upload")


@login_required
def import_done(request: AuthenticatedHttpRequest) -> HttpResponse:
    result = request.session.pop(DONE_KEY, None)
    if result is None:
        return redirect("registry_import:upload")
    return render(request, "registry/import_done.html", {"result": result})


@login_required
def registry_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The people the user may see, with the registry list's filters (GET), as XLSX."""
    today = local_today()
    people = registry_people(request.user, RegistryFilters.from_query(request.GET), today)
    response = HttpResponse(registry_export_xlsx(people), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="uchastniki-{today:%Y-%m-%d}.xlsx"'
    return response
