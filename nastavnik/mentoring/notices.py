"""What mentoring tells people through the notification layer when something happens to their
pair: it was formed, its plan was approved or returned. Reminders are in `reminders.py`."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, notify
from nastavnik.registry.models import GuardianLink

from .models import IndividualPlan, MentoringGroup


def _link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def notify_pair_confirmed(group: MentoringGroup) -> int:
    """The mentor, the mentees and the legal representatives of minor mentees."""
    mentees = [m.mentee.person for m in group.memberships.select_related("mentee__person__user")]
    guardians = [
        link.guardian
        for link in GuardianLink.objects.filter(child__in=mentees).select_related("guardian__user")
    ]
    people = [group.mentor.person, *mentees, *guardians]
    names = ", ".join(p.short_name for p in mentees)
    body = (
        f"Здравствуйте!\n\nСформирована наставническая {'пара' if len(mentees) == 1 else 'группа'} "
        f"программы «{group.program.title}»: наставник {group.mentor.person.full_name}, "
        f"наставляемые: {names}. Форма: {group.form}.\n\n"
        f"План и встречи — в «Моём кабинете»: {_link(reverse('mentoring:my'))}"
    )
    result = notify(
        recipients=[Recipient(person=p) for p in people],
        kind=Kind.PAIR_CONFIRMED,
        subject="«Наставник»: пара (группа) сформирована",
        body=body,
    )
    return len(result.queued)


def notify_plan_decision(plan: IndividualPlan) -> int:
    approved = plan.status == "approved"
    verdict = "утверждён" if approved else "возвращён на доработку"
    body = f"Здравствуйте!\n\nИндивидуальный план «{plan.title}» {verdict}."
    if not approved and plan.curator_comment:
        body += f"\n\nЗамечания куратора: {plan.curator_comment}"
    body += f"\n\n{_link(reverse('mentoring:plan', args=[plan.group_id]))}"
    result = notify(
        recipients=[Recipient(person=plan.group.mentor.person)],
        kind=Kind.PLAN_DECISION,
        subject=f"«Наставник»: план {verdict}",
        body=body,
    )
    return len(result.queued)
