"""Partners' pages: who sees what, the forms, and list pages with a constant number of queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.partners import services
from nastavnik.partners.models import Agreement, Partner, PartnerEmployee
from nastavnik.registry.models import Participation
from tests.builders import student_program

pytestmark = pytest.mark.django_db


def test_a_curator_registers_a_partner_from_the_form(client_for, school_x_curator, school_x):
    response = client_for(school_x_curator).post(
        reverse("partners:create"),
        {"owner": f"o{school_x.pk}", "kind": "university", "name": "ЮУрГУ", "inn": "7453019764"},
    )
    partner = Partner.objects.get()
    assert response.status_code == 302 and partner.owner_organisation == school_x


def test_a_wrong_inn_in_the_form_is_named(client_for, school_x_curator, school_x):
    response = client_for(school_x_curator).post(
        reverse("partners:create"), {"owner": f"o{school_x.pk}", "kind": "ngo", "name": "НКО", "inn": "123"}
    )
    assert "ИНН — 10 цифр" in response.content.decode()
    assert not Partner.objects.exists()


def test_school_y_sees_nothing_of_school_xs_partners(client_for, school_y_curator, partner, agreement):
    client = client_for(school_y_curator)
    assert partner.name not in client.get(reverse("partners:list")).content.decode()
    assert partner.name not in client.get(reverse("partners:agreements")).content.decode()
    assert client.get(reverse("partners:detail", args=[partner.pk])).status_code == 404
    assert client.get(reverse("partners:edit", args=[partner.pk])).status_code == 404
    assert client.get(reverse("partners:agreement_edit", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("partners:agreement_scan", args=[agreement.pk])).status_code == 404
    response = client.post(
        reverse("partners:agreement_create", args=[partner.pk]),
        {
            "number": "9",
            "signed_on": "2026-09-01",
            "starts_on": "2026-09-01",
            "subject": "x",
            "status": "active",
            "remind_days": 30,
        },
    )
    assert response.status_code == 404 and Agreement.objects.count() == 1


def test_the_municipality_reads_a_schools_partner_but_does_not_change_it(
    client_for, municipal_curator_a, partner
):
    client = client_for(municipal_curator_a)
    assert client.get(reverse("partners:detail", args=[partner.pk])).status_code == 200
    assert client.get(reverse("partners:edit", args=[partner.pk])).status_code == 403


def test_a_stranger_is_refused(client_for, no_role_user, partner):
    client = client_for(no_role_user)
    assert client.get(reverse("partners:list")).status_code == 403
    assert client.get(reverse("partners:detail", args=[partner.pk])).status_code == 404


def test_an_agreement_with_a_scan_is_added_and_the_scan_served(client_for, school_x_curator, partner):
    client = client_for(school_x_curator)
    client.post(
        reverse("partners:agreement_create", args=[partner.pk]),
        {
            "number": "5",
            "signed_on": "2026-09-01",
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-30",
            "subject": "Профориентация",
            "status": "active",
            "remind_days": 30,
            "scan": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    agreement = Agreement.objects.get()
    assert agreement.scan
    response = client.get(reverse("partners:agreement_scan", args=[agreement.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # read to the end: the client then closes the file


def test_a_curator_adds_an_employee_and_makes_him_a_mentor(client_for, school_x_curator, school_x, partner):
    program = student_program(school_x, "employer-pupil")
    client = client_for(school_x_curator)
    client.post(
        reverse("partners:employee_add", args=[partner.pk]),
        {"organisation": school_x.pk, "last_name": "Шубин", "first_name": "Андрей", "position": "инженер"},
    )
    employee = PartnerEmployee.objects.get()
    client.post(
        reverse("partners:employee_mentor", args=[partner.pk, employee.pk]),
        {
            f"e{employee.pk}-program": program.pk,
            f"e{employee.pk}-consent_signed_on": "2026-09-01",
            f"e{employee.pk}-capacity": 2,
        },
    )
    participation = Participation.objects.get(person=employee.person)
    assert participation.role == "mentor" and participation.capacity == 2


def _partners(school, curator, n):
    for i in range(n):
        partner = services.partner_create(
            acting_user=curator, owner_organisation=school, kind="ngo", name=f"НКО {i}"
        )
        services.agreement_create(
            acting_user=curator,
            partner=partner,
            number=str(i),
            signed_on=dt.date(2026, 9, 1),
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 9, 20 + i),
            subject="x",
        )


@pytest.mark.parametrize("url_name", ["partners:list", "partners:agreements"])
def test_the_lists_take_the_same_number_of_queries_for_one_and_many(
    url_name, client_for, school_x_curator, school_x, django_assert_num_queries
):
    client = client_for(school_x_curator)
    _partners(school_x, school_x_curator, 1)
    client.get(reverse(url_name))  # warm the session
    with django_assert_num_queries(PINNED[url_name]) as one:
        client.get(reverse(url_name))
    _partners(school_x, school_x_curator, 4)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse(url_name))


PINNED = {"partners:list": 6, "partners:agreements": 5}


def test_the_employees_card_shows_his_partner_and_links_an_unlinked_one(
    client_for, school_x_curator, school_x, partner, employee
):
    from tests.factories import PersonFactory

    client = client_for(school_x_curator)
    card = client.get(reverse("registry:person_detail", args=[employee.person.pk])).content.decode()
    assert reverse("partners:person_panel", args=[employee.person.pk]) in card
    panel = client.get(reverse("partners:person_panel", args=[employee.person.pk])).content.decode()
    assert partner.name in panel
    loose = PersonFactory(
        organisation=school_x, kind="partner_employee", employer="завод", grade=None, class_letter=""
    )
    client.post(reverse("partners:person_panel", args=[loose.pk]), {"partner": partner.pk})
    loose.refresh_from_db()
    assert loose.partner_employment.partner == partner and loose.employer == partner.name


def test_another_school_gets_no_panel_and_cannot_link(client_for, school_y_curator, employee, partner):
    client = client_for(school_y_curator)
    assert client.get(reverse("partners:person_panel", args=[employee.person.pk])).status_code == 404
    assert (
        client.post(
            reverse("partners:person_panel", args=[employee.person.pk]), {"partner": partner.pk}
        ).status_code
        == 404
    )
