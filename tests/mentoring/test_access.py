"""The checks on a pair's work refuse a curator of another school and let the pair's own
curator and mentor through; a parent reads the pairs of their children only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from nastavnik.mentoring.access import (
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
