"""Reads of training for pages, indicators and other apps (recognition, mentors)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from .models import Enrolment


def trained_people(person_ids: Iterable[int], until_day: dt.date) -> dict[int, list[Enrolment]]:
    """Completed courses of each person by `until_day` (inclusive), newest first, with the course
    and the certificate (`enrolment.certificate`, when one was issued) loaded: one query. People
    with no completed course are absent from the result."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    result: dict[int, list[Enrolment]] = defaultdict(list)
    enrolments = (
        Enrolment.objects.filter(person_id__in=ids, completed_on__isnull=False, completed_on__lte=until_day)
        .select_related("course", "certificate")
        .order_by("person_id", "-completed_on", "-pk")
    )
    for enrolment in enrolments:
        result[enrolment.person_id].append(enrolment)
    return dict(result)
