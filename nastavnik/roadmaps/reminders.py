"""Reminders before deadlines and about overdue events, one digest per recipient, through the
notification layer (e-mail or Telegram as the recipient chose)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import MANAGER_ROLES, Role, RoleAssignment, User
from nastavnik.base.audit import acting_as
from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, deliver_messages, notify

from .access import require_manage_roadmap
from .models import ReminderKind, ReminderLog, Roadmap, RoadmapEvent, SchoolEventStatus, SchoolStatus
from .school_duties import SchoolRow, is_school_duty, school_matrix
from .selectors import event_state, roadmap_events
from .services import roadmap_today


@dataclass
class ReminderReport:
    sent: int = 0
    reminders: int = 0
    lines: list[str] = field(default_factory=list)


def _curator_emails(roadmaps: list[Roadmap]) -> dict[int, set[str]]:
    org_ids = {r.organisation_id for r in roadmaps if r.organisation_id}
    mun_ids = {r.municipality_id for r in roadmaps if r.municipality_id}
    by_org: dict[int, set[str]] = defaultdict(set)
    by_mun: dict[int, set[str]] = defaultdict(set)
    for assignment in RoleAssignment.objects.filter(
        organisation_id__in=org_ids, role__in=MANAGER_ROLES, user__is_active=True
    ).select_related("user"):
        if assignment.user.email and assignment.organisation_id:
            by_org[assignment.organisation_id].add(assignment.user.email)
    for assignment in RoleAssignment.objects.filter(
        municipality_id__in=mun_ids, role=Role.MUNICIPAL_CURATOR, user__is_active=True
    ).select_related("user"):
        if assignment.user.email and assignment.municipality_id:
            by_mun[assignment.municipality_id].add(assignment.user.email)
    result: dict[int, set[str]] = {}
    for roadmap in roadmaps:
        emails = set(by_org.get(roadmap.organisation_id or 0, set())) | by_mun.get(
            roadmap.municipality_id or 0, set()
        )
        if (
            roadmap.program is not None
            and roadmap.program.curator is not None
            and roadmap.program.curator.email
        ):
            emails = {roadmap.program.curator.email}
        result[roadmap.pk] = emails
    return result


def _school_manager_emails(roadmaps: list[Roadmap]) -> dict[int, dict[int, set[str]]]:
    """Administrations and curators of every organisation of each municipality that has a
    roadmap, by municipality and organisation: a municipal event every school carries out is
    theirs too (see school_duties.is_school_duty)."""
    mun_ids = {r.municipality_id for r in roadmaps if r.municipality_id}
    by_mun: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for assignment in RoleAssignment.objects.filter(
        organisation__municipality_id__in=mun_ids, role__in=MANAGER_ROLES, user__is_active=True
    ).select_related("user", "organisation"):
        if assignment.user.email and assignment.organisation is not None:
            by_mun[assignment.organisation.municipality_id][assignment.organisation.pk].add(
                assignment.user.email
            )
    return by_mun


def _schools_done(roadmaps: list[Roadmap]) -> dict[int, set[int]]:
    """The schools that already did their part, by event: they are not reminded of it."""
    done: dict[int, set[int]] = defaultdict(set)
    for event_id, organisation_id in SchoolEventStatus.objects.filter(
        event__roadmap__in=[r.pk for r in roadmaps if r.municipality_id], status=SchoolStatus.DONE
    ).values_list("event_id", "organisation_id"):
        done[event_id].add(organisation_id)
    return done


def _line(event: RoadmapEvent, due: dt.date, kind: str) -> str:
    title = f"{event.number} {event.title}".strip()
    when = f"срок {due:%d.%m.%Y}"
    prefix = "Просрочено" if kind == ReminderKind.OVERDUE else "Скоро срок"
    return f"{prefix}: «{title}» ({when}) — {event.roadmap.title}"


def send_reminders(*, days: int = 7, today: dt.date | None = None, dry_run: bool = False) -> ReminderReport:
    roadmaps = list(
        Roadmap.objects.select_related("organisation", "municipality__region", "program__curator").order_by(
            "pk"
        )
    )
    by_id = {r.pk: r for r in roadmaps}
    curators = _curator_emails(roadmaps)
    school_managers = _school_manager_emails(roadmaps)
    schools_done = _schools_done(roadmaps)
    sent_before = set(ReminderLog.objects.values_list("event_id", "due_on", "kind"))
    letters: dict[str, list[str]] = defaultdict(list)
    logs: list[ReminderLog] = []
    report = ReminderReport()
    for event in roadmap_events(by_id.keys()):
        roadmap = by_id[event.roadmap_id]
        event.roadmap = roadmap
        day = today or roadmap_today(roadmap)
        state = event_state(event, roadmap, day, horizon=days)
        due_items = [(o.due_on, ReminderKind.OVERDUE) for o in state.overdue]
        due_items += [(o.due_on, ReminderKind.UPCOMING) for o in state.upcoming]
        for due, kind in due_items:
            if (event.pk, due, kind.value) in sent_before:
                continue
            responsibles = list(event.responsibles.all())
            people = {r.person.email for r in responsibles if r.person is not None and r.person.email}
            if roadmap.municipality_id and is_school_duty(event, roadmap):
                for school_id, emails in school_managers.get(roadmap.municipality_id, {}).items():
                    if school_id not in schools_done[event.pk]:
                        people |= emails
            recipients = sorted(people | curators.get(roadmap.pk, set()))
            if not recipients:
                report.lines.append(f"Некому напомнить: {_line(event, due, kind)}")
                continue
            for email in recipients:
                letters[email].append(_line(event, due, kind))
            logs.append(ReminderLog(event=event, due_on=due, kind=kind, recipients=", ".join(recipients)))
            report.reminders += 1
    accounts = {u.email: u for u in User.objects.filter(email__in=list(letters), is_active=True)}
    queued: list[int] = []
    for email, lines in sorted(letters.items()):
        report.lines.append(f"{email}: {len(lines)}")
        if dry_run:
            continue
        body = "Здравствуйте!\n\nНапоминаем о мероприятиях дорожных карт наставничества:\n\n"
        body += "\n".join(f"• {line}" for line in lines)
        body += "\n\nОтметить выполнение можно на странице дорожной карты в «Наставнике»."
        result = notify(
            recipients=[Recipient(user=accounts.get(email), email=email)],
            kind=Kind.ROADMAP_OVERDUE,
            subject="«Наставник»: сроки мероприятий дорожной карты",
            body=body,
        )
        queued += [m.pk for m in result.queued]
        report.sent += 1
    if not dry_run:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(logs, ignore_conflicts=True)
        deliver_messages(queued)
    else:
        report.sent = len(letters)
    return report


# --- late schools of a municipal roadmap -----------------------------------------------------------


@dataclass
class SchoolReminderReport:
    reminded: list[str] = field(default_factory=list)  # schools that got a letter
    nobody: list[str] = field(default_factory=list)  # late schools without a manager's e-mail


def _school_letter(row: SchoolRow, roadmap: Roadmap) -> str:
    body = (
        f"Здравствуйте!\n\nПо муниципальной дорожной карте «{roadmap.title}» у {row.organisation.short_name} "
        "просрочены мероприятия, которые выполняет каждая школа:\n\n"
    )
    body += "\n".join(
        f"• {cell.event.number} {cell.event.title}".replace("•  ", "• ")
        + (f" (срок {cell.due_on:%d.%m.%Y})" if cell.due_on else "")
        for cell in row.late
    )
    body += (
        "\n\nОтметьте выполнение и приложите документ-результат в «Наставнике»: "
        "«Дорожные карты» → «Задачи школы по муниципальной дорожной карте»."
    )
    return body


def remind_late_schools(
    *, acting_user: Any, roadmap: Roadmap, today: dt.date | None = None
) -> SchoolReminderReport:
    """One letter to the administration and curators of every school late with a school duty of the
    municipal roadmap; the reminder is noted on the school's status (and so in its history)."""
    require_manage_roadmap(acting_user, roadmap)
    late = school_matrix(roadmap, today).late_rows
    managers: dict[int, dict[str, User]] = defaultdict(dict)
    for assignment in RoleAssignment.objects.filter(
        organisation_id__in=[r.organisation.pk for r in late], role__in=MANAGER_ROLES, user__is_active=True
    ).select_related("user"):
        if assignment.user.email and assignment.organisation_id:
            managers[assignment.organisation_id][assignment.user.email] = assignment.user
    report = SchoolReminderReport()
    now = timezone.now()
    queued: list[int] = []
    with transaction.atomic(), acting_as(acting_user):
        for row in late:
            recipients = sorted(managers.get(row.organisation.pk, {}).items())
            if not recipients:
                report.nobody.append(row.organisation.short_name)
                continue
            result = notify(
                recipients=[Recipient(user=user, email=email) for email, user in recipients],
                kind=Kind.ROADMAP_OVERDUE,
                subject="«Наставник»: просрочены мероприятия муниципальной дорожной карты",
                body=_school_letter(row, roadmap),
            )
            queued += [m.pk for m in result.queued]
            report.reminded.append(row.organisation.short_name)
            for cell in row.late:
                if cell.record is None:
                    SchoolEventStatus.objects.create(
                        event=cell.event, organisation=row.organisation, reminded_at=now
                    )
                else:
                    cell.record.reminded_at = now
                    cell.record.save(update_fields=["reminded_at"])
    deliver_messages(queued)
    return report
