"""The data migration partners 0002: an organisation marked «партнёр» in the admin becomes a partner
of its municipality, and the employer written on a partner employee becomes a partner of his
school, the employee linked to it. Run with the migration executor on the test database."""

from __future__ import annotations

import pytest

from nastavnik.home.reference import ensure_reference_data
from nastavnik.orgs.models import OrganisationKind
from nastavnik.partners.models import Partner, PartnerEmployee
from nastavnik.registry.models import PersonKind
from tests.factories import OrganisationFactory, PersonFactory
from tests.migrations import latest_nodes, migrate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    ensure_reference_data()


def test_marked_organisations_and_employers_become_partners(school_x):
    marked = OrganisationFactory(
        municipality=school_x.municipality,
        kind=OrganisationKind.PARTNER,
        short_name="Завод",
        name="АО «Завод»",
    )
    employee = PersonFactory(
        organisation=school_x,
        kind=PersonKind.PARTNER_EMPLOYEE,
        employer="ООО  «Ромашка»",
        grade=None,
        class_letter="",
        birth_date=None,
    )
    colleague = PersonFactory(
        organisation=school_x,
        kind=PersonKind.PARTNER_EMPLOYEE,
        employer="ооо «ромашка»",
        grade=None,
        class_letter="",
        birth_date=None,
    )
    latest = latest_nodes()
    try:
        migrate([("partners", "0001_partners_and_agreements")])
        migrate(latest)
    finally:
        migrate(latest)
    from_admin = Partner.objects.get(organisation=marked)
    assert from_admin.owner_municipality == school_x.municipality and from_admin.name == "АО «Завод»"
    employer = Partner.objects.get(owner_organisation=school_x)
    assert employer.name == "ООО «Ромашка»" and employer.kind == "employer"
    assert set(PartnerEmployee.objects.filter(partner=employer).values_list("person", flat=True)) == {
        employee.pk,
        colleague.pk,
    }
