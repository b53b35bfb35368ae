"""The data the documents are filled with: one context per document, built from the product's data,
and the catalogue of its fields (English keys, Russian descriptions) that the «Поля шаблонов» page
shows and the check of an uploaded template uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nastavnik.base.documents import BLANK_NAME, BLANK_NUMBER
from nastavnik.base.names import person_name_in
from nastavnik.base.text import program_named, russian_date
from nastavnik.mentoring.models import IndividualPlan, MentoringGroup
from nastavnik.monitoring.scopes import ORGANISATION, Scope
from nastavnik.monitoring.selectors import Targets, active_indicators
from nastavnik.orgs.models import Organisation, Program
from nastavnik.registry.models import GuardianLink
from nastavnik.roadmaps.models import Roadmap

from .models import DocumentKind


@dataclass(frozen=True)
class Field:
    key: str
    description: str
    kinds: tuple[str, ...] = ()  # empty: every document

    def applies_to(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds


_PROGRAM_KINDS = (
    DocumentKind.REGULATION,
    DocumentKind.MODEL_ORDER,
    DocumentKind.ROADMAP_ORDER,
    DocumentKind.PROGRAM,
)
_P = _PROGRAM_KINDS
FIELDS: tuple[Field, ...] = (
    Field("org.full_name", "полное наименование организации"),
    Field("org.short_name", "краткое наименование организации"),
    Field("org.address", "адрес организации"),
    Field("org.head_position", "должность руководителя"),
    Field("org.head_name", "ФИО руководителя"),
    Field("org.municipality", "муниципалитет"),
    Field("org.education_authority", "муниципальный орган управления образованием"),
    Field("org.region", "регион"),
    Field("doc.title", "название документа"),
    Field("doc.date", "дата документа («01» сентября 2026 г.)"),
    Field("doc.number", "номер приказа (пусто — «____»)"),
    Field("program.title", "название программы", _P),
    Field("program.kind", "вид программы (обучающихся / педагогов)", _P),
    Field("program.academic_year", "учебный год (2026/2027)", _P),
    Field("program.starts_on", "начало программы (дд.мм.гггг)", _P),
    Field("program.ends_on", "окончание программы (дд.мм.гггг)", _P),
    Field("program.goals", "цель программы", _P),
    Field("program.tasks", "задачи программы (список)", _P),
    Field("program.expected_results", "ожидаемые результаты (список)", _P),
    Field("program.target_groups", "целевые группы (список)", _P),
    Field("program.forms", "формы наставничества (список: name, mentor, mentee)", _P),
    Field("program.curator", "куратор программы (ФИО)", _P),
    Field(
        "program.curator_accusative", "куратор в винительном падеже («назначить … Иванову Анну Петровну»)", _P
    ),
    Field("program.curator_dative", "куратор в дательном падеже («поручить … Ивановой Анне Петровне»)", _P),
    Field("program.named_genitive", "«программы наставничества «…»» для «в целях реализации …»", _P),
    Field("program.named_accusative", "«программу наставничества «…»» для «утвердить …»", _P),
    Field("program.max_mentees", "наставляемых на одного наставника", _P),
    Field("program.indicators", "показатели с целевыми значениями из мониторинга (список: name, target)", _P),
    Field("roadmap.title", "название дорожной карты", _P),
    Field("roadmap.period", "период дорожной карты", _P),
    Field("roadmap.events", "мероприятия дорожной карты (список: number, title, deadline)", _P),
    Field("plan.title", "название индивидуального плана", (DocumentKind.PLAN,)),
    Field("plan.revision", "редакция плана", (DocumentKind.PLAN,)),
    Field("plan.period", "срок реализации плана", (DocumentKind.PLAN,)),
    Field("plan.form", "форма наставничества пары", (DocumentKind.PLAN,)),
    Field("plan.mentor", "наставник (ФИО)", (DocumentKind.PLAN,)),
    Field("plan.mentees", "наставляемый(е) (ФИО через запятую)", (DocumentKind.PLAN,)),
    Field("plan.representatives", "законные представители несовершеннолетних", (DocumentKind.PLAN,)),
    Field("plan.curator", "куратор программы (ФИО)", (DocumentKind.PLAN,)),
    Field(
        "plan.goals",
        "цели плана (список: number, title, tasks — number, title, due, result)",
        (DocumentKind.PLAN,),
    ),
)
FIELD_KEYS = frozenset(field.key for field in FIELDS)
TOP_LEVEL_KEYS = frozenset(key.split(".")[0] for key in FIELD_KEYS)


def fields_for(kind: str) -> list[Field]:
    return [field for field in FIELDS if field.applies_to(kind)]


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def organisation_context(organisation: Organisation) -> dict[str, str]:
    municipality = organisation.municipality
    return {
        "full_name": organisation.name,
        "short_name": organisation.short_name,
        "address": organisation.address,
        "head_position": organisation.head_position or "Руководитель",
        "head_name": organisation.head_name or BLANK_NAME,
        "municipality": municipality.name,
        "education_authority": municipality.education_authority,
        "region": municipality.region.name,
    }


def document_context(kind: str, number: str = "", date: dt.date | None = None) -> dict[str, str]:
    return {
        "title": DocumentKind(kind).label,
        "date": russian_date(date),
        "number": number or BLANK_NUMBER,
    }


def _indicators(program: Program) -> list[dict[str, str]]:
    organisation = program.organisation
    targets = Targets.load(
        Scope(ORGANISATION, organisation, organisation.timezone), program.academic_year + 1
    )
    rows = []
    for indicator in active_indicators():
        target = targets.for_organisation(
            indicator, organisation.pk, organisation.municipality_id, organisation.municipality.region_id
        )
        value = f"{target.value.normalize():f}".replace(".", ",") + " %" if target else "не установлено"
        rows.append({"name": indicator.name, "target": value})
    return rows


def program_context(program: Program) -> dict[str, Any]:
    curator = program.curator
    forms = list(program.forms.select_related("parent"))
    return {
        "title": program.title,
        "kind": program.get_kind_display(),
        "academic_year": program.academic_year_label,
        "starts_on": _date(program.starts_on),
        "ends_on": _date(program.ends_on),
        "goals": program.goals,
        "tasks": program.task_list,
        "expected_results": program.expected_result_list,
        "target_groups": program.target_group_list,
        "forms": [
            {"name": str(f), "mentor": f.get_mentor_kind_display(), "mentee": f.get_mentee_kind_display()}
            for f in forms
        ],
        "curator": (curator.get_full_name() or curator.get_username()) if curator else BLANK_NAME,
        "curator_accusative": person_name_in(curator, "accs") if curator else BLANK_NAME,
        "curator_dative": person_name_in(curator, "datv") if curator else BLANK_NAME,
        "named_genitive": program_named(program.title),
        "named_accusative": "программу" + program_named(program.title).removeprefix("программы"),
        "max_mentees": program.max_mentees_per_mentor,
        "indicators": _indicators(program),
    }


def roadmap_of(program: Program) -> Roadmap | None:
    return (
        Roadmap.objects.filter(program=program).order_by("-period_start").first()
        or Roadmap.objects.filter(organisation_id=program.organisation_id, program__isnull=True)
        .order_by("-period_start")
        .first()
    )


def roadmap_context(roadmap: Roadmap | None) -> dict[str, Any]:
    if roadmap is None:
        return {"title": "", "period": "", "events": []}
    events = roadmap.events.order_by("position")
    return {
        "title": roadmap.title,
        "period": f"{_date(roadmap.period_start)} – {_date(roadmap.period_end)}",
        "events": [
            {
                "number": event.number,
                "title": event.title,
                "deadline": event.deadline_text or _date(event.ends_on),
            }
            for event in events
        ],
    }


def plan_context(plan: IndividualPlan) -> dict[str, Any]:
    group: MentoringGroup = plan.group
    members = [m for m in group.memberships.select_related("mentee__person") if m.left_on is None]
    children = [m.mentee.person for m in members]
    representatives = GuardianLink.objects.filter(child__in=children).select_related("guardian")
    curator = group.program.curator
    goals = []
    tasks = list(plan.tasks.order_by("due_on", "number", "pk"))
    for number, goal in enumerate(plan.goals.order_by("number", "pk"), start=1):
        goal_tasks = [t for t in tasks if t.goal_id == goal.pk]
        goals.append({"number": number, "title": goal.title, "tasks": _tasks(goal_tasks)})
    loose = [t for t in tasks if t.goal_id is None]
    if loose:
        goals.append({"number": len(goals) + 1, "title": "Прочие задачи", "tasks": _tasks(loose)})
    return {
        "title": plan.title,
        "revision": plan.revision,
        "period": f"{_date(plan.starts_on)} – {_date(plan.ends_on)}",
        "form": str(group.form),
        "mentor": group.mentor.person.full_name,
        "mentees": ", ".join(person.full_name for person in children),
        "representatives": ", ".join(sorted({link.guardian.full_name for link in representatives})),
        "curator": (curator.get_full_name() or curator.get_username()) if curator else BLANK_NAME,
        "goals": goals,
    }


def _tasks(tasks: list[Any]) -> list[dict[str, str]]:
    return [
        {"number": str(i), "title": t.title, "due": _date(t.due_on), "result": t.expected_result}
        for i, t in enumerate(tasks, start=1)
    ]


_SAMPLE_PROGRAM: dict[str, Any] = {
    "title": "Программа наставничества",
    "kind": "Наставничество обучающихся",
    "academic_year": "",
    "starts_on": "",
    "ends_on": "",
    "goals": "",
    "tasks": [],
    "expected_results": [],
    "target_groups": [],
    "forms": [],
    "curator": BLANK_NAME,
    "curator_accusative": BLANK_NAME,
    "curator_dative": BLANK_NAME,
    "named_genitive": "программы наставничества",
    "named_accusative": "программу наставничества",
    "max_mentees": 3,
    "indicators": [],
}
_SAMPLE_PLAN: dict[str, Any] = {
    "title": "Индивидуальный план",
    "revision": 1,
    "period": "01.10.2026 – 31.05.2027",
    "form": "Учитель – ученик",
    "mentor": "Иванова Анна Петровна",
    "mentees": "Петров Илья Сергеевич",
    "representatives": "Петрова Ольга Николаевна",
    "curator": "Сидорова Мария Ивановна",
    "goals": [
        {
            "number": 1,
            "title": "Цель",
            "tasks": [{"number": "1", "title": "Задача", "due": "01.12.2026", "result": "Результат"}],
        }
    ],
}


def context_for(
    kind: str,
    organisation: Organisation,
    *,
    program: Program | None = None,
    plan: IndividualPlan | None = None,
    number: str = "",
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Everything a document of `kind` may use; without a program or a plan their fields hold a
    sample (the check of an uploaded template needs every field, the school may have no plan yet)."""
    if plan is not None:
        program = plan.group.program
    return {
        "org": organisation_context(organisation),
        "doc": document_context(kind, number, date),
        "program": program_context(program) if program is not None else dict(_SAMPLE_PROGRAM),
        "roadmap": roadmap_context(roadmap_of(program) if program is not None else None),
        "plan": plan_context(plan) if plan is not None else dict(_SAMPLE_PLAN),
    }
