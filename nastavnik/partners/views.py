"""Partners' pages: the list (with the agreements due for renewal), the list of agreements, a
partner's card (agreements, employees, making an employee a mentor), the forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.files import serve_private_file
from nastavnik.base.forms import form_errors_as_text
from nastavnik.registry.access import can_manage_person, get_person_for_user

from . import services
from .access import (
    can_manage_partner,
    can_register_partners,
    employee_organisations_for,
    get_agreement_for_user,
    get_employee_for_user,
    get_partner_for_user,
    owner_choices_for,
    require_manage_partner,
    user_today,
)
from .forms import AgreementForm, EmployeeForm, MentorForm, PartnerForm
from .selectors import (
    agreement_list,
    employment_of,
    partner_agreements,
    partner_employees,
    partner_list,
    programs_for_employee,
    renewal_due_for,
)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def partner_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    partners = list(partner_list(request.user))
    if not partners and not can_register_partners(request.user):
        raise PermissionDenied("Партнёров ведут администрация и кураторы.")
    return render(
        request,
        "partners/list.html",
        {
            "partners": partners,
            "due": renewal_due_for(request.user, user_today(request.user)),
            "can_register": can_register_partners(request.user),
        },
    )


@login_required
def agreement_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    day = user_today(request.user)
    agreements = [(a, a.state_label(day)) for a in agreement_list(request.user)]
    return render(request, "partners/agreements.html", {"agreements": agreements})


@login_required
def partner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisations, municipalities = owner_choices_for(request.user)
    owners = [(f"o{o.pk}", o.short_name) for o in organisations] + [
        (f"m{m.pk}", f"{m.name} (муниципалитет)") for m in municipalities
    ]
    if not owners:
        raise PermissionDenied(
            "Вносить партнёров могут администрация и кураторы организации или муниципалитета."
        )
    form = PartnerForm(request.POST or None)
    owner = request.POST.get("owner") or owners[0][0]
    if request.method == "POST" and form.is_valid():
        choice = {key: key for key, _ in owners}.get(owner)
        try:
            if choice is None:
                raise ValidationError("Выберите, чей это партнёр.")
            pk = int(choice[1:])
            partner = services.partner_create(
                acting_user=request.user,
                owner_organisation=organisations.get(pk=pk) if choice[0] == "o" else None,
                owner_municipality=municipalities.get(pk=pk) if choice[0] == "m" else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Партнёр внесён.")
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "owners": owners, "owner": owner})


@login_required
def partner_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    require_manage_partner(request.user, partner)
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        partner.refresh_from_db()
        try:
            services.partner_update(acting_user=request.user, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Сведения о партнёре сохранены.")
            return redirect("partners:detail", pk=partner.pk)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner})


@login_required
def partner_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    day = user_today(request.user)
    can_manage = can_manage_partner(request.user, partner)
    organisations = employee_organisations_for(request.user, partner)
    programs = programs_for_employee(organisations)
    employees = [(e, MentorForm(programs=programs, prefix=f"e{e.pk}")) for e in partner_employees(partner)]
    return render(
        request,
        "partners/detail.html",
        {
            "partner": partner,
            "agreements": [(a, a.state_label(day)) for a in partner_agreements(partner)],
            "employees": employees,
            "can_manage": can_manage,
            "can_add_employees": organisations.exists(),
            "agreement_form": AgreementForm(),
            "employee_form": EmployeeForm(organisations=organisations),
        },
    )


@login_required
@require_POST
def agreement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    require_manage_partner(request.user, partner)
    form = AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agreement_create(
                acting_user=request.user,
                partner=partner,
                scan=form.cleaned_data["scan"] or None,
                **form.service_fields(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Соглашение внесено.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("partners:detail", pk=partner.pk)


@login_required
def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, pk)
    require_manage_partner(request.user, agreement.partner)
    form = AgreementForm(request.POST or None, request.FILES or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        agreement.refresh_from_db()
        try:
            services.agreement_update(
                acting_user=request.user,
                agreement=agreement,
                scan=request.FILES.get("scan"),
                **form.service_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Соглашение сохранено.")
            return redirect("partners:detail", pk=agreement.partner_id)
    return render(request, "partners/agreement_form.html", {"form": form, "agreement": agreement})


@login_required
def agreement_scan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    agreement = get_agreement_for_user(request.user, pk)
    suffix = agreement.scan.name.rsplit(".", 1)[-1] if agreement.scan else "pdf"
    return serve_private_file(request, agreement.scan, f"Соглашение № {agreement.number}.{suffix}")


@login_required
@require_POST
def employee_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    form = EmployeeForm(request.POST, organisations=employee_organisations_for(request.user, partner))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            employee = services.employee_add(
                acting_user=request.user,
                partner=partner,
                organisation=data.pop("organisation"),
                is_contact=data.pop("is_contact"),
                **data,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{employee.person.full_name} внесён(а) в базу как сотрудник партнёра.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("partners:detail", pk=partner.pk)


@login_required
@require_POST
def employee_contact(request: AuthenticatedHttpRequest, pk: int, employee_pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    employee = get_employee_for_user(request.user, partner, employee_pk)
    services.employee_set_contact(
        acting_user=request.user, employee=employee, is_contact=request.POST.get("is_contact") == "1"
    )
    return redirect("partners:detail", pk=partner.pk)


@login_required
@require_POST
def employee_mentor(request: AuthenticatedHttpRequest, pk: int, employee_pk: int) -> HttpResponse:
    partner = get_partner_for_user(request.user, pk)
    employee = get_employee_for_user(request.user, partner, employee_pk)
    organisations = employee_organisations_for(request.user, partner).filter(
        pk=employee.person.organisation_id
    )
    form = MentorForm(request.POST, programs=programs_for_employee(organisations), prefix=f"e{employee.pk}")
    if form.is_valid():
        try:
            services.employee_make_mentor(acting_user=request.user, employee=employee, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{employee.person.full_name} — кандидат в наставники программы «{form.cleaned_data['program'].title}».",
            )
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("partners:detail", pk=partner.pk)


def _linkable_partners(request: AuthenticatedHttpRequest, person: Any) -> list[Any]:
    return [
        p
        for p in partner_list(request.user)
        if employee_organisations_for(request.user, p).filter(pk=person.organisation_id).exists()
    ]


@login_required
def person_panel(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    """The panel on a partner employee's card: his partner, and (for the school's staff) linking."""
    person = get_person_for_user(request.user, person_pk)
    if request.method == "POST":
        if not can_manage_person(request.user, person):
            raise PermissionDenied(
                "Связывать сотрудника с партнёром могут администрация и кураторы его организации."
            )
        partner = get_partner_for_user(request.user, int(request.POST.get("partner") or 0))
        try:
            services.employee_link(acting_user=request.user, partner=partner, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("registry:person_detail", pk=person.pk)
    employment = employment_of(person)
    can_link = can_manage_person(request.user, person)
    return render(
        request,
        "partners/_person_panel.html",
        {
            "person": person,
            "employment": employment,
            "partner_visible": employment is not None
            and partner_list(request.user).filter(pk=employment.partner_id).exists(),
            "partners": _linkable_partners(request, person) if can_link else [],
        },
    )
