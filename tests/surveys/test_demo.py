"""The demo questionnaires build on the demo region and give every page something to show."""

import io

from django.core.management import call_command

from nastavnik.mentoring.demo import build_networking_demo
from nastavnik.mentoring.models import ProgramEventKind
from nastavnik.mentoring.services.preferences import campaigns_of
from nastavnik.surveys import selectors
from nastavnik.surveys.demo import build_survey_demo
from nastavnik.surveys.models import Campaign, Response


def test_the_survey_demo_builds_once_and_is_comparable(db):
    call_command("load_demo", stdout=io.StringIO())
    build_survey_demo()
    build_survey_demo()  # a second run changes nothing
    build_networking_demo()
    assert Campaign.objects.filter(in_app=False).count() == 5
    # The demo pairs' questionnaires answered in «Мой кабинет» (mentoring/demo.py): mentees and
    # mentors of school № 1, and the mentees of the centre (the pair partner1 follows).
    assert Campaign.objects.filter(in_app=True).count() == 3
    assert Response.objects.filter(status="submitted").count() > 20
    # One networking meeting, a program event with attendance, and the preference questionnaire after it.
    preference = Campaign.objects.get(questionnaire__kind="preference")
    meeting = preference.preference_of.event
    assert meeting.kind == ProgramEventKind.NETWORKING
    assert meeting.program.program_events.filter(kind=ProgramEventKind.NETWORKING).count() == 1
    assert 0 < meeting.invitations.filter(attended=True).count() < meeting.invitations.count()
    assert selectors.preference_rankings(campaigns_of(meeting))
    diagnosed = Response.objects.filter(campaign__title__contains="итоговая").first().respondent
    assert selectors.diagnostic_comparison(diagnosed).comparable
