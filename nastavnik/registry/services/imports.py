"""Class list imports in the background: a file longer than `IMPORT_BACKGROUND_ROWS` is held
and imported by the task runner (`registry.tasks.people_import_task`), which records its
progress in an `ImportJob`, so the page showing it survives a reload. The import itself is
`people_import`'s: every row is checked first, and nothing is written unless all of them pass.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.uploads import HeldUploadMissing, discard_held, read_held
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import Organisation

from ..models import ImportJob, ImportJobStatus
from ..people_import import ImportFileError, ImportRejected, analyse, people_import, read_table

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 200  # the first problems are shown; the rest are counted


def import_job_start(
    *,
    acting_user: User,
    organisation: Organisation,
    token: str,
    filename: str,
    mapping: dict[str, int],
    default_kind: str,
    skip_existing: bool,
    rows_total: int,
) -> ImportJob:
    """Queue the import of a held file; the task starts once the job is committed."""
    from ..tasks import people_import_task

    require_manage_organisation(acting_user, organisation.pk)
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=acting_user,
        token=token,
        filename=filename,
        mapping=mapping,
        default_kind=default_kind,
        skip_existing=skip_existing,
        rows_total=rows_total,
    )
    transaction.on_commit(partial(people_import_task.enqueue, job.pk))
    return job


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = timezone.now()
    job.save()
    discard_held(job.token)


def _reject(job: ImportJob, problems: list[Any]) -> None:
    _finish(
        job,
        ImportJobStatus.REJECTED,
        problems=[str(problem) for problem in problems[:PROBLEMS_KEPT]],
        problem_count=len(problems),
    )


def import_job_run(job_id: int) -> None:
    """Run a queued import (the task's body): check every row, reporting progress, then write
    everything in one transaction, or nothing if any row is bad."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    if job.status != ImportJobStatus.QUEUED or job.created_by is None:
        return  # already run (a task retried) or its author is gone
    job.status = ImportJobStatus.CHECKING
    job.save(update_fields=["status"])
    try:
        table = read_table(job.filename, read_held(job.token))
    except (ImportFileError, HeldUploadMissing) as exc:
        _finish(job, ImportJobStatus.FAILED, problems=[str(exc)], problem_count=1)
        return
    mapping = {key: int(index) for key, index in job.mapping.items()}

    def progress(rows: int) -> None:
        job.rows_checked = rows
        job.save(update_fields=["rows_checked"])

    job.rows_total = len(table.rows)
    checked = analyse(
        table,
        mapping,
        organisation=job.organisation,
        default_kind=job.default_kind,
        skip_existing=job.skip_existing,
        progress=progress,
    )
    job.rows_checked = len(table.rows)
    if checked.has_errors:
        _reject(job, checked.problems)
        return
    job.status = ImportJobStatus.WRITING
    job.save(update_fields=["status", "rows_total", "rows_checked"])
    try:
        result = people_import(
            acting_user=job.created_by,
            organisation=job.organisation,
            table=table,
            mapping=mapping,
            default_kind=job.default_kind,
            skip_existing=job.skip_existing,
            checked=checked,
        )
    except ImportRejected as exc:
        _reject(job, exc.problems)
        return
    except PermissionDenied as exc:
        _finish(job, ImportJobStatus.FAILED, problems=[str(exc)], problem_count=1)
        return
    except Exception:
        logger.exception("class list import %s failed", job.pk)
        _finish(job, ImportJobStatus.FAILED, problems=["Внутренняя ошибка: сообщите администратору."])
        raise
    _finish(job, ImportJobStatus.DONE, summary=result.summary(), created_total=result.total)
