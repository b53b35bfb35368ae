"""Writes to the registry. Each takes the acting user, checks the permission, validates and
writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import MentoringForm, Organisation, Program, ProgramKind

from ..consents import age_group, consent_state
from ..models import (
    LEARNER_KINDS,
    PERSON_FORM_FIELDS,
    Category,
    Consent,
    ConsentGiver,
    ConsentKind,
    GuardianLink,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Person,
    PersonKind,
    Tag,
)
from .accounts import account_follow_person, account_roles_follow_participation

# What a service may set on a person: the form's fields plus the parsed class.
PERSON_FIELDS = frozenset({*PERSON_FORM_FIELDS, "grade", "class_letter"})


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    cleaned = dict(fields)
    for name in ("last_name", "first_name", "middle_name", "class_letter"):
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = " ".join(str(cleaned[name]).split())
    if cleaned.get("class_letter"):
        cleaned["class_letter"] = cleaned["class_letter"].upper()
    return cleaned


def person_create(
    *,
    acting_user: User,
    organisation: Organisation,
    categories: Iterable[Category] = (),
    **fields: Any,
) -> Person:
    require_manage_organisation(acting_user, organisation.pk)
    person = Person(organisation=organisation, **_normalise(fields))
    person.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        person.save()
        if categories:
            person.categories.set(categories)
    return person


def person_update(
    *,
    acting_user: User,
    person: Person,
    categories: Iterable[Category] | None = None,
    **fields: Any,
) -> Person:
    require_manage_organisation(acting_user, person.organisation_id)
    fields = _normalise(fields)
    if "experience_years" in fields:
        # Forms show today's experience; the same number back means no change (the date it was
        # given on stays), a different one is the experience as of today.
        if fields["experience_years"] == person.experience_today:
            del fields["experience_years"]
        else:
            person.experience_on = None
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        person.save()
        if categories is not None:
            person.categories.set(categories)
        if "left_on" in fields:
            account_follow_person(acting_user=acting_user, person=person)
    return person


def guardian_link_add(
    *, acting_user: User, child: Person, guardian: Person, relation: str = "родитель"
) -> GuardianLink:
    require_manage_organisation(acting_user, child.organisation_id)
    if guardian.organisation_id != child.organisation_id:
        raise ValidationError("Законный представитель должен быть внесён в базу той же организации.")
    if guardian.pk == child.pk:
        raise ValidationError("Участник не может быть собственным законным представителем.")
    if guardian.kind != PersonKind.PARENT:
        raise ValidationError(
            "Законным представителем может быть только участник вида «Родитель (законный представитель)»."
        )
    link = GuardianLink(child=child, guardian=guardian, relation=relation.strip() or "родитель")
    link.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        link.save()
    return link


def consent_record(
    *,
    acting_user: User,
    subject: Person,
    given_by: str,
    signed_on: dt.date,
    kind: str = ConsentKind.PROCESSING,
    representative: Person | None = None,
    valid_until: dt.date | None = None,
    purposes: str | None = None,
    document: UploadedFile | None = None,
) -> Consent:
    """Record a signed consent. The rules of 152-ФЗ that a form can't express are checked here."""
    require_manage_organisation(acting_user, subject.organisation_id)
    errors: dict[str, str] = {}
    today = local_today(subject.organisation)
    if signed_on > today:
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    if valid_until and valid_until < signed_on:
        errors["valid_until"] = "Срок действия заканчивается раньше даты подписания."
    if given_by == ConsentGiver.REPRESENTATIVE:
        if representative is None:
            errors["representative"] = "Укажите законного представителя, подписавшего согласие."
        elif not GuardianLink.objects.filter(child=subject, guardian=representative).exists():
            errors["representative"] = (
                f"{representative.full_name} не указан(а) законным представителем этого участника."
            )
        elif age_group(subject, signed_on) == "adult" and subject.kind not in LEARNER_KINDS:
            errors["given_by"] = "Совершеннолетний участник даёт согласие сам."
    elif given_by == ConsentGiver.SELF:
        if representative is not None:
            errors["representative"] = "Для собственного согласия участника представитель не указывается."
        if age_group(subject, signed_on) == "child":
            errors["given_by"] = (
                "Участник младше 14 лет не может дать согласие сам: нужно согласие законного представителя."
            )
    else:
        errors["given_by"] = "Укажите, кем дано согласие."
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        subject=subject,
        kind=kind,
        given_by=given_by,
        representative=representative,
        signed_on=signed_on,
        valid_until=valid_until,
        recorded_by=acting_user,
    )
    if purposes:
        consent.purposes = purposes
    if document is not None:
        consent.document = document
    consent.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        consent.save()
    return consent


def consent_revoke(*, acting_user: User, consent: Consent, revoked_on: dt.date, reason: str = "") -> Consent:
    require_manage_organisation(acting_user, consent.subject.organisation_id)
    if consent.revoked_on:
        raise ValidationError("Согласие уже отозвано.")
    if revoked_on < consent.signed_on:
        raise ValidationError({"revoked_on": "Дата отзыва раньше даты подписания."})
    consent.revoked_on = revoked_on
    consent.revocation_reason = reason.strip()
    with transaction.atomic(), acting_as(acting_user):
        consent.save(update_fields=["revoked_on", "revocation_reason"])
    return consent


def ensure_can_take_part(person: Person, on_date: dt.date | None = None) -> None:
    """Raise ValidationError (in Russian) unless the person may be put into a program, pair or
    questionnaire: a valid consent and not left the organisation. Used by every later step."""
    day = on_date or local_today(person.organisation)
    if person.left_on and person.left_on <= day:
        raise ValidationError(f"{person.full_name} выбыл(а) из организации {person.left_on:%d.%m.%Y}.")
    state = consent_state(person, day)
    if not state.is_valid:
        raise ValidationError(
            f"{person.full_name}: {state.summary}. Без согласия участие невозможно (152-ФЗ)."
        )


def _check_role_fits_program(person: Person, role: str, program: Program) -> None:
    if (
        program.kind == ProgramKind.STUDENTS
        and role == ParticipationRole.MENTEE
        and person.kind not in LEARNER_KINDS
    ):
        raise ValidationError(
            "Наставляемым в программе для обучающихся может быть только обучающийся или студент."
        )
    if program.kind == ProgramKind.TEACHERS and person.kind not in {PersonKind.TEACHER, PersonKind.STAFF}:
        raise ValidationError("В программе наставничества педагогов участвуют только педагоги и сотрудники.")


def participation_add(
    *,
    acting_user: User,
    program: Program,
    person: Person,
    role: str,
    preferred_form: MentoringForm | None = None,
    details: str = "",
    tags: Iterable[Tag] = (),
    capacity: int | None = None,
) -> Participation:
    """Put a person into a program as a candidate mentor or mentee (needs a valid consent)."""
    require_manage_organisation(acting_user, program.organisation_id)
    if person.organisation_id != program.organisation_id:
        raise ValidationError("Участник и программа относятся к разным организациям.")
    ensure_can_take_part(person)
    _check_role_fits_program(person, role, program)
    if preferred_form is not None and not program.forms.filter(pk=preferred_form.pk).exists():
        raise ValidationError({"preferred_form": "Эта форма наставничества не включена в программу."})
    if Participation.objects.filter(program=program, person=person, role=role).exists():
        raise ValidationError(f"{person.full_name} уже участвует в программе в этой роли.")
    participation = Participation(
        program=program,
        person=person,
        role=role,
        preferred_form=preferred_form,
        details=details.strip(),
        capacity=capacity,
        added_on=local_today(program.organisation),
    )
    participation.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        participation.save()
        if tags:
            participation.tags.set(tags)
        account_roles_follow_participation(acting_user=acting_user, participation=participation)
    return participation


def participation_update_status(
    *, acting_user: User, participation: Participation, status: str
) -> Participation:
    require_manage_organisation(acting_user, participation.program.organisation_id)
    participation.status = status
    participation.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        participation.save(update_fields=["status"])
        if status == ParticipationStatus.WITHDRAWN:
            account_follow_person(acting_user=acting_user, person=participation.person)
    return participation
