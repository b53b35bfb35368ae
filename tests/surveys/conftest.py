"""Fixtures for questionnaires: a program of school X, the built-in templates copied into it,
students with and without consent, and a helper that opens a campaign with personal links."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nastavnik.base.time import local_today
from nastavnik.mentoring.models import ProgramEvent, ProgramEventKind
from nastavnik.mentoring.services import events, preferences
from nastavnik.registry.models import Participation, Person
from nastavnik.surveys.models import LinkChannel, Questionnaire, Response
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import links as link_services
from nastavnik.surveys.services import questionnaires as questionnaire_services
from nastavnik.surveys.services import responses as response_services
from tests.factories import PersonFactory, ProgramFactory, give_consent, guardian_for, years_ago


def student(school, *, grade=8, letter="А", consent=True, **kwargs) -> Person:
    """A 12-year-old (a representative's consent is enough) with a guardian."""
    person = PersonFactory(
        organisation=school, grade=grade, class_letter=letter, birth_date=years_ago(12), **kwargs
    )
    parent = guardian_for(person)
    if consent:
        give_consent(person, by=parent, signed_on=local_today() - dt.timedelta(days=30))
    return person


def template(code: str) -> Questionnaire:
    return Questionnaire.objects.get(program__isnull=True, builtin_code=code, is_latest=True)


@pytest.fixture
def program_x(school_x, school_x_curator):
    return ProgramFactory(organisation=school_x, curator=school_x_curator)


@pytest.fixture
def program_y(school_y):
    return ProgramFactory(organisation=school_y)


@pytest.fixture
def copy_template(program_x, school_x_curator):
    def make(code: str, program=None, user=None) -> Questionnaire:
        return questionnaire_services.questionnaire_copy(
            acting_user=user or school_x_curator, source=template(code), program=program or program_x
        )

    return make


@pytest.fixture
def open_campaign(program_x, school_x_curator):
    """A campaign of `questionnaire` to `people`; returns (campaign, {person_pk: token})."""

    def make(questionnaire, people, *, days=7, meeting=None, user=None):
        user = user or school_x_curator
        deadline_on = local_today(questionnaire.program.organisation) + dt.timedelta(days=days)
        if meeting is not None:
            campaign = preferences.preference_campaign_create(
                acting_user=user,
                event=meeting,
                questionnaire=questionnaire,
                title="",
                deadline_on=deadline_on,
            )
        else:
            campaign = campaign_services.campaign_create(
                acting_user=user,
                program=questionnaire.program,
                questionnaire=questionnaire,
                title="",
                deadline_on=deadline_on,
            )
        if people:
            campaign_services.campaign_add_recipients(acting_user=user, campaign=campaign, people=people)
        tokens = {
            response.respondent_id: token
            for response, token in link_services.links_issue(
                acting_user=user, campaign=campaign, channel=LinkChannel.MANUAL
            )
        }
        return campaign, tokens

    return make


def response_of(campaign, person) -> Response:
    return Response.objects.get(campaign=campaign, respondent=person)


def submit(response, answers: dict[str, list[str]]) -> Response:
    """Answer by question code and send, as the respondent would."""
    questionnaire = response.campaign.questionnaire
    by_code = {q.code: q.pk for q in questionnaire.questions.all()}
    data = {f"q{by_code[code]}": values for code, values in answers.items()}
    errors = response_services.response_save(
        response=response, get_values=lambda name: data.get(name, []), submit=True
    )
    assert errors == {}
    response.refresh_from_db()
    return response


def mentee(program, person) -> Participation:
    return Participation.objects.create(program=program, person=person, role="mentee")


def mentor(program, person) -> Participation:
    return Participation.objects.create(program=program, person=person, role="mentor")


def networking_meeting(program, user, present=(), *, hours_ago=2) -> ProgramEvent:
    """The networking meeting as it is held: a program event, every participant of the program
    invited, the `present` participations marked as having come."""
    event = events.event_create(
        acting_user=user,
        program=program,
        kind=ProgramEventKind.NETWORKING,
        title="Общая встреча наставников и наставляемых",
        starts_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )
    events.event_invite_participants(acting_user=user, event=event)
    came = {p.pk for p in present}
    events.event_mark_attendance(
        acting_user=user,
        event=event,
        present=event.invitations.filter(participation__in=came).values_list("pk", flat=True),
    )
    return event
