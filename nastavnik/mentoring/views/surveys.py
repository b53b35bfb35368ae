"""What the pairs add to the surveys app's pages. The surveys app knows nothing of mentoring, so
its campaign pages load these fragments by HTMX once they are shown: the networking meeting a
preference questionnaire follows, and the pair and stage of each questionnaire a pair member
answered in «Мой кабинет». Each piece replaces the placeholder with its id (out-of-band swaps)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.surveys.access import get_campaign_for_user, visible_campaigns_for

from ..selectors import campaign_pair_links, preference_meetings_of


@login_required
def campaign_meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list of campaigns: the meeting of every preference questionnaire the user may read."""
    campaigns = visible_campaigns_for(request.user)
    return render(
        request, "mentoring/_campaign_links.html", {"links": preference_meetings_of(campaigns), "pairs": []}
    )


@login_required
def campaign_links(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One campaign (404 for whoever may not read it): its meeting and the pairs its responses
    are about."""
    campaign = get_campaign_for_user(request.user, pk)
    return render(
        request,
        "mentoring/_campaign_links.html",
        {"links": preference_meetings_of([campaign]), "pairs": campaign_pair_links(campaign)},
    )
