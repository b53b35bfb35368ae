"""Writes of recognition: the procedure and its weights, the curator's assessments, nominations,
competitions, forms of encouragement, orders and awards. Each takes the acting user, checks the
permission, validates (`full_clean`) and writes in a transaction under `acting_as`, so the audit
log names who did it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.orgs.models import Organisation, academic_year_of
from nastavnik.registry.models import ParticipationRole, Person

from .access import award_kinds_for, require_manage_recognition
from .models import (
    Award,
    AwardKind,
    AwardOrder,
    CompetitionEntry,
    Criterion,
    CriterionCode,
    CuratorAssessment,
    Nomination,
    Procedure,
)


def _organisation_scope(organisation: Organisation) -> Scope:
    return Scope(ORGANISATION, organisation, organisation.timezone)


def _require_mentor_of(person: Person, organisation: Organisation) -> None:
    if person.organisation_id != organisation.pk:
        raise ValidationError({"person": "Наставник не из этой организации."})
    if not person.participations.filter(role=ParticipationRole.MENTOR).exists():
        raise ValidationError({"person": f"{person.full_name} не участвует в программах как наставник."})


def procedure_save(
    *,
    acting_user: Any,
    scope: Scope,
    weights: dict[str, int],
    title: str,
    approved_on: dt.date | None = None,
    order_number: str = "",
    general_provisions: str = "",
    competition_target: int | None = None,
) -> Procedure:
    """Create or change the scope's procedure; a weight of 0 leaves the criterion out."""
    require_manage_recognition(acting_user, scope)
    unknown = set(weights) - set(CriterionCode.values)
    if unknown:
        raise ValidationError(f"Неизвестные критерии: {', '.join(sorted(unknown))}.")
    used = {code: weight for code, weight in weights.items() if weight}
    if not used:
        raise ValidationError("Задайте вес хотя бы одному критерию.")
    with transaction.atomic(), acting_as(acting_user):
        procedure = Procedure.objects.filter(**{scope.level: scope.obj}).first() or Procedure(
            **{scope.level: scope.obj}
        )
        procedure.title = title
        procedure.approved_on = approved_on
        procedure.order_number = order_number
        procedure.general_provisions = general_provisions
        procedure.competition_target = competition_target
        procedure.full_clean()
        procedure.save()
        existing = {c.code: c for c in procedure.criteria.all()}
        for code, criterion in existing.items():
            if code not in used:
                criterion.delete()
        for code, weight in used.items():
            criterion = existing.get(code) or Criterion(procedure=procedure, code=code)
            if criterion.pk is None or criterion.weight != weight:
                criterion.weight = weight
                criterion.full_clean()
                criterion.save()
        return procedure


def assessment_save(
    *, acting_user: Any, person: Person, year: int, score: int, comment: str
) -> CuratorAssessment:
    organisation = person.organisation
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    _require_mentor_of(person, organisation)
    with transaction.atomic(), acting_as(acting_user):
        assessment = CuratorAssessment.objects.filter(person=person, academic_year=year).first()
        assessment = assessment or CuratorAssessment(person=person, academic_year=year)
        assessment.score = score
        assessment.comment = comment.strip()
        assessment.assessed_by = acting_user
        assessment.assessed_on = local_today(organisation)
        assessment.full_clean()
        assessment.save()
        return assessment


def nomination_add(
    *,
    acting_user: Any,
    person: Person,
    nominator_name: str,
    nominator_role: str,
    reason: str,
    nominated_on: dt.date,
) -> Nomination:
    organisation = person.organisation
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    _require_mentor_of(person, organisation)
    with transaction.atomic(), acting_as(acting_user):
        nomination = Nomination(
            person=person,
            academic_year=academic_year_of(nominated_on),
            nominator_name=nominator_name.strip(),
            nominator_role=nominator_role,
            reason=reason.strip(),
            nominated_on=nominated_on,
            recorded_by=acting_user,
        )
        nomination.full_clean()
        nomination.save()
        return nomination


def competition_add(
    *,
    acting_user: Any,
    organisation: Organisation,
    mentor: Person,
    title: str,
    level: str,
    held_on: dt.date,
    result: str,
    group: MentoringGroup | None = None,
    diploma: UploadedFile | None = None,
) -> CompetitionEntry:
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    _require_mentor_of(mentor, organisation)
    if group is not None and group.mentor.person_id != mentor.pk:
        raise ValidationError({"group": "Пара (группа) другого наставника."})
    with transaction.atomic(), acting_as(acting_user):
        entry = CompetitionEntry(
            organisation=organisation,
            mentor=mentor,
            group=group,
            title=title.strip(),
            level=level,
            held_on=held_on,
            academic_year=academic_year_of(held_on),
            result=result,
            recorded_by=acting_user,
        )
        if diploma is not None:
            entry.diploma = diploma
        entry.full_clean()
        entry.save()
        return entry


def competition_delete(*, acting_user: Any, entry: CompetitionEntry) -> None:
    require_manage_recognition(acting_user, _organisation_scope(entry.organisation))
    with transaction.atomic(), acting_as(acting_user):
        entry.delete()  # the diploma's file leaves the disk once this commits (base/file_cleanup.py)


def award_kind_add(
    *,
    acting_user: Any,
    organisation: Organisation,
    name: str,
    clause: str,
    name_case: str,
    is_material: bool,
    certificate: str,
) -> AwardKind:
    """An organisation's own form of encouragement («Утверждение форм поощрений наставников»)."""
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    with transaction.atomic(), acting_as(acting_user):
        kind = AwardKind(
            organisation=organisation,
            name=name.strip(),
            clause=clause.strip(),
            name_case=name_case,
            is_material=is_material,
            certificate=certificate,
        )
        kind.full_clean()
        kind.save()
        return kind


def award_order_create(
    *,
    acting_user: Any,
    organisation: Organisation,
    signed_on: dt.date,
    number: str = "",
    title: str = "О поощрении наставников",
    preamble: str = "",
) -> AwardOrder:
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    with transaction.atomic(), acting_as(acting_user):
        order = AwardOrder(
            organisation=organisation,
            academic_year=academic_year_of(signed_on),
            number=number.strip(),
            signed_on=signed_on,
            title=title.strip() or "О поощрении наставников",
            preamble=preamble.strip(),
            created_by=acting_user,
        )
        order.full_clean()
        order.save()
        return order


def award_add(
    *,
    acting_user: Any,
    order: AwardOrder,
    person: Person,
    kind: AwardKind,
    reason: str,
    amount: Decimal | None = None,
) -> Award:
    organisation = order.organisation
    require_manage_recognition(acting_user, _organisation_scope(organisation))
    _require_mentor_of(person, organisation)
    if not award_kinds_for(organisation).filter(pk=kind.pk).exists():
        raise ValidationError({"kind": "Эта форма поощрения не утверждена в организации."})
    if order.awards.filter(person=person, kind=kind).exists():
        raise ValidationError(
            {"person": f"{person.full_name} уже есть в приказе с поощрением «{kind.name}»."}
        )
    with transaction.atomic(), acting_as(acting_user):
        award = Award(order=order, person=person, kind=kind, reason=reason.strip(), amount=amount)
        award.full_clean()
        award.save()
        return award


def award_delete(*, acting_user: Any, award: Award) -> None:
    require_manage_recognition(acting_user, _organisation_scope(award.order.organisation))
    with transaction.atomic(), acting_as(acting_user):
        award.delete()
