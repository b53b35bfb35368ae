"""Who a case shows and whether their names may be made public: the pair's mentor and mentees
need the separate consent to dissemination (152-ФЗ art. 10.1, registry `distribution_allowed`).
A case is named only when it was published named AND everyone still consents on the day it is
shown (a revoked consent turns it anonymised at the next render); otherwise every name is
replaced consistently by a role label."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from nastavnik.mentoring.models import GroupMembership
from nastavnik.registry.consents import distribution_allowed
from nastavnik.registry.models import Person

from .anonymise import Shown, anonymise_texts
from .models import Case

TEXT_FIELDS = ("title", "topic", "request", "work_done", "result")


def with_people(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with everyone they show and their consents: a fixed number of queries for a list."""
    memberships = GroupMembership.objects.select_related("mentee__person").prefetch_related(
        "mentee__person__consents"
    )
    return cases.select_related(
        "organisation", "form", "mentee_category", "group__mentor__person"
    ).prefetch_related(
        "group__mentor__person__consents", Prefetch("group__memberships", queryset=memberships)
    )


def shown_people(case: Case) -> list[tuple[Person, str]]:
    """The people a case is about, each with the label their name becomes when anonymised."""
    memberships = sorted(case.group.memberships.all(), key=lambda m: (m.joined_on, m.pk))
    mentees = [m.mentee.person for m in memberships]
    people = [(case.group.mentor.person, "наставник")]
    if len(mentees) == 1:
        people.append((mentees[0], "наставляемый"))
    else:
        people.extend((person, f"наставляемый {number}") for number, person in enumerate(mentees, 1))
    return people


def missing_consents(case: Case, day: dt.date) -> list[str]:
    """Short names of those shown who have not given the consent to dissemination."""
    return [
        person.short_name
        for person, _label in shown_people(case)
        if not distribution_allowed(person, day, person.consents.all())
    ]


@dataclass(frozen=True)
class CaseText:
    title: str
    topic: str
    request: str
    work_done: str
    result: str
    named: bool
    people: tuple[str, ...]  # full names, only when named


def case_text(case: Case, day: dt.date, *, named_wanted: bool | None = None) -> CaseText:
    """The case as it may be shown publicly on `day` (`named_wanted`: as published by default; the
    collection wants names wherever consent allows)."""
    texts = [getattr(case, name) for name in TEXT_FIELDS]
    people = shown_people(case)
    wanted = not case.anonymised if named_wanted is None else named_wanted
    named = wanted and not missing_consents(case, day)
    if named:
        return _text(texts, named=True, people=tuple(p.full_name for p, _ in people))
    shown = [Shown(label, p.last_name, p.first_name, p.middle_name) for p, label in people]
    return _text(anonymise_texts(texts, shown), named=False, people=())


def _text(texts: list[str], *, named: bool, people: tuple[str, ...]) -> CaseText:
    title, topic, request, work_done, result = texts
    return CaseText(title, topic, request, work_done, result, named=named, people=people)
