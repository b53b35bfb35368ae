"""A long class list (50,000 rows) is imported in the background by the task runner (the
immediate backend in tests): its progress is kept in the database, so the page survives a
reload, and one bad row anywhere leaves nothing written."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from bench.imports import as_csv, class_list_rows
from nastavnik.base.time import today_in
from nastavnik.registry.models import ImportJob, ImportJobStatus, Person, PersonKind
from nastavnik.registry.services import imports

pytestmark = pytest.mark.django_db
ROWS = 50_000


def upload_and_preview(client, organisation, data, name="spisok.csv"):
    file = io.BytesIO(data)
    file.name = name
    response = client.post(
        reverse("registry_import:upload"),
        {"file": file, "organisation": organisation.pk, "default_kind": PersonKind.STUDENT},
    )
    assert response.status_code == 302
    return client.get(reverse("registry_import:preview"))


def confirm(client, capture):
    with capture(execute=True):  # the task is enqueued when the job is committed
        response = client.post(reverse("registry_import:confirm"))
    assert response.status_code == 302
    return response


def test_a_50000_row_list_is_imported_in_the_background_with_progress(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks, monkeypatch, settings
):
    client = client_for(school_x_curator)
    rows = class_list_rows(ROWS, seed=1, today=today_in(), guardians=False)
    preview = upload_and_preview(client, school_x, as_csv(rows))
    assert len(preview.context["preview"].to_create) == ROWS
    seen: list[tuple[str, int]] = []
    original_advance = imports._advance

    def recording_advance(job, attempt, **fields):
        taken = original_advance(job, attempt, **fields)
        if taken:
            seen.append((job.status, job.rows_checked))
        return taken

    monkeypatch.setattr(imports, "_advance", recording_advance)
    response = confirm(client, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.url == reverse("registry_import:job", args=[job.pk])
    assert (job.status, job.rows_total, job.created_total) == (ImportJobStatus.DONE, ROWS, ROWS)
    assert Person.objects.filter(organisation=school_x).count() == ROWS
    checked = [n for status, n in seen if status == ImportJobStatus.CHECKING]
    assert checked[:3] == [0, 1000, 2000] and checked[-1] == ROWS - ROWS % 1000
    assert (ImportJobStatus.WRITING, ROWS) in seen

    # A reload (a new request, another client of the same user) shows the outcome.
    page = client_for(school_x_curator).get(response.url).content.decode()
    assert f"<b>добавлено {ROWS} обучающихся</b>" in page
    assert "hx-trigger" not in page  # finished: no more polling
    # Neither the file nor the table read for the preview is kept once the job is done.
    held = settings.PRIVATE_FILE_ROOT / "held"
    assert not held.exists() or not any(held.iterdir())


def test_one_bad_row_at_the_end_of_50000_leaves_nothing_written(
    client_for, school_x, school_x_curator, django_capture_on_commit_callbacks
):
    client = client_for(school_x_curator)
    rows = class_list_rows(ROWS, seed=2, today=today_in(), guardians=False)
    rows[ROWS - 10][2] = "31.02.2012"  # file row ROWS - 9 (the header is row 1)
    upload_and_preview(client, school_x, as_csv(rows))
    confirm(client, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.REJECTED
    assert job.problems == [f"Строка {ROWS - 9}, «Дата рождения»: «31.02.2012» — такой даты нет"]
    assert Person.objects.count() == 0
    page = client.get(reverse("registry_import:job", args=[job.pk])).content.decode()
    assert "Ничего не загружено: 1\u00a0ошибка в файле" in page
    assert f"Строка {ROWS - 9}, «Дата рождения»: «31.02.2012» — такой даты нет" in page


def test_the_progress_survives_a_reload_and_polls_while_running(client_for, school_x, school_x_curator):
    job = ImportJob.objects.create(
        organisation=school_x,
        created_by=school_x_curator,
        filename="spisok.csv",
        default_kind=PersonKind.STUDENT,
        status=ImportJobStatus.CHECKING,
        rows_total=ROWS,
        rows_checked=25_000,
    )
    url = reverse("registry_import:job", args=[job.pk])
    for client in (client_for(school_x_curator), client_for(school_x_curator)):  # page, then reload
        page = client.get(url).content.decode()
        assert "Проверяем строки</b>: 25000 из 50000" in page
        assert 'aria-valuenow="45"' in page and f'hx-get="{url}"' in page
    fragment = client_for(school_x_curator).get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-job"')


def test_another_school_cannot_see_the_import(client_for, school_x, school_x_curator, school_y_curator):
    job = ImportJob.objects.create(
        organisation=school_x, created_by=school_x_curator, filename="a.csv", default_kind=PersonKind.STUDENT
    )
    url = reverse("registry_import:job", args=[job.pk])
    assert client_for(school_y_curator).get(url).status_code == 404
