"""The health of a working pair or group on the curator's board, by an explicit rule.

«Нужно внимание» if any of these holds on the day:
  1. a current mentee has not been at a meeting for N weeks: the later of the day they joined
     this pair and the last held meeting they attended is N×7 days ago or earlier (meetings of
     a previous composition do not count for a mentee who joined later);
  2. the pair has worked N weeks or more (since its longest-standing current mentee joined)
     and has no approved plan;
  3. fewer than half of the plan tasks due by the day are done (`PlanProgress.due_percent`);
  4. the latest satisfaction questionnaire a mentee answered about the pair (in «Мой кабинет»,
     or entered by the curator from paper) averages below 6 of 10 over its 1–10 items, or says
     they do not want to continue.
Otherwise «рано судить» while the pair has worked less than N weeks, else «в норме».
N is `settings.MENTORING_NO_MEETING_WEEKS` (3 by default) or the board's own setting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models

DUE_PERCENT_MIN = 50
FEEDBACK_AVERAGE_MIN = 6.0


def default_weeks() -> int:
    return int(getattr(settings, "MENTORING_NO_MEETING_WEEKS", 3))


class Health(models.TextChoices):
    OK = "ok", "в норме"
    ATTENTION = "attention", "нужно внимание"
    TOO_EARLY = "too_early", "рано судить"


@dataclass(frozen=True)
class StaleMentee:
    name: str
    since: dt.date  # the later of joining and the last meeting attended


@dataclass(frozen=True)
class HealthSignals:
    today: dt.date
    weeks: int
    working_since: dt.date | None  # the earliest joined_on of the current mentees
    stale: tuple[StaleMentee, ...] = ()
    has_approved_plan: bool = False
    due_percent: int | None = None
    feedback_average: float | None = None
    wants_to_continue: bool | None = None


@dataclass(frozen=True)
class HealthVerdict:
    status: Health
    reasons: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        return {Health.OK: "ok", Health.ATTENTION: "bad", Health.TOO_EARLY: "warn"}[self.status]


def is_stale(since: dt.date, today: dt.date, weeks: int) -> bool:
    return since <= today - dt.timedelta(weeks=weeks)


def pair_health(s: HealthSignals) -> HealthVerdict:
    reasons: list[str] = []
    worked_weeks = s.working_since is not None and s.working_since <= s.today - dt.timedelta(weeks=s.weeks)
    for mentee in s.stale:
        reasons.append(f"{mentee.name}: нет встреч с {mentee.since:%d.%m.%Y}")
    if worked_weeks and not s.has_approved_plan:
        reasons.append("план не утверждён")
    if s.due_percent is not None and s.due_percent < DUE_PERCENT_MIN:
        reasons.append(f"выполнено {s.due_percent}% задач, срок которых наступил")
    if s.feedback_average is not None and s.feedback_average < FEEDBACK_AVERAGE_MIN:
        reasons.append(f"низкая оценка наставляемого: {s.feedback_average:g} из 10")
    if s.wants_to_continue is False:
        reasons.append("наставляемый не хочет продолжать")
    if reasons:
        return HealthVerdict(Health.ATTENTION, reasons)
    if not worked_weeks:
        return HealthVerdict(Health.TOO_EARLY, [f"пара работает меньше {s.weeks} нед."])
    return HealthVerdict(Health.OK)
