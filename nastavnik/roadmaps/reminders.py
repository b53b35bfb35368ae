"""Reminders before deadlines and about overdue events, one digest per recipient, through the
notification layer (e-mail or Telegram as the recipient chose)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from nastavnik.accounts.models import MANAGER_ROLES, Role, RoleAssignment, User
from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, deliver_messages, notify

from .models import ReminderKind, ReminderLog, ResponsibleLevel, Roadmap, RoadmapEvent
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


def _school_manager_emails(roadmaps: list[Roadmap]) -> dict[int, set[str]]:
    """Administrations and curators of every organisation of each municipality that has a
    roadmap: a municipal event with a responsible at the organisation level («ОО») is theirs too."""
    mun_ids = {r.municipality_id for r in roadmaps if r.municipality_id}
    by_mun: dict[int, set[str]] = defaultdict(set)
    for assignment in RoleAssignment.objects.filter(
        organisation__municipality_id__in=mun_ids, role__in=MANAGER_ROLES, user__is_active=True
    ).select_related("user", "organisation"):
        if assignment.user.email and assignment.organisation is not None:
            by_mun[assignment.organisation.municipality_id].add(assignment.user.email)
    return by_mun


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
            if roadmap.municipality_id and any(
                r.level == ResponsibleLevel.ORGANISATION for r in responsibles
            ):
                people |= school_managers.get(roadmap.municipality_id, set())
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
