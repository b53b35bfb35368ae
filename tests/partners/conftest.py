import datetime as dt

import pytest

from nastavnik.partners import services
from nastavnik.partners.models import PartnerKind
from tests.mentoring.conftest import account_for  # noqa: F401

INN = "7707083893"  # a real, checksum-valid ИНН (ПАО Сбербанк)


@pytest.fixture
def partner(school_x, school_x_curator):
    return services.partner_create(
        acting_user=school_x_curator,
        owner_organisation=school_x,
        kind=PartnerKind.EMPLOYER,
        name="АО «Завод»",
        inn=INN,
    )


@pytest.fixture
def agreement(partner, school_x_curator):
    return services.agreement_create(
        acting_user=school_x_curator,
        partner=partner,
        number="1",
        signed_on=dt.date(2026, 9, 1),
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 8, 31),
        subject="Наставничество «работодатель – ученик»",
    )


@pytest.fixture
def employee(partner, school_x, school_x_curator):
    return services.employee_add(
        acting_user=school_x_curator,
        partner=partner,
        organisation=school_x,
        last_name="Шубин",
        first_name="Андрей",
        position="инженер",
    )
