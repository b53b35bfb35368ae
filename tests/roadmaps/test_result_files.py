"""Documents attached to roadmap events are private files, served to those who see the roadmap."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.roadmaps import services
from nastavnik.roadmaps.models import EventCompletion, Roadmap
from tests.roadmaps.test_views import make_roadmap

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 order of the school"


def test_a_result_file_is_private_and_served_only_to_those_who_see_the_roadmap(
    client, client_for, school_x, school_x_curator, school_y_curator
):
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.filter(recurrence="once").first()
    services.event_set_status(
        acting_user=school_x_curator,
        event=event,
        status="done",
        result_file=SimpleUploadedFile("Приказ Иванова.pdf", PDF),
    )
    event.refresh_from_db()
    assert re.fullmatch(r"roadmaps/results/[0-9a-f]{32}\.pdf", event.result_file.name)
    completion = EventCompletion.objects.get(event=event)
    urls = [
        reverse("roadmaps:event_result_file", args=[event.pk]),
        reverse("roadmaps:completion_result_file", args=[completion.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
        assert client_for(school_y_curator).get(url).status_code == 404
        response = client_for(school_x_curator).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    page = client_for(school_x_curator).get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    assert urls[0] in page


def test_an_html_page_named_pdf_is_refused_as_a_result(school_x, school_x_curator):
    from django.core.exceptions import ValidationError

    roadmap = make_roadmap(school_x_curator, school_x)
    with pytest.raises(ValidationError, match="не является файлом PDF"):
        services.event_set_status(
            acting_user=school_x_curator,
            event=roadmap.events.first(),
            status="done",
            result_file=SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>"),
        )


# --- the files leave the disk with their rows (base/file_cleanup.py) ---------------------------------


def _stored(name: str) -> bool:
    from nastavnik.base.files import private_storage

    return private_storage().exists(name)


def _done_with_file(user, event, content: bytes = PDF):  # type: ignore[no-untyped-def]
    services.event_set_status(
        acting_user=user, event=event, status="done", result_file=SimpleUploadedFile("Отчёт.pdf", content)
    )
    event.refresh_from_db()
    return event


def test_marking_an_event_done_with_a_file_stores_it_once(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = _done_with_file(school_x_curator, roadmap.events.filter(recurrence="once").first())
    completion = EventCompletion.objects.get(event=event)
    assert completion.result_file.name == event.result_file.name and _stored(event.result_file.name)
    from django.conf import settings

    assert len(list((settings.PRIVATE_FILE_ROOT / "roadmaps" / "results").iterdir())) == 1


@pytest.fixture
def done_event(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    """An event of school X's roadmap marked done with a result file."""
    roadmap = make_roadmap(school_x_curator, school_x)
    return _done_with_file(school_x_curator, roadmap.events.filter(recurrence="once").first())


def test_an_event_marked_not_done_again_takes_its_result_file_off_the_disk_after_commit(
    done_event, school_x_curator, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    event = done_event
    name = event.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.event_set_status(acting_user=school_x_curator, event=event, status="planned")
    # The completion went; the event still names the file (its result stays shown), so it stays.
    assert not EventCompletion.objects.filter(event=event).exists() and _stored(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.roadmap_delete(acting_user=school_x_curator, roadmap=event.roadmap)
    assert not _stored(name)


def test_a_replaced_result_file_leaves_the_disk_and_the_new_one_is_kept(
    done_event, school_x_curator, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    event = done_event
    first = event.result_file.name
    with django_capture_on_commit_callbacks(execute=True):
        event = _done_with_file(school_x_curator, event, PDF + b" corrected")
    second = event.result_file.name
    assert second != first and _stored(second) and not _stored(first)
    assert EventCompletion.objects.get(event=event).result_file.name == second


def test_deleting_a_roadmap_deletes_its_result_files_only_once_committed(
    school_x, school_x_curator, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    from django.db import transaction

    roadmap = make_roadmap(school_x_curator, school_x)
    pk = roadmap.pk
    names = [
        _done_with_file(school_x_curator, event).result_file.name
        for event in roadmap.events.filter(recurrence="once")[:2]
    ]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.roadmap_delete(acting_user=school_x_curator, roadmap=roadmap)
        assert all(_stored(name) for name in names)  # not before the commit
        transaction.set_rollback(True)
    assert all(_stored(name) for name in names)  # rolled back: rows and files stay
    with django_capture_on_commit_callbacks(execute=True):
        services.roadmap_delete(acting_user=school_x_curator, roadmap=Roadmap.objects.get(pk=pk))
    assert not any(_stored(name) for name in names)
