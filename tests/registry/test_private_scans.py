"""Consent scans are private files: stored outside MEDIA_ROOT under a random name, checked by their
bytes, and served only to the staff of the person's organisation (and those who oversee it) — under
development settings (DEBUG, the URLs of `make run`) and production settings alike."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from nastavnik.registry.models import Consent
from nastavnik.registry.services import people as services
from tests.factories import SCAN_PDF

pytestmark = pytest.mark.django_db
PDF = SCAN_PDF


@pytest.fixture(params=["development", "production"])
def site(request, settings):
    """The URLs as `make run` (DEBUG) or a production server (no DEBUG) builds them."""
    settings.DEBUG = request.param == "development"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = request.param == "production"
    import nastavnik.urls

    importlib.reload(nastavnik.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = True
    importlib.reload(nastavnik.urls)
    clear_url_caches()


def download(client, consent):
    return client.get(reverse("registry:consent_document", args=[consent.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_scan_is_stored_privately_under_a_random_name(consent, settings):
    name = consent.document.name
    assert re.fullmatch(r"consents/[0-9a-f]{32}\.pdf", name)
    assert (Path(settings.PRIVATE_FILE_ROOT) / name).read_bytes() == PDF
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_anonymous_users_and_another_schools_curator_cannot_reach_a_scan(
    site, consent, client, client_for, school_y_curator, school_x_specialist
):
    for response in (
        download(client, consent),
        client.get(f"/media/{consent.document.name}"),
        client.get(f"/{consent.document.name}"),
    ):
        assert response.status_code in (302, 404) and PDF not in body(response)
    for stranger in (school_y_curator, school_x_specialist):
        response = download(client_for(stranger), consent)
        assert response.status_code == 404 and PDF not in body(response)


def test_the_curator_of_the_school_and_the_municipality_download_the_scan(
    site, consent, client_for, school_x_curator, municipal_curator_a
):
    for user in (school_x_curator, municipal_curator_a):
        response = download(client_for(user), consent)
        assert response.status_code == 200 and body(response) == PDF
        assert (
            "attachment" in response["Content-Disposition"]
            and "Петров" not in response["Content-Disposition"]
        )


def test_the_card_links_the_scan_only_for_those_who_may_open_it(
    consent, client_for, school_x_curator, school_x_specialist
):
    url = reverse("registry:person_detail", args=[consent.subject_id])
    link = reverse("registry:consent_document", args=[consent.pk])
    assert link in client_for(school_x_curator).get(url).content.decode()
    specialist_page = client_for(school_x_specialist).get(url)
    assert specialist_page.status_code in (200, 404) and link not in specialist_page.content.decode()


def test_nginx_and_apache_serve_the_file_themselves(consent, client_for, school_x_curator, settings):
    settings.PRIVATE_FILES_SERVE = "nginx"
    response = download(client_for(school_x_curator), consent)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{consent.document.name}"
    assert response["Content-Type"] == "application/pdf"
    settings.PRIVATE_FILES_SERVE = "apache"
    response = download(client_for(school_x_curator), consent)
    assert response["X-Sendfile"] == str(Path(settings.PRIVATE_FILE_ROOT).resolve() / consent.document.name)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.pdf", b"<html><script>alert(1)</script></html>", "не является файлом PDF"),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg", "не является файлом PNG"),
        ("scan.exe", b"MZ", "допустимые форматы"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(consent, school_x_curator, name, data, message):
    with pytest.raises(ValidationError, match=message):
        services.consent_record(
            acting_user=school_x_curator,
            subject=consent.subject,
            kind="distribution",
            given_by="self",
            representative=None,
            signed_on=consent.signed_on,
            valid_until=None,
            document=SimpleUploadedFile(name, data),
        )


def test_a_scan_over_the_size_limit_is_refused(consent, school_x_curator, settings):
    settings.SCAN_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError, match="больше 1 МБ"):
        services.consent_record(
            acting_user=school_x_curator,
            subject=consent.subject,
            kind="distribution",
            given_by="self",
            representative=None,
            signed_on=consent.signed_on,
            valid_until=None,
            document=SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * (1024 * 1024 + 1)),
        )


def test_the_migration_moves_existing_scans_out_of_media_and_tolerates_missing_ones(consent, settings):
    old = Path(settings.MEDIA_ROOT) / "consents/2025/09/Петров.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(PDF)
    Consent.objects.filter(pk=consent.pk).update(document="consents/2025/09/Петров.pdf")
    missing = Consent.objects.create(
        subject=consent.subject, given_by="self", signed_on=consent.signed_on, document="consents/gone.pdf"
    )
    migration = importlib.import_module(
        "nastavnik.registry.migrations.0007_move_consent_scans_to_private_storage"
    )
    migration.move_files_to_private_storage(django_apps, None)
    consent.refresh_from_db()
    assert re.fullmatch(r"consents/[0-9a-f]{32}\.pdf", consent.document.name)
    assert not old.exists() and (Path(settings.PRIVATE_FILE_ROOT) / consent.document.name).read_bytes() == PDF
    missing.refresh_from_db()
    assert missing.document.name == "consents/gone.pdf"
