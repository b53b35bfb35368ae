"""Pages of the mentor's path: candidates (list, nomination, self-application, the candidate with
interviews and admission), a program's admission rule, the municipal base (proposals, the
municipality's decisions, a request for a mentor of another school) and the panel on a card."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.access import scopes_of
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.accounts.models import MANAGER_ROLES, Role
from nastavnik.base.time import local_today, today_in
from nastavnik.orgs.access import (
    can_manage_program,
    get_program_for_user,
    oversees_many_organisations,
    visible_programs_for,
)
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.access import get_person_for_user

from . import selectors, services
from .access import (
    can_decide_base_entry,
    can_manage_candidacy,
    can_see_base,
    can_see_candidates,
    get_base_entry_for_user,
    get_candidacy_for_user,
)
from .forms import (
    AdmissionRuleForm,
    ApplyForm,
    DecideForm,
    InterviewForm,
    NetworkPairForm,
    NominateForm,
    ProposeForm,
)
from .models import BaseEntryStatus, CandidacyStatus, InterviewOutcome


def _add_errors(form: Any, error: ValidationError) -> None:
    for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


# --- candidates ----------------------------------------------------------------------------------


@login_required
def candidates(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_see_candidates(request.user):
        raise PermissionDenied(
            "Кандидатов в наставники видят кураторы, администрация, психолог и муниципалитет."
        )
    status = request.GET.get("status", "")
    if status not in CandidacyStatus.values:
        status = ""
    rows = list(selectors.candidacy_list(request.user, status))
    scopes = scopes_of(request.user)
    return render(
        request,
        "mentors/candidates.html",
        {
            "candidacies": rows,
            "status": status,
            "statuses": CandidacyStatus.choices,
            "can_nominate": scopes.superuser or bool(scopes.staff_organisation_ids),
            "can_see_base": can_see_base(request.user),
            "many": oversees_many_organisations(request.user),
            "programs": selectors.managed_programs(request.user).filter(
                academic_year__gte=academic_year_of(today_in())
            )
            if scopes.staff_organisation_ids
            else [],
        },
    )


@login_required
def nominate(request: AuthenticatedHttpRequest) -> HttpResponse:
    programs = selectors.managed_programs(request.user)
    people = selectors.nominee_people(request.user)
    if not programs.exists():
        raise PermissionDenied("Выдвигать кандидатов могут администрация и кураторы организации.")
    form = NominateForm(request.POST or None, programs=programs, people=people)
    if request.method == "POST" and form.is_valid():
        program = programs.get(pk=form.cleaned_data["program"])
        person = people.get(pk=form.cleaned_data["person"])
        try:
            candidacy = services.candidacy_nominate(
                acting_user=request.user,
                program=program,
                person=person,
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} выдвинут(а) кандидатом в наставники.")
            return redirect("mentors:candidate", pk=candidacy.pk)
    return render(request, "mentors/nominate.html", {"form": form})


@login_required
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = selectors.own_person(request.user)
    if person is None:
        raise PermissionDenied("Подать заявку может участник с карточкой в базе организации.")
    programs = visible_programs_for(request.user).filter(organisation_id=person.organisation_id)
    form = ApplyForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        program = programs.get(pk=form.cleaned_data["program"])
        try:
            services.candidacy_apply(
                acting_user=request.user, program=program, motivation=form.cleaned_data["motivation"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Заявка подана: куратор пригласит вас на собеседование.")
            return redirect("home")
    mine = selectors.candidacy_list(request.user).filter(participation__person=person)
    return render(request, "mentors/apply.html", {"form": form, "mine": mine})


def _interview_form(candidacy: Any, data: Any = None, initial: Any = None) -> InterviewForm:
    organisation_id = candidacy.participation.program.organisation_id
    return InterviewForm(
        data,
        initial=initial,
        staff=selectors.organisation_users(organisation_id, MANAGER_ROLES),
        specialists=selectors.organisation_users(organisation_id, [Role.SPECIALIST]),
    )


@login_required
def candidate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    candidacy = get_candidacy_for_user(request.user, pk)
    interviews, notes_visible = selectors.candidacy_interviews(request.user, candidacy)
    manages = can_manage_candidacy(request.user, candidacy)
    last = next((i for i in reversed(interviews) if i.outcome), None)
    open_ = candidacy.status not in (CandidacyStatus.ADMITTED, CandidacyStatus.REJECTED)
    return render(
        request,
        "mentors/candidate.html",
        {
            "candidacy": candidacy,
            "person": candidacy.participation.person,
            "interviews": interviews,
            "notes_visible": notes_visible,
            "manages": manages,
            "interview_form": _interview_form(
                candidacy, initial={"held_on": today_in(), "interviewer": request.user.pk}
            )
            if manages and open_
            else None,
            "can_admit": manages and open_ and last is not None and last.outcome == InterviewOutcome.ADMITTED,
            "can_propose": manages and candidacy.status == CandidacyStatus.ADMITTED,
        },
    )


@login_required
@require_POST
def interview_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    candidacy = get_candidacy_for_user(request.user, pk)
    form = _interview_form(candidacy, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        organisation_id = candidacy.participation.program.organisation_id
        users = {
            u.pk: u for u in selectors.organisation_users(organisation_id, [*MANAGER_ROLES, Role.SPECIALIST])
        }
        try:
            services.interview_save(
                acting_user=request.user,
                candidacy=candidacy,
                held_on=data["held_on"],
                interviewer=users.get(data["interviewer"]),
                psychologist=users.get(data["psychologist"]) if data["psychologist"] else None,
                notes=data["notes"],
                outcome=data["outcome"] or InterviewOutcome.PLANNED,
                reason=data["reason"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Собеседование сохранено.")
            return redirect("mentors:candidate", pk=candidacy.pk)
    messages.error(request, "Собеседование не сохранено: " + _errors(form))
    return redirect("mentors:candidate", pk=candidacy.pk)


def _errors(form: Any) -> str:
    from nastavnik.base.forms import form_errors_as_text

    return form_errors_as_text(form)


@login_required
@require_POST
def admit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    candidacy = get_candidacy_for_user(request.user, pk)
    try:
        services.candidacy_admit(acting_user=request.user, candidacy=candidacy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{candidacy.participation.person.full_name} допущен(а) к наставнической деятельности."
        )
    return redirect("mentors:candidate", pk=candidacy.pk)


@login_required
def program_rules(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    program = get_program_for_user(request.user, pk)
    if not can_manage_program(request.user, program):
        raise PermissionDenied("Правила допуска меняют администрация и кураторы организации.")
    rule = selectors.admission_rule(program)
    program_forms = list(program.forms.all())
    initial = {
        "admitted_mentors_only": program.admitted_mentors_only,
        "requires_training": bool(rule and rule.requires_training),
        "forms": [f.pk for f in rule.forms.all()] if rule else [],
    }
    form = AdmissionRuleForm(request.POST or None, initial=initial, program_forms=program_forms)
    if request.method == "POST" and form.is_valid():
        chosen = [f for f in program_forms if f.pk in form.cleaned_data["forms"]]
        try:
            services.program_admission_save(
                acting_user=request.user,
                program=program,
                admitted_mentors_only=form.cleaned_data["admitted_mentors_only"],
                requires_training=form.cleaned_data["requires_training"],
                forms=chosen,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Правила допуска наставников сохранены.")
            return redirect("orgs:program_detail", pk=program.pk)
    return render(request, "mentors/program_rules.html", {"form": form, "program": program})


# --- the municipal base --------------------------------------------------------------------------


@login_required
def base(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_see_base(request.user):
        raise PermissionDenied("Базу наставников видят кураторы школ, муниципалитет и региональный центр.")
    scopes = scopes_of(request.user)
    pending = selectors.base_rows(request.user, statuses=(BaseEntryStatus.PROPOSED, BaseEntryStatus.RETURNED))
    to_propose = selectors.admitted_mentors_to_propose(request.user, list(scopes.staff_organisation_ids))
    return render(
        request,
        "mentors/base.html",
        {
            "rows": selectors.base_rows(request.user),
            "pending": pending,
            "decides": bool(scopes.municipality_ids) or scopes.superuser,
            "propose_form": ProposeForm(participations=to_propose) if to_propose.exists() else None,
            "own_orgs": scopes.staff_organisation_ids,
            "can_request": bool(scopes.staff_organisation_ids),
            "decide_form": DecideForm(),
            "many": oversees_many_organisations(request.user),
        },
    )


@login_required
@require_POST
def base_propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    scopes = scopes_of(request.user)
    participations = selectors.admitted_mentors_to_propose(request.user, list(scopes.staff_organisation_ids))
    form = ProposeForm(request.POST, participations=participations)
    if not form.is_valid():
        messages.error(request, "Не предложено: " + _errors(form))
        return redirect("mentors:base")
    participation = participations.get(pk=form.cleaned_data["participation"])
    try:
        services.base_propose(
            acting_user=request.user, participation=participation, capacity=form.cleaned_data["capacity"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{participation.person.full_name} предложен(а) в муниципальную базу наставников."
        )
    return redirect("mentors:base")


@login_required
@require_POST
def base_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = get_base_entry_for_user(request.user, pk)
    if not can_decide_base_entry(request.user, entry):
        raise PermissionDenied("Решение о базе наставников принимает муниципалитет.")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите решение.")
        return redirect("mentors:base")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.base_decide(
            acting_user=request.user, entry=entry, approve=approve, comment=form.cleaned_data["comment"]
        )
    except ValidationError as error:
        messages.error(request, f"{entry.person.full_name}: " + " ".join(error.messages))
    else:
        verb = "утверждён(а) в базе" if approve else "возвращён(а) школе"
        messages.success(request, f"{entry.person.full_name} {verb}.")
    return redirect("mentors:base")


@login_required
def base_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Another school takes a base mentor for its mentee: a cross-school pair."""
    entry = get_base_entry_for_user(request.user, pk)
    if entry.status != BaseEntryStatus.APPROVED:
        raise Http404("Наставник не утверждён в базе")
    programs = selectors.managed_programs(request.user).exclude(organisation_id=entry.person.organisation_id)
    if not programs.exists():
        raise PermissionDenied("Запросить наставника из базы могут кураторы других школ муниципалитета.")
    mentees = selectors.free_mentees(programs)
    mentoring_forms = selectors.forms_of_programs(programs, entry.person.kind)
    form = NetworkPairForm(
        request.POST or None, programs=programs, mentoring_forms=mentoring_forms, mentees=mentees
    )
    if request.method == "POST" and form.is_valid():
        program = programs.get(pk=form.cleaned_data["program"])
        try:
            group = services.network_pair_create(
                acting_user=request.user,
                entry=entry,
                program=program,
                form=mentoring_forms.get(pk=form.cleaned_data["form"]),
                mentee=mentees.get(pk=form.cleaned_data["mentee"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"Пара сформирована: наставник {entry.person.short_name} из муниципальной базы."
            )
            return redirect("mentoring:group_detail", pk=group.pk)
    row = next((r for r in selectors.base_rows(request.user) if r.entry.pk == entry.pk), None)
    return render(request, "mentors/base_request.html", {"entry": entry, "row": row, "form": form})


# --- the card ------------------------------------------------------------------------------------


@login_required
def person_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    path = selectors.person_path(request.user, person, local_today(person.organisation))
    return render(request, "mentors/_person_panel.html", {"person": person, "path": path})
