"""The preference questionnaire of a networking meeting (mentoring/services/preferences.py): the meeting is
a program event (mentoring/services/events.py), the questionnaire after it is a campaign of the surveys app
that goes to and offers exactly the program's mentors and mentees marked present, sent from the
meeting's page; the campaign pages show the meeting; matching reads the ranks."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nastavnik.base.time import local_today
from nastavnik.matching.preferences import load_preferences
from nastavnik.mentoring.models import EventInvitation, ProgramEvent, ProgramEventKind
from nastavnik.mentoring.services import events, preferences
from nastavnik.mentoring.services.events import attendance_for_events
from nastavnik.surveys import selectors
from nastavnik.surveys.models import Campaign
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import links as link_services
from nastavnik.surveys.services import responses as response_services
from tests.surveys.conftest import mentee, mentor, networking_meeting, response_of, student, submit

pytestmark = pytest.mark.django_db


class TestNetworkingMeeting:
    """The networking meeting is a program event (mentoring/services/events.py); the preference
    questionnaire after it goes to and offers the program's mentors and mentees marked present."""

    @pytest.fixture
    def meeting(self, program_x, school_x, school_x_curator):
        people = {
            "mentee_came": student(school_x, last_name="Пришедшая"),
            "mentee_absent": student(school_x, last_name="Отсутствующий"),
            "mentor_came": student(school_x, grade=10, last_name="Наставникова"),
            "mentor_absent": student(school_x, grade=10, last_name="Неявкин"),
        }
        roles = {
            name: (mentee if name.startswith("mentee") else mentor)(program_x, p)
            for name, p in people.items()
        }
        meeting = networking_meeting(
            program_x, school_x_curator, present=[roles["mentee_came"], roles["mentor_came"]]
        )
        return meeting, people

    def test_attendance_is_recorded_on_the_program_event(self, meeting):
        meeting, people = meeting
        assert meeting.kind == ProgramEventKind.NETWORKING
        # Candidates are invited: the meeting comes before pairs are formed.
        assert meeting.invitations.filter(participation__isnull=False).count() == 4
        assert set(meeting.invitations.filter(attended=True).values_list("person_id", flat=True)) == {
            people["mentee_came"].pk,
            people["mentor_came"].pk,
        }
        attendance = attendance_for_events([meeting.pk])[meeting.pk]
        assert (attendance.invited, attendance.present) == (4, 2)

    def test_the_preference_questionnaire_goes_to_and_offers_exactly_who_attended(
        self, client, meeting, copy_template, program_x, school_x_curator
    ):
        meeting, people = meeting
        questionnaire = copy_template("preference")
        with pytest.raises(ValidationError, match="общую встречу"):
            campaign_services.campaign_create(
                acting_user=school_x_curator,
                program=program_x,
                questionnaire=questionnaire,
                title="",
                deadline_on=local_today() + dt.timedelta(days=2),
            )
        campaign = preferences.preference_campaign_create(
            acting_user=school_x_curator,
            event=meeting,
            questionnaire=questionnaire,
            title="",
            deadline_on=local_today() + dt.timedelta(days=2),
        )
        campaign_services.campaign_add_rank_candidates(acting_user=school_x_curator, campaign=campaign)
        assert set(campaign.responses.values_list("respondent_id", flat=True)) == {
            people["mentee_came"].pk,
            people["mentor_came"].pk,
        }
        response = response_of(campaign, people["mentee_came"])
        token = link_services.link_issue(acting_user=school_x_curator, response=response, channel="manual")
        page = client.get(reverse("surveys_public:respond", args=[token])).content.decode()
        ranking = questionnaire.questions.get(kind="rank_people")
        offered = set(re.findall(r'<option value="(\d+)"', page))
        # The mentee is offered the mentor who came: not the absent ones, not herself.
        assert offered == {str(people["mentor_came"].pk)}
        assert "Неявкин" not in page and "Отсутствующий" not in page

        with pytest.raises(ValidationError, match="участников встречи"):
            response_services.answer_save(
                response=response, question=ranking, raw=[str(people["mentor_absent"].pk)]
            )
        response_services.answer_save(
            response=response, question=ranking, raw=[str(people["mentor_came"].pk)]
        )
        with pytest.raises(ValidationError, match="дважды"):
            response_services.answer_save(
                response=response, question=ranking, raw=[str(people["mentor_came"].pk)] * 2
            )

    def test_guests_and_people_without_consent_are_neither_sent_nor_offered(
        self, copy_template, program_x, school_x, school_x_curator
    ):
        chooser = mentee(program_x, student(school_x, last_name="Выбирающая"))
        came = mentor(program_x, student(school_x, grade=10, last_name="Согласный"))
        no_consent = mentor(program_x, student(school_x, grade=10, last_name="Безсогласия", consent=False))
        meeting = networking_meeting(program_x, school_x_curator, present=[chooser, came, no_consent])
        # A parent came with the mentee: a guest of the event, not a participant of the program.
        guest = chooser.person.guardian_links.get().guardian
        EventInvitation.objects.create(event=meeting, person=guest, attended=True)
        questionnaire = copy_template("preference")
        campaign = preferences.preference_campaign_create(
            acting_user=school_x_curator,
            event=meeting,
            questionnaire=questionnaire,
            title="",
            deadline_on=local_today() + dt.timedelta(days=2),
        )
        result = campaign_services.campaign_add_rank_candidates(
            acting_user=school_x_curator, campaign=campaign
        )
        assert set(campaign.responses.values_list("respondent_id", flat=True)) == {
            chooser.person_id,
            came.person_id,
        }
        assert [person for person, _ in result.excluded] == [no_consent.person]
        ranking = questionnaire.questions.get(kind="rank_people")
        offered = response_services.allowed_people_for(ranking, response_of(campaign, chooser.person))
        assert [i.person_id for i in offered] == [came.person_id]

    def test_only_a_networking_meeting_of_the_same_program_is_accepted(
        self, copy_template, program_x, program_y, school_x_curator, school_x
    ):
        mentee(program_x, student(school_x))
        game = events.event_create(
            acting_user=school_x_curator,
            program=program_x,
            kind=ProgramEventKind.FINAL_GAME,
            title="Деловая игра",
            starts_at=timezone.now() - dt.timedelta(hours=1),
        )
        elsewhere = ProgramEvent.objects.create(
            program=program_y,
            kind=ProgramEventKind.NETWORKING,
            title="Общая встреча в школе Y",
            starts_at=timezone.now() - dt.timedelta(hours=1),
        )
        questionnaire = copy_template("preference")
        for event, message in ((game, "не общая встреча"), (elsewhere, "другой программе")):
            with pytest.raises(ValidationError, match=message):
                preferences.preference_campaign_create(
                    acting_user=school_x_curator,
                    event=event,
                    questionnaire=questionnaire,
                    title="",
                    deadline_on=local_today() + dt.timedelta(days=2),
                )
        assert not Campaign.objects.exists()

    def test_the_meeting_page_sends_the_preference_questionnaire_to_those_present(
        self, client_for, meeting, copy_template, school_x_curator
    ):
        meeting, people = meeting
        questionnaire = copy_template("preference")
        client = client_for(school_x_curator)
        event_url = reverse("mentoring:event_detail", args=[meeting.pk])
        page = client.get(event_url).content.decode()
        start = reverse("mentoring:event_preference_campaign", args=[meeting.pk])
        assert "Разослать анкету предпочтений" in page and start in page
        # A link saved from the meeting's page before leads to the same form.
        old_link = reverse("surveys:campaign_create") + f"?meeting={meeting.pk}"
        assert client.get(old_link).url == start

        opened = client.get(start)
        form = opened.context["form"]
        assert form.initial["questionnaire"] == questionnaire.pk
        assert event_url in opened.content.decode()  # the way back to the meeting
        response = client.post(
            start,
            {
                "questionnaire": questionnaire.pk,
                "title": "Выбор после общей встречи",
                "deadline_on": (local_today() + dt.timedelta(days=3)).isoformat(),
            },
        )
        campaign = Campaign.objects.get(preference_of__event=meeting)
        assert response.url == reverse("surveys:campaign_recipients", args=[campaign.pk])
        client.post(response.url, {"meeting_attendees": "1"})
        assert campaign.responses.count() == 2

        submit(
            response_of(campaign, people["mentee_came"]),
            {"preference_ranking": [str(people["mentor_came"].pk)]},
        )
        page = client.get(event_url).content.decode()
        assert "Выбор после общей встречи" in page and "1 из 2" in page
        assert "Выбор участников после встречи" in page and "1. " + people["mentor_came"].full_name in page
        # The campaign's pages show the meeting (the pairs' side, loaded by HTMX).
        pieces_url = reverse("mentoring:campaign_links", args=[campaign.pk])
        for name in ("surveys:campaign_detail", "surveys:campaign_recipients"):
            page = client.get(reverse(name, args=[campaign.pk])).content.decode()
            assert f'id="campaign-meeting-{campaign.pk}"' in page and pieces_url in page, name
        listing = client.get(reverse("surveys:campaign_list")).content.decode()
        assert f'id="campaign-meeting-{campaign.pk}"' in listing
        assert reverse("mentoring:campaign_meetings") in listing
        day = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.program.organisation.timezone))
        for url in (pieces_url, reverse("mentoring:campaign_meetings")):
            pieces = client.get(url).content.decode()
            assert f'id="campaign-meeting-{campaign.pk}" hx-swap-oob="true"' in pieces, url
            assert event_url in pieces and f"общая встреча {day:%d.%m.%Y}" in pieces, url

    def test_the_meeting_page_runs_the_same_queries_for_1_and_3_questionnaires(
        self, client_for, meeting, copy_template, open_campaign, school_x_curator
    ):
        meeting, people = meeting
        client = client_for(school_x_curator)
        url = reverse("mentoring:event_detail", args=[meeting.pk])

        def send_and_answer():
            campaign, _ = open_campaign(copy_template("preference"), [], meeting=meeting)
            campaign_services.campaign_add_rank_candidates(acting_user=school_x_curator, campaign=campaign)
            for chooser, chosen in (("mentee_came", "mentor_came"), ("mentor_came", "mentee_came")):
                submit(
                    response_of(campaign, people[chooser]), {"preference_ranking": [str(people[chosen].pk)]}
                )

        def queries():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        send_and_answer()
        few = queries()
        send_and_answer()
        send_and_answer()
        assert queries() == few


class TestStatedPreferences:
    def test_the_rankings_after_a_meeting_reach_matching(
        self, copy_template, program_x, school_x, school_x_curator
    ):
        mentees = [student(school_x) for _ in range(2)]
        mentors = [student(school_x, grade=10) for _ in range(2)]
        parts = [mentee(program_x, p) for p in mentees] + [mentor(program_x, p) for p in mentors]
        meeting = networking_meeting(program_x, school_x_curator, present=parts)
        questionnaire = copy_template("preference")
        campaign = preferences.preference_campaign_create(
            acting_user=school_x_curator,
            event=meeting,
            questionnaire=questionnaire,
            title="",
            deadline_on=local_today() + dt.timedelta(days=1),
        )
        campaign_services.campaign_add_rank_candidates(acting_user=school_x_curator, campaign=campaign)
        submit(
            response_of(campaign, mentees[0]),
            {"preference_ranking": [str(mentors[1].pk), str(mentors[0].pk)]},
        )
        submit(response_of(campaign, mentors[0]), {"preference_ranking": [str(mentees[0].pk)]})
        assert selectors.preference_rankings(preferences.campaigns_of(meeting)) == {
            mentees[0].pk: [mentors[1].pk, mentors[0].pk],
            mentors[0].pk: [mentees[0].pk],
        }
        # Matching reads the same ranks, both directions, keyed (mentee, mentor).
        stated = load_preferences(program_x)
        assert dict(stated.by_mentee) == {
            (mentees[0].pk, mentors[1].pk): 1,
            (mentees[0].pk, mentors[0].pk): 2,
        }
        assert dict(stated.by_mentor) == {(mentees[0].pk, mentors[0].pk): 1}
