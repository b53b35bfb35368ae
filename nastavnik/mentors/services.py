"""Writes of the mentor's path: nomination and self-application, interviews, admission (which sets
the registry participation to «допущен(а)»), the program's admission rule, proposals to the
municipal base and the municipality's decision, and a pair of a base mentor with a mentee of
another school. Each takes the acting user, checks the access layer, validates and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from nastavnik.accounts.access import require, scopes_of
from nastavnik.accounts.models import MANAGER_ROLES, Role, RoleAssignment, User
from nastavnik.base.audit import acting_as
from nastavnik.base.names import person_name_in
from nastavnik.base.time import local_today
from nastavnik.mentoring.models import GroupMembership, GroupStatus, MentoringGroup
from nastavnik.mentoring.services.groups import group_create_or_join
from nastavnik.orgs.access import can_manage_organisation, require_manage_program
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.orgs.services import program_update
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person
from nastavnik.registry.services.accounts import account_roles_follow_participation
from nastavnik.registry.services.people import ensure_can_take_part
from nastavnik.training.selectors import trained_people

from .access import can_decide_base_entry, require_manage_candidacy
from .models import (
    AdmissionRule,
    BaseEntry,
    BaseEntryStatus,
    Candidacy,
    CandidacyOrigin,
    CandidacyStatus,
    Interview,
    InterviewOutcome,
    NetworkMentoring,
)

OPEN_STATUSES = (CandidacyStatus.NEW, CandidacyStatus.INTERVIEW, CandidacyStatus.POSTPONED)

# --- candidates ----------------------------------------------------------------------------------


def _mentor_participation(program: Program, person: Person, motivation: str) -> Participation:
    if person.organisation_id != program.organisation_id:
        raise ValidationError("Кандидат и программа относятся к разным организациям.")
    ensure_can_take_part(person)
    existing = Participation.objects.filter(
        program=program, person=person, role=ParticipationRole.MENTOR
    ).first()
    if existing is not None:
        if Candidacy.objects.filter(participation=existing).exists():
            raise ValidationError(f"{person.full_name} уже в списке кандидатов в наставники этой программы.")
        if existing.status != ParticipationStatus.CANDIDATE:
            raise ValidationError(f"{person.full_name} уже наставник этой программы.")
        return existing
    participation = Participation(
        program=program,
        person=person,
        role=ParticipationRole.MENTOR,
        details=motivation.strip(),
        added_on=local_today(program.organisation),
    )
    participation.full_clean()
    participation.save()
    return participation


def candidacy_nominate(
    *, acting_user: User, program: Program, person: Person, motivation: str = ""
) -> Candidacy:
    """The curator or the administration puts a person forward as a candidate mentor."""
    require_manage_program(
        acting_user, program, "Выдвигать кандидатов в наставники могут администрация и кураторы."
    )
    with transaction.atomic(), acting_as(acting_user):
        participation = _mentor_participation(program, person, motivation)
        candidacy = Candidacy(
            participation=participation,
            origin=CandidacyOrigin.NOMINATION,
            nominated_by=acting_user,
            submitted_on=local_today(program.organisation),
            motivation=motivation.strip(),
        )
        candidacy.full_clean()
        candidacy.save()
        account_roles_follow_participation(acting_user=acting_user, participation=participation)
    return candidacy


def candidacy_apply(*, acting_user: User, program: Program, motivation: str) -> Candidacy:
    """A person with an account applies to become a mentor in a program of their organisation."""
    person = Person.objects.filter(user=acting_user).select_related("organisation").first()
    if person is None:
        raise PermissionDenied("Подать заявку может участник с карточкой в базе организации.")
    if program.organisation_id != person.organisation_id:
        raise PermissionDenied("Заявку подают в программу своей организации.")
    if not motivation.strip():
        raise ValidationError(
            {"motivation": "Напишите, почему вы хотите стать наставником и чем можете помочь."}
        )
    with transaction.atomic(), acting_as(acting_user):
        participation = _mentor_participation(program, person, motivation)
        candidacy = Candidacy(
            participation=participation,
            origin=CandidacyOrigin.APPLICATION,
            submitted_on=local_today(program.organisation),
            motivation=motivation.strip(),
        )
        candidacy.full_clean()
        candidacy.save()
    return candidacy


def _check_interviewers(candidacy: Candidacy, interviewer: User | None, psychologist: User | None) -> None:
    organisation_id = candidacy.participation.program.organisation_id
    if (
        interviewer is not None
        and not RoleAssignment.objects.filter(
            user=interviewer, organisation_id=organisation_id, role__in=MANAGER_ROLES
        ).exists()
    ):
        raise ValidationError(
            {"interviewer": "Собеседование проводят администрация или куратор этой организации."}
        )
    if (
        psychologist is not None
        and not RoleAssignment.objects.filter(
            user=psychologist, organisation_id=organisation_id, role=Role.SPECIALIST
        ).exists()
    ):
        raise ValidationError({"psychologist": "Психолог должен быть специалистом этой организации."})


def interview_save(
    *,
    acting_user: User,
    candidacy: Candidacy,
    held_on: dt.date,
    interviewer: User | None,
    psychologist: User | None = None,
    notes: str = "",
    outcome: str = InterviewOutcome.PLANNED,
    reason: str = "",
    interview: Interview | None = None,
) -> Interview:
    """Schedule an interview (no outcome yet) or record one (an outcome, with the reason when the
    candidate is not admitted or the decision is postponed)."""
    require_manage_candidacy(acting_user, candidacy)
    if candidacy.status in (CandidacyStatus.ADMITTED, CandidacyStatus.REJECTED) and interview is None:
        raise ValidationError("Решение по кандидату уже принято.")
    _check_interviewers(candidacy, interviewer, psychologist)
    if outcome and held_on > local_today(candidacy.participation.program.organisation):
        raise ValidationError({"held_on": "Итог можно записать только проведённому собеседованию."})
    interview = interview or Interview(candidacy=candidacy)
    interview.held_on, interview.interviewer, interview.psychologist = held_on, interviewer, psychologist
    interview.notes, interview.outcome, interview.reason = notes.strip(), outcome, reason.strip()
    interview.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        interview.save()
        status = {
            InterviewOutcome.PLANNED: CandidacyStatus.INTERVIEW,
            InterviewOutcome.ADMITTED: CandidacyStatus.INTERVIEW,
            InterviewOutcome.POSTPONED: CandidacyStatus.POSTPONED,
            InterviewOutcome.REJECTED: CandidacyStatus.REJECTED,
        }[InterviewOutcome(outcome)]
        _set_candidacy_status(
            candidacy, status, acting_user if outcome == InterviewOutcome.REJECTED else None
        )
        if outcome == InterviewOutcome.REJECTED:
            _set_participation_status(candidacy.participation, ParticipationStatus.WITHDRAWN)
    return interview


def _set_candidacy_status(candidacy: Candidacy, status: str, decided_by: User | None) -> None:
    candidacy.status = status
    if decided_by is not None:
        candidacy.decided_by = decided_by
        candidacy.decided_on = local_today(candidacy.participation.program.organisation)
    candidacy.save(update_fields=["status", "decided_by", "decided_on"])


def _set_participation_status(participation: Participation, status: str) -> None:
    if participation.status != status:
        participation.status = status
        participation.save(update_fields=["status"])


def training_problem(candidacy: Candidacy, on_date: dt.date) -> str:
    """Why the program's rule does not let the candidate be admitted yet (empty: it does)."""
    participation = candidacy.participation
    rule = AdmissionRule.objects.filter(program_id=participation.program_id).first()
    if rule is None or not rule.requires_training:
        return ""
    forms = set(rule.forms.values_list("pk", flat=True))
    if forms and participation.preferred_form_id not in forms:
        return ""
    if trained_people([participation.person_id], on_date):
        return ""
    return (
        f"Программа «{participation.program.title}» допускает наставников только после обучения, а у "
        f"{person_name_in(participation.person, 'gent', short=True)} нет завершённого курса. "
        "Запишите кандидата на курс в разделе «Обучение» и отметьте его окончание."
    )


def candidacy_admit(*, acting_user: User, candidacy: Candidacy) -> Candidacy:
    """Admit a candidate after a successful interview: the participation becomes «допущен(а)»."""
    require_manage_candidacy(acting_user, candidacy)
    if candidacy.status == CandidacyStatus.ADMITTED:
        raise ValidationError("Кандидат уже допущен.")
    last = candidacy.interviews.exclude(outcome=InterviewOutcome.PLANNED).order_by("-held_on", "-pk").first()
    if last is None or last.outcome != InterviewOutcome.ADMITTED:
        raise ValidationError("Допуск возможен после собеседования с итогом «допущен».")
    problem = training_problem(candidacy, local_today(candidacy.participation.program.organisation))
    if problem:
        raise ValidationError(problem)
    with transaction.atomic(), acting_as(acting_user):
        _set_candidacy_status(candidacy, CandidacyStatus.ADMITTED, acting_user)
        if candidacy.participation.status == ParticipationStatus.CANDIDATE:
            _set_participation_status(candidacy.participation, ParticipationStatus.ADMITTED)
    return candidacy


def admission_rule_save(
    *, acting_user: User, program: Program, requires_training: bool, forms: Iterable[MentoringForm] = ()
) -> AdmissionRule:
    require_manage_program(acting_user, program, "Правила допуска меняют администрация и кураторы.")
    forms = list(forms)
    allowed = set(program.forms.values_list("pk", flat=True))
    stray = [f for f in forms if f.pk not in allowed and f.parent_id not in allowed]
    if stray:
        raise ValidationError({"forms": f"Форма «{stray[0]}» не включена в программу."})
    with transaction.atomic(), acting_as(acting_user):
        rule, _ = AdmissionRule.objects.get_or_create(program=program)
        rule.requires_training = requires_training
        rule.save()
        rule.forms.set(forms)
    return rule


def program_admission_save(
    *,
    acting_user: User,
    program: Program,
    admitted_mentors_only: bool,
    requires_training: bool,
    forms: Iterable[MentoringForm] = (),
) -> AdmissionRule:
    """The program's rules of admission: only admitted mentors in matching, training required."""
    with transaction.atomic():
        if program.admitted_mentors_only != admitted_mentors_only:
            program_update(
                acting_user=acting_user, program=program, admitted_mentors_only=admitted_mentors_only
            )
        return admission_rule_save(
            acting_user=acting_user, program=program, requires_training=requires_training, forms=forms
        )


# --- the municipal base --------------------------------------------------------------------------


def mentor_loads(person_ids: Iterable[int]) -> dict[int, int]:
    """Mentees each person mentors now over all programs of all schools (one query)."""
    rows = (
        GroupMembership.objects.filter(
            group__mentor__person_id__in=list(person_ids),
            group__status=GroupStatus.ACTIVE,
            left_on__isnull=True,
        )
        .values("group__mentor__person_id")
        .annotate(n=Count("pk"))
    )
    return {row["group__mentor__person_id"]: row["n"] for row in rows}


def base_propose(*, acting_user: User, participation: Participation, capacity: int) -> BaseEntry:
    """A school proposes its admitted mentor for the municipal base (again, after a return)."""
    person = participation.person
    require(
        can_manage_organisation(acting_user, person.organisation_id),
        "Предлагать наставников в базу могут администрация и кураторы их школы.",
    )
    if participation.role != ParticipationRole.MENTOR or participation.status in (
        ParticipationStatus.CANDIDATE,
        ParticipationStatus.WITHDRAWN,
    ):
        raise ValidationError(f"{person.full_name} ещё не допущен(а) к наставнической деятельности.")
    if not 1 <= capacity <= 10:
        raise ValidationError(
            {"capacity": "Укажите, сколько наставляемых наставник может вести: от 1 до 10."}
        )
    municipality_id = person.organisation.municipality_id
    entry = (
        BaseEntry.objects.filter(person=person, municipality_id=municipality_id)
        .exclude(status=BaseEntryStatus.WITHDRAWN)
        .first()
    )
    if entry is not None and entry.status != BaseEntryStatus.RETURNED:
        raise ValidationError(f"{person.full_name} уже {entry.get_status_display().lower()}.")
    entry = entry or BaseEntry(person=person, municipality_id=municipality_id)
    entry.participation, entry.capacity, entry.status = participation, capacity, BaseEntryStatus.PROPOSED
    entry.proposed_on, entry.proposed_by = local_today(person.organisation), acting_user
    entry.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        entry.save()
    return entry


def base_decide(*, acting_user: User, entry: BaseEntry, approve: bool, comment: str = "") -> BaseEntry:
    """The municipality approves a proposed mentor into the base or returns them with a comment."""
    require(can_decide_base_entry(acting_user, entry), "Решение о базе наставников принимает муниципалитет.")
    if entry.status != BaseEntryStatus.PROPOSED:
        raise ValidationError("Решение принимается только по предложенным школой наставникам.")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Напишите школе, почему наставник возвращён и что исправить."})
    entry.status = BaseEntryStatus.APPROVED if approve else BaseEntryStatus.RETURNED
    entry.comment, entry.decided_by = comment.strip(), acting_user
    entry.decided_on = local_today(entry.person.organisation)
    with transaction.atomic(), acting_as(acting_user):
        entry.save()
    return entry


def _network_participation(acting_user: User, entry: BaseEntry, program: Program) -> Participation:
    existing = Participation.objects.filter(
        program=program, person=entry.person, role=ParticipationRole.MENTOR
    ).first()
    if existing is not None:
        return existing
    participation = Participation(
        program=program,
        person=entry.person,
        role=ParticipationRole.MENTOR,
        status=ParticipationStatus.ADMITTED,
        capacity=entry.capacity,
        details="Наставник из муниципальной базы",
        added_on=local_today(program.organisation),
    )
    participation.full_clean()
    participation.save()
    NetworkMentoring.objects.create(
        entry=entry,
        participation=participation,
        requested_by=acting_user,
        requested_on=participation.added_on,
    )
    return participation


def network_pair_create(
    *, acting_user: User, entry: BaseEntry, program: Program, form: MentoringForm, mentee: Participation
) -> MentoringGroup:
    """A school takes a mentor of another school from the municipal base for its mentee: the mentor
    joins the school's program «из муниципальной базы» and a pair is formed (or the mentee joins
    the mentor's group there) within the mentor's free places in the base."""
    require_manage_program(
        acting_user, program, "Запросить наставника из базы могут администрация и кураторы."
    )
    if entry.status != BaseEntryStatus.APPROVED:
        raise ValidationError("Наставник ещё не утверждён в муниципальной базе.")
    if program.organisation.municipality_id != entry.municipality_id and not scopes_of(acting_user).superuser:
        raise ValidationError("Наставник состоит в базе другого муниципалитета.")
    if entry.person.organisation_id == program.organisation_id:
        raise ValidationError("Это наставник вашей школы: сформируйте пару в разделе «Пары».")
    if mentee.program_id != program.pk or mentee.role != ParticipationRole.MENTEE:
        raise ValidationError({"mentee": "Выберите наставляемого этой программы."})
    load = mentor_loads([entry.person_id]).get(entry.person_id, 0)
    if load >= entry.capacity:
        raise ValidationError(
            f"У наставника {person_name_in(entry.person, 'gent', short=True)} нет свободных мест в базе: "
            f"уже {load} из {entry.capacity}."
        )
    with transaction.atomic(), acting_as(acting_user):
        participation = _network_participation(acting_user, entry, program)
        group, _ = group_create_or_join(
            acting_user=acting_user, program=program, form=form, mentor=participation, mentees=[mentee]
        )
    return group
