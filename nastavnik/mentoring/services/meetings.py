"""Meetings of a pair or group: scheduling, recording (attendance, notes, reflections) and the
methodology's sequence (Р-145, stage 6): встреча-знакомство → пробная рабочая встреча →
встреча-планирование → регулярные встречи (with an intermediate рефлексивная one half-way)
→ итоговая встреча. Times are aware datetimes; dates are read in the organisation's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as

from ..access import group_role_for, require_work_on_group
from ..models import (
    GroupMembership,
    GroupStatus,
    Meeting,
    MeetingAttendance,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    MentoringGroup,
)

_RECORD_MEETINGS = "Встречи записывают наставник пары (группы) и куратор программы."

# The opening of the sequence, one week apart; regular meetings then every two weeks.
OPENING = (MeetingKind.INTRO, MeetingKind.TRIAL, MeetingKind.PLANNING)
OPENING_INTERVAL = dt.timedelta(weeks=1)
REGULAR_INTERVAL = dt.timedelta(weeks=2)
# The final meeting is suggested this long before the end of the program.
FINAL_LEAD = dt.timedelta(weeks=2)


def org_zone(group: MentoringGroup) -> ZoneInfo:
    return ZoneInfo(group.program.organisation.timezone)


def local_date(moment: dt.datetime, zone: ZoneInfo) -> dt.date:
    return moment.astimezone(zone).date()


def members_on(group: MentoringGroup, day: dt.date) -> list[GroupMembership]:
    """The mentees in the group on a day (membership history, not only the current ones)."""
    return [
        m
        for m in group.memberships.select_related("mentee__person").order_by("joined_on", "pk")
        if m.joined_on <= day and (m.left_on is None or m.left_on >= day)
    ]


def _check_time(group: MentoringGroup, starts_at: dt.datetime, status: str) -> dt.date:
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Время встречи без часового пояса."})
    day = local_date(starts_at, org_zone(group))
    if day < group.started_on:
        raise ValidationError({"starts_at": "Встреча раньше начала работы пары (группы)."})
    if group.ended_on and day > group.ended_on:
        raise ValidationError({"starts_at": "Встреча позже окончания работы пары (группы)."})
    if status == MeetingStatus.HELD and starts_at > timezone.now():
        raise ValidationError({"starts_at": "Состоявшаяся встреча не может быть в будущем."})
    return day


def _sync_attendance(meeting: Meeting, day: dt.date) -> None:
    """One attendance row per mentee in the group on the meeting's day."""
    members = {m.mentee_id for m in members_on(meeting.group, day)}
    existing = set(meeting.attendance.values_list("mentee_id", flat=True))
    meeting.attendance.filter(mentee_id__in=existing - members, reflection="").delete()
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, mentee_id=pk) for pk in sorted(members - existing)]
    )


def meeting_create(
    *,
    acting_user: User,
    group: MentoringGroup,
    kind: str,
    starts_at: dt.datetime,
    topic: str,
    duration_minutes: int = 45,
    format: str = MeetingFormat.IN_PERSON,  # noqa: A002 - the field's name
    place: str = "",
) -> Meeting:
    require_work_on_group(acting_user, group, _RECORD_MEETINGS)
    if group.status != GroupStatus.ACTIVE:
        raise ValidationError("Пара (группа) завершила работу: новые встречи не планируются.")
    day = _check_time(group, starts_at, MeetingStatus.PLANNED)
    meeting = Meeting(
        group=group,
        kind=kind,
        starts_at=starts_at,
        topic=topic.strip(),
        duration_minutes=duration_minutes,
        format=format,
        place=place.strip(),
        created_by=acting_user,
    )
    meeting.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        meeting.save()
        _sync_attendance(meeting, day)
    return meeting


def meeting_update(
    *,
    acting_user: User,
    meeting: Meeting,
    kind: str,
    starts_at: dt.datetime,
    topic: str,
    duration_minutes: int,
    format: str,  # noqa: A002
    place: str,
) -> Meeting:
    group = meeting.group
    require_work_on_group(acting_user, group, _RECORD_MEETINGS)
    day = _check_time(group, starts_at, meeting.status)
    meeting.kind, meeting.starts_at, meeting.topic = kind, starts_at, topic.strip()
    meeting.duration_minutes, meeting.format, meeting.place = duration_minutes, format, place.strip()
    meeting.sequence += 1
    meeting.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        meeting.save()
        _sync_attendance(meeting, day)
    return meeting


def meeting_record(
    *,
    acting_user: User,
    meeting: Meeting,
    present: Iterable[int],
    notes: str = "",
    mentor_reflection: str = "",
    mentor_present: bool = True,
) -> Meeting:
    """Record that a meeting took place: who of the mentees was there (participation ids),
    notes and the mentor's reflection."""
    group = meeting.group
    require_work_on_group(acting_user, group, _RECORD_MEETINGS)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Встреча отменена.")
    day = _check_time(group, meeting.starts_at, MeetingStatus.HELD)
    present_ids = set(present)
    members = {m.mentee_id for m in members_on(group, day)}
    if present_ids - members:
        raise ValidationError("Отмечен участник, которого не было в паре (группе) в день встречи.")
    if not present_ids and not mentor_present:
        raise ValidationError("Если никто не пришёл, встречу лучше отменить.")
    meeting.status = MeetingStatus.HELD
    meeting.notes = notes.strip()
    meeting.mentor_reflection = mentor_reflection.strip()
    meeting.mentor_present = mentor_present
    with transaction.atomic(), acting_as(acting_user):
        meeting.save(update_fields=["status", "notes", "mentor_reflection", "mentor_present", "updated_at"])
        _sync_attendance(meeting, day)
        for row in meeting.attendance.all():
            row.present = row.mentee_id in present_ids
            row.save(update_fields=["present"])
    return meeting


def meeting_log_held(
    *,
    acting_user: User,
    group: MentoringGroup,
    kind: str,
    starts_at: dt.datetime,
    topic: str,
    present: Iterable[int],
    duration_minutes: int = 45,
    format: str = MeetingFormat.IN_PERSON,  # noqa: A002
    place: str = "",
    notes: str = "",
    mentor_reflection: str = "",
    mentor_present: bool = True,
) -> Meeting:
    """Record a meeting that already took place in one step: the meeting, who of the mentees
    came, the notes and the mentor's reflection (instead of planning it and then recording it).
    Either all of it is saved or nothing."""
    with transaction.atomic():
        meeting = meeting_create(
            acting_user=acting_user,
            group=group,
            kind=kind,
            starts_at=starts_at,
            topic=topic,
            duration_minutes=duration_minutes,
            format=format,
            place=place,
        )
        return meeting_record(
            acting_user=acting_user,
            meeting=meeting,
            present=present,
            notes=notes,
            mentor_reflection=mentor_reflection,
            mentor_present=mentor_present,
        )


def meeting_cancel(*, acting_user: User, meeting: Meeting, reason: str = "") -> Meeting:
    require_work_on_group(acting_user, meeting.group, _RECORD_MEETINGS)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError("Состоявшуюся встречу отменить нельзя.")
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    if reason.strip():
        meeting.notes = f"Отменена: {reason.strip()}"
    with transaction.atomic(), acting_as(acting_user):
        meeting.save(update_fields=["status", "notes", "sequence", "updated_at"])
    return meeting


def meeting_reflect(*, acting_user: User, meeting: Meeting, text: str) -> MeetingAttendance:
    """A mentee's short reflection on a meeting that took place (their own row only)."""
    role = group_role_for(acting_user, meeting.group)
    if not role.own_mentee_ids:
        raise PermissionDenied("Рефлексию наставляемого пишет сам наставляемый.")
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Рефлексия пишется после состоявшейся встречи.")
    row = meeting.attendance.filter(mentee_id__in=role.own_mentee_ids).first()
    if row is None:
        raise ValidationError("Вас не было в паре (группе) в день этой встречи.")
    if not text.strip():
        raise ValidationError({"reflection": "Напишите пару предложений."})
    row.reflection = text.strip()
    with transaction.atomic(), acting_as(acting_user):
        row.save(update_fields=["reflection"])
    return row


# --- the methodology's sequence --------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    kind: MeetingKind
    on: dt.date

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class SequenceStep:
    kind: MeetingKind
    meeting: Meeting | None  # the first non-cancelled meeting of this kind

    @property
    def state(self) -> str:
        if self.meeting is None:
            return "todo"
        return "done" if self.meeting.status == MeetingStatus.HELD else "planned"


def sequence_steps(meetings: Sequence[Meeting]) -> list[SequenceStep]:
    """The methodology's steps with the meeting that covers each (regular ones are a series)."""
    live = [m for m in meetings if m.status != MeetingStatus.CANCELLED]
    return [
        SequenceStep(kind, next((m for m in live if m.kind == kind), None))
        for kind in MeetingKind
        if kind != MeetingKind.REGULAR
    ]


def suggest_next(group: MentoringGroup, meetings: Sequence[Meeting], today: dt.date) -> Suggestion:
    """The next meeting the methodology suggests and a date for it: the opening meetings in
    order a week apart, then regular ones every two weeks, a reflective one once the pair is
    half-way through, and the final one two weeks before the end of the program."""
    zone = org_zone(group)
    live = sorted((m for m in meetings if m.status != MeetingStatus.CANCELLED), key=lambda m: m.starts_at)
    kinds = {m.kind for m in live}
    last = local_date(live[-1].starts_at, zone) if live else None
    for kind in OPENING:
        if kind not in kinds:
            on = last + OPENING_INTERVAL if last else max(group.started_on, today)
            return Suggestion(kind, max(on, today))
    next_on = max(last + REGULAR_INTERVAL, today) if last else today
    end = group.program.ends_on
    if end is not None and MeetingKind.FINAL not in kinds:
        final_on = end - FINAL_LEAD
        if next_on + REGULAR_INTERVAL > final_on:  # no room for another regular meeting
            return Suggestion(MeetingKind.FINAL, max(final_on, today))
        midpoint = group.started_on + (end - group.started_on) / 2
        if MeetingKind.REFLECTIVE not in kinds and next_on >= midpoint:
            return Suggestion(MeetingKind.REFLECTIVE, next_on)
    return Suggestion(MeetingKind.REGULAR, next_on)


def meetings_schedule_opening(
    *,
    acting_user: User,
    group: MentoringGroup,
    first_at: dt.datetime,
    format: str = MeetingFormat.IN_PERSON,  # noqa: A002
) -> list[Meeting]:
    """For a new pair: plan the opening meetings a week apart at the same hour, and the final
    meeting two weeks before the program ends (if its end is known)."""
    require_work_on_group(acting_user, group, _RECORD_MEETINGS)
    if group.meetings.exclude(status=MeetingStatus.CANCELLED).exists():
        raise ValidationError("У пары (группы) уже есть встречи: планируйте следующие по одной.")
    topics = {
        MeetingKind.INTRO: "Знакомство: интересы, ожидания, правила общения",
        MeetingKind.TRIAL: "Пробная рабочая встреча: первая совместная задача",
        MeetingKind.PLANNING: "Планирование: цели и задачи индивидуального плана",
        MeetingKind.FINAL: "Итоговая встреча: результаты и обратная связь",
    }
    slots = [(kind, first_at + OPENING_INTERVAL * i) for i, kind in enumerate(OPENING)]
    end = group.program.ends_on
    if end is not None:
        local_first = first_at.astimezone(org_zone(group))
        final_day = end - FINAL_LEAD
        final_at = local_first.replace(year=final_day.year, month=final_day.month, day=final_day.day)
        if final_at > slots[-1][1]:
            slots.append((MeetingKind.FINAL, final_at))
    with transaction.atomic():
        return [
            meeting_create(
                acting_user=acting_user,
                group=group,
                kind=kind,
                starts_at=at,
                topic=topics[kind],
                format=format,
            )
            for kind, at in slots
        ]
