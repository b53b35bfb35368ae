"""Writes of the case bank: create from a completed pair, edit, add materials, submit, accept or
return at each level, publish and take down. Each takes the acting user, checks the access layer,
validates, writes in a transaction with the audit actor set and records a readable history step
(CaseReview)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.mentoring.models import MentoringGroup
from nastavnik.registry.models import normalise_for_search

from . import access
from .models import Case, CaseLevel, CaseMaterial, CaseReview, CaseStatus, ReviewAction
from .prefill import prefill_for, year_of
from .publicity import TEXT_FIELDS, missing_consents

CASE_FIELDS = ("title", "topic", "request", "work_done", "result", "mentee_category")
NEXT_STATUS = {
    CaseLevel.SCHOOL: CaseStatus.SCHOOL_ACCEPTED,
    CaseLevel.MUNICIPALITY: CaseStatus.MUNICIPALITY_ACCEPTED,
    CaseLevel.REGION: CaseStatus.REGION_ACCEPTED,
}


def _step(case: Case, user: User, action: str, level: str, comment: str = "") -> None:
    CaseReview.objects.create(
        case=case, action=action, level=level, status_after=case.status, comment=comment, by=user
    )


def _apply(case: Case, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown case fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    case.search_text = normalise_for_search(*(getattr(case, name) for name in TEXT_FIELDS))


def case_create(*, acting_user: User, group: MentoringGroup, **fields: Any) -> Case:
    """A draft case of a completed pair (group); fields not given are pre-filled from the pair."""
    access.require_write_case_for_group(acting_user, group)
    draft = prefill_for(group)
    case = Case(
        organisation=group.program.organisation,
        group=group,
        form=group.form,
        academic_year=year_of(group),
        author=acting_user,
        **{name: getattr(draft, name) for name in CASE_FIELDS},
    )
    _apply(case, fields)
    case.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        case.save()
    return case


def case_update(*, acting_user: User, case: Case, **fields: Any) -> Case:
    access.require_edit_case(acting_user, case)
    _apply(case, fields)
    case.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        case.save()
    return case


def material_add(*, acting_user: User, case: Case, title: str, file: UploadedFile) -> CaseMaterial:
    access.require_edit_case(acting_user, case)
    material = CaseMaterial(
        case=case, title=title.strip() or file.name or "Материал", file=file, uploaded_by=acting_user
    )
    material.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        material.save()
    return material


def case_submit(*, acting_user: User, case: Case) -> Case:
    """The author sends the case to the school; a curator who writes it may accept it at once."""
    access.require_edit_case(acting_user, case)
    with transaction.atomic(), acting_as(acting_user):
        case.status = CaseStatus.SUBMITTED
        case.review_comment = ""
        case.save(update_fields=["status", "review_comment", "updated_at"])
        _step(case, acting_user, ReviewAction.SUBMIT, CaseLevel.SCHOOL)
    return case


def case_accept(*, acting_user: User, case: Case, comment: str = "") -> Case:
    """The level the case is at accepts it: it goes up to the next one (the region's is final)."""
    access.require_review_case(acting_user, case)
    level = access.review_level(case)
    assert level is not None
    with transaction.atomic(), acting_as(acting_user):
        case.status = NEXT_STATUS[CaseLevel(level)]
        case.save(update_fields=["status", "updated_at"])
        _step(case, acting_user, ReviewAction.ACCEPT, level, comment.strip())
    return case


def case_return(*, acting_user: User, case: Case, comment: str) -> Case:
    """Back to the author for rework, with what to fix (required); a published case comes down."""
    access.require_review_case(acting_user, case)
    if not comment.strip():
        raise ValidationError({"comment": "Напишите, что нужно доработать."})
    level = access.review_level(case)
    assert level is not None
    with transaction.atomic(), acting_as(acting_user):
        case.status = CaseStatus.RETURNED
        case.review_comment = comment.strip()
        case.is_published = False
        case.save(update_fields=["status", "review_comment", "is_published", "updated_at"])
        _step(case, acting_user, ReviewAction.RETURN, level, comment.strip())
    return case


def case_publish(*, acting_user: User, case: Case, named: bool) -> Case:
    """Show the case on the organisation's public page. Named only when everyone shown has given
    the consent to dissemination (152-ФЗ art. 10.1); otherwise only anonymised."""
    access.require_manage_cases(acting_user, case)
    if not access.can_publish_case(acting_user, case):
        raise ValidationError("Опубликовать можно кейс, принятый организацией.")
    day = local_today(case.organisation)
    if named:
        missing = missing_consents(case, day)
        if missing:
            raise ValidationError(
                {
                    "named": "Нет согласия на распространение персональных данных (ст. 10.1 152-ФЗ): "
                    + ", ".join(missing)
                    + " — опубликуйте кейс обезличенно."
                }
            )
    with transaction.atomic(), acting_as(acting_user):
        case.is_published = True
        case.anonymised = not named
        case.published_on = case.published_on or day
        case.save(update_fields=["is_published", "anonymised", "published_on", "updated_at"])
        comment = "с именами участников" if named else "обезличенно"
        _step(case, acting_user, ReviewAction.PUBLISH, CaseLevel.SCHOOL, comment)
    return case


def case_unpublish(*, acting_user: User, case: Case) -> Case:
    access.require_manage_cases(acting_user, case)
    with transaction.atomic(), acting_as(acting_user):
        case.is_published = False
        case.save(update_fields=["is_published", "updated_at"])
        _step(case, acting_user, ReviewAction.UNPUBLISH, CaseLevel.SCHOOL)
    return case
