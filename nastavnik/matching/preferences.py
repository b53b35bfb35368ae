"""Stated preferences: what mentees and mentors ranked in the preference questionnaire after a
networking meeting (a program event of kind «networking» with its attendance, mentoring/services/events.py;
its questionnaires are the surveys app's campaigns tied to it, mentoring/services/preferences.py). A
matching run reads them as the «choice» factors and ranks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nastavnik.mentoring.models import ProgramEventKind
from nastavnik.mentoring.services import preferences as meeting_preferences
from nastavnik.orgs.models import Program
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus
from nastavnik.surveys.selectors import preference_rankings


@dataclass(frozen=True)
class StatedPreferences:
    """Ranks from the preference questionnaire after the networking meeting, both directions.

    Keys are always ``(mentee_person_id, mentor_person_id)``; rank 1 is the first choice.
    ``by_mentee`` is how the mentee ranked the mentor, ``by_mentor`` how the mentor ranked the
    mentee. A person who ranked nobody has no entries and their choice factor is unknown.
    """

    by_mentee: Mapping[tuple[int, int], int] = field(default_factory=dict)
    by_mentor: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.by_mentee or self.by_mentor)

    def as_rows(self) -> list[list[Any]]:
        return [[i, j, r, "mentee"] for (i, j), r in sorted(self.by_mentee.items())] + [
            [i, j, r, "mentor"] for (i, j), r in sorted(self.by_mentor.items())
        ]

    @classmethod
    def from_rows(cls, rows: Iterable[list[Any]]) -> StatedPreferences:
        by_mentee: dict[tuple[int, int], int] = {}
        by_mentor: dict[tuple[int, int], int] = {}
        for mentee_id, mentor_id, rank, side in rows:
            (by_mentee if side == "mentee" else by_mentor)[(int(mentee_id), int(mentor_id))] = int(rank)
        return cls(by_mentee=by_mentee, by_mentor=by_mentor)


def load_preferences(program: Program) -> StatedPreferences:
    """Ranks both ways, keyed (mentee person id, mentor person id), from the preference
    questionnaires of the program's networking meetings. A later meeting's ranking replaces an
    earlier one for the same respondent and person."""
    by_mentee: dict[tuple[int, int], int] = {}
    by_mentor: dict[tuple[int, int], int] = {}
    meetings = list(
        program.program_events.filter(kind=ProgramEventKind.NETWORKING).order_by("starts_at", "pk")
    )
    if not meetings:  # the usual run: the roles of thousands of people are not read for nothing
        return StatedPreferences(by_mentee=by_mentee, by_mentor=by_mentor)
    roles = dict(
        Participation.objects.filter(program=program)
        .exclude(status=ParticipationStatus.WITHDRAWN)
        .values_list("person_id", "role")
    )
    for meeting in meetings:
        for respondent, ranked in preference_rankings(meeting_preferences.campaigns_of(meeting)).items():
            role = roles.get(respondent)
            for rank, other in enumerate(ranked, start=1):
                if role == ParticipationRole.MENTEE and roles.get(other) == ParticipationRole.MENTOR:
                    by_mentee[(respondent, other)] = rank
                elif role == ParticipationRole.MENTOR and roles.get(other) == ParticipationRole.MENTEE:
                    by_mentor[(other, respondent)] = rank
    return StatedPreferences(by_mentee=by_mentee, by_mentor=by_mentor)
