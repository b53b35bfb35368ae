"""Tasks of the notification layer for the task runner (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_task(message_ids: list[int]) -> None:
    """Send the messages just queued (`services.notify`); failures wait for their retry, which
    `manage.py send_notifications` (cron) picks up."""
    from .services import deliver_messages

    deliver_messages(message_ids)
