"""Fixed users at each level, as healthchecks does: a region, municipality A with schools X and
Y, municipality B with school Z, and the people who work there. School Y's curator is the
"stranger" who must see nothing of school X."""

from __future__ import annotations

import pytest
from django.test import Client

from nastavnik.accounts.models import Role
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    user_with_role,
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_fragments():
    """Each test starts without renderings kept by another (their keys hold what they show, but a
    test may patch the code that renders them)."""
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture
def region(db):
    return RegionFactory(name="Тестовая область")


@pytest.fixture
def municipality_a(region):
    return MunicipalityFactory(region=region, name="Район А")


@pytest.fixture
def municipality_b(region):
    return MunicipalityFactory(region=region, name="Район Б")


@pytest.fixture
def other_region_municipality(db):
    return MunicipalityFactory(region=RegionFactory(name="Другая область"), name="Район В")


@pytest.fixture
def school_x(municipality_a):
    return OrganisationFactory(municipality=municipality_a, short_name="Школа X")


@pytest.fixture
def school_y(municipality_a):
    return OrganisationFactory(municipality=municipality_a, short_name="Школа Y")


@pytest.fixture
def school_z(municipality_b):
    return OrganisationFactory(municipality=municipality_b, short_name="Школа Z")


@pytest.fixture
def regional_user(region):
    return user_with_role(Role.REGIONAL_CENTRE, region=region)


@pytest.fixture
def municipal_curator_a(municipality_a):
    return user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_a)


@pytest.fixture
def school_x_curator(school_x):
    return user_with_role(Role.PROGRAM_CURATOR, organisation=school_x)


@pytest.fixture
def school_x_admin(school_x):
    return user_with_role(Role.ORG_ADMIN, organisation=school_x)


@pytest.fixture
def school_x_specialist(school_x):
    return user_with_role(Role.SPECIALIST, organisation=school_x)


@pytest.fixture
def school_y_curator(school_y):
    return user_with_role(Role.PROGRAM_CURATOR, organisation=school_y)


@pytest.fixture
def no_role_user(db):
    return UserFactory()


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def consent(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    """A consent to processing of a teacher of school X, its scan stored (`SCAN_PDF`)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from nastavnik.registry.services import people as services
    from tests.factories import SCAN_PDF, PersonFactory

    person = PersonFactory(
        organisation=school_x, kind="teacher", birth_date=None, grade=None, class_letter=""
    )
    return services.consent_record(
        acting_user=school_x_curator,
        subject=person,
        kind="processing",
        given_by="self",
        representative=None,
        signed_on=dt.date(2026, 9, 1),
        valid_until=None,
        document=SimpleUploadedFile("Петров Иван согласие.pdf", SCAN_PDF, content_type="application/pdf"),
    )
