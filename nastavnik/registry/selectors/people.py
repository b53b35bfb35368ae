"""Reads of the registry. Every queryset starts from the access layer's `visible_people_for`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from nastavnik.accounts.models import User
from nastavnik.orgs.models import Program, academic_year_of

from ..access import visible_people_for
from ..consents import consent_valid_condition, with_consent_state
from ..models import (
    GuardianLink,
    Participation,
    ParticipationStatus,
    Person,
    PersonKind,
    normalise_for_search,
)

# --- «Требует внимания»: one definition for the counts on the home page and the lists behind them ---

PARTICIPANTS_WITHOUT_CONSENT = "participant_without_consent"
CONSENTS_EXPIRING = "consent_expiring"
MINORS_WITHOUT_GUARDIAN = "minor_without_guardian"
TEENS_WITHOUT_OWN_CONSENT = "teen_without_own_consent"
PROBLEMS = {
    PARTICIPANTS_WITHOUT_CONSENT: "участники программ без действующего согласия",
    CONSENTS_EXPIRING: "согласие истекает в ближайшие 30 дней",
    MINORS_WITHOUT_GUARDIAN: "несовершеннолетние без законного представителя",
    TEENS_WITHOUT_OWN_CONSENT: "14–17 лет без собственного согласия",
}
EXPIRY_WARNING_DAYS = 30


def current_participations(academic_year: int) -> QuerySet[Participation]:
    """Participations of the academic year that are still going on (not withdrawn or finished)."""
    return Participation.objects.filter(program__academic_year=academic_year).exclude(
        status__in=[ParticipationStatus.WITHDRAWN, ParticipationStatus.COMPLETED]
    )


def problem_condition(problem: str, on_date: dt.date) -> Q:
    """The condition of a line of «Требует внимания» over people annotated by
    `with_consent_state` (and present on `on_date`): the list behind the line filters by it,
    the home page counts by it, so the count and the list cannot disagree."""
    from django.db.models import Exists, OuterRef

    from ..consents import ADULT_AGE, years_before
    from ..models import LEARNER_KINDS, Consent

    if problem == PARTICIPANTS_WITHOUT_CONSENT:
        # Consent may be revoked or expire after a person was put into a program.
        current = current_participations(academic_year_of(on_date))
        return Q(pk__in=current.values("person_id"), consent_valid=False)
    if problem == CONSENTS_EXPIRING:
        expiring = Consent.objects.filter(
            revoked_on__isnull=True,
            valid_until__gte=on_date,
            valid_until__lte=on_date + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        )
        return Q(pk__in=expiring.values("subject_id"))
    minor = Q(kind__in=LEARNER_KINDS) & (
        Q(birth_date__gt=years_before(on_date, ADULT_AGE)) | Q(birth_date__isnull=True)
    )
    if problem == MINORS_WITHOUT_GUARDIAN:
        return minor & Q(~Exists(GuardianLink.objects.filter(child=OuterRef("pk"))))
    if problem == TEENS_WITHOUT_OWN_CONSENT:
        return minor & Q(needs_own_consent=True, has_own_consent=False)
    raise ValueError(f"unknown problem {problem!r}")


def people_with_problem(problem: str, people: QuerySet[Person], on_date: dt.date) -> QuerySet[Person]:
    """The people of `people` (present on `on_date`) that a line of «Требует внимания» counts."""
    condition = problem_condition(problem, on_date)  # raises on an unknown problem first
    return with_consent_state(people.filter(active_on(on_date)), on_date).filter(condition)


@dataclass(frozen=True)
class RegistryFilters:
    q: str = ""
    organisation: int | None = None
    kind: str = ""
    grade: int | None = None
    category: int | None = None
    consent: str = ""  # "valid" / "missing"
    participation: str = ""  # "mentor" / "mentee" / "none"
    problem: str = ""  # one of PROBLEMS: the people behind a line of «Требует внимания»
    include_left: bool = False

    @classmethod
    def from_query(cls, data: Any) -> RegistryFilters:
        def as_int(name: str) -> int | None:
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        kind = data.get("kind") or ""
        return cls(
            q=(data.get("q") or "").strip()[:100],
            organisation=as_int("organisation"),
            kind=kind if kind in PersonKind.values else "",
            grade=as_int("grade"),
            category=as_int("category"),
            consent=data.get("consent") if data.get("consent") in {"valid", "missing"} else "",
            participation=data.get("participation")
            if data.get("participation") in {"mentor", "mentee", "none"}
            else "",
            problem=data.get("problem") if data.get("problem") in PROBLEMS else "",
            include_left=data.get("include_left") in {"1", "on", "true"},
        )


def active_on(day: dt.date) -> Q:
    """People who have not left the organisation by `day`."""
    return Q(left_on__isnull=True) | Q(left_on__gt=day)


def registry_people(user: User, filters: RegistryFilters, on_date: dt.date) -> QuerySet[Person]:
    people = with_consent_state(visible_people_for(user), on_date).select_related("organisation")
    if not filters.include_left:
        people = people.filter(active_on(on_date))
    if filters.organisation:
        people = people.filter(organisation_id=filters.organisation)
    if filters.kind:
        people = people.filter(kind=filters.kind)
    if filters.grade:
        people = people.filter(grade=filters.grade)
    if filters.category:
        people = people.filter(categories__pk=filters.category)
    if filters.consent == "valid":
        people = people.filter(Q(consent_valid=True))
    elif filters.consent == "missing":
        people = people.filter(Q(consent_valid=False))
    if filters.participation in {"mentor", "mentee"}:
        people = people.filter(
            pk__in=Participation.objects.filter(role=filters.participation)
            .exclude(status=ParticipationStatus.WITHDRAWN)
            .values("person_id")
        )
    elif filters.participation == "none":
        people = people.exclude(pk__in=Participation.objects.values("person_id"))
    if filters.problem:
        people = people.filter(pk__in=people_with_problem(filters.problem, Person.objects.all(), on_date))
    for word in normalise_for_search(filters.q).split()[:3]:
        people = people.filter(search_text__contains=word)
    return people.prefetch_related(
        "categories",
        Prefetch(
            "participations",
            queryset=Participation.objects.exclude(status=ParticipationStatus.WITHDRAWN).select_related(
                "program"
            ),
        ),
    ).order_by("last_name", "first_name", "middle_name", "pk")


@dataclass(frozen=True)
class Coverage:
    total: int
    with_consent: int

    @property
    def without_consent(self) -> int:
        return self.total - self.with_consent

    @property
    def percent(self) -> int:
        return round(100 * self.with_consent / self.total) if self.total else 0


@dataclass
class OrganisationOverview:
    """What a curator's home page and a municipal table show for one organisation."""

    people_by_kind: dict[str, int]
    coverage: Coverage
    mentor_candidates: int = 0
    mentee_candidates: int = 0
    participants_without_consent: int = 0
    consents_expiring: int = 0
    minors_without_guardian: int = 0
    teens_without_own_consent: int = 0

    @property
    def people_total(self) -> int:
        return sum(self.people_by_kind.values())

    @property
    def students(self) -> int:
        return self.people_by_kind.get(PersonKind.STUDENT, 0) + self.people_by_kind.get(
            PersonKind.COLLEGE_STUDENT, 0
        )

    @property
    def teachers(self) -> int:
        return self.people_by_kind.get(PersonKind.TEACHER, 0)

    @property
    def attention_count(self) -> int:
        return (
            self.participants_without_consent
            + self.consents_expiring
            + self.minors_without_guardian
            + self.teens_without_own_consent
        )


def organisation_overviews(
    organisation_ids: list[int], on_date: dt.date, academic_year: int
) -> dict[int, OrganisationOverview]:
    """Counts for many organisations at once, in a fixed number of grouped queries."""
    people = Person.objects.filter(organisation_id__in=organisation_ids).filter(active_on(on_date))
    overviews = {
        org_id: OrganisationOverview(people_by_kind={}, coverage=Coverage(0, 0))
        for org_id in organisation_ids
    }
    for row in people.order_by().values("organisation_id", "kind").annotate(n=Count("pk")):
        overviews[row["organisation_id"]].people_by_kind[row["kind"]] = row["n"]
    current = current_participations(academic_year).filter(program__organisation_id__in=organisation_ids)
    for row in (
        current.order_by()
        .values("program__organisation_id", "role")
        .annotate(n=Count("person_id", distinct=True))
    ):
        overview = overviews[row["program__organisation_id"]]
        if row["role"] == "mentor":
            overview.mentor_candidates = row["n"]
        else:
            overview.mentee_candidates = row["n"]

    # Consent coverage and the four lines of «Требует внимания» in one grouped query: each
    # query over `with_consent_state` costs more to build than to run, and the home page
    # would otherwise build five of them.
    counted = {
        PARTICIPANTS_WITHOUT_CONSENT: "participants_without_consent",
        CONSENTS_EXPIRING: "consents_expiring",
        MINORS_WITHOUT_GUARDIAN: "minors_without_guardian",
        TEENS_WITHOUT_OWN_CONSENT: "teens_without_own_consent",
    }
    not_parent = ~Q(kind=PersonKind.PARENT)  # coverage counts those who can be mentors and mentees
    rows = (
        with_consent_state(people, on_date)
        .order_by()
        .values("organisation_id")
        .annotate(
            coverage_total=Count("pk", filter=not_parent),
            coverage_with_consent=Count("pk", filter=not_parent & consent_valid_condition(on_date)),
            **{
                attribute: Count("pk", filter=problem_condition(problem, on_date))
                for problem, attribute in counted.items()
            },
        )
    )
    for row in rows:
        overview = overviews[row["organisation_id"]]
        overview.coverage = Coverage(total=row["coverage_total"], with_consent=row["coverage_with_consent"])
        for attribute in counted.values():
            setattr(overview, attribute, row[attribute])
    return overviews


# --- a person's card and a program's people (the person or program came through the access layer) ---


def guardian_links_of(person: Person) -> QuerySet[GuardianLink]:
    """The person's legal representatives."""
    return GuardianLink.objects.filter(child=person).select_related("guardian")


def ward_links_of(person: Person) -> QuerySet[GuardianLink]:
    """The children the person represents."""
    return GuardianLink.objects.filter(guardian=person).select_related("child")


def participations_of(person: Person) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(person=person)
        .select_related("program", "preferred_form")
        .prefetch_related("tags")
    )


def program_participations(program: Program) -> QuerySet[Participation]:
    """Everyone in a program, with their person, tags and consents: the program's participant list."""
    return (
        Participation.objects.filter(program=program)
        .select_related("person", "preferred_form")
        .prefetch_related("tags", "person__consents")
        .order_by("role", "person__last_name", "person__first_name")
    )


def program_people_in_role(program: Program, role: str) -> QuerySet[Participation, Any]:
    """The person ids of a program's participants in a role who have not withdrawn (a subquery)."""
    return (
        Participation.objects.filter(program=program, role=role)
        .exclude(status=ParticipationStatus.WITHDRAWN)
        .values("person_id")
    )


def staff_of(organisation_id: int, on_date: dt.date) -> QuerySet[Person]:
    """Teachers and staff of an organisation on a date, by name."""
    return Person.objects.filter(
        Q(kind__in=[PersonKind.TEACHER, PersonKind.STAFF]),
        active_on(on_date),
        organisation_id=organisation_id,
    ).order_by("last_name", "first_name")


def program_person_ids(program: Program) -> QuerySet[Participation, Any]:
    """The ids of the program's participants, as a subquery."""
    return Participation.objects.filter(program=program).values("person_id")


def consent_grid_people(people: QuerySet[Person], today: dt.date) -> list[Person]:
    """People of a consent grid, active on the day, with their consents and guardians, in three
    queries."""
    guardians = GuardianLink.objects.select_related("guardian").order_by("pk")
    return list(
        people.filter(active_on(today))
        .select_related("organisation")
        .prefetch_related("consents", Prefetch("guardian_links", queryset=guardians))
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
