"""Events of the whole program (общая встреча, итоговая деловая игра, торжественное
мероприятие): invitations, attendance and the share of participants present.

The networking meeting (общая встреча наставников и наставляемых) is recorded here and only
here: the preference questionnaire sent after it (preferences.py) offers the people marked present.

The share present counts invited participants of the program (mentors and mentees) only;
guests such as parents are invited but not counted. The roadmap seeds set the target at
90% (`settings.MENTORING_EVENT_ATTENDANCE_TARGET`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.models import Program
from nastavnik.registry.models import GuardianLink, Participation, ParticipationStatus

from ..access import require_manage_program_events
from ..models import EventInvitation, ProgramEvent, ProgramEventKind
from .preferences import rank_candidates_follow_attendance

# Participants invited to program events: admitted, in a pair or finished this year.
INVITED_STATUSES = (ParticipationStatus.ADMITTED, ParticipationStatus.IN_PAIR, ParticipationStatus.COMPLETED)
# The networking meeting comes before pairs are formed: the candidates are whom it is for.
NETWORKING_STATUSES = (ParticipationStatus.CANDIDATE, *INVITED_STATUSES)


def attendance_target() -> int:
    return int(getattr(settings, "MENTORING_EVENT_ATTENDANCE_TARGET", 90))


@dataclass(frozen=True)
class Attendance:
    invited: int
    present: int
    marked: int

    @property
    def percent(self) -> int | None:
        return 100 * self.present // self.invited if self.invited else None

    @property
    def meets_target(self) -> bool:
        return self.percent is not None and self.percent >= attendance_target()


def attendance_for_events(event_ids: Iterable[int]) -> dict[int, Attendance]:
    """Participants invited and present per event, in one query (a cancelled event has none)."""
    rows = (
        EventInvitation.objects.filter(
            event_id__in=list(event_ids), participation__isnull=False, event__cancelled_at__isnull=True
        )
        .values("event_id")
        .annotate(
            invited=Count("pk"),
            present=Count("pk", filter=Q(attended=True)),
            marked=Count("pk", filter=Q(attended__isnull=False)),
        )
        .order_by()
    )
    return {r["event_id"]: Attendance(r["invited"], r["present"], r["marked"]) for r in rows}


def event_create(
    *,
    acting_user: User,
    program: Program,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int = 90,
    place: str = "",
    description: str = "",
) -> ProgramEvent:
    require_manage_program_events(acting_user, program)
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Время мероприятия без часового пояса."})
    event = ProgramEvent(
        program=program,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        description=description.strip(),
        created_by=acting_user,
    )
    event.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        event.save()
    return event


def event_update(
    *,
    acting_user: User,
    event: ProgramEvent,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str = "",
    description: str = "",
) -> ProgramEvent:
    """Correct an event (a wrong date, title or place); invitations and attendance stay."""
    require_manage_program_events(acting_user, event.program)
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Время мероприятия без часового пояса."})
    if event.starts_at <= timezone.now() < starts_at and event.invitations.filter(attended=True).exists():
        raise ValidationError("На мероприятии уже отмечено присутствие: перенести его в будущее нельзя.")
    event.kind, event.title, event.starts_at = kind, title.strip(), starts_at
    event.duration_minutes, event.place, event.description = (
        duration_minutes,
        place.strip(),
        description.strip(),
    )
    event.sequence += 1
    event.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        event.save()
    return event


def event_cancel(*, acting_user: User, event: ProgramEvent, reason: str) -> ProgramEvent:
    """Cancel an event: it stays in the lists marked «отменено» with the reason, and is left out
    of reminders and of the share of participants present."""
    require_manage_program_events(acting_user, event.program)
    if event.is_cancelled:
        raise ValidationError("Мероприятие уже отменено.")
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Укажите причину отмены — её увидят приглашённые."})
    event.cancelled_at = timezone.now()
    event.cancel_reason = reason.strip()
    event.sequence += 1
    event.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        event.save(update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"])
    return event


def event_delete(*, acting_user: User, event: ProgramEvent) -> None:
    """Delete an event created by mistake, with its invitations and attendance. An event whose
    preference questionnaire was sent is kept (the answers refer to it): cancel it instead."""
    require_manage_program_events(acting_user, event.program)
    if event.preference_campaigns.exists():
        raise ValidationError(
            "После этой встречи разослана анкета предпочтений: мероприятие можно только отменить."
        )
    invited = event.invitations.count()
    present = event.invitations.filter(attended=True).count()
    with transaction.atomic(), acting_as(acting_user):
        if invited:
            # The cascade deletes the invitations without signals: one entry says what went.
            _log_on_event(event, "приглашения удалены", f"{invited} чел., присутствовали {present}", "")
        event.delete()


def _require_not_cancelled(event: ProgramEvent) -> None:
    if event.is_cancelled:
        raise ValidationError("Мероприятие отменено.")


def event_invite_participants(*, acting_user: User, event: ProgramEvent, with_guardians: bool = False) -> int:
    """Invite every mentor and mentee of the program (and, for a ceremony, the legal
    representatives of mentees as guests). Idempotent: returns how many were newly invited."""
    require_manage_program_events(acting_user, event.program)
    _require_not_cancelled(event)
    statuses = NETWORKING_STATUSES if event.kind == ProgramEventKind.NETWORKING else INVITED_STATUSES
    participations = list(
        Participation.objects.filter(program=event.program, status__in=statuses)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    already = set(event.invitations.values_list("person_id", flat=True))
    rows: list[EventInvitation] = []
    for participation in participations:
        if participation.person_id not in already:
            rows.append(
                EventInvitation(event=event, person_id=participation.person_id, participation=participation)
            )
            already.add(participation.person_id)
    if with_guardians:
        mentees = [p.person_id for p in participations if p.role == "mentee"]
        for guardian_id in GuardianLink.objects.filter(child_id__in=mentees).values_list(
            "guardian_id", flat=True
        ):
            if guardian_id not in already:
                rows.append(EventInvitation(event=event, person_id=guardian_id))
                already.add(guardian_id)
    with transaction.atomic(), acting_as(acting_user):
        EventInvitation.objects.bulk_create(rows)
        if rows:
            _log_on_event(event, "приглашены", "", f"{len(rows)} чел.")
    return len(rows)


def event_mark_attendance(*, acting_user: User, event: ProgramEvent, present: Iterable[int]) -> Attendance:
    """Mark who came (invitation ids); everyone else invited is marked absent."""
    require_manage_program_events(acting_user, event.program)
    _require_not_cancelled(event)
    if event.starts_at > timezone.now():
        raise ValidationError("Мероприятие ещё не состоялось.")
    present_ids = set(present)
    invitations = list(event.invitations.all())
    unknown = present_ids - {i.pk for i in invitations}
    if unknown:
        raise ValidationError("Отмечен человек, которого не приглашали.")
    before = sum(1 for i in invitations if i.attended)
    with transaction.atomic(), acting_as(acting_user):
        for invitation in invitations:
            invitation.attended = invitation.pk in present_ids
        EventInvitation.objects.bulk_update(invitations, ["attended"])
        _log_on_event(
            event,
            "присутствовали",
            f"{before} из {len(invitations)}",
            f"{len(present_ids)} из {len(invitations)}",
        )
        rank_candidates_follow_attendance(acting_user=acting_user, event=event)
    return attendance_for_events([event.pk]).get(event.pk, Attendance(0, 0, 0))


def _log_on_event(event: ProgramEvent, what: str, old: str, new: str) -> None:
    """One history entry on the event for a bulk change of its invitations (bulk writes send no
    signals, so auditlog would record nothing); the actor is filled in from `acting_as`."""
    LogEntry.objects.log_create(event, action=LogEntry.Action.UPDATE, changes={what: [old, new]})
