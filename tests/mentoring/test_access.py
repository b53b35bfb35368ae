"""The checks on a pair's work refuse a curator of another school and let the pair's own
curator and mentor through; a parent reads the pairs of their children only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from nastavnik.mentoring.access import (
    get_group_for_user,
    group_role_for,
    participant_groups_for,
    require_curate_group,
    require_work_on_group,
    visible_groups_for,
)


def test_a_curator_of_another_school_may_neither_work_on_nor_curate_a_pair(pair, school_y_curator):
    with pytest.raises(PermissionDenied, match="наставник"):
        require_work_on_group(school_y_curator, pair)
    with pytest.raises(PermissionDenied, match="куратор"):
        require_curate_group(school_y_curator, pair)


def test_the_mentor_works_on_the_pair_but_only_the_curator_curates_it(pair, mentor_user, school_x_curator):
    require_work_on_group(mentor_user, pair)
    require_work_on_group(school_x_curator, pair)
    require_curate_group(school_x_curator, pair)
    with pytest.raises(PermissionDenied):
        require_curate_group(mentor_user, pair)


def test_a_parent_sees_the_pair_of_their_child_and_no_other(pair, other_pair, parent_user):
    assert set(visible_groups_for(parent_user)) == {pair}
    assert set(participant_groups_for(parent_user)) == {pair}


def test_who_reads_what_the_members_of_a_pair_wrote(  # type: ignore[no-untyped-def]
    pair, school_x_curator, municipal_curator_a, regional_user, mentor_user, mentee_user, parent_user
):
    """Reflections, answers and the report: the curator, the staff above the school and the
    mentor read every member's; a mentee and a parent their own (a partner's contact none:
    tests/partners)."""

    def role(user):  # type: ignore[no-untyped-def]
        return group_role_for(user, get_group_for_user(user, pair.pk))

    for reader in (school_x_curator, municipal_curator_a, regional_user, mentor_user):
        assert role(reader).reads_notes and not role(reader).follows_only
    for participant in (mentee_user, parent_user):
        own = role(participant)
        assert not own.reads_notes and not own.follows_only and own.participant_ids
