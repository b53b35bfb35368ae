"""Completion of a pair's work (stage 7): the mentor's analytic report, the decision to complete
or continue next year, and the result recorded in the registry. (The feedback of both sides is a
satisfaction questionnaire answered in «Мой кабинет»: `nastavnik/mentoring/services/pair_feedback.py`.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus

from ..access import group_role_for, require_manage_groups
from ..models import GroupStatus, MentoringGroup, MentorReport
from . import groups as group_services

REPORT_FIELDS = ("work_done", "mentee_progress", "difficulties", "recommendations", "recommend_continue")


def report_save(
    *, acting_user: User, group: MentoringGroup, submit: bool = False, **fields: Any
) -> MentorReport:
    """The mentor's analytic report: saved as a draft, then submitted to the curator (after
    which only the curator may correct it)."""
    role = group_role_for(acting_user, group)
    if not role.works:
        raise PermissionDenied("Отчёт пишет наставник пары (группы).")
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    report = MentorReport.objects.filter(group=group).first() or MentorReport(group=group)
    if report.submitted and not role.manager:
        raise ValidationError("Отчёт уже сдан куратору: исправить его может куратор.")
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.author = report.author or acting_user
    if submit and not report.submitted:
        report.submitted = True
        report.submitted_at = timezone.now()
    report.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        report.save()
    return report


def group_complete(
    *,
    acting_user: User,
    group: MentoringGroup,
    decision: str,
    result_summary: str,
    ended_on: dt.date | None = None,
    next_program: Program | None = None,
) -> MentoringGroup:
    """The decision after the final meeting: the pair completed the program or continues next
    year. Participations become «завершил(а) программу» (group_services.group_end) and the result
    summary is kept on the pair, where the person card shows it. A continued pair is re-formed
    in the next year's program if one is given."""
    if decision not in (GroupStatus.COMPLETED, GroupStatus.CONTINUED):
        raise ValidationError({"decision": "Выберите: завершить или продолжить в следующем году."})
    if not result_summary.strip():
        raise ValidationError({"result_summary": "Опишите итоги работы пары (группы)."})
    if next_program is not None and decision != GroupStatus.CONTINUED:
        raise ValidationError({"next_program": "Программа следующего года указывается для продолжения."})
    with transaction.atomic():
        group_services.group_end(acting_user=acting_user, group=group, status=decision, ended_on=ended_on)
        group.result_summary = result_summary.strip()
        with acting_as(acting_user):
            group.save(update_fields=["result_summary"])
        if next_program is not None:
            group_continue(acting_user=acting_user, group=group, program=next_program)
    return group


def group_continue(
    *, acting_user: User, group: MentoringGroup, program: Program, started_on: dt.date | None = None
) -> MentoringGroup:
    """Re-form a pair that was continued in a later program of the same organisation: the same
    mentor and the mentees who finished with it, under the same form."""
    if group.status != GroupStatus.CONTINUED:
        raise ValidationError("Продолжить можно пару (группу), работа которой «продолжена на следующий год».")
    if (
        program.organisation_id != group.program.organisation_id
        or program.academic_year <= group.program.academic_year
    ):
        raise ValidationError({"program": "Выберите программу этой организации на следующий учебный год."})
    if group.continuations.exists():
        raise ValidationError("Пара (группа) уже продолжена.")
    assert group.ended_on is not None
    finished = [
        m.mentee for m in group.memberships.filter(left_on=group.ended_on).select_related("mentee__person")
    ]
    if not finished:
        raise ValidationError("В паре (группе) не осталось наставляемых на день окончания.")
    require_manage_groups(acting_user, program)

    def carry(old: Participation, role: str) -> Participation:
        participation, created = Participation.objects.get_or_create(
            program=program,
            person=old.person,
            role=role,
            defaults={
                "status": ParticipationStatus.ADMITTED,
                "preferred_form": group.form,
                "details": old.details,
                "capacity": old.capacity,
            },
        )
        if created:
            participation.tags.set(old.tags.all())
        return participation

    with transaction.atomic(), acting_as(acting_user):
        mentor = carry(group.mentor, ParticipationRole.MENTOR)
        mentees = [carry(m, ParticipationRole.MENTEE) for m in finished]
        new_group = group_services.group_create(
            acting_user=acting_user,
            program=program,
            form=group.form,
            mentor=mentor,
            mentees=mentees,
            started_on=started_on or program.starts_on or dt.date(program.academic_year, 9, 1),
        )
        new_group.continued_from = group
        new_group.save(update_fields=["continued_from"])
    return new_group
