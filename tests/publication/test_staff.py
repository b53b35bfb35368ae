"""The curator's publications page: create, edit, publish (refused, naming the people, without the
consent to dissemination), unpublish, the embed and RSS snippets; and the counted indicator
«публикаций» on the monitoring dashboards."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.base.time import today_in
from nastavnik.monitoring.extensions import collect_program_counts
from nastavnik.monitoring.scopes import MUNICIPALITY, ORGANISATION, Scope
from nastavnik.publication.models import Publication
from tests.builders import teacher
from tests.cases.conftest import allow_distribution

from .conftest import PNG


def test_the_curator_creates_a_publication_and_publishing_without_consent_is_refused_by_name(
    school_x, school_x_curator, client_for
):
    without = teacher(school_x, experience=3, last_name="Орлова", first_name="Нина", middle_name="Петровна")
    client = client_for(school_x_curator)
    form = client.get(reverse("publication:staff_new")).content.decode()
    assert "Орлова Нина Петровна — нет согласия на распространение" in form
    response = client.post(
        reverse("publication:staff_new"),
        {
            "organisation_pk": school_x.pk,
            "kind": "news",
            "title": "Встреча выпускников",
            "text": "Текст",
            "published_on": today_in().isoformat(),
            "people": [without.pk],
            "photo": SimpleUploadedFile("a.png", PNG),
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get(title="Встреча выпускников")
    assert not publication.is_published and publication.photo
    response = client.post(reverse("publication:staff_publish", args=[publication.pk]), follow=True)
    assert (
        "Нет согласия на распространение" in response.content.decode()
        and "Орлова Н.П." in response.content.decode()
    )
    publication.refresh_from_db()
    assert not publication.is_published
    allow_distribution(without)
    client.post(reverse("publication:staff_publish", args=[publication.pk]))
    publication.refresh_from_db()
    assert publication.is_published
    client.post(reverse("publication:staff_unpublish", args=[publication.pk]))
    publication.refresh_from_db()
    assert not publication.is_published


def test_a_best_mentor_publication_needs_the_person(school_x, school_x_curator, client_for):
    client = client_for(school_x_curator)
    client.post(
        reverse("publication:staff_new"),
        {
            "organisation_pk": school_x.pk,
            "kind": "best_mentor",
            "title": "Лучший",
            "text": "Т",
            "published_on": today_in().isoformat(),
        },
    )
    publication = Publication.objects.get(title="Лучший")
    page = client.post(
        reverse("publication:staff_publish", args=[publication.pk]), follow=True
    ).content.decode()
    assert "Отметьте наставника" in page


def test_the_list_gives_the_iframe_and_rss_snippets(school_x, school_x_curator, client_for):
    page = client_for(school_x_curator).get(reverse("publication:staff_list")).content.decode()
    assert f"/nastavnichestvo/o/{school_x.pk}/embed/" in page and "&lt;iframe" in page
    assert f"/nastavnichestvo/o/{school_x.pk}/rss/" in page


def test_publications_are_counted_for_the_indicator_with_the_target_at_the_school(
    world, school_x, school_x_curator
):
    scope = Scope(ORGANISATION, school_x, school_x.timezone)
    [count] = [
        c for c in collect_program_counts(school_x_curator, scope, today_in()) if c.code == "publications"
    ]
    assert count.value == 3  # two publications and the published case
    assert count.target == 5 and count.met is False
    assert count.url == f"/nastavnichestvo/o/{school_x.pk}/"
    municipal = Scope(MUNICIPALITY, school_x.municipality, school_x.timezone)
    [count] = [
        c for c in collect_program_counts(school_x_curator, municipal, today_in()) if c.code == "publications"
    ]
    assert count.value == 3 and count.target is None
    [count] = [
        c
        for c in collect_program_counts(school_x_curator, scope, today_in() - dt.timedelta(days=400))
        if c.code == "publications"
    ]
    assert count.value == 0


def test_the_list_marks_a_published_item_hidden_by_a_revoked_consent(world, school_x_curator, client_for):
    from nastavnik.registry.models import Consent, ConsentKind

    Consent.objects.filter(subject=world.teacher, kind=ConsentKind.DISTRIBUTION).update(revoked_on=today_in())
    page = client_for(school_x_curator).get(reverse("publication:staff_list")).content.decode()
    assert page.count("опубликовано, но скрыто") == 1


def test_erasing_a_person_takes_them_off_the_publications_and_deletes_the_photo(world, school_x_admin):
    from nastavnik.registry.services.erasure import person_erase

    storage, name = world.news.photo.storage, world.news.photo.name
    person_erase(acting_user=school_x_admin, person=world.teacher, reason="Заявление")
    world.news.refresh_from_db()
    assert "Громова" not in world.news.text and not world.news.people.exists()
    assert not world.news.photo and not storage.exists(name)
