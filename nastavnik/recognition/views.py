"""Recognition pages: the ranking, the procedure, assessments and nominations, competitions,
orders and awards, the documents and the card panel. Views parse the request, ask the access
layer and call services; they compute nothing themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.mentoring.access import visible_groups_for
from nastavnik.monitoring.scopes import ORGANISATION, Scope, academic_years_around
from nastavnik.orgs.access import (
    curated_municipalities_for,
    managed_organisations_for,
    overseen_organisations_for,
)
from nastavnik.orgs.models import Organisation, academic_year_label, academic_year_of
from nastavnik.registry.access import get_person_for_user

from . import documents, selectors, services
from .access import (
    award_kinds_for,
    can_manage_recognition,
    can_see_ranking_of,
    can_see_recognition_of,
    get_award_for_user,
    get_award_order_for_user,
    get_competition_for_user,
    get_recognition_scope_for_user,
    mentors_of_organisation,
    require_manage_recognition,
)
from .forms import (
    AssessmentForm,
    AwardForm,
    AwardKindForm,
    AwardOrderForm,
    CompetitionForm,
    NominationForm,
    ProcedureForm,
)
from .models import CertificateKind
from .ranking import build_ranking, procedure_for

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FORMATS = {"docx": DOCX, "pdf": PDF}


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404("Формат не поддерживается")
    return fmt


def _year(request: AuthenticatedHttpRequest, scope: Scope) -> int:
    raw = request.GET.get("year", "")
    current = academic_year_of(scope.today())
    if raw.isdigit() and 2000 <= int(raw) <= current:
        return int(raw)
    return current


def _context(request: AuthenticatedHttpRequest, scope: Scope, tab: str, **extra: Any) -> dict[str, Any]:
    year = _year(request, scope)
    return {
        "scope": scope,
        "tab": tab,
        "year": year,
        "year_label": academic_year_label(year),
        "years": [(y, academic_year_label(y)) for y in academic_years_around(scope.today())],
        "can_manage": can_manage_recognition(request.user, scope),
        "is_organisation": scope.level == ORGANISATION,
        **extra,
    }


def _organisation_scope(request: AuthenticatedHttpRequest, pk: int) -> tuple[Scope, Organisation]:
    scope = get_recognition_scope_for_user(request.user, ORGANISATION, pk)
    assert isinstance(scope.obj, Organisation)
    return scope, scope.obj


def _saved(action: Callable[[], Any], request: AuthenticatedHttpRequest, success: str) -> bool:
    """Run a service; a flash message either way; whether it succeeded."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Straight to the user's organisation or municipality; a list when there are several."""
    if not scopes_of(request.user).is_staff_anywhere:
        raise Http404("Признание наставников доступно администрации, кураторам и муниципалитету.")
    organisations = list(managed_organisations_for(request.user).order_by("short_name")[:200])
    municipalities = list(curated_municipalities_for(request.user))
    if not organisations and not municipalities:
        organisations = list(overseen_organisations_for(request.user).order_by("short_name")[:200])
    links = [
        (reverse("recognition:ranking", args=["municipality", m.pk]), m.name) for m in municipalities
    ] + [(reverse("recognition:ranking", args=["organisation", o.pk]), o.short_name) for o in organisations]
    if len(links) == 1:
        return redirect(links[0][0])
    return render(request, "recognition/index.html", {"links": links})


@login_required
def ranking(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    scope = get_recognition_scope_for_user(request.user, level, pk)
    context = _context(request, scope, "ranking")
    context["ranking"] = build_ranking(request.user, scope, context["year"])
    return render(request, "recognition/ranking.html", context)


@login_required
def procedure(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    scope = get_recognition_scope_for_user(request.user, level, pk)
    current = procedure_for(scope)
    own = current if current is not None and getattr(current, scope.level + "_id") == scope.pk else None
    form = ProcedureForm(request.POST or None, procedure=own or current)
    if request.method == "POST":
        require_manage_recognition(request.user, scope)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("weight_")}
            if _saved(
                lambda: services.procedure_save(
                    acting_user=request.user, scope=scope, weights=form.weights(), **data
                ),
                request,
                "Порядок сохранён.",
            ):
                return redirect("recognition:procedure", level, pk)
        else:
            messages.error(request, form_errors_as_text(form))
    context = _context(request, scope, "procedure", procedure=current, own=own, form=form)
    if current is not None:
        context["data"] = documents.procedure_data(current)
    return render(request, "recognition/procedure.html", context)


@login_required
def procedure_download(request: AuthenticatedHttpRequest, level: str, pk: int, fmt: str) -> HttpResponse:
    scope = get_recognition_scope_for_user(request.user, level, pk)
    current = procedure_for(scope)
    if current is None:
        raise Http404("Порядок не утверждён")
    data = documents.procedure_data(current)
    build = documents.procedure_docx if _format(fmt) == "docx" else documents.procedure_pdf
    return _attachment(build(data), fmt, f"poryadok-luchshiy-nastavnik-{scope.level}-{scope.pk}")


@login_required
def assessments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The curator's assessments and the nominations of the organisation's mentors for a year."""
    scope, organisation = _organisation_scope(request, pk)
    mentors = mentors_of_organisation(request.user, organisation)
    assessment_form = AssessmentForm(request.POST if "score" in request.POST else None, mentors=mentors)
    nomination_form = NominationForm(
        request.POST if "nominator_name" in request.POST else None, mentors=mentors
    )
    year = _year(request, scope)
    if request.method == "POST":
        require_manage_recognition(request.user, scope)
        form = assessment_form if "score" in request.POST else nomination_form
        if not form.is_valid():
            messages.error(request, form_errors_as_text(form))
        elif form is assessment_form:
            _saved(
                lambda: services.assessment_save(acting_user=request.user, year=year, **form.cleaned_data),
                request,
                "Оценка сохранена.",
            )
            return redirect(reverse("recognition:assessments", args=[pk]) + f"?year={year}")
        else:
            _saved(
                lambda: services.nomination_add(acting_user=request.user, **form.cleaned_data),
                request,
                "Выдвижение записано.",
            )
            return redirect(reverse("recognition:assessments", args=[pk]) + f"?year={year}")
    context = _context(
        request,
        scope,
        "assessments",
        mentors=selectors.mentor_sheet(request.user, organisation, year),
        assessment_form=assessment_form,
        nomination_form=nomination_form,
    )
    return render(request, "recognition/assessments.html", context)


@login_required
def competitions(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    scope = get_recognition_scope_for_user(request.user, level, pk)
    form = None
    if scope.level == ORGANISATION:
        assert isinstance(scope.obj, Organisation)
        organisation = scope.obj
        groups = (
            visible_groups_for(request.user)
            .filter(program__organisation=organisation)
            .select_related("mentor__person", "program")
            .prefetch_related("memberships__mentee__person")
            .order_by("-program__academic_year", "mentor__person__last_name", "pk")
        )
        form = CompetitionForm(
            request.POST or None,
            request.FILES or None,
            mentors=mentors_of_organisation(request.user, organisation),
            groups=groups,
        )
        if request.method == "POST":
            require_manage_recognition(request.user, scope)
            if form.is_valid():
                if _saved(
                    lambda: services.competition_add(
                        acting_user=request.user, organisation=organisation, **form.cleaned_data
                    ),
                    request,
                    "Участие в конкурсе записано.",
                ):
                    return redirect("recognition:competitions", level, pk)
            else:
                messages.error(request, form_errors_as_text(form))
    context = _context(request, scope, "competitions", form=form)
    context["entries"] = list(selectors.scope_competitions(request.user, scope, context["year"]))
    context["participants"] = selectors.competition_participant_count(scope, context["year"])
    return render(request, "recognition/competitions.html", context)


@login_required
def diploma(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    entry = get_competition_for_user(request.user, pk)
    suffix = entry.diploma.name.rsplit(".", 1)[-1] if entry.diploma else "pdf"
    return serve_private_file(request, entry.diploma, f"diplom-{entry.pk}.{suffix}")


@login_required
@require_POST
def competition_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_competition_for_user(request.user, pk)
    services.competition_delete(acting_user=request.user, entry=entry)
    messages.success(request, "Запись об участии в конкурсе удалена.")
    return redirect("recognition:competitions", ORGANISATION, entry.organisation_id)


@login_required
def awards(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Orders «О поощрении наставников» of the organisation and its forms of encouragement."""
    scope, organisation = _organisation_scope(request, pk)
    order_form = AwardOrderForm(request.POST if "signed_on" in request.POST else None)
    kind_form = AwardKindForm(request.POST if "clause" in request.POST else None)
    if request.method == "POST":
        require_manage_recognition(request.user, scope)
        form = order_form if "signed_on" in request.POST else kind_form
        if not form.is_valid():
            messages.error(request, form_errors_as_text(form))
        elif form is order_form:
            try:
                order = services.award_order_create(
                    acting_user=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                return redirect("recognition:order", order.pk)
        elif _saved(
            lambda: services.award_kind_add(
                acting_user=request.user, organisation=organisation, **form.cleaned_data
            ),
            request,
            "Форма поощрения добавлена.",
        ):
            return redirect("recognition:awards", pk)
    context = _context(
        request,
        scope,
        "awards",
        orders=list(selectors.organisation_orders(request.user, organisation)),
        kinds=list(award_kinds_for(organisation)),
        order_form=order_form,
        kind_form=kind_form,
    )
    return render(request, "recognition/awards.html", context)


@login_required
def order(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    award_order = get_award_order_for_user(request.user, pk)
    organisation = award_order.organisation
    scope = get_recognition_scope_for_user(request.user, ORGANISATION, organisation.pk)
    form = AwardForm(
        request.POST or None,
        mentors=mentors_of_organisation(request.user, organisation),
        kinds=award_kinds_for(organisation),
    )
    if request.method == "POST":
        require_manage_recognition(request.user, scope)
        if form.is_valid():
            if _saved(
                lambda: services.award_add(acting_user=request.user, order=award_order, **form.cleaned_data),
                request,
                "Поощрение добавлено в приказ.",
            ):
                return redirect("recognition:order", pk)
        else:
            messages.error(request, form_errors_as_text(form))
    awards_list = selectors.order_awards(award_order)
    context = _context(
        request,
        scope,
        "awards",
        order=award_order,
        awards=awards_list,
        clauses=[documents.award_clause(a) for a in awards_list],
        form=form,
        certificate_none=CertificateKind.NONE,
    )
    return render(request, "recognition/order.html", context)


@login_required
def order_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    award_order = get_award_order_for_user(request.user, pk)
    data = documents.order_data(award_order, selectors.order_awards(award_order))
    build = documents.order_docx if _format(fmt) == "docx" else documents.order_pdf
    return _attachment(build(data), fmt, f"prikaz-pooshchrenie-{award_order.pk}")


@login_required
@require_POST
def award_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    award = get_award_for_user(request.user, pk)
    services.award_delete(acting_user=request.user, award=award)
    messages.success(request, "Поощрение исключено из приказа.")
    return redirect("recognition:order", award.order_id)


@login_required
def certificate_download(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    award = get_award_for_user(request.user, pk)
    if award.kind.certificate == CertificateKind.NONE:
        raise Http404("У этой формы поощрения нет документа для награждённого")
    data = documents.certificate_data(award)
    build = documents.certificate_docx if _format(fmt) == "docx" else documents.certificate_pdf
    return _attachment(build(data), fmt, f"gramota-{award.pk}")


@login_required
def person_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The card's panel: the mentor's awards and competitions; the ranking place for staff."""
    person = get_person_for_user(request.user, pk)
    if not can_see_recognition_of(request.user, person):
        raise Http404("Нет данных")
    place = None
    if can_see_ranking_of(request.user, person):
        scope = get_recognition_scope_for_user(request.user, ORGANISATION, person.organisation_id)
        ranking_data = build_ranking(request.user, scope, academic_year_of(scope.today()))
        place = (ranking_data, ranking_data.entry_of(person.pk))
    context = {
        "person": person,
        "awards": list(selectors.person_awards(request.user, person)),
        "entries": list(selectors.person_competitions(request.user, person)),
        "place": place,
        "certificate_none": CertificateKind.NONE,
    }
    return render(request, "recognition/_person_panel.html", context)
