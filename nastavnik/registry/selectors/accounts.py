"""Reads for creating accounts: the people of a selection (a class, the parents of a class, the
staff, a program) and the preview of who gets which login."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet, TextChoices

from nastavnik.accounts.logins import login_base, taken_logins, unique_logins
from nastavnik.accounts.models import Role, User
from nastavnik.orgs.models import Organisation

from ..access import visible_people_for
from ..models import (
    GuardianLink,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Person,
    PersonKind,
    parse_school_class,
)
from .people import active_on


class AccountGroup(TextChoices):
    CLASS = "class", "Класс"
    PARENTS = "parents", "Родители (законные представители) класса"
    STAFF = "staff", "Педагоги и сотрудники"
    PROGRAM = "program", "Участники программы"


@dataclass(frozen=True)
class AccountSelection:
    group: str = AccountGroup.CLASS
    school_class: str = ""  # «7Б»
    program: int | None = None

    @classmethod
    def from_query(cls, data: Any) -> AccountSelection:
        group = data.get("group") or AccountGroup.CLASS
        program = (data.get("program") or "").strip()
        return cls(
            group=group if group in AccountGroup.values else AccountGroup.CLASS,
            school_class=(data.get("school_class") or "").strip()[:5],
            program=int(program) if program.isdigit() else None,
        )

    @property
    def is_complete(self) -> bool:
        if self.group in {AccountGroup.CLASS, AccountGroup.PARENTS}:
            return parse_school_class(self.school_class) is not None
        if self.group == AccountGroup.PROGRAM:
            return self.program is not None
        return True

    @property
    def label(self) -> str:
        if self.group == AccountGroup.CLASS:
            return f"{self.school_class.upper()} класс"
        if self.group == AccountGroup.PARENTS:
            return f"родители {self.school_class.upper()}"
        return str(AccountGroup(self.group).label).lower()


def _current_participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=Participation.objects.exclude(status=ParticipationStatus.WITHDRAWN),
        to_attr="current_participations",
    )


def people_of_selection(
    user: User, organisation: Organisation, selection: AccountSelection, on_date: dt.date
) -> QuerySet[Person]:
    """The people present in the organisation on `on_date` whom the selection names, with
    their account and current participations."""
    people = visible_people_for(user).filter(active_on(on_date), organisation=organisation)
    parsed = parse_school_class(selection.school_class)
    if selection.group in {AccountGroup.CLASS, AccountGroup.PARENTS}:
        if parsed is None:
            return people.none()
        grade, letter = parsed
        pupils = people.filter(kind=PersonKind.STUDENT, grade=grade, class_letter=letter)
        if selection.group == AccountGroup.PARENTS:
            guardians = GuardianLink.objects.filter(child__in=pupils).values("guardian_id")
            people = people.filter(kind=PersonKind.PARENT, pk__in=guardians)
        else:
            people = pupils
    elif selection.group == AccountGroup.STAFF:
        people = people.filter(kind__in=[PersonKind.TEACHER, PersonKind.STAFF])
    else:
        people = people.filter(
            pk__in=Participation.objects.filter(program_id=selection.program or 0)
            .exclude(status=ParticipationStatus.WITHDRAWN)
            .values("person_id")
        )
    return (
        people.select_related("user", "organisation")
        .prefetch_related(_current_participations())
        .order_by("last_name", "first_name", "middle_name", "pk")
    )


def participant_roles(person: Person) -> tuple[Role, ...]:
    """The roles an account gets from what the person is: a parent, a mentor, a mentee.
    Needs `current_participations` (see `people_of_selection`) or reads them."""
    participations = getattr(person, "current_participations", None)
    if participations is None:
        participations = list(person.participations.exclude(status=ParticipationStatus.WITHDRAWN))
    roles: list[Role] = []
    if person.kind == PersonKind.PARENT:
        roles.append(Role.PARENT)
    taken = {p.role for p in participations}
    if ParticipationRole.MENTOR in taken:
        roles.append(Role.MENTOR)
    if ParticipationRole.MENTEE in taken:
        roles.append(Role.MENTEE)
    return tuple(roles)


@dataclass
class AccountRow:
    person: Person
    login: str
    has_account: bool
    by_email: bool
    roles: tuple[Role, ...] = field(default_factory=tuple)

    @property
    def role_labels(self) -> str:
        return ", ".join(str(role.label).lower() for role in self.roles)


def proposed_logins(people: list[Person]) -> list[str]:
    """Free readable logins for these people, in order (one lookup of taken ones)."""
    bases = [login_base(p.last_name, p.first_name, p.middle_name) for p in people]
    return unique_logins(bases, taken_logins(bases))


def account_rows(people: list[Person], *, slips_for_all: bool = False) -> list[AccountRow]:
    """The preview: each person with their login (the one they have, or the one they will get)
    and how it reaches them (an e-mail invitation or a printed slip)."""
    new = [p for p in people if p.user_id is None]
    logins = dict(zip((p.pk for p in new), proposed_logins(new), strict=True))
    rows = []
    for person in people:
        account = person.user if person.user_id else None
        rows.append(
            AccountRow(
                person=person,
                login=account.username if account else logins[person.pk],
                has_account=account is not None,
                by_email=bool(person.email) and not slips_for_all,
                roles=participant_roles(person),
            )
        )
    return rows
