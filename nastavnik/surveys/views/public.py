"""The respondent's side: a personal link that works without an account.

The token in the URL is looked up by its hash. An unknown token counts against the caller's
address and the token's first characters (see ratelimit); an expired campaign or a lapsed consent
gives a clear page, never an error. Each answer is saved as soon as it is given (HTMX, per
question), so a lost connection loses at most the answer being typed."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nastavnik.registry.services.people import ensure_can_take_part

from .. import ratelimit, selectors
from ..models import Response
from ..services import links as link_services
from ..services import responses as response_services


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200, zone: str = ""
) -> HttpResponse:
    """`zone`: the time zone of the campaign's organisation, in which the page shows its times (the
    respondent has no account whose organisation would say it)."""
    if zone:
        with timezone.override(ZoneInfo(zone)):
            response = render(request, template, context, status=status)
    else:
        response = render(request, template, context, status=status)
    # A personal page: not cached anywhere, and the token (in the URL) never goes to another site
    # as a Referer. ("no-referrer" would make Chromium send "Origin: null" and fail CSRF.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _refusal(request: HttpRequest, token: str) -> tuple[Response | None, HttpResponse | None]:
    """The response behind the token, or the page that explains why there is none."""
    if ratelimit.is_blocked(request, token):
        page = _page(request, "surveys/public_blocked.html", {}, status=429)
        page["Retry-After"] = str(ratelimit.retry_after_seconds())
        return None, page
    response = link_services.response_for_token(token)
    if response is None:
        ratelimit.record_failure(request, token)
        return None, _page(request, "surveys/public_invalid.html", {}, status=404)
    campaign = response.campaign
    if not campaign.is_open():
        return None, _page(
            request,
            "surveys/public_expired.html",
            {"campaign": campaign, "deadline_on": selectors.deadline_on(campaign)},
            status=410,
            zone=campaign.program.organisation.timezone,
        )
    try:
        ensure_can_take_part(response.subject)
    except ValidationError:
        return None, _page(request, "surveys/public_unavailable.html", {"campaign": campaign}, status=403)
    return response, None


def respond(request: HttpRequest, token: str) -> HttpResponse:
    response, refusal = _refusal(request, token)
    if refusal is not None:
        return refusal
    assert response is not None
    errors: dict[int, str] = {}
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        try:
            errors = response_services.response_save(
                response=response, get_values=request.POST.getlist, submit=submit
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("surveys_public:respond", token=token)
        if not errors:
            if submit:
                messages.success(
                    request, "Спасибо! Анкета отправлена. Ответы можно изменить до окончания срока."
                )
            else:
                messages.success(request, "Ответы сохранены. Не забудьте отправить анкету.")
            return redirect("surveys_public:respond", token=token)
        messages.error(request, "Проверьте отмеченные вопросы: не все ответы заполнены верно.")
    campaign = response.campaign
    return _page(
        request,
        "surveys/respond.html",
        {
            "response": response,
            "campaign": campaign,
            "questionnaire": campaign.questionnaire,
            "deadline_on": selectors.deadline_on(campaign),
            "sections": selectors.form_view(campaign.questionnaire, response, errors),
            "token": token,
        },
        status=400 if errors else 200,
        zone=campaign.program.organisation.timezone,
    )


@require_POST
def autosave(request: HttpRequest, token: str, question_id: int) -> HttpResponse:
    """Save one answer (HTMX). Returns the question's status line, and re-renders the questions
    whose visibility depends on this answer (out-of-band swaps)."""
    response, refusal = _refusal(request, token)
    if refusal is not None:
        return refusal
    assert response is not None
    question = selectors.question_of(response, question_id)
    if question is None:
        return _page(request, "surveys/_autosave_status.html", {"error": "Вопрос не найден в этой анкете."})
    error = ""
    try:
        response_services.answer_save(
            response=response, question=question, raw=request.POST.getlist(f"q{question.pk}")
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    dependents: list[Any] = []
    if not error and question.dependents.exists():
        dependents = [
            view
            for _, views in selectors.form_view(response.campaign.questionnaire, response)
            for view in views
            if view.question.condition_question_id is not None
        ]
    return _page(
        request,
        "surveys/_autosave_status.html",
        {"error": error, "saved_at": timezone.now(), "dependents": dependents, "token": token},
        zone=response.campaign.program.organisation.timezone,
    )
