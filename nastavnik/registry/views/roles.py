"""«Сотрудники и роли» of an organisation, a municipality and a region; unlocking a login."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts import lockout
from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.grants import can_unlock_login, can_view_staff_roles, grantable_roles
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.accounts.selectors import grants_of, role_records_of
from nastavnik.accounts.services import role_grant, role_revoke
from nastavnik.orgs.access import get_organisation_for_user, visible_municipalities_for, visible_regions_for
from nastavnik.orgs.roles import assignment_target, role_target

from ..access import can_manage_person, get_person_for_user, visible_people_for
from ..forms.roles import RoleGrantForm
from ..models import Person
from ..selectors.staff import Scope, places_for, scope_assignments, staff_candidates

LEVELS = ("organisation", "municipality", "region")


def _scope_for_user(request: AuthenticatedHttpRequest, level: str, pk: int) -> Scope:
    """The scope of a page, or 404 if the user does not see it; 403 if they see but may not open it."""
    scope: Scope
    if level == "organisation":
        scope = get_organisation_for_user(request.user, pk)
    else:
        found = (visible_municipalities_for if level == "municipality" else visible_regions_for)(request.user)
        try:
            scope = found.get(pk=pk)
        except ObjectDoesNotExist as exc:
            raise Http404("Не найдено") from exc
    if not can_view_staff_roles(request.user, role_target(scope)):
        raise PermissionDenied("Роли сотрудников видят администрация организации и кураторы уровнем выше.")
    return scope


@login_required
def staff_roles(request: AuthenticatedHttpRequest, level: str, pk: int) -> HttpResponse:
    if level not in LEVELS:
        raise Http404("Не найдено")
    scope = _scope_for_user(request, level, pk)
    places = places_for(request.user, scope)
    candidates = staff_candidates(request.user, scope)
    form = RoleGrantForm(request.POST or None, candidates=candidates, places=places)
    if request.method == "POST":
        if not places:
            raise PermissionDenied("Назначать роли здесь вы не можете.")
        if form.is_valid():
            person = form.cleaned_data["person"]
            place = form.cleaned_data["place_obj"]
            try:
                role_grant(
                    acting_user=request.user,
                    user=person.user,
                    role=form.cleaned_data["role"],
                    target=role_target(place.scope),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Роль назначена: {person.full_name}.")
                return redirect("registry:staff_roles", level=level, pk=pk)
    assignments = list(scope_assignments(scope))
    grants = grants_of(assignments)
    people = {
        p.user_id: p
        for p in visible_people_for(request.user)
        .filter(user__in=[a.user_id for a in assignments])
        .only("pk", "user_id")
    }
    rows = [
        {
            "assignment": a,
            "person": people.get(a.user_id),
            "grant": grants.get(a.pk),
            "can_revoke": a.role in grantable_roles(request.user, assignment_target(a)),
        }
        for a in assignments
    ]
    return render(
        request,
        "registry/staff_roles.html",
        {"scope": scope, "level": level, "rows": rows, "form": form if places else None},
    )


@login_required
@require_POST
def staff_role_revoke(
    request: AuthenticatedHttpRequest, level: str, pk: int, assignment_pk: int
) -> HttpResponse:
    scope = _scope_for_user(request, level, pk)
    assignment = scope_assignments(scope).filter(pk=assignment_pk).first()
    if assignment is None:
        raise Http404("Роль не найдена")
    try:
        role_revoke(acting_user=request.user, assignment=assignment, target=assignment_target(assignment))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Роль снята: {assignment.user}, {assignment.get_role_display().lower()}.")
    return redirect("registry:staff_roles", level=level, pk=pk)


@login_required
@require_POST
def login_unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    if person.user is None or not can_unlock_login(request.user, role_target(person.organisation)):
        raise PermissionDenied("Снять блокировку входа может администрация организации.")
    lockout.login_unlock(acting_user=request.user, user=person.user)
    messages.success(request, "Блокировка входа снята.")
    return redirect("registry:person_detail", pk=person.pk)


def account_context(user: AnyUser, person: Person) -> dict[str, Any]:
    """The «Роли» section of a person's card: roles with who granted them, the login lockout."""
    target = role_target(person.organisation)
    if person.user is None or not (can_manage_person(user, person) or can_unlock_login(user, target)):
        return {"role_records": None}
    can_unlock = can_unlock_login(user, target)
    return {
        "role_records": role_records_of(person.user),
        "account": person.user,
        "can_unlock": can_unlock,
        "login_locked": can_unlock and lockout.login_is_locked(person.user),
        "staff_roles_level": "organisation" if can_view_staff_roles(user, target) else None,
    }
