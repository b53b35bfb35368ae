"""The program's documents: the overview (a municipality's table of what its schools adopted), an
organisation's documents (download DOCX/PDF, its own templates, adoption records), the catalogue
of template fields, and the printing of an individual plan for signature."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.orgs.access import oversees_many_organisations

from . import services
from .access import (
    can_manage_documents,
    documents_organisations_for,
    get_adoption_for_user,
    get_documents_organisation_for_user,
    get_printable_plan,
    get_program_of,
    require_manage_documents,
)
from .builtin import builtin_template
from .context import FIELDS, context_for
from .documents import download_name, render_docx, render_pdf, template_bytes
from .forms import AdoptionForm, TemplateUploadForm
from .models import ADOPTED_KINDS, DocumentKind
from .selectors import (
    adopted_documents,
    adopted_documents_of,
    adoption_history,
    custom_template,
    custom_templates,
    programs_of,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("docx", "pdf")


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _kind(kind: str, allowed: tuple[str, ...] = tuple(DocumentKind.values)) -> str:
    if kind not in allowed:
        raise Http404("Нет такого документа")
    return kind


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = list(documents_organisations_for(request.user).order_by("short_name"))
    if not organisations and not scopes_of(request.user).is_staff_anywhere:
        raise PermissionDenied("Документы программы доступны администрации и кураторам.")
    if len(organisations) == 1 and not oversees_many_organisations(request.user):
        return redirect("programdocs:organisation", pk=organisations[0].pk)
    adopted = adopted_documents_of(o.pk for o in organisations)
    rows = [(o, [adopted.get(o.pk, {}).get(kind) for kind in ADOPTED_KINDS]) for o in organisations]
    kinds = [DocumentKind(k).label for k in ADOPTED_KINDS]
    return render(request, "programdocs/index.html", {"rows": rows, "kinds": kinds})


@login_required
def organisation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_documents_organisation_for_user(request.user, pk)
    program = get_program_of(org, request.GET.get("program"))
    adopted = adopted_documents(org)
    templates = custom_templates(org)
    kinds = [
        {
            "kind": kind,
            "label": DocumentKind(kind).label,
            "adopted": adopted.get(kind),
            "custom": templates.get(kind),
            "adoptable": kind in ADOPTED_KINDS,
            "upload_form": TemplateUploadForm(prefix=kind),
            "adoption_form": AdoptionForm(prefix=kind),
        }
        for kind in DocumentKind.values
    ]
    return render(
        request,
        "programdocs/organisation.html",
        {
            "organisation": org,
            "program": program,
            "programs": programs_of(org),
            "kinds": kinds,
            "history": adoption_history(org),
            "can_manage": can_manage_documents(request.user, org),
        },
    )


@login_required
def generate(request: AuthenticatedHttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    org = get_documents_organisation_for_user(request.user, pk)
    kind = _kind(kind, tuple(ADOPTED_KINDS))
    if fmt not in FORMATS:
        raise Http404("Нет такого формата")
    program = get_program_of(org, request.GET.get("program"))
    if program is None:
        raise Http404("У организации нет программы наставничества")
    adoption = adopted_documents(org).get(kind)
    context = context_for(
        kind,
        org,
        program=program,
        number=adoption.order_number if adoption else "",
        date=adoption.adopted_on if adoption else None,
    )
    template = template_bytes(kind, custom_template(org, kind))
    if fmt == "pdf":
        return _file(
            render_pdf(template, context, DocumentKind(kind).label),
            download_name(kind, "pdf"),
            "application/pdf",
        )
    return _file(render_docx(template, context), download_name(kind, "docx"), DOCX)


@login_required
def template_builtin(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if not documents_organisations_for(request.user).exists():
        raise PermissionDenied("Шаблоны документов доступны администрации и кураторам.")
    kind = _kind(kind)
    return _file(builtin_template(kind), f"Шаблон — {download_name(kind, 'docx')}", DOCX)


@login_required
def template_custom(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponseBase:
    org = get_documents_organisation_for_user(request.user, pk)
    template = custom_template(org, _kind(kind))
    if template is None:
        raise Http404("Своего шаблона нет")
    return serve_private_file(
        request, template.file, f"Шаблон {org.short_name} — {download_name(kind, 'docx')}"
    )


@login_required
@require_POST
def template_upload(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    org = get_documents_organisation_for_user(request.user, pk)
    kind = _kind(kind)
    require_manage_documents(request.user, org)
    form = TemplateUploadForm(request.POST, request.FILES, prefix=kind)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("programdocs:organisation", pk=org.pk)
    try:
        check = services.template_upload(
            acting_user=request.user, organisation=org, kind=kind, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programdocs:organisation", pk=org.pk)
    label = DocumentKind(kind).label
    if not check.ok:
        messages.error(request, f"Шаблон «{label}» не принят. " + " ".join(check.errors))
    else:
        messages.success(request, f"Свой шаблон «{label}» сохранён: документы строятся по нему.")
        if check.missing:
            messages.warning(request, "В шаблоне нет полей встроенного: " + ", ".join(check.missing) + ".")
    return redirect("programdocs:organisation", pk=org.pk)


@login_required
@require_POST
def template_reset(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    org = get_documents_organisation_for_user(request.user, pk)
    services.template_reset(acting_user=request.user, organisation=org, kind=_kind(kind))
    messages.success(request, "Восстановлен встроенный шаблон.")
    return redirect("programdocs:organisation", pk=org.pk)


@login_required
@require_POST
def adoption_create(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    org = get_documents_organisation_for_user(request.user, pk)
    kind = _kind(kind, tuple(ADOPTED_KINDS))
    require_manage_documents(request.user, org)
    form = AdoptionForm(request.POST, request.FILES, prefix=kind)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("programdocs:organisation", pk=org.pk)
    try:
        services.adoption_record(
            acting_user=request.user,
            organisation=org,
            kind=kind,
            program=get_program_of(org, request.POST.get("program")),
            **form.cleaned_data,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Отмечено: «{DocumentKind(kind).label}» принят.")
    return redirect("programdocs:organisation", pk=org.pk)


@login_required
@require_POST
def adoption_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adoption = get_adoption_for_user(request.user, pk)
    services.adoption_set_published(
        acting_user=request.user, adoption=adoption, is_published=request.POST.get("published") == "1"
    )
    return redirect("programdocs:organisation", pk=adoption.organisation_id)


@login_required
def adoption_scan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    adoption = get_adoption_for_user(request.user, pk)
    suffix = adoption.scan.name.rsplit(".", 1)[-1] if adoption.scan else "pdf"
    return serve_private_file(request, adoption.scan, f"{adoption.get_kind_display()} (скан).{suffix}")


@login_required
def fields(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not documents_organisations_for(request.user).exists():
        raise PermissionDenied("Шаблоны документов доступны администрации и кураторам.")
    kinds = [(kind, DocumentKind(kind).label) for kind in DocumentKind.values]
    rows = [(f, [f.applies_to(kind) for kind, _ in kinds]) for f in FIELDS]
    return render(request, "programdocs/fields.html", {"rows": rows, "kinds": kinds})


@login_required
def plan_print(request: AuthenticatedHttpRequest, group_pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Нет такого формата")
    plan = get_printable_plan(request.user, group_pk, request.GET.get("revision"))
    org = plan.group.program.organisation
    kind = DocumentKind.PLAN
    context = context_for(kind, org, plan=plan)
    template = template_bytes(kind, custom_template(org, kind))
    if fmt == "pdf":
        return _file(render_pdf(template, context, plan.title), download_name(kind, "pdf"), "application/pdf")
    return _file(render_docx(template, context), download_name(kind, "docx"), DOCX)
