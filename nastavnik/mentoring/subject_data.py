"""What the mentoring app holds on a person, for the registry's subject access export and erasure
(registered in `MentoringConfig.ready()`; see `nastavnik/registry/subject_data.py`)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, Prefetch, Q
from django.utils import timezone

from nastavnik.registry.models import Person
from nastavnik.registry.subject_data import SubjectSection

from .models import (
    EventInvitation,
    GroupMembership,
    IndividualPlan,
    Meeting,
    MeetingAttendance,
    MentoringGroup,
    MentorReport,
    PlanGoal,
    PlanTask,
)


def _day(value: object) -> str:
    return value.strftime("%d.%m.%Y") if value else ""  # type: ignore[attr-defined]


def _groups(person: Person) -> list[MentoringGroup]:
    return list(
        MentoringGroup.objects.filter(Q(mentor__person=person) | Q(memberships__mentee__person=person))
        .distinct()
        .select_related("program", "form", "mentor__person")
        .prefetch_related(
            Prefetch("memberships", GroupMembership.objects.select_related("mentee__person")),
            Prefetch("plans", IndividualPlan.objects.prefetch_related("tasks")),
            Prefetch("meetings", Meeting.objects.prefetch_related("attendance__mentee")),
        )
        .order_by("started_on", "pk")
    )


def _group_rows(person: Person, groups: list[MentoringGroup]) -> list[dict[str, str]]:
    rows = []
    for group in groups:
        mine = [m for m in group.memberships.all() if m.mentee.person_id == person.pk]
        rows.append(
            {
                "Программа": str(group.program),
                "Форма": str(group.form),
                "Роль": "Наставник" if group.mentor.person_id == person.pk else "Наставляемый",
                "Наставник": group.mentor.person.full_name,
                "Наставляемые": "; ".join(m.mentee.person.full_name for m in group.memberships.all()),
                "Статус": group.get_status_display(),
                "Начало": _day(group.started_on),
                "Окончание": _day(group.ended_on),
                "В паре (группе)": "; ".join(f"{_day(m.joined_on)}–{_day(m.left_on)}" for m in mine),
                "Итоги": group.result_summary,
            }
        )
    return rows


def _plan_rows(groups: list[MentoringGroup]) -> tuple[list[dict[str, str]], list[IndividualPlan]]:
    rows, plans = [], []
    for group in groups:
        for plan in group.plans.all():
            plans.append(plan)
            head = {
                "План": plan.title,
                "Редакция": str(plan.revision),
                "Статус": plan.get_status_display(),
                "Период": f"{_day(plan.starts_on)}–{_day(plan.ends_on)}",
            }
            tasks: list[PlanTask | None] = [*plan.tasks.all()] or [None]
            for task in tasks:
                rows.append(
                    {
                        **head,
                        "Задача": task.title if task else "",
                        "Срок": _day(task.due_on) if task else "",
                        "Выполнено": ("да, " + _day(task.done_on)) if task and task.done else "",
                        "Что получилось": task.result_note if task else "",
                    }
                )
    return rows, plans


def _meeting_rows(person: Person, groups: list[MentoringGroup]) -> tuple[list[dict[str, str]], list[Meeting]]:
    rows, meetings = [], []
    for group in groups:
        is_mentor = group.mentor.person_id == person.pk
        for meeting in group.meetings.all():
            meetings.append(meeting)
            mine = [a for a in meeting.attendance.all() if a.mentee.person_id == person.pk]
            present = meeting.mentor_present if is_mentor else (mine[0].present if mine else None)
            rows.append(
                {
                    "Дата и время": f"{timezone.localtime(meeting.starts_at):%d.%m.%Y %H:%M}",
                    "Вид": meeting.get_kind_display(),
                    "Тема": meeting.topic,
                    "Статус": meeting.get_status_display(),
                    "Формат и место": f"{meeting.get_format_display()} {meeting.place}".strip(),
                    "Присутствие": {True: "да", False: "нет"}.get(present, "") if present is not None else "",
                    "Заметки": meeting.notes,
                    "Рефлексия": meeting.mentor_reflection
                    if is_mentor
                    else (mine[0].reflection if mine else ""),
                }
            )
    return rows, meetings


class MentoringSubjectData:
    models: tuple[type[Model], ...] = (
        MentoringGroup,
        GroupMembership,
        IndividualPlan,
        PlanGoal,
        PlanTask,
        Meeting,
        MeetingAttendance,
        MentorReport,
        EventInvitation,
    )

    def sections(self, person: Person) -> list[SubjectSection]:
        groups = _groups(person)
        plan_rows, plans = _plan_rows(groups)
        meeting_rows, meetings = _meeting_rows(person, groups)
        invitations = list(
            EventInvitation.objects.filter(person=person)
            .select_related("event__program")
            .order_by("event__starts_at")
        )
        event_rows = [
            {
                "Мероприятие": i.event.title,
                "Программа": str(i.event.program),
                "Дата": f"{timezone.localtime(i.event.starts_at):%d.%m.%Y %H:%M}",
                "Вид": i.event.get_kind_display(),
                "Присутствовал(а)": {True: "да", False: "нет"}.get(i.attended, "")
                if i.attended is not None
                else "",
            }
            for i in invitations
        ]
        return [
            SubjectSection("Наставнические пары и группы", _group_rows(person, groups), list(groups)),
            SubjectSection("Индивидуальные планы", plan_rows, list(plans)),
            SubjectSection("Встречи пар и групп", meeting_rows, list(meetings)),
            SubjectSection("Мероприятия программы", event_rows, list(invitations)),
        ]

    def erase(self, person: Person, scrub: Callable[[str], str]) -> None:
        """The person's own reflections go (a mentee's at meetings, a mentor's on meetings)."""
        MeetingAttendance.objects.filter(mentee__person=person).update(reflection="")
        Meeting.objects.filter(group__mentor__person=person).update(mentor_reflection="")
