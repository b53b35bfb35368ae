"""Creating and looking after accounts from the registry: a class (its parents, the staff, a
program) in one action; a person's new slip or invitation, deactivation and reactivation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.templatetags.russian import plural_form
from nastavnik.base.time import local_today
from nastavnik.orgs.access import managed_organisations_for, visible_programs_for
from nastavnik.orgs.models import Organisation

from ..access import can_manage_person, get_person_for_user
from ..documents.slips import slips_pdf
from ..models import Person
from ..selectors.accounts import AccountGroup, AccountSelection, account_rows, people_of_selection
from ..services import accounts as account_services


def _site_url(request: AuthenticatedHttpRequest) -> str:
    return request.build_absolute_uri("/")


def _pdf(slips: list[account_services.Slip], name: str) -> HttpResponse:
    response = HttpResponse(slips_pdf(slips), content_type="application/pdf")
    # The name is Russian: RFC 6266 encoding, or the WSGI server refuses the header.
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf") or "attachment"
    return response


def _managed_organisation(request: AuthenticatedHttpRequest) -> tuple[Organisation, list[Organisation]]:
    organisations = list(managed_organisations_for(request.user).order_by("short_name"))
    if not organisations:
        raise PermissionDenied("Учётные записи создают администрация и кураторы организации.")
    wanted = request.POST.get("organisation") or request.GET.get("organisation")
    if not wanted:
        return organisations[0], organisations
    found = next((o for o in organisations if str(o.pk) == wanted), None)
    if found is None:
        raise Http404("Организация не найдена")
    return found, organisations


@login_required
def accounts_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose people (a class, its parents, the staff, a program), see who gets which login and
    how, create them all with one button; slips come back as one PDF."""
    organisation, organisations = _managed_organisation(request)
    data = request.POST if request.method == "POST" else request.GET
    selection = AccountSelection.from_query(data)
    slips_for_all = data.get("slips_for_all") in {"1", "on"}
    today = local_today(organisation)
    people = (
        list(people_of_selection(request.user, organisation, selection, today))
        if selection.is_complete
        else []
    )
    if request.method == "POST":
        issued = account_services.accounts_create_for_people(
            acting_user=request.user,
            organisation=organisation,
            people=people,
            site_url=_site_url(request),
            slips_for_all=slips_for_all,
        )
        created = len(issued.created)
        messages.success(
            request,
            f"Создано {created} {plural_form(created, 'учётная запись', 'учётные записи', 'учётных записей')}: "
            f"приглашений по e-mail — {len(issued.invited)}, листков для входа — {len(issued.slips)}.",
        )
        if issued.slips:
            return _pdf(issued.slips, f"листки-для-входа-{selection.label}".replace(" ", "-"))
        return redirect(f"{reverse('registry:accounts_create')}?{data.urlencode()}")
    rows = account_rows(people, slips_for_all=slips_for_all)
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "selection": selection,
        "groups": AccountGroup.choices,
        "programs": visible_programs_for(request.user).filter(organisation=organisation),
        "rows": rows,
        "new_count": sum(1 for r in rows if not r.has_account),
        "slips_for_all": slips_for_all,
    }
    return render(request, "registry/accounts_create.html", context)


def _managed_person(request: AuthenticatedHttpRequest, pk: int) -> Person:
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied("Учётной записью участника управляют администрация и кураторы организации.")
    return person


@login_required
@require_POST
def person_account_slip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    try:
        slip = account_services.account_slip_issue(
            acting_user=request.user, person=person, site_url=_site_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registry:person_detail", pk=person.pk)
    return _pdf([slip], f"листок-для-входа-{slip.username}")


@login_required
@require_POST
def person_account_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _managed_person(request, pk)
    try:
        account_services.account_invitation_send(
            acting_user=request.user, person=person, site_url=_site_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Приглашение отправлено на {person.user.email if person.user else ''}.")
    return redirect("registry:person_detail", pk=person.pk)


@login_required
@require_POST
def person_account_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Switch a person's account off (`active=0`) or back on (`active=1`)."""
    person = _managed_person(request, pk)
    try:
        if request.POST.get("active") == "1":
            account_services.person_account_reactivate(acting_user=request.user, person=person)
            messages.success(request, "Доступ восстановлен.")
        else:
            account_services.person_account_deactivate(acting_user=request.user, person=person)
            messages.success(request, "Учётная запись отключена.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("registry:person_detail", pk=person.pk)
