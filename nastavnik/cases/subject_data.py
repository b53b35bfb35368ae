"""What the case bank holds on a person (152-ФЗ export and erasure; registered in
`CasesConfig.ready()`, see `nastavnik/registry/subject_data.py`): the cases of the pairs the
person mentored or was mentored in. The model graph reaches a mentor's cases but not a mentee's
(a membership points at the group, not the other way), and a case names people in free text:
erasure scrubs their names from every case of their pairs and rebuilds the search key."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet

from nastavnik.registry.models import Person, normalise_for_search
from nastavnik.registry.subject_data import SubjectSection

from .models import Case, CaseMaterial, CaseReview
from .publicity import TEXT_FIELDS


def cases_about(person: Person) -> QuerySet[Case]:
    return (
        Case.objects.filter(Q(group__mentor__person=person) | Q(group__memberships__mentee__person=person))
        .distinct()
        .select_related("organisation", "form")
        .order_by("academic_year", "pk")
    )


class CasesSubjectData:
    models: tuple[type[Model], ...] = (Case, CaseMaterial, CaseReview)

    def sections(self, person: Person) -> list[SubjectSection]:
        cases = list(cases_about(person))
        rows = [
            {
                "Кейс": case.title,
                "Организация": case.organisation.short_name,
                "Форма": case.form.name,
                "Учебный год": case.year_label,
                "Статус": case.get_status_display(),
                "Опубликован": ("обезличенно" if case.anonymised else "с именами")
                if case.is_published
                else "нет",
            }
            for case in cases
        ]
        return [SubjectSection("Кейсы наставнической практики", rows, objects=list(cases))] if rows else []

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        for case in cases_about(person):
            for name in TEXT_FIELDS:
                setattr(case, name, scrub(getattr(case, name)))
            case.review_comment = scrub(case.review_comment)
            case.search_text = normalise_for_search(*(getattr(case, name) for name in TEXT_FIELDS))
            case.save(update_fields=[*TEXT_FIELDS, "review_comment", "search_text"])
