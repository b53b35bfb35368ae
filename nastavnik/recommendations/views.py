"""Recommendations: give one from a municipal or regional dashboard, the list of a municipality
or region, one recommendation with the schools' answers and the decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.monitoring.scopes import MUNICIPALITY, Scope
from nastavnik.monitoring.selectors import active_indicators, municipality_dashboard

from . import services
from .access import (
    can_answer,
    can_decide,
    can_open_issuer_list,
    can_recommend,
    get_addressee_for_user,
    get_issuer_scope_for_user,
    get_recommendation_for_user,
    issuer_scope_of,
    require_recommend,
)
from .forms import AnswerForm, DecisionForm, RecommendationForm
from .selectors import municipal_roadmap_events, recommendation_with_parts, rows_of, scope_recommendations


def _lagging(request: AuthenticatedHttpRequest, scope: Scope) -> list[Any]:
    """The schools behind their targets and on what (a municipality's dashboard)."""
    if scope.level != MUNICIPALITY:
        return []
    return municipality_dashboard(request.user, scope, scope.today()).behind_rows


def _initial(request: AuthenticatedHttpRequest, lagging: list[Any]) -> dict[str, Any]:
    orgs = request.GET.getlist("org") or [str(row.obj.pk) for row in lagging]
    codes = set(request.GET.getlist("indicator")) or {c.indicator.code for row in lagging for c in row.behind}
    return {"organisations": orgs, "indicators": [str(i.pk) for i in active_indicators() if i.code in codes]}


def _add_errors(form: Any, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def create(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    scope = get_issuer_scope_for_user(request.user, level, pk)
    require_recommend(request.user, scope)
    organisations = list(scope.organisations().order_by("short_name"))
    indicators = active_indicators()
    events = municipal_roadmap_events(request.user, scope)
    lagging = _lagging(request, scope) if request.method == "GET" else []
    form = RecommendationForm(
        request.POST or None,
        initial=_initial(request, lagging),
        organisations=organisations,
        indicators=indicators,
        events=events,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data["organisations"])
        try:
            recommendation = services.recommendation_create(
                acting_user=request.user,
                scope=scope,
                title=data["title"],
                text=data["text"],
                due_on=data["due_on"],
                organisations=[o for o in organisations if str(o.pk) in chosen],
                indicators=[i for i in indicators if str(i.pk) in set(data["indicators"])],
                roadmap_events=[e for e in events if str(e.pk) in set(data.get("roadmap_events") or [])],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Рекомендация направлена: организации увидят её на главной странице.")
            return redirect("recommendations:detail", recommendation.pk)
    return render(request, "recommendations/create.html", {"scope": scope, "form": form, "lagging": lagging})


@login_required
def scope_list(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    scope = get_issuer_scope_for_user(request.user, level, pk)
    recommendations = scope_recommendations(request.user, scope)
    rows = rows_of(request.user, recommendations, scope.today())
    return render(
        request,
        "recommendations/list.html",
        {
            "scope": scope,
            "items": [(r, rows[r.pk]) for r in recommendations],
            "can_recommend": can_recommend(request.user, scope),
        },
    )


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = recommendation_with_parts(request.user, get_recommendation_for_user(request.user, pk))
    rows = rows_of(request.user, [recommendation], issuer_scope_of(recommendation).today())[recommendation.pk]
    answer_forms = {
        row.addressee.pk: AnswerForm(
            initial={
                "answer": row.addressee.answer,
                "actions_done": row.addressee.actions_done,
                "done": row.addressee.status == "done",
            }
        )
        for row in rows
        if can_answer(request.user, row.addressee)
    }
    return render(
        request,
        "recommendations/detail.html",
        {
            "r": recommendation,
            "rows": [(row, answer_forms.get(row.addressee.pk)) for row in rows],
            "decision_form": DecisionForm(
                initial={"decision_kind": recommendation.decision_kind, "decision": recommendation.decision}
            )
            if can_decide(request.user, recommendation)
            else None,
            "events": list(recommendation.roadmap_events.select_related("roadmap")),
            "issuer": issuer_scope_of(recommendation)
            if can_open_issuer_list(request.user, recommendation)
            else None,
        },
    )


def _form_errors(request: AuthenticatedHttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    addressee = get_addressee_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.addressee_answer(acting_user=request.user, addressee=addressee, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Ответ сохранён.")
    else:
        _form_errors(request, form)
    return redirect("recommendations:detail", addressee.recommendation_id)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation_for_user(request.user, pk)
    if not can_decide(request.user, recommendation):
        raise PermissionDenied("Управленческое решение записывает тот, кто дал рекомендацию.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_decide(
                acting_user=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Управленческое решение записано.")
    else:
        _form_errors(request, form)
    return redirect("recommendations:detail", recommendation.pk)
