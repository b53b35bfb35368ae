"""The work side of «Требует внимания» on the home page: what in the roadmaps and in the pairs
of each organisation a curator or director manages is late or waits for them.

Counts come from the same selectors as the roadmap summary and the curator's board, so the
numbers match the rows of the pages they link to (the summary also lists ended roadmaps, which
the home page leaves out); both run a fixed number of queries whatever the number of events
and pairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nastavnik.mentoring.board import curator_board
from nastavnik.mentoring.health import Health, default_weeks
from nastavnik.roadmaps.access import visible_roadmaps_for
from nastavnik.roadmaps.selectors import summary_for


@dataclass
class WorkAttention:
    roadmap_overdue: int = 0
    roadmap_upcoming: int = 0
    pairs_needing_attention: int = 0
    plans_waiting_approval: int = 0
    plan_tasks_overdue: int = 0

    @property
    def count(self) -> int:
        return (
            self.roadmap_overdue
            + self.roadmap_upcoming
            + self.pairs_needing_attention
            + self.plans_waiting_approval
            + self.plan_tasks_overdue
        )


def work_attention_for(
    user: Any, organisation_ids: Iterable[int], today: dt.date
) -> dict[int, WorkAttention]:
    ids = list(organisation_ids)
    result = {org_id: WorkAttention() for org_id in ids}
    if not ids:
        return result
    # The roadmaps in force today: an ended roadmap's undone events belong to its final report,
    # not to today's work.
    roadmaps = visible_roadmaps_for(user).filter(
        organisation_id__in=ids, period_start__lte=today, period_end__gte=today
    )
    _, rows = summary_for(roadmaps, today)
    for row in rows:
        attention = result[row.roadmap.organisation_id or 0]  # organisation roadmaps only here
        attention.roadmap_overdue += len(row.control.overdue)
        attention.roadmap_upcoming += len(row.control.upcoming)
    board = curator_board(user, weeks=default_weeks(), today=today)
    for board_row in board.rows:
        org_id = board_row.group.program.organisation_id
        if org_id not in result:  # a pair of an organisation the user only oversees
            continue
        attention = result[org_id]
        attention.pairs_needing_attention += board_row.health.status == Health.ATTENTION
        attention.plans_waiting_approval += board_row.pending_plan is not None
        attention.plan_tasks_overdue += len(board_row.overdue_tasks)
    return result
