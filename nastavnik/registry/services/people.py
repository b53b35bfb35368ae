"""Writes to the registry. Each takes the acting user, checks the permission, validates and
writes in a transaction under `acting_as`, so the audit log names who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.time import local_today
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import MentoringForm, Organisation, Program, ProgramKind

from ..consents import age_group, consent_state, purposes_text
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


def consent_problems(
    *,
    subject: Person,
    given_by: str,
    representative: Person | None,
    is_guardian: bool,
    signed_on: dt.date,
    valid_until: dt.date | None,
    today: dt.date,
    has_guardians: bool = True,
) -> dict[str, str]:
    """What is wrong with a consent as recorded (field → Russian message); reads nothing, so a
    whole class is checked without a query per person."""
    errors: dict[str, str] = {}
    if signed_on > today:
        errors["signed_on"] = "Дата подписания не может быть в будущем."
    if valid_until and valid_until < signed_on:
        errors["valid_until"] = "Срок действия заканчивается раньше даты подписания."
    if given_by == ConsentGiver.REPRESENTATIVE:
        if representative is None:
            errors["representative"] = (
                "Укажите законного представителя, подписавшего согласие."
                if has_guardians
                else "В базе нет законного представителя участника: сначала добавьте его в карточке."
            )
        elif not is_guardian:
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
    return errors


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
    is_guardian = (
        representative is not None
        and GuardianLink.objects.filter(child=subject, guardian=representative).exists()
    )
    errors = consent_problems(
        subject=subject,
        given_by=given_by,
        representative=representative,
        is_guardian=is_guardian,
        signed_on=signed_on,
        valid_until=valid_until,
        today=local_today(subject.organisation),
    )
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


@dataclass(frozen=True)
class ClassConsentRow:
    """One paper consent ticked in the class grid."""

    subject_id: int
    given_by: str
    signed_on: dt.date
    purposes: tuple[str, ...]
    representative_id: int | None = None


class ClassConsentsRejected(ValidationError):
    """Nothing was saved; `row_errors` maps (subject id, given_by) to {field: Russian message}."""

    def __init__(self, row_errors: dict[tuple[int, str], dict[str, str]]) -> None:
        self.row_errors = row_errors
        super().__init__([message for errors in row_errors.values() for message in errors.values()])


def consents_record_for_class(
    *, acting_user: User, organisation: Organisation, rows: Iterable[ClassConsentRow]
) -> list[Consent]:
    """Record the paper consents of a whole class or group at once: all of them or, if any row is
    wrong, none (ClassConsentsRejected says what is wrong with which row). A fixed number of
    queries however large the class; one readable audit entry per consent."""
    require_manage_organisation(acting_user, organisation.pk)
    rows = list(rows)
    if not rows:
        return []
    wanted = {row.subject_id for row in rows} | {
        row.representative_id for row in rows if row.representative_id
    }
    people = Person.objects.filter(organisation=organisation).in_bulk(wanted)
    links = set(
        GuardianLink.objects.filter(child_id__in=[row.subject_id for row in rows]).values_list(
            "child_id", "guardian_id"
        )
    )
    with_guardians = {child_id for child_id, _ in links}
    today = local_today(organisation)
    errors: dict[tuple[int, str], dict[str, str]] = {}
    consents: list[Consent] = []
    for row in rows:
        subject = people.get(row.subject_id)
        if subject is None:
            raise PermissionDenied("Участник не относится к этой организации.")
        representative = people.get(row.representative_id) if row.representative_id else None
        problems = consent_problems(
            subject=subject,
            given_by=row.given_by,
            representative=representative,
            is_guardian=(row.subject_id, row.representative_id) in links,
            signed_on=row.signed_on,
            valid_until=None,
            today=today,
            has_guardians=row.subject_id in with_guardians,
        )
        if not row.purposes:
            problems["purposes"] = "Отметьте хотя бы одну цель обработки."
        if problems:
            errors[(row.subject_id, row.given_by)] = problems
            continue
        consent = Consent(
            subject=subject,
            kind=ConsentKind.PROCESSING,
            given_by=row.given_by,
            representative=representative,
            signed_on=row.signed_on,
            purposes=purposes_text(row.purposes),
            recorded_by=acting_user,
        )
        # The people were read above; validating the foreign keys again would query per row.
        consent.full_clean(exclude=["subject", "representative", "recorded_by"], validate_constraints=False)
        consents.append(consent)
    if errors:
        raise ClassConsentsRejected(errors)
    with transaction.atomic(), acting_as(acting_user):
        Consent.objects.bulk_create(consents)
        # bulk_create sends no signals, so auditlog would record nothing: one entry per consent.
        LogEntry.objects.bulk_create([_consent_log_entry(consent, acting_user) for consent in consents])
    return consents


def _consent_log_entry(consent: Consent, acting_user: User) -> LogEntry:
    """The entry `LogEntry.objects.log_create` would write, built for a bulk insert."""
    from auditlog.cid import get_cid

    representative = consent.representative.full_name if consent.representative else ""
    changes = {
        "given_by": [None, consent.get_given_by_display()],
        "representative": [None, representative] if representative else None,
        "signed_on": [None, f"{consent.signed_on:%d.%m.%Y}"],
        "purposes": [None, consent.purposes],
    }
    return LogEntry(
        content_type=ContentType.objects.get_for_model(Consent),
        object_pk=str(consent.pk),
        object_id=consent.pk,
        object_repr=str(consent),
        action=LogEntry.Action.CREATE,
        changes={field: change for field, change in changes.items() if change},
        actor=acting_user if acting_user.is_authenticated else None,
        actor_email=acting_user.email or None,
        cid=get_cid(),
        additional_data={"source": "согласия класса (бумажные)"},
    )


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
