"""Writes to roadmaps. Every function takes the acting user, checks their right, runs in one
transaction and leaves audit records (django-auditlog with the actor from `acting_as`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.base.audit import acting_as
from nastavnik.base.time import today_in
from nastavnik.orgs.access import can_manage_organisation, can_oversee_municipality
from nastavnik.orgs.models import Municipality, Organisation, Program
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Person

from .access import require_manage_roadmap, require_mark_school_duty
from .blueprints import BLUEPRINTS, blueprint_draft
from .deadlines import Period, parse_deadline, windows_json
from .importing import RoadmapDraft, split_person
from .models import (
    STORED_STATUSES,
    EventCompletion,
    EventResponsible,
    EventStatus,
    ResponsibleLevel,
    Roadmap,
    RoadmapEvent,
    RoadmapSection,
    SchoolEventStatus,
    SchoolStatus,
)
from .school_duties import is_school_duty, schools_of
from .selectors import event_state


def roadmap_today(roadmap: Roadmap) -> dt.date:
    """Today in the roadmap's own time zone: the organisation's, or the municipality's region's."""
    if roadmap.organisation is not None:
        return today_in(roadmap.organisation.timezone)
    if roadmap.municipality is not None:
        return today_in(roadmap.municipality.region.timezone)
    return today_in()


def _owner(
    acting_user: Any,
    organisation: Organisation | None,
    program: Program | None,
    municipality: Municipality | None,
) -> tuple[Organisation | None, Program | None, Municipality | None]:
    if program is not None:
        if organisation is not None and program.organisation_id != organisation.pk:
            raise ValidationError("Программа принадлежит другой организации.")
        organisation = program.organisation
    if (organisation is None) == (municipality is None):
        raise ValidationError("Укажите, чья это дорожная карта: организации (программы) или муниципалитета.")
    if organisation is not None and not can_manage_organisation(acting_user, organisation):
        raise PermissionDenied("Дорожные карты организации ведут её администрация и кураторы.")
    if municipality is not None and not can_oversee_municipality(acting_user, municipality):
        raise PermissionDenied("Муниципальную дорожную карту ведёт муниципальный куратор.")
    return organisation, program, municipality


# --- people in the registry ------------------------------------------------------------------------

_INITIALS = re.compile(r"([А-ЯЁ])\.")
_SURNAME = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")


class _PeopleIndex:
    """Finds «Т.В. Демакова» or «Демакова Т.В.» among the organisation's people, if unambiguous."""

    def __init__(self, people: list[Person]) -> None:
        self.by_surname: dict[str, list[Person]] = {}
        for person in people:
            self.by_surname.setdefault(person.last_name.lower().replace("ё", "е"), []).append(person)

    def find(self, text: str) -> Person | None:
        name, _position = split_person(text)
        if not name:
            return None
        surname_match = _SURNAME.search(name.replace(".", ". "))
        if not surname_match:
            return None
        candidates = self.by_surname.get(surname_match.group(0).lower().replace("ё", "е"), [])
        initials = _INITIALS.findall(name)
        if initials:
            candidates = [p for p in candidates if p.first_name[:1].upper() == initials[0]]
        if len(initials) > 1:
            candidates = [p for p in candidates if p.middle_name[:1].upper() == initials[1]]
        return candidates[0] if len(candidates) == 1 else None


def _people_index(acting_user: Any, organisation: Organisation | None) -> _PeopleIndex:
    if organisation is None:
        return _PeopleIndex([])
    return _PeopleIndex(
        list(visible_people_for(acting_user).filter(organisation=organisation, left_on__isnull=True))
    )


# --- import ------------------------------------------------------------------------------------------


def _period_for(draft: RoadmapDraft, program: Program | None, period: Period | None) -> Period:
    if period is not None:
        return period
    if draft.period is not None:
        return draft.period
    if program is not None:
        return Period.academic_year(program.academic_year)
    raise ValidationError("Не удалось определить учебный год дорожной карты: укажите его при загрузке.")


def _save_draft(
    *,
    acting_user: Any,
    draft: RoadmapDraft,
    organisation: Organisation | None,
    program: Program | None,
    municipality: Municipality | None,
    period: Period,
    source_name: str = "",
    template_key: str = "",
    previous: Roadmap | None = None,
) -> Roadmap:
    approval = draft.approval
    roadmap = Roadmap(
        organisation=organisation,
        program=program,
        municipality=municipality,
        title=draft.title[:600],
        period_start=period.starts_on,
        period_end=period.ends_on,
        academic=period.academic,
        approval_position=(approval.position if approval else "")[:300],
        approval_name=(approval.name if approval else "")[:200],
        approval_date=approval.approved_on if approval else None,
        approval_text=approval.text if approval else "",
        approval_order=(approval.order if approval else "")[:100],
        has_municipal_level=draft.has_municipal_level,
        columns=[c.role for c in draft.columns],
        source_name=source_name[:300],
        template_key=template_key,
        previous=previous,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    roadmap.full_clean()
    people = _people_index(acting_user, organisation)
    with transaction.atomic(), acting_as(acting_user):
        roadmap.save()
        sections: dict[str, RoadmapSection] = {}
        for position, draft_section in enumerate(draft.sections, 1):
            section = RoadmapSection(
                roadmap=roadmap,
                position=position,
                number=draft_section.number or "",
                title=draft_section.title,
                deadline_text=draft_section.deadline_text[:300],
            )
            section.full_clean(exclude=["roadmap"])
            section.save()
            sections[draft_section.title] = section
        for position, draft_event in enumerate(draft.events, 1):
            event = RoadmapEvent(
                roadmap=roadmap,
                section=sections.get(draft_event.section or ""),
                position=position,
                number=draft_event.number or "",
                title=draft_event.title or "(без названия)",
                content=draft_event.content,
                expected_result=draft_event.expected_result,
                indicator=draft_event.indicator,
                notes=draft_event.notes,
            )
            _apply_deadline(event, draft_event.deadline_text, period)
            event.full_clean(exclude=["roadmap", "section"])
            event.save()
            _set_responsibles(
                event,
                [
                    (ResponsibleLevel.MUNICIPAL, draft_event.responsible_municipal),
                    (ResponsibleLevel.ANY, draft_event.responsible),
                    (ResponsibleLevel.ORGANISATION, draft_event.responsible_org),
                ],
                people,
            )
    return roadmap


def _apply_deadline(event: RoadmapEvent, deadline_text: str, period: Period) -> None:
    """Keep the deadline as written and as parsed; text that can't be parsed is flagged."""
    parsed = parse_deadline(deadline_text, period)
    event.deadline_text = deadline_text[:300]
    event.starts_on = parsed.starts_on
    event.ends_on = parsed.ends_on
    event.recurrence = parsed.recurrence
    event.day_of_month = parsed.day_of_month
    event.repeat_until = parsed.repeat_until
    event.windows = windows_json(parsed)
    event.deadline_understood = parsed.understood
    event.deadline_note = parsed.note[:500]


def _set_responsibles(
    event: RoadmapEvent, by_level: Sequence[tuple[str, Sequence[str]]], people: _PeopleIndex
) -> None:
    index = 0
    for level, texts in by_level:
        for text in texts:
            EventResponsible.objects.create(
                event=event, position=index, text=text[:500], level=level, person=people.find(text)
            )
            index += 1


def event_update(
    *,
    acting_user: Any,
    event: RoadmapEvent,
    title: str,
    content: str,
    deadline_text: str,
    responsibles: Sequence[tuple[str, Sequence[str]]],
    expected_result: str,
    indicator: str,
) -> RoadmapEvent:
    """Correct an event after import: its wording, deadline (parsed again) and responsibles."""
    roadmap = event.roadmap
    require_manage_roadmap(acting_user, roadmap)
    event.title = title.strip() or event.title
    event.content = content.strip()
    event.expected_result = expected_result.strip()
    event.indicator = indicator.strip()
    _apply_deadline(event, deadline_text.strip(), roadmap.period)
    event.full_clean(exclude=["roadmap", "section"])
    people = _people_index(acting_user, roadmap.organisation)
    with transaction.atomic(), acting_as(acting_user):
        event.save()
        event.responsibles.all().delete()
        _set_responsibles(event, responsibles, people)
    return event


def roadmap_import(
    *,
    acting_user: Any,
    draft: RoadmapDraft,
    organisation: Organisation | None = None,
    program: Program | None = None,
    municipality: Municipality | None = None,
    period: Period | None = None,
    source_name: str = "",
) -> Roadmap:
    """Save an imported roadmap with every event it read. All or nothing."""
    organisation, program, municipality = _owner(acting_user, organisation, program, municipality)
    if not draft.events:
        raise ValidationError("В дорожной карте нет ни одного мероприятия.")
    return _save_draft(
        acting_user=acting_user,
        draft=draft,
        organisation=organisation,
        program=program,
        municipality=municipality,
        period=_period_for(draft, program, period),
        source_name=source_name,
    )


def roadmap_create_from_template(
    *,
    acting_user: Any,
    template_key: str,
    academic_year: int,
    organisation: Organisation | None = None,
    program: Program | None = None,
    municipality: Municipality | None = None,
) -> Roadmap:
    blueprint = BLUEPRINTS.get(template_key)
    if blueprint is None:
        raise ValidationError("Такого шаблона дорожной карты нет.")
    organisation, program, municipality = _owner(acting_user, organisation, program, municipality)
    if blueprint.owner == "municipality" and municipality is None:
        raise ValidationError("Этот шаблон — для муниципальной дорожной карты.")
    if blueprint.owner == "organisation" and organisation is None:
        raise ValidationError("Этот шаблон — для дорожной карты организации.")
    period = Period.academic_year(academic_year)
    return _save_draft(
        acting_user=acting_user,
        draft=blueprint_draft(blueprint, period),
        organisation=organisation,
        program=program,
        municipality=municipality,
        period=period,
        template_key=template_key,
    )


def _shift_years(text: str, years: int) -> str:
    """«До 09.11.2020», «2020-2021 учебный год» → one year later; two-digit «2020/21» too."""

    def full(match: re.Match[str]) -> str:
        return str(int(match.group(0)) + years)

    text = re.sub(r"(?<!\d)(?:19|20)\d{2}(?!\d)", full, text)
    return re.sub(r"(?<=/)(\d{2})(?!\d)", lambda m: f"{(int(m.group(1)) + years) % 100:02d}", text)


def roadmap_roll_over(*, acting_user: Any, roadmap: Roadmap) -> Roadmap:
    """The same roadmap for the next year: dates move a year on, statuses and results start afresh."""
    require_manage_roadmap(acting_user, roadmap)
    period = roadmap.period.shifted(1)
    program = None
    if roadmap.program is not None:
        program = Program.objects.filter(
            organisation_id=roadmap.program.organisation_id,
            kind=roadmap.program.kind,
            academic_year=roadmap.program.academic_year + 1,
        ).first()
    with transaction.atomic(), acting_as(acting_user):
        new = Roadmap.objects.create(
            organisation=roadmap.organisation,
            program=program,
            municipality=roadmap.municipality,
            title=_shift_years(roadmap.title, 1)[:600],
            period_start=period.starts_on,
            period_end=period.ends_on,
            academic=period.academic,
            approval_position=roadmap.approval_position,
            approval_name=roadmap.approval_name,
            has_municipal_level=roadmap.has_municipal_level,
            columns=roadmap.columns,
            template_key=roadmap.template_key,
            previous=roadmap,
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        section_map: dict[int, RoadmapSection] = {}
        for section in roadmap.sections.all():
            section_map[section.pk] = RoadmapSection.objects.create(
                roadmap=new,
                position=section.position,
                number=section.number,
                title=section.title,
                deadline_text=_shift_years(section.deadline_text, 1)[:300],
            )
        for event in roadmap.events.prefetch_related("responsibles").order_by("position"):
            text = _shift_years(event.deadline_text, 1)
            parsed = parse_deadline(text, period)
            copy = RoadmapEvent.objects.create(
                roadmap=new,
                section=section_map.get(event.section_id) if event.section_id else None,
                position=event.position,
                number=event.number,
                title=event.title,
                content=event.content,
                deadline_text=text[:300],
                starts_on=parsed.starts_on,
                ends_on=parsed.ends_on,
                recurrence=parsed.recurrence,
                day_of_month=parsed.day_of_month,
                repeat_until=parsed.repeat_until,
                windows=windows_json(parsed),
                deadline_understood=parsed.understood,
                deadline_note=parsed.note[:500],
                expected_result=event.expected_result,
                indicator=event.indicator,
                notes=event.notes,
            )
            for responsible in event.responsibles.all():
                EventResponsible.objects.create(
                    event=copy,
                    position=responsible.position,
                    text=responsible.text,
                    level=responsible.level,
                    person=responsible.person,
                )
    return new


# --- status and results ---------------------------------------------------------------------------------


def event_set_status(
    *,
    acting_user: Any,
    event: RoadmapEvent,
    status: str,
    done_on: dt.date | None = None,
    due_on: dt.date | None = None,
    result_file: UploadedFile | None = None,
    result_link: str = "",
) -> RoadmapEvent:
    """Change an event's status. «Выполнено» on a recurring event closes one occurrence (the given
    `due_on`, else the earliest open one); the event is done when all its occurrences are.
    «Выполнено» again on a done event attaches a result and keeps its date."""
    roadmap = event.roadmap
    require_manage_roadmap(acting_user, roadmap)
    if status == EventStatus.OVERDUE:
        raise ValidationError("Статус «просрочено» ставится автоматически, когда срок прошёл.")
    if status not in STORED_STATUSES:
        raise ValidationError("Неизвестный статус мероприятия.")
    if status != EventStatus.CANCELLED and is_school_duty(event, roadmap):
        raise ValidationError(
            "Это мероприятие выполняет каждая школа: школы отмечают своё выполнение сами, "
            "общий статус складывается из их отметок."
        )
    today = roadmap_today(roadmap)
    already_done_on = event.done_on if event.status == EventStatus.DONE and not event.is_recurring else None
    done_on = done_on or already_done_on or today
    if done_on > today:
        raise ValidationError("Дата выполнения не может быть в будущем.")
    with transaction.atomic(), acting_as(acting_user):
        if status == EventStatus.DONE:
            state = event_state(event, roadmap, today)
            due = due_on or state.open_due or event.ends_on or event.starts_on or done_on
            completion, _created = EventCompletion.objects.get_or_create(
                event=event, due_on=due, defaults={"done_on": done_on, "marked_by": acting_user}
            )
            if result_file is not None:
                completion.result_file = result_file
            if result_link:
                completion.result_link = result_link
            completion.full_clean()
            completion.save()
            if event.is_recurring:
                remaining = [o for o in event_state(event, roadmap, today).occurrences if not o.done]
                event.status = EventStatus.DONE if not remaining else EventStatus.IN_PROGRESS
                event.done_on = done_on if not remaining else None
            else:
                event.status = EventStatus.DONE
                event.done_on = done_on
            if result_file is not None:
                # The completion's stored file, by name: assigning the upload again would store
                # a second copy of it (one named file for both rows; see base/file_cleanup.py).
                event.result_file = completion.result_file.name
            if result_link:
                event.result_link = result_link
        else:
            if event.status == EventStatus.DONE and not event.is_recurring:
                event.completions.all().delete()
            event.status = status
            event.done_on = None
        event.full_clean()
        event.save()
    return event


def roadmap_delete(*, acting_user: Any, roadmap: Roadmap) -> None:
    require_manage_roadmap(acting_user, roadmap)
    with transaction.atomic(), acting_as(acting_user):
        roadmap.delete()


# --- school duties of a municipal roadmap -----------------------------------------------------------


def _sync_event_from_schools(event: RoadmapEvent) -> None:
    """A school duty's own status is what its schools did: done when every school is done,
    running once one has started. A cancelled event stays cancelled."""
    if event.status == EventStatus.CANCELLED or not event.roadmap.municipality_id:
        return
    schools = schools_of([event.roadmap.municipality_id]).values("pk")
    records = SchoolEventStatus.objects.filter(event=event, organisation__in=schools)
    total = schools.count()
    done = list(records.filter(status=SchoolStatus.DONE).values_list("done_on", flat=True))
    started = records.exclude(status=SchoolStatus.NOT_STARTED).exists()
    if total and len(done) == total:
        status, done_on = EventStatus.DONE, max(d for d in done if d)
    else:
        status, done_on = (EventStatus.IN_PROGRESS if started else EventStatus.PLANNED), None
    if (event.status, event.done_on) != (status, done_on):
        event.status, event.done_on = status, done_on
        event.save(update_fields=["status", "done_on"])


def school_status_set(
    *,
    acting_user: Any,
    event: RoadmapEvent,
    organisation: Organisation,
    status: str,
    done_on: dt.date | None = None,
    comment: str | None = None,
    result_file: File | None = None,
) -> SchoolEventStatus:
    """A school marks its own part of a municipal event: status, date, result file and comment."""
    require_mark_school_duty(acting_user, organisation)
    roadmap = event.roadmap
    if organisation.municipality_id != roadmap.municipality_id:
        raise PermissionDenied("Это мероприятие из дорожной карты другого муниципалитета.")
    if not is_school_duty(event, roadmap):
        raise ValidationError("Это мероприятие выполняет муниципалитет, а не школы.")
    if status not in SchoolStatus.values:
        raise ValidationError("Неизвестный статус: выберите «не начато», «в работе» или «выполнено».")
    today = today_in(organisation.timezone)
    record = SchoolEventStatus.objects.filter(event=event, organisation=organisation).first()
    if record is None:
        record = SchoolEventStatus(event=event, organisation=organisation)
    if status == SchoolStatus.DONE:
        done_on = done_on or (record.done_on if record.status == SchoolStatus.DONE else None) or today
        if done_on > today:
            raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    else:
        done_on = None
    record.status, record.done_on = status, done_on
    if comment is not None:
        record.comment = comment.strip()
    if result_file is not None:
        record.result_file = result_file
    record.updated_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    record.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        record.save()
        _sync_event_from_schools(event)
    return record


def event_set_schools_carry_out(*, acting_user: Any, event: RoadmapEvent, value: bool | None) -> RoadmapEvent:
    """The municipal curator decides whether every school carries out the event (None: by its
    responsibles)."""
    roadmap = event.roadmap
    require_manage_roadmap(acting_user, roadmap)
    if not roadmap.municipality_id:
        raise ValidationError("Школы выполняют мероприятия только муниципальной дорожной карты.")
    with transaction.atomic(), acting_as(acting_user):
        event.schools_carry_out = value
        event.save(update_fields=["schools_carry_out"])
        if is_school_duty(event, roadmap):
            _sync_event_from_schools(event)
    return event


def roadmap_set_approval(
    *,
    acting_user: Any,
    roadmap: Roadmap,
    position: str,
    name: str,
    approved_on: dt.date | None,
    order: str,
) -> Roadmap:
    """Who approves the roadmap and by which order: asked once by the export and remembered."""
    require_manage_roadmap(acting_user, roadmap)
    roadmap.approval_position = position.strip()
    roadmap.approval_name = name.strip()
    roadmap.approval_date = approved_on
    roadmap.approval_order = order.strip()
    roadmap.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        roadmap.save()
    return roadmap
