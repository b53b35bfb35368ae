"""What mentoring tells people through the notification layer when something happens to their
pair: its plan was approved or returned. Reminders are in `reminders.py`; «pair formed» is sent
by matching when a proposal is confirmed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from nastavnik.notifications.models import Kind
from nastavnik.notifications.services import Recipient, notify

from .models import IndividualPlan


def _link(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


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
