"""The change history (django-auditlog) as a person reads it, in Russian.

A LogEntry stores what the database saw: `status: candidate → in_pair`, `grade: None → 8`, a
foreign key as its id, a time in UTC, reverse relations as `surveys.Response.None`. Here each
entry becomes a HistoryLine: «изменено: согласие Иванов И. И.» with each change under the field's
verbose name and values as the user sees them — choice labels, «да/нет», dates and times in the
organisation's time zone, related objects by name, «—» for nothing. Internal fields (ids, search
text, reverse relations, password-like ones) are hidden.

The floor of the code: it learns everything from the entry's content type → model → _meta and
imports no app of ours. Queries are constant: one per content type for the subjects and one per
related model for the foreign keys, whatever the number of entries.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from nastavnik.base.names import analyzer

EMPTY = "—"
SYSTEM = "система"
# Fields nobody needs to read about, by name or by a part of it.
HIDDEN_FIELDS = {"id", "pk", "search_text", "created_at", "updated_at", "last_login"}
SECRET_PARTS = ("password", "token", "secret", "hash", "key_digest")
# A label a person can read: Russian words, «№» or «e-mail»; `submitted at` (no verbose name) is not.
_RUSSIAN_LABEL = re.compile(r"[а-яё№]|^e-mail$", re.IGNORECASE)

_ACTION_FORMS: dict[int, tuple[str, str, str, str]] = {
    # masculine, feminine, neuter, plural
    LogEntry.Action.CREATE: ("создан", "создана", "создано", "созданы"),
    LogEntry.Action.UPDATE: ("изменён", "изменена", "изменено", "изменены"),
    LogEntry.Action.DELETE: ("удалён", "удалена", "удалено", "удалены"),
    LogEntry.Action.ACCESS: ("просмотрен", "просмотрена", "просмотрено", "просмотрены"),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryLine:
    timestamp: dt.datetime  # in the organisation's zone
    actor: str
    action: str  # «создано», «изменён»…
    subject: str  # «согласие Иванов И. И.»
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def when(self) -> str:
        """Already in the organisation's zone: the `date` filter would move it to the viewer's."""
        return self.timestamp.strftime("%d.%m.%Y %H:%M")


@functools.cache
def _gender_of(phrase: str) -> int:
    """0 masc, 1 femn, 2 neut, 3 plural: the grammatical gender of a verbose name's head word."""
    for word in phrase.replace("(", " ").split():
        for parse in analyzer().parse(word):
            tag = parse.tag
            if tag.POS not in {"NOUN", "ADJF", "PRTF"} or tag.case != "nomn":
                continue
            if tag.number == "plur":
                return 3
            return {"masc": 0, "femn": 1, "neut": 2}.get(str(tag.gender), 0)
    return 0


def action_word(action: int, verbose_name: str) -> str:
    forms = _ACTION_FORMS.get(action, _ACTION_FORMS[LogEntry.Action.UPDATE])
    return forms[_gender_of(verbose_name)]


def is_hidden(model_field: Any) -> bool:
    """Ids, codes, secrets, reverse relations, JSON structures and fields left without a Russian name."""
    name = model_field.name
    if name in HIDDEN_FIELDS or any(part in name for part in SECRET_PARTS):
        return True
    if name == "code" or name.endswith(("_key", "_code")) or isinstance(model_field, models.SlugField):
        return True  # internal codes («mentees-11-18»): the record's name says the same in Russian
    if isinstance(model_field, models.UUIDField):
        return True  # an internal identifier (a questionnaire's family of versions): nothing to read
    if model_field.many_to_many:
        return False
    if not getattr(model_field, "concrete", False):
        return True  # reverse relations such as `survey_responses`
    if model_field.primary_key or isinstance(model_field, models.JSONField):
        return True
    return not _RUSSIAN_LABEL.search(field_label(model_field))


class _Lookup:
    """Names of the objects the entries mention, loaded in bulk before rendering."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.found: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk not in (None, "", "None"):
            self.wanted[model].add(str(pk))

    def load(self) -> None:
        for model, pks in self.wanted.items():
            pk_field = model._meta.pk
            assert pk_field is not None
            valid = []
            for pk in pks:
                try:
                    valid.append(pk_field.to_python(pk))
                except Exception:  # noqa: BLE001,S112 - an id of another type: shown as it was stored
                    continue
            objects = model._default_manager.select_related(*_joins(model)).in_bulk(valid)
            for pk, obj in objects.items():
                self.found[(model, str(pk))] = display_name(obj)

    def name(self, model: type[models.Model], pk: Any, default: str) -> str:
        return self.found.get((model, str(pk)), default)


def _forward_keys(model: type[models.Model]) -> list[Any]:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def _joins(model: type[models.Model]) -> list[str]:
    """The foreign keys two levels deep, so that str() of the objects asks the database nothing."""
    joins = []
    for key in _forward_keys(model):
        joins.append(key.name)
        joins += [f"{key.name}__{inner.name}" for inner in _forward_keys(key.related_model)]
    return joins


def display_name(obj: models.Model) -> str:
    """A person as «Иванов И. И.», anything else as its str()."""
    if hasattr(obj, "last_name") and hasattr(obj, "first_name"):
        initials = " ".join(
            f"{part[0]}." for part in (obj.first_name, getattr(obj, "middle_name", "")) if part
        )
        name = f"{obj.last_name} {initials}".strip()
        if name:
            return name
    return str(obj)


def field_label(model_field: Any) -> str:
    """The field's verbose name; a relation left without one is named by the model it points to."""
    label = str(getattr(model_field, "verbose_name", "") or "")
    derived = model_field.name.replace("_", " ")
    if (not label or label == derived) and model_field.is_relation and model_field.related_model:
        return str(model_field.related_model._meta.verbose_name)
    return label


def _model_of(entry: LogEntry) -> type[models.Model] | None:
    return entry.content_type.model_class()


def _field(model: type[models.Model], name: str) -> Any | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _collect(entries: Sequence[LogEntry], lookup: _Lookup) -> None:
    for entry in entries:
        model = _model_of(entry)
        if model is None:
            continue
        lookup.want(model, entry.object_pk)
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            if model_field is None or is_hidden(model_field) or not model_field.is_relation:
                continue
            if model_field.many_to_many or not isinstance(values, list | tuple):
                continue
            for value in values:
                lookup.want(model_field.related_model, value)


def _parse_datetime(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:  # auditlog keeps times naive in UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _value(model_field: Any, raw: Any, zone: ZoneInfo, lookup: _Lookup) -> str:
    """One stored value as the user sees it on the page."""
    if raw is None or raw == "None" or raw == "":
        return EMPTY
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    if model_field.choices:
        labels = {str(key): str(label) for key, label in model_field.flatchoices}
        return labels.get(text, text)
    if isinstance(model_field, models.BooleanField):
        return {"True": "да", "False": "нет"}.get(text, text)
    if isinstance(model_field, models.DateTimeField):
        moment = _parse_datetime(text)
        return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M") if moment else text
    if isinstance(model_field, models.DateField):
        try:
            return dt.date.fromisoformat(text[:10]).strftime("%d.%m.%Y")
        except ValueError:
            return text
    if model_field.is_relation and model_field.related_model is not None:
        return lookup.name(model_field.related_model, text, f"№ {text}")
    if isinstance(model_field, models.FileField):
        return "файл приложен"  # the stored name is a random path that says nothing to a reader
    return text


def _changes(
    entry: LogEntry, model: type[models.Model], zone: ZoneInfo, lookup: _Lookup
) -> list[FieldChange]:
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        model_field = _field(model, name)
        if model_field is None or is_hidden(model_field):
            continue
        label = field_label(model_field)
        if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation": …}
            objects = ", ".join(str(o) for o in values.get("objects", [])) or EMPTY
            if values.get("operation") == "add":
                rows.append(FieldChange(label, EMPTY, f"добавлено: {objects}"))
            else:
                rows.append(FieldChange(label, f"убрано: {objects}", EMPTY))
            continue
        old, new = (list(values) + [None, None])[:2]
        if entry.action == LogEntry.Action.CREATE and old in (None, "None"):
            old = None
        shown_old, shown_new = _value(model_field, old, zone, lookup), _value(model_field, new, zone, lookup)
        if shown_old != shown_new:
            rows.append(FieldChange(label, shown_old, shown_new))
    return rows


def history_lines(entries: Iterable[LogEntry], *, zone: ZoneInfo | str) -> list[HistoryLine]:
    """The entries (with content_type and actor selected) as lines of a Russian history."""
    entries = list(entries)
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    lookup = _Lookup()
    _collect(entries, lookup)
    lookup.load()
    lines = []
    for entry in entries:
        model = _model_of(entry)
        if model is None:
            continue
        verbose_name = str(model._meta.verbose_name)
        subject_name = lookup.name(model, entry.object_pk, entry.object_repr)
        lines.append(
            HistoryLine(
                timestamp=entry.timestamp.astimezone(zone),
                actor=str(entry.actor) if entry.actor_id else SYSTEM,
                action=action_word(entry.action, verbose_name),
                subject=f"{verbose_name} {subject_name}".strip(),
                changes=_changes(entry, model, zone, lookup),
            )
        )
    return lines
