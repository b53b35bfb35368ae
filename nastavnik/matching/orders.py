"""The order's PDF in the background. WeasyPrint lays an order out at 4–5 ms a pair, so the PDF
of one longer than `ORDER_PDF_BACKGROUND_PAIRS` is not made within the request (14,911 pairs took
71 s, beyond gunicorn's 60 s): `order_document_request` queues its build once, the task runner
makes it (`tasks.order_pdf_task` → `order_document_build`) into private storage, and the stored
file is handed out while it holds what the order says now (the fingerprint of `order_data`).
"""

from __future__ import annotations

import logging
from functools import partial

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.audit import acting_as
from nastavnik.base.text import count_ru

from .access import can_view_program_matching
from .documents import order_data, order_fingerprint, order_pdf
from .models import MatchingRun, OrderDocument, OrderDocumentStatus

logger = logging.getLogger(__name__)

BUILD_ERROR = (
    "При вёрстке файла произошла внутренняя ошибка. Попробуйте ещё раз; если ошибка повторится, "
    "скачайте приказ в DOCX и сообщите администратору."
)


def order_in_background(run: MatchingRun) -> bool:
    """Is the confirmed run's order too long to make its PDF within a request? One query."""
    return run.is_confirmed and run.confirmed_memberships.count() > settings.ORDER_PDF_BACKGROUND_PAIRS


def order_document_of(run: MatchingRun) -> OrderDocument | None:
    """The PDF of the run's order, for a caller who has the run from the access layer."""
    return OrderDocument.objects.filter(run=run).select_related("created_by").first()


def _why_build(document: OrderDocument | None, fingerprint: str) -> str | None:
    """Why a new build is needed (the audit's words), or None: the stored file or the build
    under way will do."""
    if document is None:
        return "запрошен впервые"
    if document.is_waited_for:
        return None
    if document.is_running:
        minutes = count_ru(settings.ORDER_PDF_STALLED_MINUTES, "минуту,минуты,минут")
        return f"прежнее формирование не закончилось за {minutes}"
    if document.status == OrderDocumentStatus.FAILED:
        return "прежняя попытка не удалась"
    if document.content_hash != fingerprint:
        return "данные приказа изменились после прежнего файла"
    if not document.file or not document.file.storage.exists(document.file.name):
        return "прежний файл не найден"
    return None


def order_document_outdated(run: MatchingRun, document: OrderDocument | None) -> str | None:
    """Why the stored, finished PDF is not handed out any more (the order's data changed since,
    or its file is gone), in the audit's words; None while it holds what the order says, and
    while none is stored or a build is under way (its page asks for a build then, or waits for
    it). Reads the order's data."""
    if document is None or not document.is_ready:
        return None
    return _why_build(document, order_fingerprint(order_data(run)))


def order_document_stored(run: MatchingRun) -> OrderDocument | None:
    """The PDF of the run's order, if one is stored and holds what the order says now: what a
    download hands out. Queues nothing (a download is a GET); `order_document_request` does."""
    document = order_document_of(run)
    if document is None or not document.is_ready or order_document_outdated(run, document) is not None:
        return None
    return document


def _lock(run: MatchingRun) -> None:
    """Requests for one run wait for each other from here to their commit (PostgreSQL: the
    run's row; SQLite: its IMMEDIATE transactions), so two clicks at once queue one build."""
    MatchingRun.objects.select_for_update().filter(pk=run.pk).order_by().values_list("pk", flat=True).get()


def order_document_request(*, acting_user: User, run: MatchingRun) -> OrderDocument:
    """The PDF of a confirmed run's order, for whoever may open the order: the stored file when
    it holds what the order says now; otherwise the build under way (a second click); otherwise
    a new build, queued (the task starts once this is committed) and audited."""
    if not can_view_program_matching(acting_user, run.program):
        raise PermissionDenied("Приказ открывают те, кто видит подбор пар программы.")
    if not run.is_confirmed:
        raise ValidationError("Приказ формируется после утверждения пар.")
    document = order_document_of(run)
    if document is not None and document.is_waited_for:
        return document
    data = order_data(run)
    fingerprint = order_fingerprint(data)
    if document is not None and _why_build(document, fingerprint) is None:
        return document
    with transaction.atomic(), acting_as(acting_user):
        _lock(run)
        document = order_document_of(run)
        reason = _why_build(document, fingerprint)
        if reason is None:
            assert document is not None  # noqa: S101 - no document is a reason to build
            return document
        return _queue(document, run=run, acting_user=acting_user, pairs=data.pairs, reason=reason)


def _queue(
    document: OrderDocument | None, *, run: MatchingRun, acting_user: User, pairs: int, reason: str
) -> OrderDocument:
    from .tasks import order_pdf_task

    created = document is None
    if document is None:
        document = OrderDocument(run=run)
    before = {
        "status": "None" if created else document.status,
        "pairs": "None" if created else str(document.pairs),
        "created_by": str(document.created_by_id) if document.created_by_id else "None",
    }
    document.status = OrderDocumentStatus.QUEUED
    document.attempt += 1
    document.pairs = pairs
    document.content_hash = ""
    # An out-of-date file is not served any more and may name someone erased since: it leaves
    # the disk once this commits (base/file_cleanup.py).
    document.file = ""
    document.error = ""
    document.created_by = acting_user
    document.requested_at = timezone.now()
    document.started_at = document.finished_at = None
    document.full_clean()
    document.save()
    LogEntry.objects.log_create(
        document,
        force_log=True,
        action=LogEntry.Action.CREATE if created else LogEntry.Action.UPDATE,
        actor=acting_user,
        changes={
            "status": [before["status"], document.status],
            "pairs": [before["pairs"], str(pairs)],
            "created_by": [before["created_by"], str(acting_user.pk)],
        },
        changes_text=(
            f"Поставлено в очередь формирование PDF приказа о закреплении пар по подбору № {run.pk} "
            f"({count_ru(pairs, 'пара,пары,пар')}): {reason}."
        ),
    )
    transaction.on_commit(partial(order_pdf_task.enqueue, document.pk, document.attempt))
    return document


def _finish(document_id: int, attempt: int, **fields: object) -> bool:
    """Record the outcome of a build, unless a newer build has taken the row since."""
    rows = OrderDocument.objects.filter(pk=document_id, attempt=attempt).update(
        finished_at=timezone.now(), **fields
    )
    return rows > 0


def order_document_build(document_id: int, attempt: int) -> None:
    """Build a queued PDF (the task's body) from the order's data as they are now, store it
    privately with their fingerprint; a failure is recorded in Russian for the page."""
    started = OrderDocument.objects.filter(
        pk=document_id, attempt=attempt, status=OrderDocumentStatus.QUEUED
    ).update(status=OrderDocumentStatus.BUILDING, started_at=timezone.now())
    if not started:
        return  # built already (a task retried), or queued again since
    document = OrderDocument.objects.select_related("run__program__organisation").get(pk=document_id)
    try:
        data = order_data(document.run)
        pdf = order_pdf(data)
    except Exception:
        logger.exception("order PDF of matching run %s failed", document.run_id)
        _finish(document_id, attempt, status=OrderDocumentStatus.FAILED, error=BUILD_ERROR)
        raise
    document.file.save("prikaz.pdf", ContentFile(pdf), save=False)
    done = _finish(
        document_id,
        attempt,
        status=OrderDocumentStatus.DONE,
        file=document.file.name,
        content_hash=order_fingerprint(data),
        pairs=data.pairs,
    )
    if not done:
        document.file.storage.delete(document.file.name)  # a newer build will store its own
