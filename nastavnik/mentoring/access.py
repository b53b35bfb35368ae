"""Who sees and works on pairs and groups, their meetings, plans and program events, side by
side: the reads (`visible_groups_for`, `get_<thing>_for_user`, 404 outside the scope), the
user's role in a group (`group_role_for`: the curator manages, the mentor drafts the plan and
records meetings, a mentee writes their own reflection and feedback, a parent of a minor
mentee reads) and the checks (`require_*` raising PermissionDenied).

Staff see the pairs of the organisations they oversee; a mentor, a mentee and a mentee's
parent see only their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from nastavnik.accounts.access import AnyUser, require, scopes_of
from nastavnik.accounts.models import Role, User
from nastavnik.orgs.access import (
    can_manage_program,
    can_oversee_organisation,
    overseen_organisations_for,
    require_manage_program,
    visible_programs_for,
)
from nastavnik.orgs.models import Program
from nastavnik.partners.access import contact_employee_people
from nastavnik.registry.access import wards_of

from .models import GroupMembership, Meeting, MentoringGroup, PlanTask, ProgramEvent

# --- pairs and groups -----------------------------------------------------------------------------


def _participant_condition(user: User) -> Q:
    """Groups the user takes part in: as the mentor, a mentee, or a mentee's legal representative;
    a partner's contact follows the pairs whose mentor is an employee of his partner."""
    condition = Q(mentor__person__user=user) | Q(mentor__person__in=contact_employee_people(user))
    condition |= Q(pk__in=GroupMembership.objects.filter(mentee__person__user=user).values("group_id"))
    if Role.PARENT in scopes_of(user).roles:
        condition |= Q(
            pk__in=GroupMembership.objects.filter(mentee__person__in=wards_of(user)).values("group_id")
        )
    return condition


def visible_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    scopes = scopes_of(user)
    if scopes.superuser:
        return MentoringGroup.objects.all()
    if not user.is_authenticated:
        return MentoringGroup.objects.none()
    condition = Q(program__organisation__in=overseen_organisations_for(user)) | _participant_condition(user)
    return MentoringGroup.objects.filter(condition)


def with_members(groups: QuerySet[MentoringGroup]) -> QuerySet[MentoringGroup]:
    """Groups with their mentor, form and program, and `current_members` / `all_members`
    prefetched: a fixed number of queries for any number of groups (what `get_group_for_user`
    returns and `group_role_for` reads)."""
    memberships = GroupMembership.objects.select_related("mentee__person").order_by(
        "mentee__person__last_name", "mentee__person__first_name", "pk"
    )
    return groups.select_related("mentor__person", "form__parent", "program__organisation").prefetch_related(
        Prefetch("memberships", queryset=memberships.filter(left_on__isnull=True), to_attr="current_members"),
        Prefetch("memberships", queryset=memberships, to_attr="all_members"),
    )


def get_group_for_user(user: AnyUser, pk: int) -> MentoringGroup:
    try:
        return with_members(visible_groups_for(user)).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Пара (группа) не найдена") from exc


def participant_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    """Groups the user takes part in as a mentor, a mentee or a mentee's legal representative
    (not the ones they oversee as staff): what «Мой кабинет» shows."""
    if not user.is_authenticated:
        return MentoringGroup.objects.none()
    return visible_groups_for(user).filter(_participant_condition(user))


def staff_groups_for(user: AnyUser) -> QuerySet[MentoringGroup]:
    """Groups of the organisations the user oversees as staff (the curator's board)."""
    return visible_groups_for(user).filter(program__organisation__in=overseen_organisations_for(user))


def require_manage_groups(
    user: AnyUser,
    program: Program,
    refusal: str = "Формировать пары и группы могут администрация и кураторы организации.",
) -> None:
    """Forming, changing and closing the pairs and groups of a program."""
    require_manage_program(user, program, refusal)


# --- the user's role in a group -----------------------------------------------------------------


@dataclass(frozen=True)
class GroupRole:
    manager: bool
    mentor: bool
    # Participation ids of the user's own memberships (as a mentee) and of their wards'.
    own_mentee_ids: frozenset[int]
    ward_mentee_ids: frozenset[int]
    # Staff of the group's organisation or above it (the municipality, the region).
    overseer: bool = False

    @property
    def works(self) -> bool:
        """Drafts the plan, records meetings and ticks tasks."""
        return self.manager or self.mentor

    @property
    def is_mentee(self) -> bool:
        return bool(self.own_mentee_ids)

    @property
    def sees_all_members(self) -> bool:
        """Staff and the mentor read every member's attendance and reflections; a mentee or a
        parent only their own (a re-formed pair's new mentee does not read the previous one's)."""
        return self.manager or self.mentor or not (self.own_mentee_ids or self.ward_mentee_ids)

    @property
    def reads_notes(self) -> bool:
        """Every member's reflections and questionnaire answers and the mentor's report: staff
        and the mentor. A partner's contact follows his employee's pair (its members, plan and
        meetings) without what the mentees wrote; a mentee or a parent reads only their own."""
        return self.manager or self.mentor or self.overseer

    @property
    def follows_only(self) -> bool:
        """Sees the pair without working in it, taking part or overseeing it: a partner's contact
        following his employee's pair."""
        return not (self.reads_notes or self.participant_ids)

    @property
    def participant_ids(self) -> frozenset[int]:
        """Mentee participations whose attendance and reflections a mentee or parent may read."""
        return self.own_mentee_ids | self.ward_mentee_ids


def group_role_for(user: AnyUser, group: MentoringGroup) -> GroupRole:
    """The user's role in a group they can see. Reads the group's `all_members` if prefetched."""
    if not user.is_authenticated:
        return GroupRole(False, False, frozenset(), frozenset())
    members: list[GroupMembership] = getattr(group, "all_members", None) or list(
        group.memberships.select_related("mentee__person")
    )
    own = frozenset(m.mentee_id for m in members if m.mentee.person.user_id == user.pk)
    wards: frozenset[int] = frozenset()
    if Role.PARENT in scopes_of(user).roles:
        children = set(
            wards_of(user)
            .filter(child_id__in=[m.mentee.person_id for m in members])
            .values_list("child_id", flat=True)
        )
        wards = frozenset(m.mentee_id for m in members if m.mentee.person_id in children)
    manager = can_manage_program(user, group.program)
    mentor = group.mentor.person.user_id == user.pk
    return GroupRole(
        manager=manager,
        mentor=mentor,
        own_mentee_ids=own,
        ward_mentee_ids=wards,
        overseer=manager or can_oversee_organisation(user, group.program.organisation),
    )


def require_work_on_group(
    user: AnyUser,
    group: MentoringGroup,
    refusal: str = "Работу пары (группы) ведут её наставник и куратор программы.",
) -> None:
    """The plan, the meetings and the tasks: the group's mentor and the program's curators."""
    require(group_role_for(user, group).works, refusal)


def require_curate_group(
    user: AnyUser,
    group: MentoringGroup,
    refusal: str = "Это решает администрация или куратор организации.",
) -> None:
    """Approving and closing what the mentor drafted: the program's curators only."""
    require(group_role_for(user, group).manager, refusal)


# --- meetings, tasks and program events ---------------------------------------------------------


def get_meeting_for_user(user: AnyUser, group: MentoringGroup, pk: int) -> Meeting:
    try:
        return group.meetings.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Встреча не найдена") from exc


def get_task_for_user(user: AnyUser, group: MentoringGroup, pk: int) -> PlanTask:
    try:
        return PlanTask.objects.select_related("plan__group__program__organisation").get(
            pk=pk, plan__group=group
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Задача не найдена") from exc


def get_program_event_for_user(user: AnyUser, pk: int) -> ProgramEvent:
    """A program event: staff of the organisation see it; a participant sees the events they
    (or their children) are invited to; a partner's contact, those his partner's employees are."""
    if not user.is_authenticated:
        raise Http404("Мероприятие не найдено")
    condition = Q(program__organisation__in=overseen_organisations_for(user)) | Q(
        invitations__person__user=user
    )
    if Role.PARENT in scopes_of(user).roles:
        condition |= Q(invitations__person__in=wards_of(user))
    partner_condition = Q(invitations__person__in=contact_employee_people(user))
    try:
        return (
            ProgramEvent.objects.filter(
                (Q(program__in=visible_programs_for(user)) & condition) | partner_condition
            )
            .distinct()
            .select_related("program__organisation")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Мероприятие не найдено") from exc


def require_manage_program_events(
    user: AnyUser,
    program: Program,
    refusal: str = "Мероприятия программы проводят администрация и кураторы организации.",
) -> None:
    require_manage_program(user, program, refusal)
