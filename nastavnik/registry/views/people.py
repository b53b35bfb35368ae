from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import private_file_suffix, serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.history import HistoryLine, history_lines
from nastavnik.base.time import local_today
from nastavnik.orgs.access import (
    can_open_program,
    managed_organisations_for,
    visible_organisations_for,
    visible_programs_for,
)

from ..access import (
    can_manage_person,
    can_see_consent_documents,
    get_consent_for_user,
    get_person_for_user,
    require_manage_person,
    visible_people_for,
)
from ..consents import PURPOSES, consent_state, missing_from_annotations, purposes_text
from ..extensions import collect_card_panels
from ..forms.people import ConsentForm, ConsentRevokeForm, GuardianForm, ParticipationForm, PersonForm
from ..models import Category, Consent, GuardianLink, Participation, Person, PersonKind
from ..selectors.people import (
    PROBLEMS,
    RegistryFilters,
    guardian_links_of,
    participations_of,
    registry_people,
    ward_links_of,
)
from ..services import people as person_services
from .roles import account_context

PAGE_SIZE = 50


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = RegistryFilters.from_query(request.GET)
    today = local_today()
    people = registry_people(request.user, filters, today)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(p, "; ".join(missing_from_annotations(p)), p.age_on(today)) for p in page.object_list]
    organisations = list(visible_organisations_for(request.user).only("pk", "short_name"))
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "organisations": organisations,
        "categories": Category.objects.all(),
        "kinds": PersonKind.choices,
        "grades": range(1, 12),
        "problems": list(PROBLEMS.items()),
        "can_add": managed_organisations_for(request.user).exists(),
        "query_string": request.GET.urlencode(),
        "query_without_page": _without_page(request),
        "class_links": _class_links(request, filters),
    }
    template = "registry/_person_table.html" if request.htmx else "registry/person_list.html"
    return render(request, template, context)


def _class_links(request: AuthenticatedHttpRequest, filters: RegistryFilters) -> list[tuple[int, str, str]]:
    """(organisation id, its short name, class) of the classes of the filtered grade: each class
    has its consent grid. One query, and only when a grade is chosen."""
    if not filters.grade or request.htmx:
        return []
    people = visible_people_for(request.user).filter(kind=PersonKind.STUDENT, grade=filters.grade)
    if filters.organisation:
        people = people.filter(organisation_id=filters.organisation)
    found = (
        people.values_list("organisation_id", "organisation__short_name", "class_letter")
        .distinct()
        .order_by("organisation__short_name", "class_letter")[:60]
    )
    return [(org_id, name, f"{filters.grade}{letter}") for org_id, name, letter in found]


def _without_page(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    today = local_today(person.organisation)
    consents = list(person.consents.select_related("representative", "recorded_by"))
    guardians = list(guardian_links_of(person))
    wards = list(ward_links_of(person))
    participations = list(participations_of(person))
    can_manage = can_manage_person(request.user, person)
    # Cards and programs linked from this card open only for some users: link only those.
    related = [link.guardian_id for link in guardians] + [link.child_id for link in wards]
    openable_people = set(
        visible_people_for(request.user).filter(pk__in=related).values_list("pk", flat=True)
    )
    openable_programs = {p.program_id for p in participations if can_open_program(request.user, p.program)}
    can_see_scans = any(c.document for c in consents) and can_see_consent_documents(request.user, person)
    context = {
        "person": person,
        "age": person.age_on(today),
        "consent": consent_state(person, today, consents),
        "consents": [(c, c.is_active_on(today)) for c in consents],
        "guardians": guardians,
        "wards": wards,
        "participations": participations,
        "categories": list(person.categories.all()),
        "can_manage": can_manage,
        "openable_people": openable_people,
        "openable_programs": openable_programs,
        "can_see_scans": can_see_scans,
        "history": _history(person, consents, guardians, participations) if can_manage else [],
        "card_panels": collect_card_panels(request.user, person),
    }
    context.update(account_context(request.user, person))
    return render(request, "registry/person_detail.html", context)


def _history(
    person: Person,
    consents: list[Consent],
    guardians: list[GuardianLink],
    participations: list[Participation],
) -> list[HistoryLine]:
    """The audit trail of a person's card: the person and the records that hang on it, in Russian."""
    types = ContentType.objects.get_for_models(Person, Consent, GuardianLink, Participation)
    condition = Q(content_type=types[Person], object_pk=str(person.pk))
    for model, objects in ((Consent, consents), (GuardianLink, guardians), (Participation, participations)):
        if objects:
            condition |= Q(content_type=types[model], object_pk__in=[str(o.pk) for o in objects])
    entries = (
        LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp")
    )
    return history_lines(entries[:30], zone=person.organisation.timezone)


@login_required
def person_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations = managed_organisations_for(request.user)
    if not organisations.exists():
        raise PermissionDenied("Добавлять участников могут администрация и кураторы организации.")
    organisation_id = request.POST.get("organisation") or request.GET.get("organisation")
    organisation = (
        organisations.filter(pk=organisation_id).first()
        if organisation_id and str(organisation_id).isdigit()
        else organisations.first()
    )
    if organisation is None:
        raise PermissionDenied
    form = PersonForm(request.POST or None, initial={"kind": request.GET.get("kind") or PersonKind.STUDENT})
    if request.method == "POST" and form.is_valid():
        try:
            person = person_services.person_create(
                acting_user=request.user,
                organisation=organisation,
                categories=form.cleaned_data["categories"],
                **form.service_fields(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, f"{person.full_name} добавлен(а) в базу.")
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "organisation": organisation, "organisations": organisations, "person": None},
    )


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    require_manage_person(request.user, person)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        # The form must not save the instance itself: the service validates, audits and saves.
        person.refresh_from_db()
        try:
            person_services.person_update(
                acting_user=request.user,
                person=person,
                categories=form.cleaned_data["categories"],
                **form.service_fields(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, "Карточка сохранена.")
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "organisation": person.organisation, "person": person},
    )


def _managed_person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied("Недостаточно прав.")
    return person


@login_required
def consent_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    today = local_today(person.organisation)
    initial = {
        "signed_on": today,
        "given_by": "self" if consent_state(person, today).needs_own else "representative",
    }
    form = ConsentForm(request.POST or None, request.FILES or None, subject=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_services.consent_record(
                acting_user=request.user,
                subject=person,
                kind=form.cleaned_data["kind"],
                given_by=form.cleaned_data["given_by"],
                representative=form.cleaned_data["representative"],
                signed_on=form.cleaned_data["signed_on"],
                valid_until=form.cleaned_data["valid_until"],
                purposes=purposes_text(form.cleaned_data["purposes"] or PURPOSES),
                document=form.cleaned_data["document"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, "Согласие записано.")
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_subform.html",
        {"form": form, "person": person, "title": "Согласие на обработку персональных данных"},
    )


@login_required
def consent_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The scan of a consent, for those who may see it; anyone else gets 404."""
    consent = get_consent_for_user(request.user, pk)
    if not consent.document or not can_see_consent_documents(request.user, consent.subject):
        raise Http404("Скан не найден")
    return serve_private_file(
        request, consent.document, f"soglasie-{consent.pk}{private_file_suffix(consent.document)}"
    )


@login_required
@require_POST
def consent_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    consent = get_consent_for_user(request.user, pk)
    person = _managed_person(request, consent.subject_id)
    form = ConsentRevokeForm(request.POST)
    if form.is_valid():
        try:
            person_services.consent_revoke(
                acting_user=request.user,
                consent=consent,
                revoked_on=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Согласие отозвано.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("registry:person_detail", pk=person.pk)


@login_required
def guardian_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = _managed_person(request, pk)
    form = GuardianForm(request.POST or None, organisation=child.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guardian = data["existing"] or person_services.person_create(
                acting_user=request.user,
                organisation=child.organisation,
                kind=PersonKind.PARENT,
                last_name=data["last_name"],
                first_name=data["first_name"],
                middle_name=data["middle_name"],
                phone=data["phone"],
                email=data["email"],
            )
            person_services.guardian_link_add(
                acting_user=request.user, child=child, guardian=guardian, relation=data["relation"]
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, f"{guardian.full_name} указан(а) законным представителем.")
            return redirect("registry:person_detail", pk=child.pk)
    return render(
        request,
        "registry/person_subform.html",
        {
            "form": form,
            "person": child,
            "title": "Законный представитель",
            "hint": "Выберите родителя, который уже есть в базе, или введите данные нового.",
        },
    )


@login_required
def participation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    programs = visible_programs_for(request.user).filter(organisation=person.organisation)
    form = ParticipationForm(request.POST or None, programs=programs, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person_services.participation_add(
                acting_user=request.user,
                program=data["program"],
                person=person,
                role=data["role"],
                details=data["details"],
                tags=data["tags"],
                capacity=data["capacity"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, f"{person.full_name} включен(а) в программу.")
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/participation_form.html", {"form": form, "person": person})
