"""The subject access export (152-ФЗ art. 14): one ZIP with everything held on a person.

Inside: `данные.json` (for machines), `данные.html` (for people: every section as a table, opens
in any browser and prints), and `файлы/` with the consent scans. Sections come from the registry
(card, consents, participations, legal representatives) and from the providers of the higher
apps (questionnaires, pairs, plans, meetings, events); other records the model graph finds next
to the person are listed as they are; the change history is the audit log of all of them.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from nastavnik.accounts.models import User

from ..access import can_manage_person
from ..models import PERSON_FORM_FIELDS, Consent, GuardianLink, Participation, Person
from ..subject_data import SubjectSection, collect_subject_records, group_by_model, subject_data_providers

ACTIONS = {0: "создание", 1: "изменение", 2: "удаление", 3: "просмотр / выгрузка"}


def _value(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _card(person: Person) -> SubjectSection:
    row = {"Организация": str(person.organisation)}
    for name in PERSON_FORM_FIELDS:
        f: Any = person._meta.get_field(name)
        shown = (
            getattr(person, f"get_{name}_display")() if getattr(f, "choices", None) else getattr(person, name)
        )
        row[str(f.verbose_name).capitalize()] = _value(shown)
    row["Класс"] = person.school_class
    row["Категории"] = "; ".join(c.name for c in person.categories.all())
    row["Учётная запись"] = person.user.username if person.user else ""
    return SubjectSection("Карточка участника", [row], [person])


def _consents(person: Person) -> SubjectSection:
    consents = list(
        Consent.objects.filter(Q(subject=person) | Q(representative=person)).select_related(
            "subject", "representative"
        )
    )
    rows, files = [], []
    for c in consents:
        file_name = ""
        if c.document:
            file_name = f"файлы/согласие-{c.pk}{PurePosixPath(c.document.name).suffix.lower()}"
            files.append((file_name, c.document))
        rows.append(
            {
                "Чьё согласие": c.subject.full_name,
                "Вид": c.get_kind_display(),
                "Кем дано": c.get_given_by_display(),
                "Законный представитель": c.representative.full_name if c.representative else "",
                "Цели обработки": c.purposes,
                "Подписано": _value(c.signed_on),
                "Действует до": _value(c.valid_until),
                "Отозвано": _value(c.revoked_on),
                "Причина отзыва": c.revocation_reason,
                "Скан": file_name,
            }
        )
    return SubjectSection("Согласия на обработку персональных данных", rows, list(consents), files)


def _participations(person: Person) -> SubjectSection:
    participations = list(
        Participation.objects.filter(person=person)
        .select_related("program", "preferred_form")
        .prefetch_related("tags")
    )
    rows = [
        {
            "Программа": str(p.program),
            "Роль": p.get_role_display(),
            "Статус": p.get_status_display(),
            "Форма наставничества": str(p.preferred_form or ""),
            "Запросы / компетенции": "; ".join(t.name for t in p.tags.all()),
            "Запрос или опыт": p.details,
            "Добавлен(а)": _value(p.added_on),
        }
        for p in participations
    ]
    return SubjectSection("Участие в программах", rows, list(participations))


def _guardians(person: Person) -> SubjectSection:
    links = list(
        GuardianLink.objects.filter(Q(child=person) | Q(guardian=person)).select_related("child", "guardian")
    )
    rows = [
        {
            "Ребёнок": link.child.full_name,
            "Законный представитель": link.guardian.full_name,
            "Кем приходится": link.relation,
        }
        for link in links
    ]
    return SubjectSection("Законные представители", rows, list(links))


REGISTRY_MODELS: tuple[type[models.Model], ...] = (Person, Consent, GuardianLink, Participation)


def collect_sections(person: Person) -> list[SubjectSection]:
    sections = [_card(person), _consents(person), _participations(person), _guardians(person)]
    covered: set[type[models.Model]] = set(REGISTRY_MODELS)
    for provider in subject_data_providers():
        sections += provider.sections(person)
        covered.update(provider.models)
    others = [o for o in collect_subject_records(person).near() if type(o) not in covered]
    if others:
        rows = [{"Вид записи": str(type(o)._meta.verbose_name), "Запись": str(o)} for o in others]
        sections.append(SubjectSection("Другие записи об участнике", rows, others))
    return sections


def _history(sections: Iterable[SubjectSection]) -> list[dict[str, str]]:
    """The audit entries of every record of the export: one query."""
    condition = Q(pk__in=[])
    for model, objects in group_by_model(o for s in sections for o in s.objects).items():
        condition |= Q(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(o.pk) for o in objects]
        )
    entries = (
        LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("timestamp", "pk")
    )
    rows = []
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        rows.append(
            {
                "Когда": timezone.localtime(entry.timestamp).strftime("%d.%m.%Y %H:%M"),
                "Кто": entry.actor.get_full_name() or entry.actor.username if entry.actor else "",
                "Действие": ACTIONS.get(entry.action, str(entry.action)),
                "Запись": f"{entry.content_type.name}: {entry.object_repr}",
                "Изменения": "; ".join(f"{k}: {_change(v)}" for k, v in changes.items())
                or entry.changes_text,
            }
        )
    return rows


def _change(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]} → {value[1]}"
    return json.dumps(value, ensure_ascii=False)


def build_subject_archive(person: Person, requested_by: str) -> bytes:
    sections = collect_sections(person)
    history = SubjectSection("История изменений", _history(sections))
    generated = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    document = {
        "субъект": person.full_name,
        "организация": str(person.organisation),
        "сформировано": generated,
        "кто запросил": requested_by,
        "разделы": [{"название": s.title, "записи": s.rows} for s in [*sections, history]],
    }
    html = render_to_string(
        "registry/subject_export.html",
        {
            "person": person,
            "sections": [*sections, history],
            "generated": generated,
            "requested_by": requested_by,
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("данные.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("данные.html", html)
        for section in sections:
            for name, stored in section.files:
                with stored.open("rb") as source:
                    archive.writestr(name, source.read())
    return buffer.getvalue()


def person_export_subject_data(*, acting_user: User, person: Person) -> bytes:
    """The administration of the person's organisation exports everything held on them; the audit
    log records who asked (an «access» entry on the person)."""
    if not can_manage_person(acting_user, person):
        raise PermissionDenied("Выгрузку данных участника формирует администрация его организации.")
    requested_by = acting_user.get_full_name() or acting_user.username
    archive = build_subject_archive(person, requested_by)
    LogEntry.objects.log_create(
        person,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=acting_user,
        changes_text="Выгрузка всех данных участника по запросу субъекта (152-ФЗ, ст. 14)",
        additional_data={"subject_access_export": {"requested_by": acting_user.username}},
    )
    return archive
