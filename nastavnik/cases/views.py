from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import require
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import private_file_suffix, serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.time import local_today, today_in
from nastavnik.mentoring.access import get_group_for_user

from . import access, documents, selectors, services
from .forms import AcceptForm, BankFilterForm, CaseForm, CollectionForm, MaterialForm, PublishForm, ReturnForm
from .models import Case
from .prefill import prefill_for
from .publicity import case_text, missing_consents, shown_people

PAGE_SIZE = 20
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(form: BankFilterForm) -> selectors.BankFilters:
    if not form.is_valid():
        return selectors.BankFilters()
    data = form.cleaned_data
    return selectors.BankFilters(
        text=data["q"].strip(),
        form=data["form"],
        topic=data["topic"].strip(),
        category=data["category"],
        year=data["year"],
        level=data["level"],
        status=data["status"],
    )


@login_required
def bank(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The searchable bank of cases the user sees (school, municipality, region, own)."""
    require(access.can_open_bank(request.user), "Банк практик открыт сотрудникам и наставникам.")
    form = BankFilterForm(
        request.GET or None,
        years=selectors.case_years(request.user),
        topics=selectors.case_topics(request.user),
    )
    page = Paginator(selectors.bank_cases(request.user, _filters(form)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    regions = list(access.collection_regions_for(request.user)[:5])
    return render(
        request,
        "cases/bank.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "awaiting": list(selectors.groups_awaiting_case(request.user)[:20]),
            "regions": regions,
        },
    )


@login_required
def case_new(request: AuthenticatedHttpRequest, group_pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, group_pk)
    access.require_write_case_for_group(request.user, group)
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_create(acting_user=request.user, group=group, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Черновик кейса сохранён.")
                return redirect("cases:detail", pk=case.pk)
    else:
        draft = prefill_for(group)
        form = CaseForm(initial={name: getattr(draft, name) for name in services.CASE_FIELDS})
    return render(request, "cases/case_form.html", {"form": form, "group": group, "case": None})


@login_required
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    access.require_edit_case(request.user, case)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(acting_user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Кейс сохранён.")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "group": case.group, "case": case})


@login_required
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    day = local_today(case.organisation)
    people = shown_people(case)
    missing = missing_consents(case, day)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "people": people,
            "missing": missing,
            "public_text": case_text(case, day),
            "history": selectors.case_history(case),
            "materials": case.materials.all(),
            "can_edit": access.can_edit_case(request.user, case),
            "can_review": access.can_review_case(request.user, case),
            "can_publish": access.can_publish_case(request.user, case),
            "review_level": access.review_level(case),
            "material_form": MaterialForm(),
            "return_form": ReturnForm(),
            "accept_form": AcceptForm(),
        },
    )


def _act(
    request: AuthenticatedHttpRequest, case: Case, action: Any, done: str, **kwargs: Any
) -> HttpResponse:
    try:
        action(acting_user=request.user, case=case, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def case_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    return _act(request, case, services.case_submit, "Кейс отправлен на рассмотрение в организацию.")


@login_required
@require_POST
def case_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    form = AcceptForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(request, case, services.case_accept, "Кейс принят.", comment=comment)


@login_required
@require_POST
def case_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("cases:detail", pk=case.pk)
    return _act(
        request,
        case,
        services.case_return,
        "Кейс возвращён на доработку.",
        comment=form.cleaned_data["comment"],
    )


@login_required
@require_POST
def case_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    form = PublishForm(request.POST)
    named = form.is_valid() and form.cleaned_data["named"]
    return _act(
        request, case, services.case_publish, "Кейс опубликован на странице «Наставничество».", named=named
    )


@login_required
@require_POST
def case_unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    return _act(request, case, services.case_unpublish, "Кейс снят с публикации.")


@login_required
@require_POST
def material_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_as_text(form))
        return redirect("cases:detail", pk=case.pk)
    try:
        services.material_add(acting_user=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, "Файл: " + " ".join(error.messages))
    else:
        messages.success(request, "Материал добавлен.")
    return redirect("cases:detail", pk=case.pk)


@login_required
def material_file(request: AuthenticatedHttpRequest, pk: int, material_pk: int) -> HttpResponseBase:
    case = access.get_case_for_user(request.user, pk)
    material = access.get_material_for_user(request.user, case, material_pk)
    return serve_private_file(request, material.file, f"{material.title}{private_file_suffix(material.file)}")


@login_required
def collection(request: AuthenticatedHttpRequest, region_pk: int) -> HttpResponse:
    """The year's collection of the region's accepted cases, as DOCX or PDF (the regional centre)."""
    region = access.get_collection_region_for_user(request.user, region_pk)
    form = CollectionForm(request.GET, years=selectors.case_years(request.user) or [today_in().year])
    if not form.is_valid():
        raise PermissionDenied("Выберите учебный год сборника.")
    year = form.cleaned_data["year"]
    day = today_in(region.timezone)
    built = documents.build_collection(region, year, selectors.collection_cases(region, year), day)
    name = f"Сборник лучших практик наставничества {year}-{year + 1}"
    if request.GET.get("fmt") == "pdf":
        response = HttpResponse(documents.collection_pdf(built), content_type="application/pdf")
        name += ".pdf"
    else:
        response = HttpResponse(documents.collection_docx(built), content_type=DOCX_TYPE)
        name += ".docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
