"""Documents attached to roadmap events are private files, served to those who see the roadmap."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.roadmaps import services
from nastavnik.roadmaps.models import EventCompletion
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
