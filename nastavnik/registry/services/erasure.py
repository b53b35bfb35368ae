"""Erasure (обезличивание) of a person, 152-ФЗ art. 21: on the administration's decision or when
the consent was withdrawn (or the person left) and the retention period has passed.

What an erased person leaves behind: a row «Удалённый участник №N» with the kind, organisation,
class, categories, dates of joining and leaving, participations, pairs and answers' numbers —
everything indicators count — and nothing that names them. Identifying values leave:
- the person's own fields (names, contacts, notes, position), the birth date (only the year
  stays, on the side of the year that keeps the age on the day of erasure: indicators count ages
  on a date, so the values computed that day agree before and after);
- the linked account (deactivated, username and e-mail replaced) and django-axes' records of
  logins under its name or e-mail (failed attempts, failure and access logs: deleted);
- every text and JSON value of every record the model graph reaches from the person
  (`subject_data.collect_subject_records`), and what the providers of the higher apps erase
  (free-text answers, reflections);
- every file of those records (deleted from storage);
- any other row of any table that names the person by a full name form, e-mail or phone (the
  sweep: reminders, matching notes, admin history);
- the audit log: the stored values of the entries of the person and of those records.
The erasure itself is one audit entry: who asked, when and why (the reason is scrubbed too).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Cast

from nastavnik.accounts.lockout import login_attempts_forget
from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today, today_in

from ..access import can_manage_person
from ..models import Consent, ConsentKind, Person
from ..subject_data import (
    IdentifyingValues,
    Scrubber,
    SubjectRecords,
    collect_subject_records,
    file_fields,
    group_by_model,
    scrub_object,
    subject_data_providers,
    text_fields,
)

ERASED_NAME = "Удалённый участник"
PLACEHOLDER = "[удалено]"
# The person's own fields that are emptied (kind, organisation, class, categories and dates stay).
CLEARED_PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "position",
    "subjects",
    "employer",
    "email",
    "phone",
    "notes",
)
# Fields of a person whose values in the audit log are replaced wholesale.
IDENTIFYING_PERSON_FIELDS = frozenset(
    {"last_name", "first_name", "middle_name", "birth_date", "search_text", *CLEARED_PERSON_FIELDS}
)
SYSTEM_ACTOR_USERNAME = "system-retention"
# A namesake's own name is not the erased person's: the sweep leaves these columns alone.
NAMESAKE_FIELDS = frozenset(
    {(Person, name) for name in ("last_name", "first_name", "middle_name", "search_text", "email", "phone")}
    | {(User, name) for name in ("username", "first_name", "last_name", "email")}
)


def erased_name(person: Person) -> str:
    return f"{ERASED_NAME} №{person.pk}"


def is_erased(person: Person) -> bool:
    return person.last_name == erased_name(person) and not person.first_name


def erased_people_q() -> Q:
    return Q(last_name__startswith=f"{ERASED_NAME} №", first_name="")


def coarse_birth_date(birth_date: dt.date, on_date: dt.date) -> dt.date:
    """Only the year of birth: 1 January if the birthday of `on_date`'s year has come, otherwise
    31 December, so that the age on `on_date` (and on every day an indicator asked about it
    before the erasure that day) stays what it was."""
    birthday_passed = (on_date.month, on_date.day) >= (birth_date.month, birth_date.day)
    return dt.date(birth_date.year, 1, 1) if birthday_passed else dt.date(birth_date.year, 12, 31)


def system_actor() -> User:
    """The account named in the audit entries of the retention command (it cannot log in)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_ACTOR_USERNAME, defaults={"is_active": False, "first_name": "Срок хранения"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- the service ---------------------------------------------------------------------------------


def person_erase(*, acting_user: User, person: Person, reason: str) -> Person:
    """The administration erases a person on request (or on withdrawal of consent)."""
    if not can_manage_person(acting_user, person):
        raise PermissionDenied("Обезличить участника может только администрация его организации.")
    if not reason.strip():
        raise ValidationError({"reason": "Укажите основание: чьё заявление или какое решение."})
    if is_erased(person):
        raise ValidationError("Данные этого участника уже удалены.")
    return _erase(person, actor=acting_user, reason=reason)


def person_erase_expired(*, person: Person, on_date: dt.date | None = None) -> Person:
    """The retention command: erases a person whose period has ended, as the system actor."""
    day = on_date or today_in()
    if not retention_due(Person.objects.filter(pk=person.pk), day).exists():
        raise ValidationError("Срок хранения данных этого участника ещё не истёк.")
    return _erase(
        person, actor=system_actor(), reason="Истёк срок хранения после отзыва согласия или выбытия"
    )


def _erase(person: Person, *, actor: User, reason: str) -> Person:
    values = IdentifyingValues.of(person)
    scrub = Scrubber(values, PLACEHOLDER)
    with transaction.atomic(), acting_as(actor), disable_auditlog():
        # The person's row only: PostgreSQL locks no nullable side of an outer join (the account).
        person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        records = collect_subject_records(person)
        for provider in subject_data_providers():
            provider.erase(person, scrub)
        login_records = _forget_logins(person)
        _anonymise_person(person)
        _scrub_records(records, scrub)
        deleted_files = _delete_files(records)
        _sweep(scrub, skip={(Person, person.pk)})
        _scrub_audit_log(person, records, scrub)
        LogEntry.objects.log_create(
            person,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            actor=actor,
            changes={name: [PLACEHOLDER, ""] for name in sorted(IDENTIFYING_PERSON_FIELDS)},
            changes_text="Персональные данные удалены (обезличивание, 152-ФЗ)",
            serialized_data=None,
            additional_data={
                "erasure": {
                    "requested_by": actor.username,
                    "reason": scrub.text(reason.strip()),
                    "records_scrubbed": records.count(),
                    "files_deleted": deleted_files,
                    "login_records_deleted": login_records,
                }
            },
        )
    return person


def _forget_logins(person: Person) -> int:
    """The login attempts kept under the person's account name or e-mail (read before the
    account is renamed)."""
    names = [person.email]
    if person.user is not None:
        names += [person.user.username, person.user.email]
    return login_attempts_forget(login_names=names)


def _anonymise_person(person: Person) -> None:
    if person.birth_date is not None:
        person.birth_date = coarse_birth_date(person.birth_date, local_today(person.organisation))
    person.last_name = erased_name(person)
    for name in CLEARED_PERSON_FIELDS:
        setattr(person, name, "")
    person.full_clean(exclude=["first_name"])
    person.save()
    user = person.user
    if user is not None:
        user.username = f"erased-{user.pk}"
        user.email = user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()


def _scrub_records(records: SubjectRecords, scrub: Scrubber) -> None:
    """Every text and JSON value of the graph, one bulk update per model."""
    for model, objects in group_by_model(records).items():
        changed_fields: set[str] = set()
        dirty = []
        for obj in objects:
            changed = scrub_object(obj, scrub)
            if changed:
                changed_fields.update(changed)
                dirty.append(obj)
        if dirty:
            model._default_manager.bulk_update(dirty, sorted(changed_fields), batch_size=500)


def _delete_files(records: SubjectRecords) -> int:
    """Files of the graph's records leave the storage; the fields are emptied."""
    deleted = 0
    for model, objects in group_by_model(records).items():
        fields = file_fields(model)
        if not fields:
            continue
        dirty = []
        for obj in objects:
            for f in fields:
                stored = getattr(obj, f.attname)
                if stored:
                    stored.storage.delete(stored.name)
                    setattr(obj, f.attname, "")
                    dirty.append(obj)
                    deleted += 1
        if dirty:
            model._default_manager.bulk_update(dirty, [f.attname for f in fields])
    return deleted


def _contains_any(model: type[models.Model], strong: tuple[str, ...]) -> tuple[QuerySet, list[models.Field]]:
    """Rows of `model` with a strong value in a text or JSON column (JSON is searched as stored
    text, in both spellings: SQLite keeps Cyrillic as \\u escapes, PostgreSQL as letters)."""
    fields = text_fields(model)
    condition = Q()
    annotations: dict[str, Any] = {}
    for f in fields:
        if isinstance(f, models.JSONField):
            alias = f"_sweep_{f.attname}"
            annotations[alias] = Cast(f.attname, models.TextField())
            for value in strong:
                condition |= Q(**{f"{alias}__contains": value})
                condition |= Q(**{f"{alias}__contains": json.dumps(value)[1:-1]})
        else:
            for value in strong:
                condition |= Q(**{f"{f.attname}__icontains": value})
    return model._default_manager.alias(**annotations).filter(condition), fields


def _sweep(scrub: Scrubber, skip: set[tuple[type[models.Model], Any]]) -> None:
    """Any row of any table naming the person by a full name, e-mail or phone: one query per model
    with text columns, and an update per row found. Only the strong values are replaced there,
    and never in another person's or account's own name fields (a namesake keeps their name)."""
    strong = scrub.values.strong
    if not strong:
        return
    strong_scrub = scrub.strong_only()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed or model is LogEntry:
            continue
        rows, fields = _contains_any(model, strong)
        if not fields:
            continue
        for obj in rows:
            if (model, obj.pk) in skip:
                continue
            changed = [
                name for name in scrub_object(obj, strong_scrub) if (model, name) not in NAMESAKE_FIELDS
            ]
            if changed:
                model._default_manager.filter(pk=obj.pk).update(
                    **{name: getattr(obj, name) for name in changed}
                )


def _scrub_audit_log(person: Person, records: SubjectRecords, scrub: Scrubber) -> None:
    """Rewrite the stored values of the audit entries: those of the person (its identifying fields
    wholesale), of the graph's records, of the person's account, and any entry naming them."""
    condition = Q(content_type=ContentType.objects.get_for_model(Person), object_pk=str(person.pk))
    for model, objects in group_by_model(records).items():
        condition |= Q(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(o.pk) for o in objects]
        )
    if person.user_id:
        condition |= Q(content_type=ContentType.objects.get_for_model(User), object_pk=str(person.user_id))
        LogEntry.objects.filter(actor_id=person.user_id).update(actor_email=None)
    entries = list(LogEntry.objects.filter(condition))
    seen = {e.pk for e in entries}
    swept = []
    if scrub.values.strong:
        swept = [e for e in _contains_any(LogEntry, scrub.values.strong)[0] if e.pk not in seen]
    person_type = ContentType.objects.get_for_model(Person).pk
    for entry in entries:
        is_person = entry.content_type_id == person_type and entry.object_pk == str(person.pk)
        _scrub_entry(entry, scrub, is_person)
    strong_scrub = scrub.strong_only()
    for entry in swept:
        _scrub_entry(entry, strong_scrub, False)
    LogEntry.objects.bulk_update(
        [*entries, *swept],
        ["changes", "changes_text", "object_repr", "additional_data", "serialized_data"],
        batch_size=500,
    )


def _scrub_entry(entry: LogEntry, scrub: Scrubber, is_person: bool) -> None:
    changes = entry.changes if isinstance(entry.changes, dict) else None
    if changes is not None and is_person:
        changes = {
            k: ([PLACEHOLDER, PLACEHOLDER] if k in IDENTIFYING_PERSON_FIELDS else v)
            for k, v in changes.items()
        }
    entry.changes = scrub.json(changes if changes is not None else entry.changes)
    entry.changes_text = scrub.text(entry.changes_text)
    entry.object_repr = scrub.text(entry.object_repr)
    entry.additional_data = scrub.json(entry.additional_data)
    serialized = entry.serialized_data
    if is_person and isinstance(serialized, dict) and isinstance(serialized.get("fields"), dict):
        serialized = {
            **serialized,
            "fields": {
                k: (PLACEHOLDER if k in IDENTIFYING_PERSON_FIELDS else v)
                for k, v in serialized["fields"].items()
            },
        }
    entry.serialized_data = scrub.json(serialized)


# --- retention -------------------------------------------------------------------------------------


def retention_days() -> int:
    return int(settings.PERSONAL_DATA_RETENTION_DAYS)


def retention_due(people: QuerySet[Person], on_date: dt.date) -> QuerySet[Person]:
    """People whose retention period has ended on `on_date`: they left the organisation, or every
    processing consent of theirs is withdrawn, at least `PERSONAL_DATA_RETENTION_DAYS` ago.
    Already erased people are not listed again (the command is idempotent)."""
    limit = on_date - dt.timedelta(days=retention_days())
    processing = Consent.objects.filter(kind=ConsentKind.PROCESSING)
    still_valid = processing.filter(revoked_on__isnull=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on_date)
    )
    withdrawn = (
        processing.exclude(subject_id__in=still_valid.values("subject_id"))
        .values("subject_id")
        .annotate(last=Max("revoked_on"))
        .filter(last__lte=limit)
        .values("subject_id")
    )
    return people.filter(Q(left_on__lte=limit) | Q(pk__in=withdrawn)).exclude(erased_people_q())
