"""Everything held on one person (152-ФЗ): the records that hang on them, however high the app.

The registry owns people but must not import the apps above it (surveys, mentoring, matching,
…). Two mechanisms reach their data anyway:

- **The model graph**, walked generically: every reverse relation of `Person`, then every
  CASCADE/PROTECT relation below those records (a pair the person mentors, its plans and
  meetings, the answers of the person's questionnaires, matching candidates…). Erasure scrubs
  what the walk finds, so a new app's records are covered without any code here.
- **Providers** that a higher app registers from its `AppConfig.ready()` (the higher app imports
  the registry — the allowed direction): readable Russian sections for the export, and what
  only the app knows how to erase (free-text answers, a mentee's reflections).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models

from .models import Person

# A record of the graph: its model and primary key.
RecordKey = tuple[type[models.Model], Any]

# The graph stops here: a deeper record is no longer about the person.
MAX_DEPTH = 6


@dataclass
class SubjectRecords:
    """The records reachable from a person, by model (the person itself excluded)."""

    by_model: dict[type[models.Model], dict[Any, models.Model]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # How far from the person each record was found (0: it points at the person).
    depth: dict[RecordKey, int] = field(default_factory=dict)

    def add(self, obj: models.Model, depth: int) -> bool:
        bucket = self.by_model[type(obj)]
        if obj.pk in bucket:
            return False
        bucket[obj.pk] = obj
        self.depth[(type(obj), obj.pk)] = depth
        return True

    def near(self, max_depth: int = 1) -> list[models.Model]:
        """Records on the person or on the person's own records (not someone else's below them)."""
        return [obj for obj in self if self.depth[(type(obj), obj.pk)] <= max_depth]

    def __iter__(self) -> Iterator[models.Model]:
        for bucket in self.by_model.values():
            yield from bucket.values()

    def count(self) -> int:
        return sum(len(bucket) for bucket in self.by_model.values())


def _followed_relations(model: type[models.Model], from_person: bool) -> list[models.ForeignObjectRel]:
    """Reverse one-to-many and one-to-one relations to walk from `model`'s records.

    From the person every relation counts (a roadmap line naming them is about them, even if it
    survives them); below it only records that cannot exist without their parent do."""
    relations = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            continue
        if from_person or relation.on_delete in (models.CASCADE, models.PROTECT):
            relations.append(relation)
    return relations


def collect_subject_records(person: Person) -> SubjectRecords:
    """Walk the model graph down from `person`: one query per relation and level, never per row."""
    records = SubjectRecords()
    frontier: dict[type[models.Model], set[Any]] = {Person: {person.pk}}
    for depth in range(MAX_DEPTH):
        next_frontier: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model, pks in frontier.items():
            for relation in _followed_relations(model, from_person=depth == 0):
                related_model: Any = relation.related_model
                fk_name = relation.field.name
                for obj in related_model._default_manager.filter(**{f"{fk_name}__in": pks}):
                    if isinstance(obj, Person) and obj.pk == person.pk:
                        continue
                    if records.add(obj, depth):
                        next_frontier[type(obj)].add(obj.pk)
        if not next_frontier:
            break
        frontier = next_frontier
    return records


# --- sections for the export, provided by the apps --------------------------------------------


@dataclass(frozen=True)
class SubjectSection:
    """One table of the export: a Russian title and rows of (column → readable value)."""

    title: str
    rows: list[dict[str, str]]
    # The records behind the rows, so that their change history joins the export.
    objects: list[models.Model] = field(default_factory=list)
    # Files to put into the archive: (name inside the archive, stored FieldFile).
    files: list[tuple[str, Any]] = field(default_factory=list)


class SubjectDataProvider(Protocol):
    """What a higher app tells the registry about a person."""

    # Models whose records the provider's sections show (the rest of the graph is listed raw).
    models: tuple[type[models.Model], ...]

    def sections(self, person: Person) -> list[SubjectSection]: ...

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        """Remove what only the app knows to be free text of this person (inside the erasure's
        transaction; the registry then scrubs every text of the graph anyway)."""


_providers: list[SubjectDataProvider] = []


def register_subject_data_provider(provider: SubjectDataProvider) -> None:
    """Called from a higher app's `AppConfig.ready()`."""
    if all(type(p) is not type(provider) for p in _providers):
        _providers.append(provider)


def subject_data_providers() -> list[SubjectDataProvider]:
    return list(_providers)


# --- identifying values and the scrubber ---------------------------------------------------------


def birth_date_strings(day: dt.date | None) -> list[str]:
    if day is None:
        return []
    return [day.isoformat(), day.strftime("%d.%m.%Y"), day.strftime("%d.%m.%y")]


@dataclass(frozen=True)
class IdentifyingValues:
    """What identifies a person, read before erasure: names (matched with their endings, as Russian
    declines them), whole phrases (full name forms, e-mail, phone, birth date strings)."""

    names: tuple[str, ...]
    phrases: tuple[str, ...]
    # Values that name this person and hardly anyone else (full name forms, e-mail, phone):
    # replaced wherever they occur in the database. A surname alone or a birth date is not
    # strong: a brother has the surname, a classmate the birthday.
    strong: tuple[str, ...]

    @classmethod
    def of(cls, person: Person) -> IdentifyingValues:
        names = [person.last_name, person.first_name, person.middle_name]
        phrases = [
            person.full_name,
            f"{person.last_name} {person.first_name}",
            f"{person.first_name} {person.last_name}",
            person.short_name,
            person.email,
            person.phone,
            person.search_text,
            *birth_date_strings(person.birth_date),
        ]
        strong = [person.email, person.phone]
        if person.middle_name:
            strong.append(person.full_name)
        initials = "".join(f"{part[0]}." for part in (person.first_name, person.middle_name) if part)
        if initials:
            strong += [person.short_name, f"{initials} {person.last_name}", f"{initials}{person.last_name}"]
        user = person.user
        if user is not None:
            phrases += [user.username, user.email, user.get_full_name()]
            names += [user.first_name, user.last_name]
            strong.append(user.email)
        return cls(
            names=_longest_first(n for n in names if n),
            phrases=_longest_first(p for p in [*phrases, *strong] if p and len(p.strip()) > 2),
            strong=_longest_first(p for p in strong if p and len(p.strip()) > 5),
        )


def _longest_first(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for v in values if v.strip()}, key=len, reverse=True))


class Scrubber:
    """Replaces identifying values in text and in JSON values (recursively) with a placeholder."""

    def __init__(self, values: IdentifyingValues, placeholder: str, *, strong_only: bool = False) -> None:
        self.values = values
        self.placeholder = placeholder
        alternatives = [re.escape(p) for p in (values.strong if strong_only else values.phrases)]
        for name in () if strong_only else values.names:
            # A name of four letters or more also matches its declined forms (Иванова, Иванову).
            alternatives.append(re.escape(name) + (r"\w*" if len(name) >= 4 else ""))
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
            if alternatives
            else None
        )

    def strong_only(self) -> Scrubber:
        """The same placeholder for the strong values only: for rows not known to be the person's."""
        return Scrubber(self.values, self.placeholder, strong_only=True)

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        return self.pattern.sub(self.placeholder, value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)) if isinstance(k, str) else k: self.json(v) for k, v in value.items()}
        return value

    def __call__(self, value: str) -> str:
        return self.text(value)


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """Fields that hold free text or JSON (choice codes excluded: they are not written by people)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    ]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def scrub_object(obj: models.Model, scrub: Scrubber) -> list[str]:
    """Scrub the text fields of one record in memory; the names of the fields that changed."""
    changed = []
    for f in text_fields(type(obj)):
        value = getattr(obj, f.attname)
        if value is None:
            continue
        new = scrub.json(value) if isinstance(f, models.JSONField) else scrub.text(value)
        if new != value:
            setattr(obj, f.attname, new)
            changed.append(f.attname)
    return changed


def group_by_model(objects: Iterable[models.Model]) -> dict[type[models.Model], list[models.Model]]:
    grouped: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objects:
        grouped[type(obj)].append(obj)
    return grouped
