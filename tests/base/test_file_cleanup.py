"""Stored files leave the disk with the rows that named them (`base/file_cleanup.py`): after the
commit, and only when no row names them any more."""

from __future__ import annotations

import pytest
from django.core import serializers

from nastavnik.base.file_cleanup import discard_unreferenced_file
from nastavnik.base.files import private_storage
from nastavnik.registry.models import Consent

pytestmark = pytest.mark.django_db


def test_a_person_deleted_in_the_back_office_takes_the_consent_scan_off_the_disk(
    consent, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    name = consent.document.name
    assert private_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        consent.subject.delete()  # cascades to the consent
    assert not Consent.objects.filter(pk=consent.pk).exists() and not private_storage().exists(name)


def test_a_file_another_row_still_names_stays(consent, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    name = consent.document.name
    twin = Consent.objects.create(
        subject=consent.subject, given_by="self", signed_on=consent.signed_on, document=name
    )
    with django_capture_on_commit_callbacks(execute=True):
        consent.delete()
    assert private_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert not private_storage().exists(name)


def test_emptying_the_field_discards_the_file_and_an_untouched_save_does_not(
    consent, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    name = consent.document.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Consent.objects.get(pk=consent.pk).save()
    assert not callbacks and private_storage().exists(name)
    loaded = Consent.objects.get(pk=consent.pk)
    loaded.document = ""
    with django_capture_on_commit_callbacks(execute=True):
        loaded.save()
    assert not private_storage().exists(name)


def test_rows_loaded_from_a_backup_keep_their_files(consent, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    name = consent.document.name
    dumped = serializers.serialize("json", [consent])
    Consent.objects.filter(pk=consent.pk).update(document="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for restored in serializers.deserialize("json", dumped):
            restored.save()  # raw, as loaddata saves
    assert not callbacks and private_storage().exists(name)
    assert Consent.objects.get(pk=consent.pk).document.name == name


def test_discarding_a_file_checks_every_row_first_and_tolerates_a_missing_one(consent):  # type: ignore[no-untyped-def]
    name = consent.document.name
    storage = private_storage()
    assert discard_unreferenced_file(storage, name, "default") is False and storage.exists(name)
    Consent.objects.filter(pk=consent.pk).update(document="")
    assert discard_unreferenced_file(storage, name, "default") is True and not storage.exists(name)
    assert discard_unreferenced_file(storage, name, "default") is True  # gone already: no error
    assert discard_unreferenced_file(storage, "", "default") is False
