"""Tasks of the registry for the task runner (settings.TASKS)."""

from __future__ import annotations

from django_tasks import task


@task()
def people_import_task(job_id: int, attempt: int = 0) -> None:
    """A class list import queued by `services.imports.import_job_start` (or started again by
    `import_job_restart`: `attempt` is the start it was queued for)."""
    from .services.imports import import_job_run

    import_job_run(job_id, attempt)
