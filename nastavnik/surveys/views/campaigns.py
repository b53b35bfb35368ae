"""The curator's side of campaigns: creating them, choosing recipients, sending invitations and
personal links, paper answers, deadlines, results and export; one response, one person's answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.base.forms import form_errors_as_text
from nastavnik.base.time import local_today
from nastavnik.orgs.access import can_manage_program
from nastavnik.registry.access import can_manage_person, get_person_for_user
from nastavnik.registry.consents import missing_from_annotations, with_consent_state
from nastavnik.registry.models import Person, PersonKind
from nastavnik.registry.selectors.people import (
    RegistryFilters,
    program_people_in_role,
    registry_people,
    staff_of,
)

from .. import access, documents, selectors
from ..forms import (
    CampaignForm,
    DeadlineForm,
    RecipientFilterForm,
    ThirdPartyForm,
)
from ..models import (
    Campaign,
    LinkChannel,
    Response,
    ResponseStatus,
)
from ..services import campaigns as campaign_services
from ..services import links as link_services
from ..services import responses as response_services
from .questionnaires import _error_text, _managed_programs

# --- campaigns ---------------------------------------------------------------------------------------

PREVIEW_LIMIT = 300


@login_required
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_use_templates(request.user)
    rows = [(c, selectors.deadline_on(c), c.is_open()) for c in selectors.campaign_list(request.user)]
    return render(
        request,
        "surveys/campaign_list.html",
        {"rows": rows, "can_create": _managed_programs(request).exists(), "tab": "campaigns"},
    )


@login_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.GET.get("meeting", "").isdigit():
        # A link saved from a networking meeting's page: the preference questionnaire is sent from
        # the meeting's own page now (the pairs' side checks who may).
        return redirect("mentoring:event_preference_campaign", pk=int(request.GET["meeting"]))
    programs = _managed_programs(request)
    if not programs.exists():
        raise PermissionDenied("Рассылать анкеты могут администрация и кураторы организации.")
    questionnaires = selectors.latest_questionnaires_of(programs)
    initial: dict[str, Any] = {}
    if request.GET.get("questionnaire", "").isdigit():
        initial["questionnaire"] = int(request.GET["questionnaire"])
    form = CampaignForm(request.POST or None, initial=initial, questionnaires=questionnaires)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_services.campaign_create(
                acting_user=request.user,
                program=data["questionnaire"].program,
                questionnaire=data["questionnaire"],
                title=data["title"],
                deadline_on=data["deadline_on"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "Рассылка создана: выберите, кому отправить анкету.")
            return redirect("surveys:campaign_recipients", pk=campaign.pk)
    return render(
        request,
        "surveys/campaign_form.html",
        {"form": form, "programs": list(programs.order_by("organisation__short_name", "title"))},
    )


def _campaign_context(request: AuthenticatedHttpRequest, campaign: Campaign) -> dict[str, Any]:
    responses = list(
        campaign.responses.select_related("respondent", "about_person", "entered_by").order_by(
            "respondent__last_name", "respondent__first_name", "pk"
        )
    )
    submitted = sum(1 for r in responses if r.status == ResponseStatus.SUBMITTED)
    return {
        "campaign": campaign,
        "deadline_on": selectors.deadline_on(campaign),
        "is_open": campaign.is_open(),
        "responses": responses,
        "submitted": submitted,
        "started": sum(1 for r in responses if r.status == ResponseStatus.IN_PROGRESS),
        "rate": round(100 * submitted / len(responses)) if responses else 0,
        "without_email": sum(1 for r in responses if not r.respondent.email and not r.is_submitted),
        "not_invited": sum(
            1 for r in responses if r.respondent.email and not r.invited_at and not r.is_submitted
        ),
        "exclusions": list(campaign.exclusions.select_related("person").order_by("person__last_name", "pk")),
        "can_manage": can_manage_program(request.user, campaign.program),
        "deadline_form": DeadlineForm(initial={"deadline_on": selectors.deadline_on(campaign)}),
        "tab": "campaigns",
    }


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    return render(request, "surveys/campaign_detail.html", _campaign_context(request, campaign))


def _selection(
    request: AuthenticatedHttpRequest, campaign: Campaign, form: RecipientFilterForm
) -> QuerySet[Person]:
    """People of the campaign's organisation matching the filters, read through the registry."""
    data = form.cleaned_data if form.is_valid() else {}
    today = local_today(campaign.program.organisation)
    filters = RegistryFilters(
        q=data.get("q") or "",
        organisation=campaign.program.organisation_id,
        kind=data.get("kind") or "",
    )
    people = registry_people(request.user, filters, today)
    if data.get("grade_from"):
        people = people.filter(grade__gte=data["grade_from"])
    if data.get("grade_to"):
        people = people.filter(grade__lte=data["grade_to"])
    if data.get("class_letter"):
        people = people.filter(class_letter=data["class_letter"].strip().upper())
    if data.get("role"):
        people = people.filter(pk__in=program_people_in_role(campaign.program, data["role"]))
    if campaign.questionnaire.about_other:
        people = people.exclude(kind=PersonKind.PARENT)
    return people


@login_required
def campaign_recipients(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Choose whom to send the questionnaire: registry filters, a preview with consent, add."""
    campaign = access.get_campaign_for_user(request.user, pk)
    access.require_manage_surveys(request.user, campaign.program)
    if campaign.in_app:
        # Its responses come from the pairs' own people (campaign_services._require_sent).
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    organisation = campaign.program.organisation
    if request.method == "POST":
        form = RecipientFilterForm(request.POST)
        try:
            if request.POST.get("meeting_attendees"):
                result = campaign_services.campaign_add_rank_candidates(
                    acting_user=request.user, campaign=campaign
                )
            elif campaign.questionnaire.about_other:
                third = ThirdPartyForm(request.POST, staff=staff_of(organisation.pk, local_today()))
                respondent = third.cleaned_data["respondent"] if third.is_valid() else None
                result = campaign_services.campaign_add_third_party(
                    acting_user=request.user,
                    campaign=campaign,
                    subjects=_selection(request, campaign, form),
                    respondent=respondent,
                )
            else:
                result = campaign_services.campaign_add_recipients(
                    acting_user=request.user, campaign=campaign, people=_selection(request, campaign, form)
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("surveys:campaign_recipients", pk=campaign.pk)
        parts = [f"Добавлено анкет: {result.added}."]
        if result.already:
            parts.append(f"Уже были в рассылке: {result.already}.")
        if result.excluded:
            parts.append(f"Не включены (причины — на странице рассылки): {len(result.excluded)}.")
        messages.success(request, " ".join(parts))
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    form = RecipientFilterForm(request.GET or None)
    selection: list[tuple[Person, str]] = []
    total = 0
    if request.GET:
        people = with_consent_state(_selection(request, campaign, form), local_today(organisation))
        total = people.count()
        selection = [(p, "; ".join(missing_from_annotations(p))) for p in people[:PREVIEW_LIMIT]]
    return render(
        request,
        "surveys/campaign_recipients.html",
        {
            "campaign": campaign,
            "offers_people": campaign.rank_candidates.exists(),
            "form": form,
            "third_form": ThirdPartyForm(staff=staff_of(organisation.pk, local_today())),
            "selection": selection,
            "total": total,
            "limit": PREVIEW_LIMIT,
            "query": request.GET.urlencode(),
            "tab": "campaigns",
        },
    )


@login_required
@require_POST
def campaign_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    access.require_manage_surveys(request.user, campaign.program)
    try:
        result = link_services.campaign_send_invitations(
            acting_user=request.user, campaign=campaign, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        text = f"Приглашений отправлено: {result.sent}."
        if result.without_email:
            text += f" Без e-mail: {result.without_email} — раздайте им ссылки или бумажные анкеты."
        messages.success(request, text)
    return redirect("surveys:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_deadline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    access.require_manage_surveys(request.user, campaign.program)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            campaign_services.campaign_set_deadline(
                acting_user=request.user, campaign=campaign, deadline_on=form.cleaned_data["deadline_on"]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Срок заполнения изменён.")
    else:
        messages.error(request, form_errors_as_text(form))
    return redirect("surveys:campaign_detail", pk=campaign.pk)


def _chosen_responses(request: AuthenticatedHttpRequest, campaign: Campaign) -> list[Response]:
    responses = campaign.responses.select_related("respondent", "about_person").order_by(
        "respondent__last_name", "respondent__first_name", "pk"
    )
    ids = [int(v) for v in request.POST.getlist("response") if v.isdigit()]
    if ids:
        responses = responses.filter(pk__in=ids)
    elif request.POST.get("only_pending"):
        responses = responses.exclude(status=ResponseStatus.SUBMITTED)
    return list(responses)


def _issue_links(
    request: AuthenticatedHttpRequest, pk: int, channel: str
) -> tuple[Campaign, list[tuple[Response, str]]] | HttpResponse:
    """Fresh personal links for the chosen respondents: (campaign, [(response, url)]), or a
    redirect back to the campaign with the reason when none can be issued."""
    campaign = access.get_campaign_for_user(request.user, pk)
    access.require_manage_surveys(request.user, campaign.program)
    try:
        issued = link_services.links_issue(
            acting_user=request.user,
            campaign=campaign,
            channel=channel,
            responses=_chosen_responses(request, campaign),
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    base = request.build_absolute_uri("/")
    return campaign, [(response, link_services.link_url(token, base)) for response, token in issued]


@login_required
@require_POST
def campaign_links(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue fresh personal links and show them once, to pass on by messenger or by hand: a
    page to copy them from (one by one or all at once), or with `sheet` a list of names and
    links to print and hand out."""
    issued = _issue_links(request, pk, LinkChannel.MANUAL)
    if isinstance(issued, HttpResponse):
        return issued
    campaign, rows = issued
    template = (
        "surveys/campaign_link_sheet.html" if request.POST.get("sheet") else "surveys/campaign_links.html"
    )
    response = render(
        request,
        template,
        {
            "campaign": campaign,
            "rows": rows,
            "deadline_on": selectors.deadline_on(campaign),
            "tab": "campaigns",
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def campaign_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A printable PDF: one questionnaire per respondent, each with their personal link."""
    issued = _issue_links(request, pk, LinkChannel.PRINT)
    if isinstance(issued, HttpResponse):
        return issued
    campaign, sheets = issued
    if not sheets:
        messages.error(request, "В рассылке нет анкет для печати.")
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    pdf = documents.questionnaire_pdf(request, campaign.questionnaire, sheets=sheets, campaign=campaign)
    return documents.pdf_response(pdf, f"ankety-{campaign.pk}.pdf")


@login_required
def campaign_results(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    results = selectors.campaign_results(campaign)
    return render(
        request,
        "surveys/campaign_results.html",
        {
            "campaign": campaign,
            "results": results,
            "deadline_on": selectors.deadline_on(campaign),
            "tab": "campaigns",
        },
    )


@login_required
def campaign_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign_for_user(request.user, pk)
    content = documents.campaign_xlsx(campaign, selectors.campaign_results(campaign))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="anketa-{campaign.pk}.xlsx"'
    return response


@login_required
def response_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One respondent's questionnaire: read it, or enter a paper questionnaire (curators)."""
    response = access.get_response_for_user(request.user, pk)
    campaign = response.campaign
    can_manage = can_manage_program(request.user, campaign.program)
    errors: dict[int, str] = {}
    if request.method == "POST":
        access.require_manage_surveys(request.user, campaign.program)
        try:
            errors = response_services.response_save(
                response=response,
                get_values=request.POST.getlist,
                submit=request.POST.get("action") == "submit",
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("surveys:response_detail", pk=response.pk)
        if not errors:
            messages.success(request, "Ответы сохранены.")
            return redirect("surveys:campaign_detail", pk=campaign.pk)
        messages.error(request, "Не все ответы заполнены верно: смотрите отмеченные вопросы.")
    return render(
        request,
        "surveys/response_detail.html",
        {
            "response": response,
            "campaign": campaign,
            "sections": selectors.form_view(campaign.questionnaire, response, errors),
            "can_manage": can_manage,
            "tab": "campaigns",
        },
    )


# --- the answers of one person -------------------------------------------------------------------------


@login_required
def person_answers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    access.require_use_templates(request.user)
    return render(
        request,
        "surveys/person_answers.html",
        {
            "person": person,
            "survey_answers": selectors.answers_for_person(request.user, person),
            "comparison": selectors.diagnostic_comparison(person)
            if access.survey_programs_for(request.user).filter(organisation=person.organisation_id).exists()
            else None,
        },
    )


@login_required
def person_answers_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The «Анкеты» block of the person card (registry), loaded by HTMX when the card opens: shown
    to whoever manages the person, as the card's other personal sections are."""
    person = get_person_for_user(request.user, pk)
    if not can_manage_person(request.user, person):
        raise PermissionDenied("Анкеты человека видят администрация и кураторы его организации.")
    return render(
        request,
        "surveys/_person_answers.html",
        {"survey_answers": selectors.answers_for_person(request.user, person)},
    )
