"""Tasks of the registry for the task runner (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def people_import_task(job_id: int) -> None:
    """A class list import queued by `services.imports.import_job_start`."""
    from .services.imports import import_job_run

    import_job_run(job_id)
