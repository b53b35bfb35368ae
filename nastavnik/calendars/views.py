"""The feed at its secret address (no login: a calendar app reads it), the user's renew and
revoke buttons in «Мой кабинет», and the «в календарь» file of one meeting or event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from nastavnik.accounts.http import AuthenticatedHttpRequest

from . import services
from .access import get_event_for_calendar, get_feed_by_token, get_meeting_for_calendar
from .documents import event_component, feed_ics, meeting_component, single_ics
from .selectors import feed_content


def _ics(body: bytes, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar_feed = get_feed_by_token(token)
    body = feed_ics(feed_content(calendar_feed.user), timezone.now())
    services.feed_touch(calendar_feed)
    return _ics(body)


@login_required
@require_POST
def feed_action(request: AuthenticatedHttpRequest, action: str) -> HttpResponse:
    if action == "revoke":
        services.feed_revoke(acting_user=request.user)
        messages.success(request, "Ссылка календаря отозвана: календари по ней больше ничего не получат.")
    else:
        services.feed_renew(acting_user=request.user)
        messages.success(request, "Новая ссылка календаря готова; прежняя больше не работает.")
    return redirect("mentoring:my")


@login_required
def meeting_ics(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for_calendar(request.user, pk, meeting_pk)
    return _ics(single_ics([meeting_component(meeting)]), f"vstrecha-{meeting.pk}.ics")


@login_required
def event_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_calendar(request.user, pk)
    return _ics(single_ics([event_component(event)]), f"meropriyatie-{event.pk}.ics")
