"""What the public pages hold on a person (152-ФЗ export and erasure; registered in
`PublicationConfig.ready()`): the publications naming them. Erasure takes the person off each
publication, scrubs their name from its text and deletes its photo (it may show them)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model

from nastavnik.registry.models import Person
from nastavnik.registry.subject_data import SubjectSection

from .models import Publication


class PublicationSubjectData:
    models: tuple[type[Model], ...] = (Publication,)

    def sections(self, person: Person) -> list[SubjectSection]:
        publications = list(person.publications.select_related("organisation").order_by("published_on", "pk"))
        rows = [
            {
                "Публикация": p.title,
                "Организация": p.organisation.short_name,
                "Дата": f"{p.published_on:%d.%m.%Y}",
                "Опубликована": "да" if p.is_published else "нет",
            }
            for p in publications
        ]
        return (
            [SubjectSection("Публикации на странице «Наставничество»", rows, objects=list(publications))]
            if rows
            else []
        )

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        for publication in person.publications.all():
            publication.title, publication.text = scrub(publication.title), scrub(publication.text)
            if publication.photo:
                publication.photo.delete(save=False)
            publication.save(update_fields=["title", "text", "photo"])
            publication.people.remove(person)
