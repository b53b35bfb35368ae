"""Tasks of the matching for the task runner (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def order_pdf_task(document_id: int, attempt: int) -> None:
    """A long order's PDF queued by `orders.order_document_request`."""
    from .orders import order_document_build

    order_document_build(document_id, attempt)
