"""The partner's contact sees only his own employees' pairs and the events they are invited to;
the renewal reminders; the partners' indicators on the dashboards."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.mentoring.access import get_program_event_for_user, visible_groups_for
from nastavnik.mentoring.models import EventInvitation, ProgramEvent
from nastavnik.mentoring.services import groups as group_services
from nastavnik.monitoring.extensions import collect_program_counts
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.orgs.models import MentoringForm
from nastavnik.partners import services
from nastavnik.partners.reminders import send_agreement_reminders
from tests.builders import mentee, student_program
from tests.factories import give_consent
from tests.mentoring.conftest import account_for, make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer_program(school_x):
    return student_program(school_x, "employer-pupil", "student-student")


@pytest.fixture
def employee_pair(employer_program, employee, school_x_curator):
    give_consent(employee.person)
    participation = services.employee_make_mentor(
        acting_user=school_x_curator, employee=employee, program=employer_program
    )
    return group_services.group_create(
        acting_user=school_x_curator,
        program=employer_program,
        form=MentoringForm.objects.get(code="employer-pupil", organisation__isnull=True),
        mentor=participation,
        mentees=[mentee(employer_program)],
        started_on=dt.date(2026, 10, 1),
    )


@pytest.fixture
def contact_user(partner, school_x, school_x_curator):
    colleague = services.employee_add(
        acting_user=school_x_curator,
        partner=partner,
        organisation=school_x,
        last_name="Горбунова",
        first_name="Татьяна",
        is_contact=True,
    )
    return account_for(colleague.person, Role.MENTOR)


def test_the_contact_sees_only_his_employees_pairs(
    contact_user, employee_pair, employer_program, school_x_curator
):
    other = make_pair(employer_program, school_x_curator)
    visible = set(visible_groups_for(contact_user))
    assert employee_pair in visible and other not in visible


def test_the_contact_opens_his_employees_pair_and_its_plan_print_but_not_another(
    client_for, contact_user, employee_pair, employer_program, school_x_curator
):
    other = make_pair(employer_program, school_x_curator)
    client = client_for(contact_user)
    assert client.get(reverse("mentoring:group_detail", args=[employee_pair.pk])).status_code == 200
    assert client.get(reverse("mentoring:group_detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("mentoring:my")).content.decode()
    assert "Пары наших сотрудников-наставников" in page


def test_a_contact_of_another_partner_sees_none_of_these_pairs(employee_pair, school_x, school_x_curator):
    stranger_partner = services.partner_create(
        acting_user=school_x_curator, owner_organisation=school_x, kind="ngo", name="Другая НКО"
    )
    stranger = services.employee_add(
        acting_user=school_x_curator,
        partner=stranger_partner,
        organisation=school_x,
        last_name="Иной",
        first_name="Пётр",
        is_contact=True,
    )
    user = account_for(stranger.person, Role.MENTOR)
    assert not visible_groups_for(user).exists()


def _event(program, person):
    event = ProgramEvent.objects.create(
        program=program,
        kind="other",
        title="Экскурсия на завод",
        starts_at=dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC),
    )
    if person is not None:
        EventInvitation.objects.create(event=event, person=person)
    return event


def test_the_contact_sees_the_events_his_employees_are_invited_to_only(
    contact_user, employee, employer_program
):
    from django.http import Http404

    invited = _event(employer_program, employee.person)
    not_invited = _event(employer_program, None)
    assert get_program_event_for_user(contact_user, invited.pk) == invited
    with pytest.raises(Http404):
        get_program_event_for_user(contact_user, not_invited.pk)


def test_renewal_reminders_go_once_to_the_schools_curators(agreement, school_x_curator):
    school_x_curator.email = "curator@school.test"
    school_x_curator.save()
    day = agreement.ends_on - dt.timedelta(days=10)
    assert send_agreement_reminders(agreement.ends_on - dt.timedelta(days=60)) == 0
    assert send_agreement_reminders(day) == 1
    assert mail.outbox[0].to == ["curator@school.test"] and "№ 1" in mail.outbox[0].body
    assert send_agreement_reminders(day) == 0
    assert len(mail.outbox) == 1


def test_the_partners_page_shows_agreements_due_for_renewal(client_for, school_x_curator, partner):
    from nastavnik.partners.access import user_today

    today = user_today(school_x_curator)
    services.agreement_create(
        acting_user=school_x_curator,
        partner=partner,
        number="77",
        signed_on=today - dt.timedelta(days=300),
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=10),
        subject="x",
    )
    page = client_for(school_x_curator).get(reverse("partners:list")).content.decode()
    assert "пора продлить" in page and "соглашение № 77" in page
    home = client_for(school_x_curator).get(reverse("home")).content.decode()
    assert "соглашение № 77" in home


def test_the_dashboard_counts_partners_with_mentors_and_agreements(
    employee_pair, agreement, partner, school_x, school_x_curator, municipal_curator_a
):
    services.partner_create(
        acting_user=school_x_curator, owner_organisation=school_x, kind="ngo", name="НКО без наставников"
    )
    day = dt.date(2026, 12, 1)
    counts = {
        c.code: c
        for c in collect_program_counts(
            school_x_curator, Scope(ORGANISATION, school_x, school_x.timezone), day
        )
    }
    assert counts["partners_with_mentors"].value == 50
    assert "1 из 2" in counts["partners_with_mentors"].title
    assert counts["partner_agreements"].value == 1
    municipality = school_x.municipality
    counts = {
        c.code: c
        for c in collect_program_counts(
            municipal_curator_a, Scope(MUNICIPALITY, municipality, "Europe/Moscow"), day
        )
    }
    assert counts["partner_agreements"].value == 1
    assert (
        collect_program_counts(
            school_x_curator, Scope(ORGANISATION, school_x, school_x.timezone), dt.date(2027, 9, 2)
        )[1].value
        == 0
    )


def test_a_scope_without_partners_gets_no_partner_rows(school_y, school_y_curator):
    scope = Scope(ORGANISATION, school_y, school_y.timezone)
    counts = collect_program_counts(school_y_curator, scope, dt.date(2026, 12, 1))
    assert not [c for c in counts if c.code.startswith("partner")]


def test_a_municipal_partners_reminder_goes_to_the_municipal_curator(municipal_curator_a, municipality_a):
    municipal_curator_a.email = "mun@edu.test"
    municipal_curator_a.save()
    partner = services.partner_create(
        acting_user=municipal_curator_a, owner_municipality=municipality_a, kind="college", name="Техникум"
    )
    agreement = services.agreement_create(
        acting_user=municipal_curator_a,
        partner=partner,
        number="M-1",
        signed_on=dt.date(2026, 1, 1),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        subject="x",
        remind_days=14,
    )
    assert send_agreement_reminders(agreement.ends_on - dt.timedelta(days=15)) == 0
    assert send_agreement_reminders(agreement.ends_on - dt.timedelta(days=14)) == 1
    assert mail.outbox[-1].to == ["mun@edu.test"]


def test_the_contact_follows_the_pair_without_reading_what_the_mentees_wrote(
    client_for, contact_user, employee_pair, school_x_curator
):
    from nastavnik.mentoring.models import Meeting, MeetingAttendance
    from tests.mentoring.conftest import give_feedback, hold

    meeting = hold(employee_pair, school_x_curator, dt.date(2026, 10, 5))
    MeetingAttendance.objects.filter(meeting=meeting).update(reflection="Мне было трудно дома")
    Meeting.objects.filter(pk=meeting.pk).update(mentor_reflection="Ученик расстроен")
    member = employee_pair.memberships.select_related("mentee__person").get()
    give_feedback(school_x_curator, employee_pair, member.mentee)
    meeting_url = reverse("mentoring:meeting_detail", args=[employee_pair.pk, meeting.pk])
    feedback_url = reverse("mentoring:feedback", args=[employee_pair.pk])
    report_url = reverse("mentoring:report", args=[employee_pair.pk])

    curator = client_for(school_x_curator)
    page = curator.get(meeting_url).content.decode()
    assert "Мне было трудно дома" in page and "Ученик расстроен" in page
    assert member.mentee.person.short_name in curator.get(feedback_url).content.decode()
    assert curator.get(report_url).status_code == 200

    contact = client_for(contact_user)
    page = contact.get(meeting_url).content.decode()
    assert "Встреча 05.10" in page and member.mentee.person.full_name in page
    assert "← Мой кабинет" in page and reverse("mentoring:group_list") + "?program=" not in page
    assert "Мне было трудно дома" not in page and "Ученик расстроен" not in page
    feedback = contact.get(feedback_url).content.decode()
    assert "читают наставник и куратор программы" in feedback
    assert member.mentee.person.short_name not in feedback
    assert report_url not in feedback  # no link to a page he may not open
    assert contact.get(report_url).status_code == 404
