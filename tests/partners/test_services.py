import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nastavnik.partners import services
from nastavnik.partners.models import PartnerKind, inn_checksum_ok
from nastavnik.registry.models import ParticipationRole, PersonKind
from tests.builders import student_program

pytestmark = pytest.mark.django_db


def test_a_school_registers_a_partner_and_an_agreement(partner, agreement):
    assert partner.owner_organisation is not None
    assert agreement.is_in_force(dt.date(2026, 10, 1))
    assert not agreement.is_in_force(dt.date(2027, 9, 1))
    assert agreement.state_label(dt.date(2027, 9, 1)) == "Истекло"


def test_a_municipality_registers_its_own_partner(municipal_curator_a, municipality_a):
    partner = services.partner_create(
        acting_user=municipal_curator_a,
        owner_municipality=municipality_a,
        kind=PartnerKind.COLLEGE,
        name="Техникум",
    )
    assert partner.owner_municipality == municipality_a


def test_another_school_cannot_register_a_partner_for_school_x(school_y_curator, school_x):
    with pytest.raises(PermissionDenied):
        services.partner_create(
            acting_user=school_y_curator, owner_organisation=school_x, kind="ngo", name="НКО"
        )


def test_another_school_cannot_change_the_partner_nor_add_agreements(school_y_curator, partner):
    with pytest.raises(PermissionDenied):
        services.partner_update(acting_user=school_y_curator, partner=partner, name="Чужое")
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            acting_user=school_y_curator,
            partner=partner,
            number="2",
            signed_on=dt.date(2026, 9, 1),
            starts_on=dt.date(2026, 9, 1),
            subject="x",
        )


def test_a_wrong_inn_is_refused_naming_the_field(school_x, school_x_curator):
    with pytest.raises(ValidationError) as error:
        services.partner_create(
            acting_user=school_x_curator,
            owner_organisation=school_x,
            kind="employer",
            name="X",
            inn="7707083894",
        )
    assert "контрольная цифра" in str(error.value.message_dict["inn"])
    assert inn_checksum_ok("7707083893") and inn_checksum_ok("500100732259")


def test_an_agreement_cannot_end_before_it_starts(partner, school_x_curator):
    with pytest.raises(ValidationError) as error:
        services.agreement_create(
            acting_user=school_x_curator,
            partner=partner,
            number="2",
            signed_on=dt.date(2026, 9, 1),
            starts_on=dt.date(2026, 9, 1),
            ends_on=dt.date(2026, 8, 1),
            subject="x",
        )
    assert "ends_on" in error.value.message_dict


def test_prolonging_an_agreement_resets_its_reminder(agreement, school_x_curator):
    agreement.reminded_for = agreement.ends_on
    agreement.save()
    services.agreement_update(acting_user=school_x_curator, agreement=agreement, ends_on=dt.date(2028, 8, 31))
    agreement.refresh_from_db()
    assert agreement.reminded_for is None


def test_an_employee_is_a_registry_person_linked_to_the_partner(employee, partner):
    person = employee.person
    assert person.kind == PersonKind.PARTNER_EMPLOYEE
    assert person.employer == partner.name
    assert person.partner_employment.partner == partner


def test_an_employee_becomes_a_mentor_once_his_consent_is_recorded(employee, school_x, school_x_curator):
    program = student_program(school_x, "employer-pupil")
    with pytest.raises(ValidationError) as error:
        services.employee_make_mentor(acting_user=school_x_curator, employee=employee, program=program)
    assert "нет согласия" in error.value.messages[0]
    participation = services.employee_make_mentor(
        acting_user=school_x_curator,
        employee=employee,
        program=program,
        consent_signed_on=dt.date(2026, 9, 1),
    )
    assert participation.role == ParticipationRole.MENTOR and participation.person == employee.person


def test_a_school_cannot_add_employees_of_another_schools_partner(school_y_curator, school_y, partner):
    with pytest.raises(PermissionDenied):
        services.employee_add(
            acting_user=school_y_curator,
            partner=partner,
            organisation=school_y,
            last_name="А",
            first_name="Б",
        )
