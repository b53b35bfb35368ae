"""Dashboards, drill-downs, targets and reports. Views only parse the request, ask the access
layer for the scope (404 outside it) and render what the selectors computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.orgs.access import curated_municipalities_for, managed_organisations_for, overseen_regions_for
from nastavnik.orgs.models import academic_year_label, academic_year_of
from nastavnik.roadmaps.school_duties import duties_for_schools, municipality_progress

from . import documents, selectors, services, stages
from .access import can_set_targets, get_scope_for_user, require_manage_targets
from .extensions import collect_program_counts
from .forms import PasteForm, TargetForm
from .models import Indicator, IndicatorTarget
from .quality import program_quality
from .scopes import LEVELS, MUNICIPALITY, ORGANISATION, REGION, Scope, academic_years_around, chosen_date
from .targets_paste import parse_targets

PAGE_SIZE = 50


def _date_context(request: AuthenticatedHttpRequest, scope: Scope) -> tuple[dt.date, dict[str, Any]]:
    today = scope.today()
    day = chosen_date(request.GET, today)
    return day, {
        "scope": scope,
        "day": day,
        "today": today,
        "is_today": day == today,
        "year_label": academic_year_label(academic_year_of(day)),
        "years": [(y, academic_year_label(y)) for y in academic_years_around(today)],
        "chosen_year": request.GET.get("year", ""),
        "can_set_targets": can_set_targets(request.user, scope),
    }


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboards this user may open; straight to the one if there is only one."""
    scopes = scopes_of(request.user)
    if not scopes.is_staff_anywhere:
        raise Http404("Мониторинг доступен администрации, кураторам, муниципалитету и РНЦ.")
    regions = list(overseen_regions_for(request.user))
    municipalities = list(curated_municipalities_for(request.user))
    organisations = list(managed_organisations_for(request.user).order_by("short_name")[:200])
    links = (
        [(reverse("monitoring:region", args=[r.pk]), r.name, "регион") for r in regions]
        + [(reverse("monitoring:municipality", args=[m.pk]), m.name, "муниципалитет") for m in municipalities]
        + [
            (reverse("monitoring:organisation", args=[o.pk]), o.short_name, "организация")
            for o in organisations
        ]
    )
    if len(links) == 1:
        return redirect(links[0][0])
    return render(request, "monitoring/index.html", {"links": links})


@login_required
def organisation_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = get_scope_for_user(request.user, ORGANISATION, pk)
    day, context = _date_context(request, scope)
    context["d"] = selectors.organisation_dashboard(request.user, scope, day)
    context["duty_progress"] = duties_for_schools([scope.obj], day)[scope.pk].progress  # type: ignore[list-item]
    return render(request, "monitoring/organisation.html", context)


@login_required
def municipality_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = get_scope_for_user(request.user, MUNICIPALITY, pk)
    day, context = _date_context(request, scope)
    context["d"] = selectors.municipality_dashboard(request.user, scope, day)
    # the organisations the dashboard has read (not read again for the roadmap's duties)
    context["duty_progress"] = municipality_progress(scope.pk, day, context["d"].units)
    return render(request, "monitoring/overview.html", context)


@login_required
def region_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = get_scope_for_user(request.user, REGION, pk)
    day, context = _date_context(request, scope)
    context["d"] = selectors.region_dashboard(request.user, scope, day)
    return render(request, "monitoring/overview.html", context)


@login_required
def matrix(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    """Every indicator of every unit of a municipality's or region's dashboard: the table its
    «Все показатели» loads when opened, or a page of its own without JS."""
    dashboards = {MUNICIPALITY: selectors.municipality_dashboard, REGION: selectors.region_dashboard}
    if level not in dashboards:
        raise Http404
    scope = get_scope_for_user(request.user, level, pk)
    day, context = _date_context(request, scope)
    context["d"] = dashboards[level](request.user, scope, day)
    if request.htmx:
        return render(request, "monitoring/_matrix.html", context)
    context["dashboard_url"] = f"{_dashboard_url(scope)}?date={day.isoformat()}"
    return render(request, "monitoring/matrix.html", context)


@login_required
def program_counts(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    """«Другие показатели программы» of a dashboard: counted by the apps above monitoring (seven
    queries of theirs, a third of a region's page), so the card below the table is loaded after
    the page (HTMX) rather than in its request; a page of its own without JS."""
    if level not in LEVELS:
        raise Http404
    scope = get_scope_for_user(request.user, level, pk)
    day, context = _date_context(request, scope)
    context["program_counts"] = collect_program_counts(request.user, scope, day)
    if request.htmx:
        return render(request, "monitoring/_program_counts.html", context)
    context["dashboard_url"] = f"{_dashboard_url(scope)}?date={day.isoformat()}"
    return render(request, "monitoring/program_counts.html", context)


@login_required
def stage1(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    """«Мониторинг: этап 1»: satisfaction of the participants, at any level."""
    if level not in LEVELS:
        raise Http404
    scope = get_scope_for_user(request.user, level, pk)
    day, context = _date_context(request, scope)
    context["d"] = stages.stage1(request.user, scope, day)
    context["quality"] = program_quality(request.user, scope, day)
    context["dashboard_url"] = _dashboard_url(scope) + f"?date={day}"
    return render(request, "monitoring/stage1.html", context)


@login_required
def stage2(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    """«Мониторинг: этап 2»: growth of the participants of an organisation, a municipality or a
    region."""
    scope = get_scope_for_user(request.user, level, pk)
    day, context = _date_context(request, scope)
    context["d"] = stages.stage2(request.user, scope, day)
    context["dashboard_url"] = _dashboard_url(scope) + f"?date={day}"
    return render(request, "monitoring/stage2.html", context)


def _dashboard_url(scope: Scope) -> str:
    name = {ORGANISATION: "monitoring:organisation", MUNICIPALITY: "monitoring:municipality"}.get(
        scope.level, "monitoring:region"
    )
    return reverse(name, args=[scope.pk])


@login_required
def people(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The people behind a number (drill-down), through the access layer."""
    scope = get_scope_for_user(request.user, request.GET.get("level", ""), request.GET.get("pk"))
    day, context = _date_context(request, scope)
    filters = selectors.DrillFilters.from_query(request.GET)
    drill = selectors.drill_down(request.user, scope, day, filters)
    page = Paginator(
        drill.people.select_related("organisation").order_by("last_name", "first_name", "middle_name", "pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "drill": drill,
            "page": page,
            "rows": [(p, p.age_on(day)) for p in page.object_list],
            "dashboard_url": _dashboard_url(scope) + f"?date={day}",
            "query_without_page": query.urlencode(),
        }
    )
    return render(request, "monitoring/people.html", context)


@login_required
def targets(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    if level not in LEVELS:
        raise Http404
    scope = get_scope_for_user(request.user, level, pk)
    can_set = can_set_targets(request.user, scope)
    form = TargetForm(initial={"year": scope.today().year})
    paste_form = PasteForm()
    preview = None
    if request.method == "POST":
        require_manage_targets(request.user, scope)
        action = request.POST.get("action")
        if action == "set":
            form = TargetForm(request.POST)
            if form.is_valid():
                try:
                    services.target_set(
                        acting_user=request.user,
                        scope=scope,
                        indicator=form.cleaned_data["indicator"],
                        year=form.cleaned_data["year"],
                        value=form.cleaned_data["value"],
                    )
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    messages.success(request, "Целевое значение сохранено.")
                    return redirect(request.path)
        elif action in {"preview", "save"}:
            paste_form = PasteForm(request.POST)
            if paste_form.is_valid():
                preview = parse_targets(
                    paste_form.cleaned_data["text"], list(Indicator.objects.filter(is_active=True))
                )
                if action == "save" and preview.matched:
                    written = services.targets_import(acting_user=request.user, scope=scope, table=preview)
                    messages.success(request, f"Сохранено целевых значений: {written}.")
                    return redirect(request.path)
    existing = list(selectors.scope_targets(scope))
    years = sorted({t.year for t in existing})
    table: dict[int, dict[int, IndicatorTarget]] = {}
    for target in existing:
        table.setdefault(target.indicator_id, {})[target.year] = target
    indicators = list(Indicator.objects.filter(is_active=True))
    rows = [(i, [table.get(i.pk, {}).get(y) for y in years]) for i in indicators]
    return render(
        request,
        "monitoring/targets.html",
        {
            "scope": scope,
            "can_set": can_set,
            "form": form,
            "paste_form": paste_form,
            "preview": preview,
            "years": years,
            "rows": rows,
            "dashboard_url": _dashboard_url(scope),
        },
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def annual_report(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    scope = get_scope_for_user(request.user, ORGANISATION, pk)
    day = chosen_date(request.GET, scope.today())
    report = documents.annual_report(request.user, scope, day)
    stem = f"annual-report-{pk}-{day.isoformat()}"
    if fmt == "docx":
        return _attachment(documents.annual_report_docx(report), DOCX, f"{stem}.docx")
    if fmt == "pdf":
        return _attachment(documents.annual_report_pdf(report), "application/pdf", f"{stem}.pdf")
    if fmt == "html":
        return HttpResponse(documents.annual_report_html(report))
    raise Http404


@login_required
def municipal_base(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = get_scope_for_user(request.user, MUNICIPALITY, pk)
    day = chosen_date(request.GET, scope.today())
    return _attachment(documents.municipal_base_xlsx(request.user, scope, day), XLSX, f"base-{pk}-{day}.xlsx")


@login_required
def statistics(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    if level not in LEVELS:
        raise Http404
    scope = get_scope_for_user(request.user, level, pk)
    day = chosen_date(request.GET, scope.today())
    if scope.level == ORGANISATION:
        cells = selectors.organisation_dashboard(request.user, scope, day).cells
    elif scope.level == MUNICIPALITY:
        cells = selectors.municipality_dashboard(request.user, scope, day).total
    else:
        cells = selectors.region_dashboard(request.user, scope, day).total
    content = documents.statistics_xlsx(request.user, scope, day, cells)
    return _attachment(content, XLSX, f"statistics-{level}-{pk}-{day}.xlsx")
