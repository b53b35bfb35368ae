"""Who may do what in a pair or group the user can already see (visibility itself is the
access layer's `visible_groups_for` / `get_group_for_user`): the curator manages, the mentor
drafts the plan and records meetings, a mentee writes their own reflection and feedback, a
parent of a minor mentee reads."""

from __future__ import annotations

from dataclasses import dataclass

from nastavnik.accounts.access import AnyUser, can_manage_program, scopes_of
from nastavnik.accounts.models import Role
from nastavnik.registry.models import GuardianLink

from .models import GroupMembership, MentoringGroup


@dataclass(frozen=True)
class GroupRole:
    manager: bool
    mentor: bool
    # Participation ids of the user's own memberships (as a mentee) and of their wards'.
    own_mentee_ids: frozenset[int]
    ward_mentee_ids: frozenset[int]

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
            GuardianLink.objects.filter(
                guardian__user=user, child_id__in=[m.mentee.person_id for m in members]
            ).values_list("child_id", flat=True)
        )
        wards = frozenset(m.mentee_id for m in members if m.mentee.person_id in children)
    return GroupRole(
        manager=can_manage_program(user, group.program),
        mentor=group.mentor.person.user_id == user.pk,
        own_mentee_ids=own,
        ward_mentee_ids=wards,
    )
