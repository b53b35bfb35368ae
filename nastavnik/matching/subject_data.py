"""What the matching keeps on a person outside its tables, for the registry's erasure (registered
in `MatchingConfig.ready()`; see `nastavnik/registry/subject_data.py`): the stored PDFs of the
orders that list them. The model graph does not reach these (a PDF belongs to a run, a run to a
program), and a PDF is no text the sweep could scrub: erasure deletes the file and its record,
and the next download makes the order again from its data, the person erased."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q

from nastavnik.registry.models import Person
from nastavnik.registry.subject_data import SubjectSection

from .models import OrderDocument


class MatchingSubjectData:
    models: tuple[type[Model], ...] = ()

    def sections(self, person: Person) -> list[SubjectSection]:
        return []  # the pairs an order lists are the mentoring app's section

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        documents = list(
            OrderDocument.objects.filter(
                Q(run__confirmed_memberships__mentee__person=person)
                | Q(run__confirmed_memberships__group__mentor__person=person)
            ).distinct()
        )
        for document in documents:
            if document.file:
                document.file.storage.delete(document.file.name)
        OrderDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()
