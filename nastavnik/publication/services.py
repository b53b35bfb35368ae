"""Writes of publications: save a draft, publish (every featured person must have the consent to
dissemination, 152-ФЗ art. 10.1), unpublish. The curator of the organisation acts; each write is
audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.models import Organisation
from nastavnik.registry.consents import distribution_allowed
from nastavnik.registry.models import Person

from .access import require_manage_publications
from .models import Publication, PublicationKind

FIELDS = ("kind", "title", "text", "published_on", "photo")


def without_consent(people: Iterable[Person], organisation: Organisation) -> list[str]:
    day = local_today(organisation)
    return [p.short_name for p in people if not distribution_allowed(p, day, p.consents.all())]


def publication_save(
    *,
    acting_user: User,
    organisation: Organisation,
    people: Iterable[Person],
    publication: Publication | None = None,
    **fields: Any,
) -> Publication:
    require_manage_publications(acting_user, organisation)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown publication fields: {sorted(unknown)}")
    people = list(people)
    if any(person.organisation_id != organisation.pk for person in people):
        raise ValidationError({"people": "Отметить можно только людей этой организации."})
    publication = publication or Publication(organisation=organisation, created_by=acting_user)
    for name, value in fields.items():
        if name == "photo" and value is None:
            continue  # no new file: keep the one there is
        if name == "photo" and value is False:
            value = ""  # the form's «очистить»
        setattr(publication, name, value.strip() if isinstance(value, str) else value)
    publication.full_clean()
    if publication.is_published:
        _check_publishable(publication, people)
    with transaction.atomic(), acting_as(acting_user):
        publication.save()
        publication.people.set(people)
    return publication


def _check_publishable(publication: Publication, people: list[Person]) -> None:
    if publication.kind == PublicationKind.BEST_MENTOR and not people:
        raise ValidationError({"people": "Отметьте наставника, о котором публикация «Лучший наставник»."})
    missing = without_consent(people, publication.organisation)
    if missing:
        raise ValidationError(
            {
                "people": "Нет согласия на распространение персональных данных (ст. 10.1 152-ФЗ): "
                + ", ".join(missing)
                + " — уберите их из публикации или получите согласие."
            }
        )


def publication_publish(*, acting_user: User, publication: Publication) -> Publication:
    require_manage_publications(acting_user, publication.organisation)
    _check_publishable(publication, list(publication.people.prefetch_related("consents")))
    with transaction.atomic(), acting_as(acting_user):
        publication.is_published = True
        publication.save(update_fields=["is_published", "updated_at"])
    return publication


def publication_unpublish(*, acting_user: User, publication: Publication) -> Publication:
    require_manage_publications(acting_user, publication.organisation)
    with transaction.atomic(), acting_as(acting_user):
        publication.is_published = False
        publication.save(update_fields=["is_published", "updated_at"])
    return publication
