"""Writes of pairs and groups. Each takes the acting user, checks the permission and the rules
(consent, roles of the form, the mentor's capacity), and writes in a transaction under
`acting_as`, so the audit log keeps the history of every pair."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, prefetch_related_objects

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as, create_many, created_changes, log_bulk
from nastavnik.base.names import person_name_in
from nastavnik.base.time import local_today
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus
from nastavnik.registry.services.people import ensure_can_take_part

from ..access import require_manage_groups
from ..models import CLOSED_STATUSES, GroupMembership, GroupStatus, MentoringGroup

# Participations that can no longer be put into a pair.
INACTIVE_PARTICIPATION = frozenset({ParticipationStatus.WITHDRAWN, ParticipationStatus.COMPLETED})


def mentor_capacity(mentor: Participation, program: Program) -> int:
    """How many mentees a mentor may have at once: their own limit, else the program's."""
    return mentor.capacity if mentor.capacity is not None else program.max_mentees_per_mentor


def mentor_load(mentor: Participation) -> int:
    """Mentees the mentor has now, over all their working pairs and groups of the program."""
    return GroupMembership.objects.filter(
        group__mentor=mentor, group__status=GroupStatus.ACTIVE, left_on__isnull=True
    ).count()


def form_allowed_in_program(form: MentoringForm, program: Program) -> bool:
    """The form or the form it is a variant of is one of the program's forms."""
    return program.forms.filter(Q(pk=form.pk) | Q(pk=form.parent_id or -1)).exists()


def _check_mentor(mentor: Participation, program: Program, form: MentoringForm, on_date: dt.date) -> None:
    if mentor.program_id != program.pk or mentor.role != ParticipationRole.MENTOR:
        raise ValidationError(f"{mentor.person.full_name} не участвует в программе как наставник.")
    if mentor.status in INACTIVE_PARTICIPATION:
        raise ValidationError(
            f"{mentor.person.full_name}: участие в программе «{mentor.get_status_display().lower()}»."
        )
    if mentor.person.kind != form.mentor_kind:
        raise ValidationError(
            f"{mentor.person.full_name} не может быть наставником в форме «{form}»: "
            f"наставник в ней — {form.get_mentor_kind_display().lower()}."
        )
    ensure_can_take_part(mentor.person, on_date)


def _check_mentee_rules(
    mentee: Participation, mentor: Participation, program: Program, form: MentoringForm, on_date: dt.date
) -> None:
    if mentee.program_id != program.pk or mentee.role != ParticipationRole.MENTEE:
        raise ValidationError(f"{mentee.person.full_name} не участвует в программе как наставляемый.")
    if mentee.status in INACTIVE_PARTICIPATION:
        raise ValidationError(
            f"{mentee.person.full_name}: участие в программе «{mentee.get_status_display().lower()}»."
        )
    if mentee.person_id == mentor.person_id:
        raise ValidationError(f"{mentee.person.full_name} не может быть наставником самому себе.")
    if mentee.person.kind != form.mentee_kind:
        raise ValidationError(
            f"{mentee.person.full_name} не может быть наставляемым в форме «{form}»: "
            f"наставляемый в ней — {form.get_mentee_kind_display().lower()}."
        )
    ensure_can_take_part(mentee.person, on_date)


def _refuse_current(mentee: Participation, current: GroupMembership) -> None:
    raise ValidationError(
        f"{mentee.person.full_name} уже в паре (группе) наставника "
        f"{person_name_in(current.group.mentor.person, 'gent', short=True)}: сначала выведите его (её) оттуда."
    )


def _check_mentee(
    mentee: Participation, mentor: Participation, program: Program, form: MentoringForm, on_date: dt.date
) -> None:
    _check_mentee_rules(mentee, mentor, program, form, on_date)
    current = _current_memberships([mentee]).get(mentee.pk)
    if current is not None:
        _refuse_current(mentee, current)


def _check_capacity(mentor: Participation, program: Program, adding: int) -> None:
    capacity = mentor_capacity(mentor, program)
    load = mentor_load(mentor)
    if load + adding > capacity:
        raise ValidationError(
            f"У наставника {person_name_in(mentor.person, 'gent')} не осталось мест: "
            f"уже {load} из {capacity}, а добавляется ещё {adding}."
        )


def _set_status(participations: Sequence[Participation], status: str) -> None:
    for participation in participations:
        if participation.status != status:
            participation.status = status
            participation.save(update_fields=["status"])


def group_create(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    mentor: Participation,
    mentees: Sequence[Participation],
    started_on: dt.date | None = None,
) -> MentoringGroup:
    """Form a pair (one mentee) or a group (several) under one mentor."""
    require_manage_groups(acting_user, program)
    day = started_on or local_today(program.organisation)
    if not mentees:
        raise ValidationError("В паре (группе) должен быть хотя бы один наставляемый.")
    if len({m.pk for m in mentees}) != len(mentees):
        raise ValidationError("Наставляемый указан дважды.")
    if not form_allowed_in_program(form, program):
        raise ValidationError(f"Форма «{form}» не включена в программу.")
    _check_mentor(mentor, program, form, day)
    for mentee in mentees:
        _check_mentee(mentee, mentor, program, form, day)
    _check_capacity(mentor, program, len(mentees))
    group = MentoringGroup(program=program, form=form, mentor=mentor, started_on=day, created_by=acting_user)
    group.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        group.save()
        for mentee in mentees:
            membership = GroupMembership(group=group, mentee=mentee, joined_on=day)
            membership.full_clean()
            membership.save()
        _set_status([mentor, *mentees], ParticipationStatus.IN_PAIR)
    return group


def group_add_mentee(
    *, acting_user: User, group: MentoringGroup, mentee: Participation, joined_on: dt.date | None = None
) -> GroupMembership:
    program = group.program
    require_manage_groups(acting_user, program)
    if not group.is_active:
        raise ValidationError("Пара (группа) уже завершила работу: добавить в неё нельзя.")
    day = joined_on or local_today(program.organisation)
    if day < group.started_on:
        raise ValidationError({"joined_on": "Дата включения раньше начала работы пары (группы)."})
    _check_mentor(group.mentor, program, group.form, day)
    _check_mentee(mentee, group.mentor, program, group.form, day)
    _check_capacity(group.mentor, program, 1)
    membership = GroupMembership(group=group, mentee=mentee, joined_on=day)
    membership.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        membership.save()
        _set_status([group.mentor, mentee], ParticipationStatus.IN_PAIR)
    return membership


def group_create_or_join(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    mentor: Participation,
    mentees: Sequence[Participation],
    started_on: dt.date | None = None,
) -> tuple[MentoringGroup, list[GroupMembership]]:
    """One group per mentor: the mentees join the mentor's working group of the same program
    and form if there is one, else a new pair or group is formed. Returns the group and the
    memberships added now."""
    existing = (
        MentoringGroup.objects.filter(program=program, form=form, mentor=mentor, status=GroupStatus.ACTIVE)
        .order_by("started_on", "pk")
        .first()
    )
    if existing is None:
        group = group_create(
            acting_user=acting_user,
            program=program,
            form=form,
            mentor=mentor,
            mentees=mentees,
            started_on=started_on,
        )
        return group, list(group.memberships.all())
    day = max(started_on or local_today(program.organisation), existing.started_on)
    with transaction.atomic():
        added = [
            group_add_mentee(acting_user=acting_user, group=existing, mentee=mentee, joined_on=day)
            for mentee in mentees
        ]
    return existing, added


def _current_memberships(mentees: Sequence[Participation]) -> dict[int, GroupMembership]:
    return {
        m.mentee_id: m
        for m in GroupMembership.objects.filter(
            mentee__in=[p.pk for p in mentees], left_on__isnull=True
        ).select_related("group__mentor__person")
    }


def _check_batch(
    program: Program,
    form: MentoringForm,
    batches: Sequence[tuple[Participation, Sequence[Participation]]],
    day: dt.date,
    existing: dict[int, MentoringGroup],
) -> None:
    """The checks of `group_create` / `group_add_mentee` for every mentor and mentee at once:
    the same rules and messages, in a constant number of queries."""
    mentees = [m for _, group_mentees in batches for m in group_mentees]
    if any(not group_mentees for _, group_mentees in batches):
        raise ValidationError("В паре (группе) должен быть хотя бы один наставляемый.")
    if len({m.pk for m in mentees}) != len(mentees) or len({m.pk for m, _ in batches}) != len(batches):
        raise ValidationError("Наставляемый указан дважды.")
    if not form_allowed_in_program(form, program):
        raise ValidationError(f"Форма «{form}» не включена в программу.")
    prefetch_related_objects([*[m for m, _ in batches], *mentees], "person__consents")
    current = _current_memberships(mentees)
    loads = dict(
        GroupMembership.objects.filter(
            group__mentor__in=[m.pk for m, _ in batches],
            group__status=GroupStatus.ACTIVE,
            left_on__isnull=True,
        )
        .values_list("group__mentor")
        .annotate(n=Count("pk"))
    )
    for mentor, group_mentees in batches:
        group = existing.get(mentor.pk)
        mentor_day = max(day, group.started_on) if group else day
        _check_mentor(mentor, program, form, mentor_day)
        for mentee in group_mentees:
            _check_mentee_rules(mentee, mentor, program, form, mentor_day)
            if mentee.pk in current:
                _refuse_current(mentee, current[mentee.pk])
        capacity, load = mentor_capacity(mentor, program), loads.get(mentor.pk, 0)
        if load + len(group_mentees) > capacity:
            raise ValidationError(
                f"У наставника {person_name_in(mentor.person, 'gent')} не осталось мест: "
                f"уже {load} из {capacity}, а добавляется ещё {len(group_mentees)}."
            )


def groups_create_or_join(
    *,
    acting_user: User,
    program: Program,
    form: MentoringForm,
    batches: Sequence[tuple[Participation, Sequence[Participation]]],
    started_on: dt.date | None = None,
) -> list[tuple[MentoringGroup, list[GroupMembership]]]:
    """`group_create_or_join` for many mentors at once (a confirmed matching): the same rules,
    one group per mentor, in a constant number of queries — bulk writes with their audit
    records written by `log_bulk`. Returns each mentor's group and the memberships added now."""
    require_manage_groups(acting_user, program)
    day = started_on or local_today(program.organisation)
    existing: dict[int, MentoringGroup] = {}
    for group in (
        MentoringGroup.objects.filter(
            program=program, form=form, mentor__in=[m.pk for m, _ in batches], status=GroupStatus.ACTIVE
        )
        .select_related("mentor__person")
        .order_by("-started_on", "-pk")
    ):
        existing[group.mentor_id] = group  # the earliest one wins, as in group_create_or_join
    _check_batch(program, form, batches, day, existing)
    new_groups = [
        MentoringGroup(program=program, form=form, mentor=mentor, started_on=day, created_by=acting_user)
        for mentor, _ in batches
        if mentor.pk not in existing
    ]
    for group in new_groups:
        group.full_clean(exclude=["program", "form", "mentor", "created_by"], validate_constraints=False)
    with transaction.atomic(), acting_as(acting_user):
        # create_many, not bulk_create: one statement for all of them on PostgreSQL and as many
        # rows a statement as SQLite takes (Django assumes 999 values), so a confirmed matching of
        # thousands of pairs costs a few queries, not one per hundred groups.
        create_many(new_groups)
        log_bulk(new_groups, action=LogEntry.Action.CREATE, changes=created_changes)
        group_of = {**{g.mentor_id: g for g in new_groups}, **existing}
        added = {
            mentor.pk: [
                GroupMembership(
                    group=group_of[mentor.pk],
                    mentee=mentee,
                    joined_on=max(day, group_of[mentor.pk].started_on),
                )
                for mentee in group_mentees
            ]
            for mentor, group_mentees in batches
        }
        memberships = [m for group_memberships in added.values() for m in group_memberships]
        for membership in memberships:
            membership.full_clean(
                exclude=["group", "mentee"], validate_unique=False, validate_constraints=False
            )
        create_many(memberships)
        log_bulk(memberships, action=LogEntry.Action.CREATE, changes=created_changes)
        _set_status_bulk(program, [p for mentor, group_mentees in batches for p in (mentor, *group_mentees)])
    return [(group_of[mentor.pk], added[mentor.pk]) for mentor, _ in batches]


_UPDATE_CHUNK = 10_000


def _set_status_bulk(program: Program, participations: Sequence[Participation]) -> None:
    """`_set_status(..., IN_PAIR)` in one UPDATE and one audit INSERT."""
    changing = [
        p for p in {p.pk: p for p in participations}.values() if p.status != ParticipationStatus.IN_PAIR
    ]
    old = {p.pk: p.status for p in changing}
    # As Participation.__str__, without reading the program once per participation.
    labels = {p.pk: f"{p.person} — {p.get_role_display()} ({program})" for p in changing}
    for participation in changing:
        participation.status = ParticipationStatus.IN_PAIR
    # One value for all: a plain UPDATE ... WHERE pk IN (...), not bulk_update's CASE per row
    # (which took a second for the 2,000 people of a confirmed matching). Chunked for SQLite's
    # limit of variables per statement.
    ids = [p.pk for p in changing]
    for start in range(0, len(ids), _UPDATE_CHUNK):
        Participation.objects.filter(pk__in=ids[start : start + _UPDATE_CHUNK]).update(
            status=ParticipationStatus.IN_PAIR
        )
    log_bulk(
        changing,
        action=LogEntry.Action.UPDATE,
        changes=lambda p: {"status": [old[p.pk], ParticipationStatus.IN_PAIR.value]},
        describe=lambda p: labels[p.pk],
    )


def _release(participation: Participation, status: str) -> None:
    """Give a participant whose pair ended the status, unless they still work in another group."""
    still_mentor = MentoringGroup.objects.filter(mentor=participation, status=GroupStatus.ACTIVE).exists()
    still_mentee = GroupMembership.objects.filter(
        mentee=participation, left_on__isnull=True, group__status=GroupStatus.ACTIVE
    ).exists()
    if not (still_mentor or still_mentee):
        _set_status([participation], status)


def group_remove_mentee(
    *,
    acting_user: User,
    group: MentoringGroup,
    mentee: Participation,
    left_on: dt.date | None = None,
    reason: str = "",
) -> GroupMembership:
    """Take a mentee out of a working group (the membership is closed, not deleted). A group
    left without mentees ends early with the same reason."""
    program = group.program
    require_manage_groups(acting_user, program)
    membership = group.memberships.filter(mentee=mentee, left_on__isnull=True).first()
    if membership is None:
        raise ValidationError(f"{mentee.person.full_name} сейчас не в этой паре (группе).")
    day = left_on or local_today(program.organisation)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Укажите причину выхода из пары (группы)."})
    membership.left_on = day
    membership.leave_reason = reason
    membership.full_clean()
    with transaction.atomic(), acting_as(acting_user):
        membership.save(update_fields=["left_on", "leave_reason"])
        _release(mentee, ParticipationStatus.ADMITTED)
        if not group.memberships.filter(left_on__isnull=True).exists():
            group.status = GroupStatus.ENDED_EARLY
            group.ended_on = day
            group.end_reason = reason
            group.full_clean()
            group.save(update_fields=["status", "ended_on", "end_reason"])
            _release(group.mentor, ParticipationStatus.ADMITTED)
    return membership


def group_end(
    *,
    acting_user: User,
    group: MentoringGroup,
    status: str,
    ended_on: dt.date | None = None,
    reason: str = "",
) -> MentoringGroup:
    """End the work of a pair or group: completed, continued next year, or ended early (with a
    reason). Current memberships close on the same day."""
    require_manage_groups(acting_user, group.program)
    if status not in CLOSED_STATUSES:
        raise ValidationError({"status": "Выберите, чем завершилась работа пары (группы)."})
    if not group.is_active:
        raise ValidationError("Пара (группа) уже завершила работу.")
    day = ended_on or local_today(group.program.organisation)
    group.status = status
    group.ended_on = day
    group.end_reason = reason.strip()
    group.full_clean()
    if group.memberships.filter(left_on__isnull=True, joined_on__gt=day).exists():
        raise ValidationError({"ended_on": "Дата окончания раньше включения одного из наставляемых."})
    # Completed and continued pairs finished the program's year; an early end returns people
    # to the base so that they can be paired again.
    after = (
        ParticipationStatus.ADMITTED if status == GroupStatus.ENDED_EARLY else ParticipationStatus.COMPLETED
    )
    with transaction.atomic(), acting_as(acting_user):
        group.save(update_fields=["status", "ended_on", "end_reason"])
        members = list(group.memberships.filter(left_on__isnull=True).select_related("mentee"))
        for membership in members:
            membership.left_on = day
            membership.leave_reason = group.get_status_display()
            membership.save(update_fields=["left_on", "leave_reason"])
        for membership in members:
            _release(membership.mentee, after)
        _release(group.mentor, after)
    return group
