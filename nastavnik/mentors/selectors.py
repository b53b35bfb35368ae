"""Reads of the mentor's path for pages: the candidates list, a candidate's interviews, the
municipal base with each mentor's forms, competencies and free places, a person's panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from nastavnik.accounts.access import AnyUser
from nastavnik.accounts.models import User
from nastavnik.mentoring.models import GroupMembership
from nastavnik.orgs.access import managed_organisations_for, visible_programs_for
from nastavnik.orgs.models import MentoringForm, Program
from nastavnik.registry.access import visible_people_for
from nastavnik.registry.models import Participation, ParticipationRole, Person, PersonKind, TagVocabulary
from nastavnik.training.models import Enrolment
from nastavnik.training.selectors import trained_people

from .access import can_read_interview_notes, visible_base_entries_for, visible_candidacies_for
from .models import AdmissionRule, BaseEntry, BaseEntryStatus, Candidacy, Interview, NetworkMentoring
from .services import mentor_loads


def candidacy_list(user: AnyUser, status: str = "") -> QuerySet[Candidacy]:
    """Candidates the user may see with their person, school, program and interviews (the notes
    are loaded but shown only where `can_read_interview_notes` allows): three queries."""
    candidacies = visible_candidacies_for(user)
    if status:
        candidacies = candidacies.filter(status=status)
    return (
        candidacies.select_related("participation__person", "participation__program__organisation")
        .prefetch_related(Prefetch("interviews", queryset=Interview.objects.order_by("held_on", "pk")))
        .order_by("participation__program__organisation__short_name", "-submitted_on", "-pk")
    )


def candidacy_interviews(user: AnyUser, candidacy: Candidacy) -> tuple[list[Interview], bool]:
    """The candidate's interviews and whether the user reads their notes."""
    interviews = list(
        candidacy.interviews.select_related("interviewer", "psychologist").order_by("held_on", "pk")
    )
    return interviews, can_read_interview_notes(user, candidacy)


@dataclass
class BaseRow:
    entry: BaseEntry
    load: int
    free: int
    competencies: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)  # other schools where the mentor works now


def base_rows(user: AnyUser, *, statuses: tuple[str, ...] = (BaseEntryStatus.APPROVED,)) -> list[BaseRow]:
    """The base as the user sees it, each mentor with free places (capacity minus mentees over all
    schools), competencies, forms and the schools that took them: a constant number of queries."""
    entries = list(
        visible_base_entries_for(user)
        .filter(status__in=statuses)
        .select_related(
            "person__organisation", "municipality", "participation__preferred_form", "participation__person"
        )
        .prefetch_related(
            Prefetch("participation__tags"),
            Prefetch("participation__program__forms"),
            Prefetch(
                "network_participations",
                queryset=NetworkMentoring.objects.select_related("participation__program__organisation"),
            ),
        )
        .order_by("municipality__name", "person__last_name", "person__first_name", "pk")
    )
    loads = mentor_loads(e.person_id for e in entries)
    rows = []
    for entry in entries:
        load = loads.get(entry.person_id, 0)
        participation = entry.participation
        rows.append(
            BaseRow(
                entry=entry,
                load=load,
                free=max(entry.capacity - load, 0),
                competencies=[
                    t.name
                    for t in participation.tags.all()
                    if t.vocabulary in (TagVocabulary.COMPETENCY, TagVocabulary.SUBJECT)
                ],
                forms=_forms_of(participation),
                hosts=sorted(
                    {
                        n.participation.program.organisation.short_name
                        for n in entry.network_participations.all()
                    }
                ),
            )
        )
    return rows


def _forms_of(participation: Participation) -> list[str]:
    """The form the mentor chose, else the program's forms in which a person of their kind mentors."""
    if participation.preferred_form is not None:
        return [str(participation.preferred_form)]
    kind = participation.person.kind
    return [f.name for f in participation.program.forms.all() if f.mentor_kind == kind]


def admitted_mentors_to_propose(user: AnyUser, organisation_ids: list[int]) -> QuerySet[Participation]:
    """Admitted mentors of the user's schools not yet in the base (or returned from it)."""
    in_base = BaseEntry.objects.exclude(
        status__in=[BaseEntryStatus.RETURNED, BaseEntryStatus.WITHDRAWN]
    ).values("person_id")
    return (
        Participation.objects.filter(
            program__organisation_id__in=organisation_ids,
            role=ParticipationRole.MENTOR,
            status__in=["admitted", "in_pair", "completed"],
            network_origin__isnull=True,
        )
        .exclude(person_id__in=in_base)
        .select_related("person", "program")
        .order_by("person__last_name", "person__first_name", "-program__academic_year")
    )


@dataclass
class PersonPath:
    candidacies: list[Candidacy]
    notes_visible: bool
    entries: list[BaseEntry]
    network: list[NetworkMentoring]
    completed: list[Enrolment]
    ongoing: list[Enrolment]


def person_path(user: AnyUser, person: Person, day: dt.date) -> PersonPath:
    """A mentor's admission and training, for the panel on their card."""
    candidacies = list(
        visible_candidacies_for(user)
        .filter(participation__person=person)
        .select_related("participation__program")
        .prefetch_related(Prefetch("interviews", queryset=Interview.objects.order_by("held_on", "pk")))
    )
    notes = all(can_read_interview_notes(user, c) for c in candidacies) if candidacies else False
    return PersonPath(
        candidacies=candidacies,
        notes_visible=notes,
        entries=list(visible_base_entries_for(user).filter(person=person).select_related("municipality")),
        network=list(
            NetworkMentoring.objects.filter(entry__person=person).select_related(
                "participation__program__organisation"
            )
        ),
        completed=trained_people([person.pk], day).get(person.pk, []),
        ongoing=list(
            Enrolment.objects.filter(person=person, completed_on__isnull=True).select_related("course")
        ),
    )


def any_path(person: Person) -> bool:
    """Whether the person has anything for the panel (a mentor participation or a course): one
    query whatever the answer, so the card's query count does not depend on it."""
    return (
        Person.objects.filter(pk=person.pk)
        .filter(Q(participations__role=ParticipationRole.MENTOR) | Q(training_enrolments__isnull=False))
        .exists()
    )


# --- choices for the forms -----------------------------------------------------------------------


def managed_programs(user: AnyUser) -> QuerySet[Program]:
    return (
        visible_programs_for(user)
        .filter(organisation__in=managed_organisations_for(user))
        .select_related("organisation")
        .order_by("-academic_year", "organisation__short_name", "title")
    )


def nominee_people(user: AnyUser) -> QuerySet[Person]:
    """People of the schools the user manages who may be put forward (not parents)."""
    return (
        visible_people_for(user)
        .filter(organisation__in=managed_organisations_for(user), left_on__isnull=True)
        .exclude(kind=PersonKind.PARENT)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def organisation_users(organisation_id: int, roles: Iterable[str]) -> QuerySet[User]:
    return (
        User.objects.filter(
            role_assignments__organisation_id=organisation_id, role_assignments__role__in=list(roles)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def own_person(user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("organisation").first()


def free_mentees(programs: QuerySet[Program]) -> QuerySet[Participation]:
    """Mentees of the programs not in a working pair or group now."""
    return (
        Participation.objects.filter(program__in=programs, role=ParticipationRole.MENTEE)
        .exclude(status__in=["withdrawn", "completed"])
        .exclude(pk__in=GroupMembership.objects.filter(left_on__isnull=True).values("mentee_id"))
        .select_related("person", "program")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def admission_rule(program: Program) -> AdmissionRule | None:
    return AdmissionRule.objects.filter(program=program).prefetch_related("forms").first()


def forms_of_programs(programs: QuerySet[Program], mentor_kind: str) -> QuerySet[MentoringForm]:
    """The forms (with their variants) of the programs in which a person of this kind mentors."""
    ids = programs.values("forms")
    return (
        MentoringForm.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids), mentor_kind=mentor_kind)
        .select_related("parent")
        .distinct()
    )
