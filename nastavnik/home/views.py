from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from nastavnik.accounts.access import has_role
from nastavnik.accounts.http import AuthenticatedHttpRequest
from nastavnik.accounts.models import Role
from nastavnik.base.time import local_today
from nastavnik.cases.selectors import cases_to_review
from nastavnik.home.attention import work_attention_for
from nastavnik.orgs.access import (
    managed_organisations_for,
    overseen_organisations_for,
    oversees_many_organisations,
    visible_programs_for,
)
from nastavnik.orgs.models import academic_year_label, academic_year_of
from nastavnik.partners.access import is_partner_contact
from nastavnik.partners.selectors import renewal_due_for
from nastavnik.recommendations.selectors import open_for_school
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person
from nastavnik.registry.selectors.people import organisation_overviews
from nastavnik.roadmaps.school_duties import duties_for_schools
from nastavnik.roadmaps.selectors import UPCOMING_DAYS


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The first screen: what the user's roles need to see and act on today."""
    user = request.user
    today = local_today()
    year = academic_year_of(today)

    managed = list(managed_organisations_for(user).select_related("municipality"))
    overseen = (
        list(
            overseen_organisations_for(user)
            .exclude(pk__in=[o.pk for o in managed])
            .select_related("municipality")
        )
        if oversees_many_organisations(user)
        else []
    )
    overviews = organisation_overviews([o.pk for o in managed + overseen], today, year)
    programs = (
        list(
            visible_programs_for(user)
            .filter(organisation__in=managed, academic_year=year)
            .select_related("organisation", "curator")
        )
        if managed
        else []
    )
    work = work_attention_for(user, [o.pk for o in managed], today)
    duties = duties_for_schools(managed)
    for org in managed:
        org.municipal_duties = duties[org.pk]  # type: ignore[attr-defined]  # its part of the municipal roadmap
    own_cards: list[Person] = []
    if (
        not managed
        and not overseen
        and (has_role(user, Role.MENTOR, Role.MENTEE, Role.PARENT) or is_partner_contact(user))
    ):
        return redirect("mentoring:my")  # participants and partners' contacts start from «Мой кабинет»
    if not managed and not overseen:
        own_cards = list(visible_people_for(user).select_related("organisation")[:20])
    context = {
        "today": today,
        "year_label": academic_year_label(year),
        "managed": [(org, overviews[org.pk], work[org.pk]) for org in managed],
        "overseen": [(org, overviews[org.pk]) for org in overseen],
        "programs": programs,
        "own_cards": own_cards,
        "upcoming_days": UPCOMING_DAYS,
        "due": renewal_due_for(user, today) if managed or overseen else [],
        "cases_to_review": cases_to_review(user).count() if managed or overseen else 0,
        "recommendations": open_for_school(user) if managed else [],
    }
    return render(request, "home/home.html", context)
