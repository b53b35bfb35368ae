"""A background import whose task was lost (the task runner stopped, killed or never started) is
shown as such and can be started again; a task of an earlier start that is still alive changes
nothing more, so nobody is imported twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bench.imports import as_csv, class_list_rows
from nastavnik.base.time import today_in
from nastavnik.base.uploads import hold_upload
from nastavnik.registry.models import ImportJob, ImportJobStatus, Person, PersonKind
from nastavnik.registry.people_import import auto_mapping, read_table
from nastavnik.registry.services import imports

pytestmark = pytest.mark.django_db
ROWS = 1200  # above one progress step (a thousand rows)


def held_job(organisation, author, *, status, minutes_ago, rows=ROWS):
    """A job of a held list of `rows` children, in `status`, its last sign of work `minutes_ago`
    (the runner gives up on one after IMPORT_STALLED_MINUTES, 10 by default)."""
    data = as_csv(class_list_rows(rows, seed=1, today=today_in(), guardians=False))
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=author,
        token=hold_upload(data, "class-list", name="spisok.csv"),
        filename="spisok.csv",
        mapping=auto_mapping(read_table("spisok.csv", data)),
        default_kind=PersonKind.STUDENT,
        status=status,
        rows_total=rows,
        rows_checked=1000 if status == ImportJobStatus.CHECKING else 0,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )
    return job


def restart(client, job, capture):
    with capture(execute=True):  # the task is enqueued once the restart is committed
        return client.post(reverse("registry_import:job_restart", args=[job.pk]))


def test_an_import_whose_task_was_lost_says_so_and_starts_again(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks
):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.CHECKING, minutes_ago=25)
    client = client_for(school_x_curator)
    url = reverse("registry_import:job", args=[job.pk])

    page = client.get(url).content.decode()
    assert "<b>Загрузка прервалась</b>: проверено 1000 из 1200" in page
    assert "В базу ничего не записано" in page
    assert reverse("registry_import:job_restart", args=[job.pk]) in page
    assert 'role="progressbar"' not in page
    assert 'hx-trigger="every 5s"' in page  # a runner that comes back is still seen

    response = restart(client, job, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response.url == url
    job.refresh_from_db()
    assert (job.status, job.attempt, job.created_total) == (ImportJobStatus.DONE, 1, ROWS)
    assert Person.objects.filter(organisation=school_x).count() == ROWS
    page = client.get(url).content.decode()
    assert "Загрузка запущена заново." in page and f"<b>добавлено {ROWS} обучающихся</b>" in page


def test_a_job_queued_with_no_runner_taking_it_points_at_the_runner(client_for, school_x, school_x_curator):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.QUEUED, minutes_ago=15)
    page = client_for(school_x_curator).get(reverse("registry_import:job", args=[job.pk])).content.decode()
    assert "<b>Загрузка не началась</b>" in page
    assert "обработчик фоновых задач его не берёт" in page and "nastavnik-worker" in page
    assert reverse("registry_import:job_restart", args=[job.pk]) in page


def test_a_job_still_showing_signs_of_work_is_not_started_again(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks
):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.CHECKING, minutes_ago=2)
    client = client_for(school_x_curator)
    page = client.get(reverse("registry_import:job", args=[job.pk])).content.decode()
    assert "Проверяем строки</b>: 1000 из 1200" in page
    assert reverse("registry_import:job_restart", args=[job.pk]) not in page

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("registry_import:job_restart", args=[job.pk]), follow=True)
    assert "Загрузка идёт или уже закончилась: запускать её заново не нужно." in response.content.decode()
    assert queued == []
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJobStatus.CHECKING, 0)


def test_a_finished_job_is_not_started_again(client_for, school_x, school_x_curator):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.DONE, minutes_ago=60)
    client_for(school_x_curator).post(reverse("registry_import:job_restart", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJobStatus.DONE, 0)


def test_the_task_of_an_earlier_start_changes_nothing(school_x, school_x_curator):
    """The earlier task was only slow, not gone, and is picked up after the restart: it finds
    the job is not its own any more and leaves it to the new start."""
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.QUEUED, minutes_ago=15)
    job.attempt = 1
    job.save()
    imports.import_job_run(job.pk, attempt=0)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.rows_checked) == (ImportJobStatus.QUEUED, 1, 0)
    assert Person.objects.count() == 0


def test_a_task_started_again_while_checking_stops_before_writing(school_x, school_x_curator, monkeypatch):
    """The restart lands while the earlier task checks the rows: at its next sign of work the
    earlier task stops, writing nothing and leaving the job to the new start."""
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.QUEUED, minutes_ago=0)
    real_analyse = imports.analyse

    def analyse_restarted_midway(*args, progress, **kwargs):
        def progress_then_restart(rows):
            progress(rows)
            if rows == 1000:  # the user starts the job again now
                ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED, attempt=1)

        return real_analyse(*args, progress=progress_then_restart, **kwargs)

    monkeypatch.setattr(imports, "analyse", analyse_restarted_midway)
    imports.import_job_run(job.pk, attempt=0)
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJobStatus.QUEUED, 1)
    assert Person.objects.count() == 0
    # The new start still has its file and imports everyone once.
    monkeypatch.setattr(imports, "analyse", real_analyse)
    imports.import_job_run(job.pk, attempt=1)
    job.refresh_from_db()
    assert (job.status, job.created_total) == (ImportJobStatus.DONE, ROWS)
    assert Person.objects.filter(organisation=school_x).count() == ROWS


def test_a_task_that_finds_its_job_taken_before_the_write_writes_nothing(
    school_x, school_x_curator, monkeypatch
):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.QUEUED, minutes_ago=0)
    real_analyse = imports.analyse

    def analyse_then_restarted(*args, **kwargs):
        checked = real_analyse(*args, **kwargs)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED, attempt=1)
        return checked

    monkeypatch.setattr(imports, "analyse", analyse_then_restarted)
    monkeypatch.setattr(imports, "people_import", lambda **kwargs: pytest.fail("an earlier start wrote"))
    imports.import_job_run(job.pk, attempt=0)
    assert Person.objects.count() == 0


def test_another_school_cannot_start_the_import_again(
    client_for, school_x, school_x_curator, school_y_curator
):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.CHECKING, minutes_ago=25)
    response = client_for(school_y_curator).post(reverse("registry_import:job_restart", args=[job.pk]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert (job.status, job.attempt) == (ImportJobStatus.CHECKING, 0)


def test_the_restart_takes_a_post(client_for, school_x, school_x_curator):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.CHECKING, minutes_ago=25)
    response = client_for(school_x_curator).get(reverse("registry_import:job_restart", args=[job.pk]))
    assert response.status_code == 405


def test_a_restart_whose_file_is_gone_says_what_to_do(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks, settings
):
    job = held_job(school_x, school_x_curator, status=ImportJobStatus.CHECKING, minutes_ago=25)
    ImportJob.objects.filter(pk=job.pk).update(token="gone.csv")  # held longer than uploads are kept
    client = client_for(school_x_curator)
    restart(client, job, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    page = client.get(reverse("registry_import:job", args=[job.pk])).content.decode()
    assert "<p>Ничего не загружено.</p>" in page and "в файле" not in page
    hours = settings.HELD_UPLOAD_MAX_AGE_HOURS
    assert f"Загруженный файл не найден (возможно, прошло больше {hours} ч): загрузите его снова." in page
    assert "Загрузить файл снова" in page
