"""The questionnaires' side of matching: stated preferences after networking meetings (program
events of kind «networking» with their attendance, see mentoring/events.py).

Registered with `nastavnik.matching.compatibility.register_preference_source` when the app is
ready, so a matching run reads what mentees and mentors ranked after the general meeting.
"""

from __future__ import annotations

from nastavnik.matching.compatibility import StatedPreferences
from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus

from .models import NETWORKING_EVENT_KIND
from .selectors import preference_rankings


def program_preferences(program: Program) -> StatedPreferences:
    """Ranks both ways, keyed (mentee person id, mentor person id). A later meeting's ranking
    replaces an earlier one for the same respondent and person."""
    roles = dict(
        Participation.objects.filter(program=program)
        .exclude(status=ParticipationStatus.WITHDRAWN)
        .values_list("person_id", "role")
    )
    by_mentee: dict[tuple[int, int], int] = {}
    by_mentor: dict[tuple[int, int], int] = {}
    meetings = program.program_events.filter(kind=NETWORKING_EVENT_KIND).order_by("starts_at", "pk")
    for meeting in meetings:
        for respondent, ranked in preference_rankings(meeting).items():
            role = roles.get(respondent)
            for rank, other in enumerate(ranked, start=1):
                if role == ParticipationRole.MENTEE and roles.get(other) == ParticipationRole.MENTOR:
                    by_mentee[(respondent, other)] = rank
                elif role == ParticipationRole.MENTOR and roles.get(other) == ParticipationRole.MENTEE:
                    by_mentor[(other, respondent)] = rank
    return StatedPreferences(by_mentee=by_mentee, by_mentor=by_mentor)
