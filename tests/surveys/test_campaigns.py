"""Campaigns: a selection from the registry, nobody without consent is sent anything, third
parties answer about a mentee, e-mail invitations and idempotent reminders, links and paper.
(The preference questionnaire of a networking meeting: tests/mentoring/test_preferences.py.)"""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nastavnik.base.time import local_today
from nastavnik.surveys.models import Campaign, CampaignExclusion, Response, ResponseLink
from nastavnik.surveys.services import campaigns as campaign_services
from nastavnik.surveys.services import links as link_services
from tests.factories import TeacherFactory, give_consent
from tests.surveys.conftest import response_of, student


@pytest.fixture
def entry_campaign(copy_template, program_x, school_x_curator):
    questionnaire = copy_template("mentee_entry")
    return campaign_services.campaign_create(
        acting_user=school_x_curator,
        program=program_x,
        questionnaire=questionnaire,
        title="Анкета наставляемого, 7–9 классы",
        deadline_on=local_today() + dt.timedelta(days=10),
    )


class TestRecipients:
    def test_a_class_range_is_selected_through_registry_filters_and_people_without_consent_are_listed(
        self, client_for, school_x_curator, school_x, school_y, entry_campaign
    ):
        seventh = student(school_x, grade=7, last_name="Семёнова")
        ninth = student(school_x, grade=9, last_name="Девятов")
        no_consent = student(school_x, grade=8, last_name="Безсогласия", consent=False)
        student(school_x, grade=10, last_name="Десятов")
        student(school_y, grade=8, last_name="Чужой")
        client = client_for(school_x_curator)
        recipients_url = reverse("surveys:campaign_recipients", args=[entry_campaign.pk])

        preview = client.get(
            recipients_url, {"grade_from": 7, "grade_to": 9, "kind": "student"}
        ).content.decode()
        assert "Найдено: <strong>3</strong>" in preview
        assert "Десятов" not in preview and "Чужой" not in preview
        assert "нет согласия законного представителя" in preview

        client.post(recipients_url, {"grade_from": 7, "grade_to": 9, "kind": "student"})
        assert set(entry_campaign.responses.values_list("respondent_id", flat=True)) == {seventh.pk, ninth.pk}
        exclusion = CampaignExclusion.objects.get(campaign=entry_campaign)
        assert exclusion.person == no_consent and "согласия" in exclusion.reason
        page = client.get(reverse("surveys:campaign_detail", args=[entry_campaign.pk])).content.decode()
        assert "Не получили анкету (1)" in page and "Безсогласия" in page

    def test_a_person_without_consent_gets_no_link_and_no_mail(
        self, entry_campaign, school_x, school_x_curator
    ):
        pupil = student(school_x, consent=False, email="pupil@example.org")
        result = campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        assert result.added == 0 and len(result.excluded) == 1
        link_services.campaign_send_invitations(acting_user=school_x_curator, campaign=entry_campaign)
        assert mail.outbox == [] and not ResponseLink.objects.exists()

    def test_adding_again_after_consent_is_recorded_clears_the_exclusion(
        self, entry_campaign, school_x, school_x_curator
    ):
        pupil = student(school_x, consent=False)
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        give_consent(
            pupil, by=pupil.guardian_links.get().guardian, signed_on=local_today() - dt.timedelta(days=1)
        )
        result = campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        assert result.added == 1 and not CampaignExclusion.objects.exists()
        again = campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        assert again.already == 1 and Response.objects.count() == 1

    def test_people_of_another_organisation_are_not_added(self, entry_campaign, school_y, school_x_curator):
        result = campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[student(school_y)]
        )
        assert result.added == 0 and result.excluded[0][1] == "из другой организации"

    def test_a_deadline_in_the_past_is_refused(self, copy_template, program_x, school_x_curator):
        with pytest.raises(ValidationError, match="в прошлом"):
            campaign_services.campaign_create(
                acting_user=school_x_curator,
                program=program_x,
                questionnaire=copy_template("mentee_entry"),
                title="",
                deadline_on=local_today() - dt.timedelta(days=1),
            )


class TestThirdParty:
    def test_guardians_answer_about_each_mentee(self, copy_template, program_x, school_x, school_x_curator):
        questionnaire = copy_template("third_party")
        campaign = campaign_services.campaign_create(
            acting_user=school_x_curator,
            program=program_x,
            questionnaire=questionnaire,
            title="",
            deadline_on=local_today() + dt.timedelta(days=5),
        )
        pupil = student(school_x)
        without = student(school_x, consent=False)
        result = campaign_services.campaign_add_third_party(
            acting_user=school_x_curator, campaign=campaign, subjects=[pupil, without]
        )
        response = Response.objects.get(campaign=campaign)
        assert response.about_person == pupil and response.respondent == pupil.guardian_links.get().guardian
        assert response.subject == pupil
        assert [p for p, _ in result.excluded] == [without]

    def test_a_specialist_answers_about_several_mentees(
        self, copy_template, program_x, school_x, school_x_curator, client_for
    ):
        questionnaire = copy_template("third_party")
        campaign = campaign_services.campaign_create(
            acting_user=school_x_curator,
            program=program_x,
            questionnaire=questionnaire,
            title="",
            deadline_on=local_today() + dt.timedelta(days=5),
        )
        psychologist = TeacherFactory(organisation=school_x, position="Педагог-психолог")
        pupils = [student(school_x, grade=7), student(school_x, grade=7)]
        client_for(school_x_curator).post(
            reverse("surveys:campaign_recipients", args=[campaign.pk]),
            {"grade_from": 7, "grade_to": 7, "respondent": psychologist.pk},
        )
        assert set(
            Response.objects.filter(campaign=campaign).values_list("respondent_id", "about_person_id")
        ) == {(psychologist.pk, p.pk) for p in pupils}


class TestDelivery:
    def test_invitations_go_once_to_those_with_an_email(self, entry_campaign, school_x, school_x_curator):
        with_mail = student(school_x, email="anna@example.org")
        student_without = student(school_x)
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[with_mail, student_without]
        )
        result = link_services.campaign_send_invitations(
            acting_user=school_x_curator, campaign=entry_campaign
        )
        assert (result.sent, result.without_email) == (1, 1)
        assert mail.outbox[0].to == ["anna@example.org"]
        assert "/a/" in mail.outbox[0].body and "Заполнить можно до" in mail.outbox[0].body
        link_services.campaign_send_invitations(acting_user=school_x_curator, campaign=entry_campaign)
        assert len(mail.outbox) == 1

    def test_the_link_in_the_email_opens_the_questionnaire(
        self, client, entry_campaign, school_x, school_x_curator
    ):
        pupil = student(school_x, email="anna@example.org")
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        link_services.campaign_send_invitations(
            acting_user=school_x_curator, campaign=entry_campaign, base_url="http://testserver/"
        )
        link = next(line for line in mail.outbox[0].body.splitlines() if "/a/" in line)
        assert pupil.full_name in client.get(link.replace("http://testserver", "")).content.decode()

    def test_reminders_are_idempotent_and_stop_after_submission(
        self, entry_campaign, school_x, school_x_curator
    ):
        anna = student(school_x, email="anna@example.org")
        boris = student(school_x, email="boris@example.org")
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[anna, boris]
        )
        link_services.campaign_send_invitations(acting_user=school_x_curator, campaign=entry_campaign)
        mail.outbox.clear()
        Response.objects.update(invited_at=timezone.now() - dt.timedelta(days=4))
        Response.objects.filter(respondent=boris).update(status="submitted")

        call_command("send_survey_reminders", stdout=io.StringIO())
        assert [m.to for m in mail.outbox] == [["anna@example.org"]]
        assert "Напоминание" in mail.outbox[0].subject
        call_command("send_survey_reminders", stdout=io.StringIO())
        assert len(mail.outbox) == 1
        assert response_of(entry_campaign, anna).reminder_count == 1

        later = timezone.now() + dt.timedelta(days=4)
        assert link_services.send_due_reminders(now=later) == 1
        assert link_services.send_due_reminders(now=later) == 0

    def test_reminders_skip_people_whose_consent_lapsed_and_closed_campaigns(
        self, entry_campaign, school_x, school_x_curator
    ):
        from nastavnik.registry.models import Consent

        anna = student(school_x, email="anna@example.org")
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[anna]
        )
        link_services.campaign_send_invitations(acting_user=school_x_curator, campaign=entry_campaign)
        mail.outbox.clear()
        Response.objects.update(invited_at=timezone.now() - dt.timedelta(days=4))
        Consent.objects.filter(subject=anna).update(revoked_on=local_today() - dt.timedelta(days=1))
        assert link_services.send_due_reminders() == 0
        Consent.objects.filter(subject=anna).update(revoked_on=None)
        Campaign.objects.update(deadline=timezone.now() - dt.timedelta(hours=1))
        assert link_services.send_due_reminders() == 0
        assert mail.outbox == []

    def test_the_links_page_shows_fresh_links_and_the_old_ones_keep_working(
        self, client, client_for, entry_campaign, school_x, school_x_curator
    ):
        pupil = student(school_x)
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        first = link_services.links_issue(
            acting_user=school_x_curator, campaign=entry_campaign, channel="manual"
        )[0][1]
        page = client_for(school_x_curator).post(reverse("surveys:campaign_links", args=[entry_campaign.pk]))
        assert page["Cache-Control"] == "no-store"
        # One fresh link, shown in its row and in the «copy all» box.
        assert len(set(re.findall(r"/a/[\w-]+", page.content.decode()))) == 1
        assert client.get(reverse("surveys_public:respond", args=[first])).status_code == 200

    def test_the_printable_pdf_has_a_page_per_respondent(
        self, client_for, entry_campaign, school_x, school_x_curator
    ):
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator,
            campaign=entry_campaign,
            people=[student(school_x), student(school_x)],
        )
        response = client_for(school_x_curator).post(
            reverse("surveys:campaign_print", args=[entry_campaign.pk])
        )
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
        assert ResponseLink.objects.filter(channel="print").count() == 2

    def test_a_curator_enters_a_paper_questionnaire(
        self, client_for, entry_campaign, school_x, school_x_curator
    ):
        pupil = student(school_x)
        campaign_services.campaign_add_recipients(
            acting_user=school_x_curator, campaign=entry_campaign, people=[pupil]
        )
        response = response_of(entry_campaign, pupil)
        goals = entry_campaign.questionnaire.questions.get(code="mentee_goals")
        who = entry_campaign.questionnaire.questions.get(code="mentee_preferred_mentor")
        client_for(school_x_curator).post(
            reverse("surveys:response_detail", args=[response.pk]),
            {"action": "submit", f"q{goals.pk}": ["career"], f"q{who.pk}": "employer"},
        )
        response.refresh_from_db()
        assert response.status == "submitted" and response.entered_by == school_x_curator
