"""What the pairs add to the surveys app's pages. The surveys app knows nothing of mentoring, so
its campaign pages load these fragments by HTMX once they are shown: the networking meeting a
preference questionnaire follows, and the pair and stage of each questionnaire a pair member
answered in «Мой кабинет». Each piece replaces the placeholder with its id (out-of-band swaps)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.surveys import access as survey_access
from nastavnik.surveys.models import Campaign

from .models import PairFeedbackResponse, PreferenceCampaign


def _meetings_of(campaigns: QuerySet[Campaign]) -> QuerySet[PreferenceCampaign]:
    return PreferenceCampaign.objects.filter(campaign__in=campaigns).select_related(
        "event__program__organisation"
    )


@login_required
def campaign_meetings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list of campaigns: the meeting of every preference questionnaire the user may read."""
    campaigns = survey_access.visible_campaigns_for(request.user)
    return render(request, "mentoring/_campaign_links.html", {"links": _meetings_of(campaigns), "pairs": []})


@login_required
def campaign_links(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One campaign (404 for whoever may not read it): its meeting and the pairs its responses
    are about."""
    campaign = survey_access.get_campaign_for_user(request.user, pk)
    campaigns = Campaign.objects.filter(pk=campaign.pk)
    pairs = PairFeedbackResponse.objects.filter(response__campaign=campaign).select_related(
        "group__mentor__person"
    )
    return render(
        request, "mentoring/_campaign_links.html", {"links": _meetings_of(campaigns), "pairs": pairs}
    )
