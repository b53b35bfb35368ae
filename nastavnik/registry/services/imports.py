"""Class list imports in the background: a file longer than `IMPORT_BACKGROUND_ROWS` is held
and imported by the task runner (`registry.tasks.people_import_task`), which records its
progress in an `ImportJob`, so the page showing it survives a reload. The import itself is
`people_import`'s: every row is checked first, and nothing is written unless all of them pass.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nastavnik.accounts.models import User
from nastavnik.base.uploads import HeldUploadMissing, discard_held, read_held
from nastavnik.orgs.access import require_manage_organisation
from nastavnik.orgs.models import Organisation

from ..models import RUNNING_IMPORT_STATUSES, ImportJob, ImportJobStatus, stalled_import_cutoff
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


class _StartedAgain(Exception):
    """The job was started again while this task still worked on it: the task stops."""


def _advance(job: ImportJob, attempt: int, *, was: Collection[str] = (), **fields: Any) -> bool:
    """Set `fields` of the job and note a sign of work, if this start of it (`attempt`) is still
    the job's and, when `was` names them, its status is one of those: one UPDATE, so a task and a
    restart of the job never both take it (the database decides which comes first). Returns
    whether the job was this start's; `job` is brought up to date when it was."""
    now = timezone.now()
    rows = ImportJob.objects.filter(pk=job.pk, attempt=attempt)
    if was:
        rows = rows.filter(status__in=was)
    if not rows.update(heartbeat_at=now, **fields):
        return False
    for name, value in {**fields, "heartbeat_at": now}.items():
        setattr(job, name, value)
    return True


def _finish(job: ImportJob, attempt: int, status: str, **fields: Any) -> None:
    if _advance(job, attempt, status=status, finished_at=timezone.now(), **fields):
        # Once the outcome is kept (the write's transaction, if any, committed): a job started
        # again meanwhile still needs the file.
        transaction.on_commit(partial(discard_held, job.token))


def _reject(job: ImportJob, attempt: int, problems: list[Any]) -> None:
    _finish(
        job,
        attempt,
        ImportJobStatus.REJECTED,
        problems=[str(problem) for problem in problems[:PROBLEMS_KEPT]],
        problem_count=len(problems),
    )


def import_job_run(job_id: int, attempt: int = 0) -> None:
    """Run a queued import (the task's body): check every row, reporting progress, then write
    everything in one transaction, or nothing if any row is bad. `attempt` is the start of the
    job the task was queued for: a task of an earlier start does nothing."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    author = job.created_by
    if author is None:
        return  # its author is gone
    if not _advance(job, attempt, was=[ImportJobStatus.QUEUED], status=ImportJobStatus.CHECKING):
        return  # already run (a task retried), or started again since this task was queued
    try:
        _check_and_write(job, attempt, author)
    except _StartedAgain:
        return
    except Exception:
        logger.exception("class list import %s failed", job.pk)
        _finish(
            job, attempt, ImportJobStatus.FAILED, problems=["Внутренняя ошибка: сообщите администратору."]
        )
        raise


def _check_and_write(job: ImportJob, attempt: int, author: User) -> None:
    try:
        table = read_table(job.filename, read_held(job.token))
    except (ImportFileError, HeldUploadMissing) as exc:
        _finish(job, attempt, ImportJobStatus.FAILED, problems=[str(exc)], problem_count=1)
        return
    mapping = {key: int(index) for key, index in job.mapping.items()}

    def progress(rows: int) -> None:
        if not _advance(job, attempt, rows_checked=rows):
            raise _StartedAgain

    checked = analyse(
        table,
        mapping,
        organisation=job.organisation,
        default_kind=job.default_kind,
        skip_existing=job.skip_existing,
        progress=progress,
    )
    if checked.has_errors:
        _reject(job, attempt, checked.problems)
        return
    writing = {
        "status": ImportJobStatus.WRITING,
        "rows_total": len(table.rows),
        "rows_checked": len(table.rows),
    }
    if not _advance(job, attempt, was=[ImportJobStatus.CHECKING], **writing):
        raise _StartedAgain
    try:
        # The job is taken once more inside the write's transaction, and finished in it: its row
        # (PostgreSQL), or the database (SQLite), stays locked until the people are written, so
        # a restart meanwhile waits and then finds the job done.
        with transaction.atomic():
            if not _advance(job, attempt, was=[ImportJobStatus.WRITING]):
                raise _StartedAgain
            result = people_import(
                acting_user=author,
                organisation=job.organisation,
                table=table,
                mapping=mapping,
                default_kind=job.default_kind,
                skip_existing=job.skip_existing,
                checked=checked,
            )
            _finish(job, attempt, ImportJobStatus.DONE, summary=result.summary(), created_total=result.total)
    except ImportRejected as exc:
        _reject(job, attempt, exc.problems)
    except PermissionDenied as exc:
        _finish(job, attempt, ImportJobStatus.FAILED, problems=[str(exc)], problem_count=1)


def import_job_restart(*, acting_user: User, job: ImportJob) -> ImportJob:
    """Start again an import that has lost its task (`ImportJob.is_stalled`: the task runner
    was stopped or killed during it, or is not running). Nothing of it was written: the write is
    one transaction. A task of the earlier start that is still alive changes nothing more."""
    from ..tasks import people_import_task

    require_manage_organisation(acting_user, job.organisation_id)
    restarted = ImportJob.objects.filter(
        pk=job.pk, status__in=RUNNING_IMPORT_STATUSES, heartbeat_at__lt=stalled_import_cutoff()
    ).update(
        status=ImportJobStatus.QUEUED, attempt=F("attempt") + 1, rows_checked=0, heartbeat_at=timezone.now()
    )
    if not restarted:
        raise ValidationError("Загрузка идёт или уже закончилась: запускать её заново не нужно.")
    job.refresh_from_db()
    logger.info(
        "class list import %s started again (start %s) by user %s", job.pk, job.attempt, acting_user.pk
    )
    transaction.on_commit(partial(people_import_task.enqueue, job.pk, job.attempt))
    return job
