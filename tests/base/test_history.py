"""The change history speaks Russian: every audited model, created, changed and deleted, renders
without an English identifier, and times show in the organisation's zone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from auditlog.receivers import log_create, log_delete
from auditlog.registry import auditlog
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.history import history_lines
from nastavnik.orgs.models import Organisation
from tests.factories import PersonFactory, UserFactory, give_consent

# Latin words that may stand in a rendered history: what people typed in the demo and the model
# defaults (e-mail addresses and links are removed before the check).
ALLOWED_LATIN = {"swot", "docx", "xlsx", "pdf", "csv", "html", "telegram"}
ENGLISH_IDENTIFIER = re.compile(r"\b[A-Za-z_]{3,}\b")
URL_OR_EMAIL = re.compile(r"\S+@\S+|https?://\S+")


def english_words(text: str, allowed: set[str] = ALLOWED_LATIN) -> set[str]:
    text = URL_OR_EMAIL.sub(" ", text).replace("E-mail", " ").replace("e-mail", " ")
    return {w for w in ENGLISH_IDENTIFIER.findall(text) if w.lower() not in allowed}


def rendered(lines: list[Any]) -> str:
    html = render_to_string("base/_history.html", {"lines": lines})
    return re.sub(r"<[^>]+>", " ", html)


# --- building one instance of any model ---------------------------------------------------------


def _filler(field: models.Field, n: int) -> Any:
    """A value for a required field when the demo has no instance to copy."""
    if field.is_relation:
        related = field.related_model._default_manager.order_by("pk").first()
        assert related is not None, f"no {field.related_model} to point {field} at"
        return related
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return dt.date(2026, 9, 1)
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        return n
    if isinstance(field, models.JSONField):
        return {}
    return f"Запись {n}"


def create_instance(model: type[models.Model], n: int) -> models.Model:
    """A copy of the first instance (or one made from scratch), saved so auditlog logs its creation."""
    source = model._default_manager.order_by("pk").first()
    if source is not None:
        try:
            with transaction.atomic():
                source.pk = None
                source.id = None  # type: ignore[attr-defined]
                source._state.adding = True
                source.save()
                return source
        except (IntegrityError, ValueError):
            pass
        source = model._default_manager.order_by("pk").first()
        assert source is not None
        log_create(sender=model, instance=source, created=True)  # a copy would break a unique rule
        return source
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False) or (field.blank and not field.is_relation):
            continue
        values[field.name] = _filler(field, n)
    return model._default_manager.create(**values)


def _another(field: models.Field, value: Any, n: int) -> Any:
    """A different value for a field, so the change shows in the history."""
    if field.is_relation:
        others = field.related_model._default_manager.order_by("pk")
        if value is not None:
            others = others.exclude(pk=value.pk)
        return others.first() or value
    if field.choices:
        codes = [code for code, _ in field.flatchoices if code != value]
        return codes[0] if codes else value
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) + dt.timedelta(days=1, hours=3)
    if isinstance(field, models.DateField):
        return (value or dt.date(2026, 9, 1)) + dt.timedelta(days=1)
    if isinstance(field, models.DecimalField | models.IntegerField | models.FloatField):
        return (value or 0) + 1
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 100
        return (f"Изменено {n}" if not field.choices else value)[:limit]
    return value


def change_instance(obj: models.Model, n: int) -> None:
    """Every editable field changed at once (each one separately when a rule forbids the whole)."""
    fields = [
        f
        for f in obj._meta.concrete_fields
        if f.editable and not f.primary_key and not isinstance(f, models.JSONField | models.FileField)
    ]
    try:
        with transaction.atomic():
            for field in fields:
                setattr(obj, field.name, _another(field, getattr(obj, field.name), n))
            obj.save()
            return
    except (IntegrityError, ValueError):
        obj.refresh_from_db()
    for field in fields:
        try:
            with transaction.atomic():
                setattr(obj, field.name, _another(field, getattr(obj, field.name), n))
                obj.save()
        except (IntegrityError, ValueError):
            obj.refresh_from_db()


def delete_instance(obj: models.Model) -> None:
    model = type(obj)
    try:
        with transaction.atomic():
            model._default_manager.filter(pk=obj.pk).first().delete()  # type: ignore[union-attr]
    except (ProtectedError, IntegrityError):
        log_delete(sender=model, instance=obj)  # kept by a PROTECT rule: the entry auditlog would write


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_history_of_every_audited_model_has_no_english_identifier(demo):
    actor = UserFactory(last_name="Куратова", first_name="Анна", username="kuratova")
    audited = list(auditlog.get_models())
    assert len(audited) > 20
    problems = {}
    logins = {u.lower() for u in User.objects.values_list("username", flat=True)}  # typed by people
    for n, model in enumerate(audited, start=1):
        started = timezone.now()
        with acting_as(actor):
            obj = create_instance(model, n)
            change_instance(obj, n)
            delete_instance(obj)
        entries = LogEntry.objects.get_for_model(model).filter(timestamp__gte=started, object_pk=str(obj.pk))
        entries = entries.select_related("actor", "content_type").order_by("timestamp", "pk")
        actions = {e.action for e in entries}
        assert {LogEntry.Action.CREATE, LogEntry.Action.DELETE} <= actions, model
        lines = history_lines(entries, zone="Europe/Moscow")
        text = rendered(lines)
        if english_words(text, ALLOWED_LATIN | logins) or "None" in text:
            problems[model._meta.label] = (english_words(text, ALLOWED_LATIN | logins), text)
        assert str(model._meta.verbose_name) in text
        if LogEntry.Action.UPDATE in actions:
            assert any(line.changes for line in lines if line.action.startswith("измен")), model
    assert not problems, "\n\n".join(f"{label}: {words}\n{text}" for label, (words, text) in problems.items())


def test_the_history_shows_choice_labels_verbose_names_and_related_objects_by_name(db):
    person = PersonFactory(last_name="Иванов", first_name="Иван", middle_name="Иванович", grade=None)
    person.grade = 8
    person.kind = "teacher"
    person.save()
    entries = LogEntry.objects.get_for_model(type(person)).filter(object_pk=str(person.pk))
    lines = history_lines(
        entries.select_related("actor", "content_type").order_by("timestamp"), zone="Europe/Moscow"
    )
    created, changed = lines
    assert created.action == "создан"
    assert created.subject == "участник Иванов И. И."
    assert changed.action == "изменён"
    changes = {c.label: (c.old, c.new) for c in changed.changes}
    assert changes["класс (параллель)"] == ("—", "8")
    assert changes["кто это"] == ("Обучающийся", "Педагог")
    assert "search_text" not in rendered(lines)
    assert not any("организац" in c.label for c in changed.changes)
    organisation = {c.label: c.new for c in created.changes}["организация"]
    assert organisation == str(person.organisation)


def test_history_times_are_shown_in_the_organisations_zone(db):
    person = PersonFactory()
    entry = LogEntry.objects.get_for_model(type(person)).get(object_pk=str(person.pk))
    entry.timestamp = dt.datetime(2026, 9, 1, 5, 30, tzinfo=dt.UTC)
    entry.save()
    entries = LogEntry.objects.filter(pk=entry.pk).select_related("actor", "content_type")
    assert history_lines(entries, zone="Asia/Yekaterinburg")[0].when == "01.09.2026 10:30"
    assert history_lines(entries, zone="Asia/Vladivostok")[0].when == "01.09.2026 15:30"
    assert "10:30" in rendered(history_lines(entries, zone="Asia/Yekaterinburg"))


def test_history_renders_dates_times_and_booleans_of_the_organisation_in_russian(db):
    organisation = Organisation.objects.create(
        municipality=PersonFactory().organisation.municipality, name="Школа", timezone="Asia/Yekaterinburg"
    )
    person = PersonFactory(organisation=organisation, birth_date=dt.date(2012, 3, 15))
    person.birth_date = dt.date(2012, 3, 16)
    person.is_young_specialist = not person.is_young_specialist
    person.save()
    entries = LogEntry.objects.get_for_model(type(person)).filter(object_pk=str(person.pk), action=1)
    [line] = history_lines(entries.select_related("actor", "content_type"), zone=organisation.timezone)
    changes = {c.label: (c.old, c.new) for c in line.changes}
    assert changes["дата рождения"] == ("15.03.2012", "16.03.2012")
    assert set(next(v for k, v in changes.items() if "молод" in k)) == {"да", "нет"}


def test_the_history_asks_the_database_the_same_for_few_and_many_entries(db):
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        give_consent(person)

    def render(limit: int) -> int:
        entries = LogEntry.objects.select_related("actor", "content_type").order_by("pk")[:limit]
        with CaptureQueriesContext(connection) as queries:
            rendered(history_lines(entries, zone="Europe/Moscow"))
        return len(queries)

    assert render(2) == render(6) <= 6


def test_an_internal_uuid_is_not_shown_in_a_history():
    """A questionnaire's family of versions is a random UUID: nothing a reader can use, and its
    hexadecimal runs («abae») read as Latin words in a Russian history."""
    from nastavnik.base.history import is_hidden
    from nastavnik.surveys.models import Questionnaire

    assert is_hidden(Questionnaire._meta.get_field("family"))
    assert not is_hidden(Questionnaire._meta.get_field("title"))
