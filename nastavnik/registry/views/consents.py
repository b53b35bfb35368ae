"""Consents of a whole class or program: the grid where the paper consents received are ticked
and saved in one go, and the printable forms pre-filled for the same people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.time import local_today
from nastavnik.orgs.access import (
    can_manage_organisation,
    get_organisation_for_user,
    get_program_for_user,
    require_manage_organisation,
)
from nastavnik.orgs.models import Organisation

from ..access import visible_people_for
from ..consents import consent_state, giver_status
from ..documents import consent_forms_docx, consent_forms_pdf
from ..forms.people import GRID_GIVERS, ClassConsentsForm, GridPerson
from ..models import Person, PersonKind, parse_school_class
from ..selectors.people import consent_grid_people, program_person_ids
from ..services import people as services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENTS = {"consents": "soglasiya", "dissemination": "soglasiya-rasprostranenie"}


@dataclass(frozen=True)
class ConsentGroup:
    """The people of a class, a college group or a program, as the user may see them."""

    organisation: Organisation
    title: str
    people: QuerySet[Person]
    url: str  # the grid of this group
    back_url: str
    back_label: str


def _class_group(request: AuthenticatedHttpRequest, organisation: int, school_class: str) -> ConsentGroup:
    org = get_organisation_for_user(request.user, organisation)
    people = visible_people_for(request.user).filter(organisation=org)
    parsed = parse_school_class(school_class)
    if parsed is not None:
        people = people.filter(kind=PersonKind.STUDENT, grade=parsed[0], class_letter=parsed[1])
        title = f"{parsed[0]}{parsed[1]} класс"
    else:
        people = people.filter(kind=PersonKind.COLLEGE_STUDENT, study_group=school_class)
        title = f"группа {school_class}"
    return ConsentGroup(
        organisation=org,
        title=title,
        people=people,
        url=reverse("registry:consent_grid_class", args=[org.pk, school_class]),
        back_url=f"{reverse('registry:person_list')}?organisation={org.pk}"
        + (f"&grade={parsed[0]}" if parsed else ""),
        back_label="База участников",
    )


def _program_group(request: AuthenticatedHttpRequest, program: int) -> ConsentGroup:
    found = get_program_for_user(request.user, program)
    people = visible_people_for(request.user).filter(pk__in=program_person_ids(found))
    return ConsentGroup(
        organisation=found.organisation,
        title=f"программа «{found.title}»",
        people=people,
        url=reverse("registry:consent_grid_program", args=[found.pk]),
        back_url=reverse("orgs:program_detail", args=[found.pk]),
        back_label=found.title,
    )


def _people(group: ConsentGroup, today: dt.date) -> list[Person]:
    return consent_grid_people(group.people, today)


def _grid_people(people: list[Person], today: dt.date) -> list[GridPerson]:
    rows = []
    for person in people:
        consents = list(person.consents.all())
        state = consent_state(person, today, consents)
        needs = {"rep": state.needs_representative, "self": state.needs_own}
        rows.append(
            GridPerson(
                person=person,
                age=person.age_on(today),
                needs=needs,
                status={
                    suffix: giver_status(consents, giver, needs[suffix], today)
                    for suffix, giver in GRID_GIVERS
                },
                guardians=[link.guardian for link in person.guardian_links.all()],
            )
        )
    return rows


def _grid(request: AuthenticatedHttpRequest, group: ConsentGroup) -> HttpResponse:
    today = local_today(group.organisation)
    people = _grid_people(_people(group, today), today)
    can_manage = can_manage_organisation(request.user, group.organisation)
    form = ClassConsentsForm(request.POST or None, people=people, today=today)
    if request.method == "POST":
        # The service refuses anyone but the organisation's managers (PermissionDenied → 403).
        if form.is_valid():
            try:
                saved = services.consents_record_for_class(
                    acting_user=request.user, organisation=group.organisation, rows=form.consent_rows()
                )
            except services.ClassConsentsRejected as rejected:
                form.add_row_errors(rejected.row_errors)
            else:
                if saved:
                    messages.success(request, f"Записано согласий: {len(saved)}.")
                else:
                    messages.warning(request, "Ни одно согласие не отмечено.")
                return redirect(group.url)
        elif not can_manage:
            require_manage_organisation(request.user, group.organisation.pk)
    return render(
        request,
        "registry/consent_grid.html",
        {"group": group, "form": form, "rows": form.grid_rows(), "can_manage": can_manage, "today": today},
    )


@login_required
def consent_grid_class(
    request: AuthenticatedHttpRequest, organisation: int, school_class: str
) -> HttpResponse:
    return _grid(request, _class_group(request, organisation, school_class))


@login_required
def consent_grid_program(request: AuthenticatedHttpRequest, program: int) -> HttpResponse:
    return _grid(request, _program_group(request, program))


def _forms(request: AuthenticatedHttpRequest, group: ConsentGroup, document: str, fmt: str) -> HttpResponse:
    if document not in DOCUMENTS or fmt not in {"docx", "pdf"}:
        raise Http404("Нет такого документа")
    # The forms name the legal representatives, whom only the organisation's managers may read.
    require_manage_organisation(request.user, group.organisation.pk)
    today = local_today(group.organisation)
    people = _people(group, today)
    dissemination = document == "dissemination"
    if fmt == "docx":
        data = consent_forms_docx(group.organisation, people, today, dissemination=dissemination)
        response = HttpResponse(data, content_type=DOCX)
    else:
        data = consent_forms_pdf(group.organisation, people, today, dissemination=dissemination)
        response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{DOCUMENTS[document]}.{fmt}"'
    return response


@login_required
def consent_forms_class(
    request: AuthenticatedHttpRequest, organisation: int, school_class: str, document: str, fmt: str
) -> HttpResponse:
    return _forms(request, _class_group(request, organisation, school_class), document, fmt)


@login_required
def consent_forms_program(
    request: AuthenticatedHttpRequest, program: int, document: str, fmt: str
) -> HttpResponse:
    return _forms(request, _program_group(request, program), document, fmt)
