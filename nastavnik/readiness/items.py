"""The readiness check of an organisation before launching the Target Model (school roadmap:
«Проведение мониторинга готовности … к внедрению ЦМН»), as pluggable items.

An item computes its state for many organisations at once (a fixed number of queries for a
municipality's side-by-side table) or returns None where the data cannot tell — then a hand tick
(`ManualTick`) decides; a `manual` item with a `compute` may also be ticked by hand (training done
outside the system). Adding an item is adding a class to `ITEMS`, as «наставники обучены» (from
training) and «Положение принято» (from the program documents) were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from nastavnik.accounts.models import Role, RoleAssignment
from nastavnik.base.text import count_ru
from nastavnik.orgs.models import Program, academic_year_of
from nastavnik.programdocs.models import Adoption, DocumentKind
from nastavnik.registry.consents import with_consent_state
from nastavnik.registry.models import Participation, ParticipationRole, ParticipationStatus, Person
from nastavnik.roadmaps.models import Roadmap
from nastavnik.training.models import Enrolment, TraineeRole

ACTIVE = [ParticipationStatus.CANDIDATE, ParticipationStatus.ADMITTED, ParticipationStatus.IN_PAIR]


@dataclass(frozen=True)
class State:
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class Context:
    """What an item may use to link the next step: only pages the user may open."""

    organisation_id: int
    manages: bool
    admin: bool
    program_id: int | None


class Item:
    code: ClassVar[str]
    title: ClassVar[str]
    next_step: ClassVar[str]
    manual: ClassVar[bool] = False

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State] | None:
        return None

    def link(self, context: Context) -> str:
        return ""


def _programs(org_ids: Sequence[int], day: dt.date) -> dict[int, list[Program]]:
    found: dict[int, list[Program]] = {i: [] for i in org_ids}
    for program in (
        Program.objects.filter(organisation_id__in=org_ids, academic_year=academic_year_of(day))
        .annotate(n_forms=Count("forms"))
        .select_related("curator")
        .order_by("pk")
    ):
        found[program.organisation_id].append(program)
    return found


class CuratorAppointed(Item):
    code = "curator"
    title = "Назначен куратор внедрения целевой модели"
    next_step = "Назначьте куратора (роль «Куратор программы») приказом и в «Наставнике»."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        with_role = set(
            RoleAssignment.objects.filter(organisation_id__in=org_ids, role=Role.PROGRAM_CURATOR).values_list(
                "organisation_id", flat=True
            )
        )
        with_program_curator = set(
            Program.objects.filter(organisation_id__in=org_ids, curator__isnull=False).values_list(
                "organisation_id", flat=True
            )
        )
        return {i: State(i in with_role or i in with_program_curator) for i in org_ids}

    def link(self, context: Context) -> str:
        return (
            reverse("registry:staff_roles", args=["organisation", context.organisation_id])
            if context.admin
            else ""
        )


class RoadmapAdopted(Item):
    code = "roadmap"
    title = "Принята дорожная карта внедрения"
    next_step = "Загрузите утверждённую дорожную карту или создайте её по шаблону."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        found: dict[int, list[Roadmap]] = {i: [] for i in org_ids}
        for roadmap in Roadmap.objects.filter(organisation_id__in=org_ids, period_end__gte=day):
            found[roadmap.organisation_id].append(roadmap)  # type: ignore[index]
        orders = _adopted(org_ids, day, DocumentKind.ROADMAP_ORDER)
        states = {}
        for org_id, roadmaps in found.items():
            approved = [r for r in roadmaps if r.approval_date or r.approval_text] or (
                roadmaps and orders.get(org_id)
            )
            detail = "" if not roadmaps or approved else "не указано, кем и когда утверждена"
            states[org_id] = State(bool(approved), detail)
        return states

    def link(self, context: Context) -> str:
        return reverse("roadmaps:from_template") if context.manages else ""


class ProgramChosen(Item):
    code = "program"
    title = "Разработана программа наставничества на учебный год"
    next_step = "Создайте программу наставничества на текущий учебный год."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        programs = _programs(org_ids, day)
        return {i: State(bool(p), ", ".join(x.title for x in p[:2])) for i, p in programs.items()}

    def link(self, context: Context) -> str:
        return (
            f"{reverse('orgs:program_create')}?organisation={context.organisation_id}"
            if context.manages
            else ""
        )


class FormsChosen(Item):
    code = "forms"
    title = "Выбраны формы наставничества"
    next_step = "Отметьте в программе формы наставничества («ученик — ученик», «учитель — учитель»…)."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        programs = _programs(org_ids, day)
        return {i: State(any(x.n_forms for x in p)) for i, p in programs.items()}  # type: ignore[attr-defined]

    def link(self, context: Context) -> str:
        if context.manages and context.program_id:
            return reverse("orgs:program_edit", args=[context.program_id])
        return ""


def _participants(org_ids: Sequence[int], day: dt.date, role: str) -> dict[int, int]:
    rows = (
        Participation.objects.filter(
            program__organisation_id__in=org_ids,
            program__academic_year=academic_year_of(day),
            role=role,
            status__in=ACTIVE,
        )
        .values("program__organisation_id")
        .annotate(n=Count("person", distinct=True))
    )
    counts = dict.fromkeys(org_ids, 0)
    counts.update({r["program__organisation_id"]: r["n"] for r in rows})
    return counts


class MenteesBase(Item):
    code = "mentees"
    title = "Сформирована база наставляемых"
    next_step = "Загрузите список наставляемых (Excel) и включите их в программу."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        counts = _participants(org_ids, day, ParticipationRole.MENTEE)
        return {
            i: State(n > 0, count_ru(n, "наставляемый,наставляемых,наставляемых")) for i, n in counts.items()
        }

    def link(self, context: Context) -> str:
        return reverse("registry_import:upload") if context.manages else ""


class MentorsBase(Item):
    code = "mentors"
    title = "Сформирована база наставников"
    next_step = "Загрузите список наставников и включите их в программу."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        counts = _participants(org_ids, day, ParticipationRole.MENTOR)
        return {i: State(n > 0, count_ru(n, "наставник,наставника,наставников")) for i, n in counts.items()}

    def link(self, context: Context) -> str:
        return reverse("registry_import:upload") if context.manages else ""


class ConsentsCollected(Item):
    code = "consents"
    title = "Собраны согласия на обработку персональных данных"
    next_step = "Распечатайте бланки согласий по программе и отметьте полученные."

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        people = Person.objects.filter(
            participations__program__organisation_id__in=org_ids,
            participations__program__academic_year=academic_year_of(day),
            participations__status__in=ACTIVE,
        ).distinct()
        rows = (
            with_consent_state(Person.objects.filter(pk__in=people.values("pk")), day)
            .values("organisation_id")
            .annotate(total=Count("pk"), valid=Count("pk", filter=Q(consent_valid=True)))
        )
        states = {i: State(False, "нет участников") for i in org_ids}
        for row in rows:
            missing = row["total"] - row["valid"]
            detail = f"нет согласия у {missing} из {row['total']}" if missing else f"все {row['total']}"
            states[row["organisation_id"]] = State(missing == 0, detail)
        return states

    def link(self, context: Context) -> str:
        if context.manages and context.program_id:
            return reverse("registry:consent_grid_program", args=[context.program_id])
        return ""


class MentorsTrained(Item):
    """Counted from the training app (a completed course as a mentor); a hand tick covers training
    that happened outside «Наставник»."""

    code = "training"
    title = "Наставники прошли обучение"
    next_step = "Запишите наставников на курс (школа наставников) или отметьте обучение вне системы."
    manual = True

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        mentors = Participation.objects.filter(
            program__organisation_id__in=org_ids,
            program__academic_year=academic_year_of(day),
            role=ParticipationRole.MENTOR,
            status__in=ACTIVE,
        )
        trained = Enrolment.objects.filter(
            role=TraineeRole.MENTOR, completed_on__lte=day, person_id=OuterRef("person_id")
        )
        rows = (
            mentors.annotate(trained=Exists(trained))
            .values("program__organisation_id")
            .annotate(
                total=Count("person", distinct=True),
                done=Count("person", distinct=True, filter=Q(trained=True)),
            )
        )
        states = {i: State(False, "нет наставников") for i in org_ids}
        for row in rows:
            states[row["program__organisation_id"]] = State(
                row["total"] > 0 and row["done"] == row["total"], f"обучено {row['done']} из {row['total']}"
            )
        return states

    def link(self, context: Context) -> str:
        return reverse("training:calendar") if context.manages else ""


def _adopted(org_ids: Sequence[int], day: dt.date, kind: str) -> dict[int, Adoption]:
    found: dict[int, Adoption] = {}
    for adoption in Adoption.objects.filter(
        organisation_id__in=org_ids, kind=kind, adopted_on__lte=day
    ).order_by("adopted_on", "pk"):
        found[adoption.organisation_id] = adoption  # the latest wins
    return found


class RegulationAdopted(Item):
    """Counted from the adoption recorded with the program documents; a hand tick covers a
    Положение adopted before «Наставник»."""

    code = "regulation"
    title = "Принято Положение о наставничестве"
    next_step = "Сформируйте Положение в разделе «Документы», утвердите приказом и отметьте принятие."
    manual = True

    def compute(self, org_ids: Sequence[int], day: dt.date) -> dict[int, State]:
        adopted = _adopted(org_ids, day, DocumentKind.REGULATION)
        return {
            i: State(True, f"приказ № {a.order_number} от {a.adopted_on:%d.%m.%Y}")
            if (a := adopted.get(i))
            else State(False)
            for i in org_ids
        }

    def link(self, context: Context) -> str:
        return reverse("programdocs:organisation", args=[context.organisation_id]) if context.manages else ""


ITEMS: list[Item] = [
    CuratorAppointed(),
    RegulationAdopted(),
    RoadmapAdopted(),
    ProgramChosen(),
    FormsChosen(),
    MenteesBase(),
    MentorsBase(),
    ConsentsCollected(),
    MentorsTrained(),
]
MANUAL_CODES = {i.code for i in ITEMS if i.manual}
