"""The public pages never show a person, or name a case's people, without the consent to
dissemination: every public page, the photo, the RSS feed and the embed block, with the consent,
without it (never given) and after it was revoked — the consent is checked at every render."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nastavnik.base.time import today_in
from nastavnik.registry.models import Consent, ConsentKind

NAMES = ("Громова", "Кузнецов", "Соколов", "Белова", "Артём", "Мария")


def public_urls(world, school_x):
    municipality = school_x.municipality
    return [
        reverse("publication:organisation", args=[school_x.pk]),
        reverse("publication:municipality", args=[municipality.pk]),
        reverse("publication:region", args=[municipality.region_id]),
        reverse("publication:embed", args=[school_x.pk]),
        reverse("publication:feed", args=[school_x.pk]),
        reverse("publication:publication", args=[world.news.pk]),
        reverse("publication:publication", args=[world.best.pk]),
        reverse("publication:photo", args=[world.news.pk]),
        reverse("publication:case", args=[world.case.pk]),
    ]


def body(response) -> str:
    if response.streaming:
        content = b"".join(response.streaming_content)
        return content.decode("latin-1")
    return response.content.decode()


def test_with_the_consent_every_public_page_shows_the_people_it_is_about(world, school_x):
    client = Client()
    pages = {url: client.get(url) for url in public_urls(world, school_x)}
    assert all(response.status_code == 200 for response in pages.values()), {
        u: r.status_code for u, r in pages.items()
    }
    text = {url: body(response) for url, response in pages.items()}
    organisation_page = text[reverse("publication:organisation", args=[school_x.pk])]
    for name in ("Неделя наставничества", "Кузнецов Пётр Ильич", "Математика без страха"):
        assert name in organisation_page
    assert "Громова Елена Викторовна" in text[reverse("publication:publication", args=[world.news.pk])]
    case_page = text[reverse("publication:case", args=[world.case.pk])]
    assert "Соколов Артём" in case_page and "Белова Мария" in case_page
    assert "Неделя наставничества" in text[reverse("publication:feed", args=[school_x.pk])]
    assert text[reverse("publication:photo", args=[world.news.pk])].startswith("\x89PNG")


@pytest.mark.parametrize("how", ["never_given", "revoked"])
def test_without_the_consent_no_public_page_shows_a_person_or_names_a_case(how, world, school_x):
    consents = Consent.objects.filter(subject__in=world.people, kind=ConsentKind.DISTRIBUTION)
    if how == "never_given":
        consents.delete()
    else:
        consents.update(revoked_on=today_in())
    client = Client()
    for url in public_urls(world, school_x):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        text = body(response)
        for name in NAMES:
            assert name not in text, (url, name)
        assert "Неделя наставничества" not in text and "Лучший наставник года" not in text, url
    for url in (
        reverse("publication:publication", args=[world.news.pk]),
        reverse("publication:photo", args=[world.news.pk]),
    ):
        assert client.get(url).status_code == 404
    case_page = body(client.get(reverse("publication:case", args=[world.case.pk])))
    assert "Математика без страха" in case_page and "опубликован обезличенно" in case_page
    assert "наставляемый отстаёт по математике" in case_page


def test_one_missing_consent_hides_a_publication_that_names_several_people(world, school_x, school_x_curator):
    from tests.publication.conftest import publish

    together = publish(school_x_curator, school_x, [world.teacher, world.best_mentor], title="Вместе")
    Consent.objects.filter(subject=world.best_mentor, kind=ConsentKind.DISTRIBUTION).update(
        revoked_on=today_in()
    )
    page = Client().get(reverse("publication:organisation", args=[school_x.pk])).content.decode()
    assert "Вместе" not in page and "Неделя наставничества" in page
    assert Client().get(reverse("publication:publication", args=[together.pk])).status_code == 404


def test_a_processing_consent_is_not_a_consent_to_dissemination(world, school_x):
    Consent.objects.filter(subject=world.teacher, kind=ConsentKind.DISTRIBUTION).delete()
    assert Consent.objects.filter(subject=world.teacher, kind=ConsentKind.PROCESSING).exists()
    assert Client().get(reverse("publication:publication", args=[world.news.pk])).status_code == 404


def test_the_organisation_page_lists_the_adopted_documents_marked_for_it_but_no_scan(
    world, school_x, school_x_curator
):
    from nastavnik.programdocs.models import DocumentKind
    from nastavnik.programdocs.services import adoption_record

    adoption_record(
        acting_user=school_x_curator,
        organisation=school_x,
        kind=DocumentKind.REGULATION,
        adopted_on=today_in(),
        order_number="17-о",
        is_published=True,
    )
    adoption_record(
        acting_user=school_x_curator,
        organisation=school_x,
        kind=DocumentKind.ROADMAP_ORDER,
        adopted_on=today_in(),
        order_number="18-о",
    )
    page = Client().get(reverse("publication:organisation", args=[school_x.pk])).content.decode()
    assert "Положение о программе наставничества, утверждено приказом" in page and "№ 17-о" in page
    assert "Приказ об утверждении дорожной карты" not in page and "/documents/" not in page
