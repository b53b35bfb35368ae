"""Reminders of upcoming meetings and program events, through the notification layer (e-mail
or Telegram as each person chose; nothing to a minor without a valid consent).

Idempotent: a reminder is logged per (meeting or event, its start time, address), so running
the command again sends nothing new, while a rescheduled meeting is reminded of again.
Recipients of a meeting: the mentor, the mentees in the group that day and the legal
representatives of minor mentees; of an event: everyone invited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, deliver_messages, may_receive, notify
from nastavnik.registry.models import GuardianLink, Person

from .models import Meeting, MeetingFormat, MeetingStatus, ProgramEvent, ReminderLog


@dataclass
class ReminderReport:
    sent: int = 0
    lines: list[str] = field(default_factory=list)


def _key(person: Person) -> str:
    """What a reminder is logged under: the address, or the account for a Telegram-only person."""
    address = person.email or (person.user.email if person.user else "")
    if address:
        return address
    return f"user-{person.user_id}@users.invalid" if person.user_id else ""


def _people(people: Iterable[Person]) -> dict[str, Person]:
    return {key: p for p in people if (key := _key(p)) and may_receive(p)}


def _meeting_recipients(meeting: Meeting, guardians: dict[int, list[Person]]) -> dict[str, Person]:
    zone = ZoneInfo(meeting.group.program.organisation.timezone)
    day = meeting.starts_at.astimezone(zone).date()
    mentees = [
        m.mentee.person
        for m in meeting.group.memberships.all()
        if m.joined_on <= day and (m.left_on is None or m.left_on >= day)
    ]
    people = [meeting.group.mentor.person, *mentees]
    for mentee in mentees:
        age = mentee.age_on(day)
        if age is not None and age < 18:
            people += guardians.get(mentee.pk, [])
    return _people(people)


def _send(subject: str, body: str, person: Person, sent_ids: list[int]) -> None:
    result = notify(
        recipients=[Recipient(person=person)], kind=Kind.MEETING_REMINDER, subject=subject, body=body
    )
    sent_ids += [m.pk for m in result.queued]


def send_meeting_reminders(
    *, hours: int = 24, now: dt.datetime | None = None, dry_run: bool = False
) -> ReminderReport:
    moment = now or timezone.now()
    until = moment + dt.timedelta(hours=hours)
    report = ReminderReport()
    meetings = list(
        Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gte=moment, starts_at__lt=until)
        .select_related("group__mentor__person__user", "group__program__organisation")
        .prefetch_related(
            "group__memberships__mentee__person__user", "group__memberships__mentee__person__consents"
        )
        .order_by("starts_at", "pk")
    )
    events = list(
        ProgramEvent.objects.filter(starts_at__gte=moment, starts_at__lt=until, cancelled_at__isnull=True)
        .select_related("program__organisation")
        .prefetch_related("invitations__person__user", "invitations__person__consents")
        .order_by("starts_at", "pk")
    )
    child_ids = {m.mentee.person_id for meeting in meetings for m in meeting.group.memberships.all()}
    guardians: dict[int, list[Person]] = {}
    for link in GuardianLink.objects.filter(child_id__in=child_ids).select_related(
        "guardian__user", "guardian__organisation"
    ):
        guardians.setdefault(link.child_id, []).append(link.guardian)
    sent = set(
        ReminderLog.objects.filter(meeting__in=meetings).values_list("meeting_id", "starts_at", "email")
    ) | set(ReminderLog.objects.filter(event__in=events).values_list("event_id", "starts_at", "email"))
    logs: list[ReminderLog] = []
    queued: list[int] = []
    for meeting in meetings:
        zone = ZoneInfo(meeting.group.program.organisation.timezone)
        local = meeting.starts_at.astimezone(zone)
        where = "онлайн" if meeting.format == MeetingFormat.ONLINE else "очно"
        if meeting.place:
            where += f", {meeting.place}"
        body = (
            f"Здравствуйте!\n\nНапоминаем о встрече наставнической пары (группы) наставника "
            f"{meeting.group.mentor.person.full_name}:\n\n"
            f"{meeting.get_kind_display()} — «{meeting.topic}»\n"
            f"{local:%d.%m.%Y в %H:%M} ({meeting.group.program.organisation.get_timezone_display()}), {where}.\n"
        )
        for email, person in sorted(_meeting_recipients(meeting, guardians).items()):
            if (meeting.pk, meeting.starts_at, email) in sent:
                continue
            report.lines.append(f"{email}: встреча {local:%d.%m %H:%M}")
            if not dry_run:
                _send("«Наставник»: напоминание о встрече", body, person, queued)
                logs.append(ReminderLog(meeting=meeting, starts_at=meeting.starts_at, email=email))
            report.sent += 1
    for event in events:
        zone = ZoneInfo(event.program.organisation.timezone)
        local = event.starts_at.astimezone(zone)
        body = (
            f"Здравствуйте!\n\nПриглашаем на мероприятие программы «{event.program.title}»:\n\n"
            f"{event.title}\n{local:%d.%m.%Y в %H:%M}{', ' + event.place if event.place else ''}.\n"
        )
        for email, person in sorted(_people(i.person for i in event.invitations.all()).items()):
            if (event.pk, event.starts_at, email) in sent:
                continue
            report.lines.append(f"{email}: мероприятие {local:%d.%m %H:%M}")
            if not dry_run:
                _send(f"«Наставник»: {event.title}", body, person, queued)
                logs.append(ReminderLog(event=event, starts_at=event.starts_at, email=email))
            report.sent += 1
    with transaction.atomic():
        ReminderLog.objects.bulk_create(logs, ignore_conflicts=True)
    deliver_messages(queued)
    return report
