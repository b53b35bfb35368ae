"""What a new case starts from: the pair's (group's) request, individual plan, meetings, the
growth of its mentees measured at stage 2 of monitoring and the mentor's report, turned into
editable Russian text. Nothing here writes; the author corrects the draft before saving it."""

from __future__ import annotations

from dataclasses import dataclass

from nastavnik.base.text import count_ru
from nastavnik.mentoring.models import MeetingStatus, MentoringGroup
from nastavnik.mentoring.selectors import group_report
from nastavnik.monitoring.growth import grouped, measurements
from nastavnik.orgs.models import academic_year_of
from nastavnik.registry.models import Category, Participation


@dataclass(frozen=True)
class Prefill:
    title: str
    topic: str
    request: str
    work_done: str
    result: str
    mentee_category: Category | None


def _mentees(group: MentoringGroup) -> list[Participation]:
    members = getattr(group, "all_members", None) or list(group.memberships.select_related("mentee__person"))
    return [membership.mentee for membership in members]


def _request_text(group: MentoringGroup, mentees: list[Participation]) -> tuple[str, str]:
    lines = [m.details.strip() for m in mentees if m.details.strip()]
    tags = sorted({tag.name for m in mentees for tag in m.tags.all()})
    if tags:
        lines.append("Запросы: " + ", ".join(tags) + ".")
    plan = group.plans.filter(is_current=True).prefetch_related("goals").first()
    if plan is not None:
        goals = [goal.title for goal in plan.goals.all()]
        if goals:
            lines.append("Цели индивидуального плана: " + "; ".join(goals) + ".")
    return "\n".join(lines), (tags[0] if tags else "")


def _work_text(group: MentoringGroup) -> str:
    held = list(
        group.meetings.filter(status=MeetingStatus.HELD).order_by("starts_at").values_list("topic", flat=True)
    )
    lines = []
    if held:
        lines.append(f"Проведено {count_ru(len(held), 'встреча,встречи,встреч')}: " + "; ".join(held) + ".")
    plan = group.plans.filter(is_current=True).first()
    if plan is not None:
        done = list(plan.tasks.filter(done=True).values_list("title", flat=True))
        if done:
            lines.append("Выполненные задачи плана: " + "; ".join(done) + ".")
    report = group_report(group)
    if report is not None and report.work_done.strip():
        lines.append(report.work_done.strip())
    return "\n".join(lines)


def _growth_text(group: MentoringGroup, mentees: list[Participation]) -> str:
    if group.ended_on is None:
        return ""
    person_ids = Participation.objects.filter(pk__in=[m.pk for m in mentees]).values("person_id")
    total = grouped(measurements(person_ids, group.ended_on), None).get(None)
    if total is None or total.mean_before is None:
        return ""
    return (
        f"Диагностика на входе и на выходе: средний балл {total.mean_before} → {total.mean_after} "
        f"(изменение {total.mean_change:+}), улучшение у {total.improved} из "
        f"{count_ru(total.participants, 'наставляемого,наставляемых,наставляемых')}."
    )


def _result_text(group: MentoringGroup, mentees: list[Participation]) -> str:
    lines = [group.result_summary.strip()] if group.result_summary.strip() else []
    report = group_report(group)
    if report is not None and report.mentee_progress.strip():
        lines.append(report.mentee_progress.strip())
    growth = _growth_text(group, mentees)
    if growth:
        lines.append(growth)
    return "\n".join(lines)


def prefill_for(group: MentoringGroup) -> Prefill:
    mentees = _mentees(group)
    request, topic = _request_text(group, mentees)
    categories = [c for m in mentees for c in m.person.categories.all()]
    plan = group.plans.filter(is_current=True).first()
    title = plan.title if plan is not None else f"{group.form.name}: {group.program.title}"
    return Prefill(
        title=title[:300],
        topic=topic[:200],
        request=request,
        work_done=_work_text(group),
        result=_result_text(group, mentees),
        mentee_category=categories[0] if categories else None,
    )


def year_of(group: MentoringGroup) -> int:
    return group.program.academic_year or academic_year_of(group.started_on)
