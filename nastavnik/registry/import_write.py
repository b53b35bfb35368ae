"""The write of a class list import, in bulk: the rows `analyse` passed become people,
categories, new parents, guardian links and consents in a fixed number of queries per batch,
with audit records of the same shape django-auditlog writes (`base.audit.log_bulk`).

The rules are those of the one-at-a-time services (`person_create`, `guardian_link_add`,
`consent_record`): `analyse` has already checked every row as `Person.full_clean` does, the names
of the guardians, that nobody is their own guardian and the consent rules, so here nothing is
asked of the database one row at a time. Called by `people_import` inside its transaction.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from nastavnik.accounts.models import User
from nastavnik.base.audit import create_many, created_changes, insert_many, log_bulk, log_entries
from nastavnik.orgs.models import Organisation

from .consents import purposes_text
from .models import Consent, ConsentGiver, ConsentKind, GuardianLink, Person, PersonKind
from .services.people import PERSON_FIELDS

if TYPE_CHECKING:
    from .people_import import RowResult

BATCH = 1000
M = TypeVar("M", bound=Model)


SQLITE_IMPORT_CACHE_KIB = 64 * 1024


@contextmanager
def roomy_page_cache() -> Iterator[None]:
    """SQLite: a 64 MiB page cache for the connection while an import checks and writes, then
    back to what it was (2 MiB by default). A 50,000-row list adds 100,000 people and 170,000
    audit records whose indexes take tens of MiB: with the small cache each insert reads index
    pages back from the OS, and an import into a registry already that big took a third longer.
    SQLite takes the pages only as it needs them; other databases keep their own caches."""
    connection = connections[router.db_for_write(Person)]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@functools.cache
def _template(model: type[Model]) -> dict[str, Any]:
    """A new object's field values by attname: the defaults (none is callable in the models made
    here)."""
    fields = model._meta.concrete_fields
    assert not any(field.has_default() and callable(field.default) for field in fields)  # noqa: S101
    return {field.attname: field.get_default() for field in fields}


def _new(model: type[M], values: dict[str, Any]) -> M:
    """`model(**values)` (values by attname), made without `Model.__init__`: what it leaves in the
    object is a fresh `ModelState` and each concrete field's value under its attname (setattr
    on a field's descriptor stores it there), and its `pre_init` / `post_init` signals have no
    receivers for these models (if one is connected, `__init__` runs). `__init__` looks at every
    field for each object, which cost more than the rest of making it, a tenth of the write."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**{**_template(model), **values})
    obj = model.__new__(model)
    state = obj.__dict__
    state.update(_template(model))
    state.update(values)
    obj._state = ModelState()
    return obj


def _person(organisation: Organisation, fields: dict[str, Any]) -> Person:
    cleaned = {key: value for key, value in fields.items() if key in PERSON_FIELDS}
    for name in ("last_name", "first_name", "middle_name"):
        if cleaned.get(name):
            cleaned[name] = " ".join(str(cleaned[name]).split())
    if cleaned.get("class_letter"):
        cleaned["class_letter"] = cleaned["class_letter"].upper()
    person = person_from_fields(cleaned, organisation_id=organisation.pk)
    person.fill_derived_fields()  # what save() does
    return person


def person_from_fields(fields: dict[str, Any], organisation_id: int | None = None) -> Person:
    """`Person(organisation_id=…, **fields)`, made the quick way (`_new`)."""
    return _new(Person, {**fields, "organisation_id": organisation_id})


def _create_people(people: list[Person]) -> None:
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        create_many(batch, batch_size=BATCH)
        log_entries(
            Person,
            ((person.pk, str(person), created_changes(person)) for person in batch),
            action=LogEntry.Action.CREATE,
        )


def _add_categories(made: Sequence[tuple[RowResult, Person]]) -> None:
    """The categories of each new person, and the m2m audit record auditlog writes for them."""
    through = Person.categories.through
    links = [
        through(person_id=person.pk, category_id=category.pk)
        for row, person in made
        for category in row.categories
    ]
    insert_many(links)
    with_categories = [(row, person) for row, person in made if row.categories]
    if not with_categories:
        return
    categories_of = {person.pk: [str(c) for c in row.categories] for row, person in with_categories}
    log_bulk(
        [person for _, person in with_categories],
        action=LogEntry.Action.UPDATE,
        changes=lambda p: {"categories": {"type": "m2m", "operation": "add", "objects": categories_of[p.pk]}},
    )


def _parents(
    organisation: Organisation,
    made: Sequence[tuple[RowResult, Person]],
    parents: dict[tuple[str, ...], Person],
    created: Counter[str],
) -> None:
    """Find the guardians named in the rows among the parents (the file's and the registry's,
    one query), create the missing ones in bulk and give a phone to those who have none."""
    from .people_import import name_key

    wanted = {ref.key for row, _ in made for ref in row.guardians} - set(parents)
    if wanted:
        for parent in Person.objects.filter(organisation=organisation, kind=PersonKind.PARENT):
            key = name_key(parent.last_name, parent.first_name, parent.middle_name)
            if key in wanted:
                parents.setdefault(key, parent)
    new: list[Person] = []
    phoned: dict[int, Person] = {}
    for row, _ in made:
        for ref in row.guardians:
            guardian = parents.get(ref.key)
            if guardian is None:
                guardian = _person(
                    organisation,
                    {
                        "kind": PersonKind.PARENT,
                        "last_name": ref.last_name,
                        "first_name": ref.first_name,
                        "middle_name": ref.middle_name,
                        "phone": ref.phone,
                    },
                )
                parents[ref.key] = guardian
                new.append(guardian)
            elif ref.phone and not guardian.phone:
                guardian.phone = ref.phone
                if guardian.pk is not None:
                    phoned[guardian.pk] = guardian
    _create_people(new)
    created[PersonKind.PARENT] += len(new)
    if phoned:
        Person.objects.bulk_update(list(phoned.values()), ["phone"], batch_size=BATCH)
        log_bulk(
            list(phoned.values()),
            action=LogEntry.Action.UPDATE,
            changes=lambda p: {"phone": ["", p.phone]},  # type: ignore[attr-defined]
        )


def _guardian_links(made: Sequence[tuple[RowResult, Person]], parents: dict[tuple[str, ...], Person]) -> None:
    links: dict[tuple[int, int], GuardianLink] = {}
    child_field, guardian_field = (
        GuardianLink._meta.get_field("child"),
        GuardianLink._meta.get_field("guardian"),
    )
    for row, person in made:
        for ref in row.guardians:
            guardian = parents[ref.key]
            if (person.pk, guardian.pk) in links:
                continue
            # GuardianLink(child=person, guardian=guardian) without the keyword path of
            # Model.__init__ (a third of the links' write): the ids, and the people for str()
            link = _new(GuardianLink, {"child_id": person.pk, "guardian_id": guardian.pk})
            child_field.set_cached_value(link, person)
            guardian_field.set_cached_value(link, guardian)
            links[(person.pk, guardian.pk)] = link
    create_many(list(links.values()), batch_size=BATCH)  # the ids, for the audit records
    log_bulk(list(links.values()), action=LogEntry.Action.CREATE, changes=created_changes)


def _consents(
    acting_user: User, made: Sequence[tuple[RowResult, Person]], parents: dict[tuple[str, ...], Person]
) -> None:
    """The consents of the consent columns: the representative is the row's first guardian, just
    linked, so the rules `analyse` checked (with «is a guardian») hold as recorded."""
    consents = []
    for row, person in made:
        for consent in row.consents:
            representative = None
            if consent.given_by == ConsentGiver.REPRESENTATIVE and row.guardians:
                representative = parents.get(row.guardians[0].key)
            consents.append(
                Consent(
                    subject=person,
                    kind=ConsentKind.PROCESSING,
                    given_by=consent.given_by,
                    representative=representative,
                    signed_on=consent.signed_on,
                    purposes=purposes_text(consent.purposes),
                    recorded_by=acting_user,
                )
            )
    create_many(consents, batch_size=BATCH)
    log_bulk(consents, action=LogEntry.Action.CREATE, changes=created_changes)


def people_bulk_write(
    acting_user: User,
    organisation: Organisation,
    rows: Sequence[RowResult],
) -> Counter[str]:
    """Write the rows that will be created (the caller checked them and holds the transaction);
    returns how many people of each kind were created."""
    from .people_import import name_key

    ContentType.objects.get_for_models(Person, GuardianLink, Consent)  # cached: one query
    made = [(row, _person(organisation, row.fields)) for row in rows]
    _create_people([person for _, person in made])
    created: Counter[str] = Counter(person.kind for _, person in made)
    parents: dict[tuple[str, ...], Person] = {}
    for _, person in made:
        if person.kind == PersonKind.PARENT:
            parents.setdefault(name_key(person.last_name, person.first_name, person.middle_name), person)
    _add_categories(made)
    _parents(organisation, made, parents, created)
    _guardian_links(made, parents)
    _consents(acting_user, made, parents)
    return created
