"""The import preview (issue 13): «разобрано N из M строк» and what was skipped, a roadmap of other
years moved to this one in a click, a row's list read as events or as one event in a click (HTMX,
and without JavaScript), and nothing saved before «Сохранить»."""

from __future__ import annotations

import io
from pathlib import Path

from django.urls import reverse

from nastavnik.base.time import local_today
from nastavnik.orgs.models import academic_year_of
from nastavnik.roadmaps.models import EventStatus, Roadmap
from nastavnik.roadmaps.selectors import event_state

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps"
STUDENTS = FIXTURES / "roadmap-school-students-2020.txt"
STAGES = FIXTURES / "real" / "18-kindergarten-stage-lists.tsv"


def upload(client, owner: str, path: Path):  # type: ignore[no-untyped-def]
    data = io.BytesIO(path.read_bytes())
    data.name = path.name
    return client.post(reverse("roadmaps:import"), {"owner": owner, "file": data, "year": ""})


def test_the_preview_accounts_for_every_line_and_lists_what_was_skipped(
    client_for, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    response = upload(
        client_for(school_x_curator),
        f"org:{school_x.pk}",
        FIXTURES / "real" / "21-municipal-pdf-heads-of-schools.txt",
    )
    page = response.content.decode()
    assert "Разобрано <strong>46</strong> из <strong>48</strong> строк файла, пропущено 2" in page
    assert "Что пропущено" in page and "Начальник Управления образования" in page
    assert "текст под таблицей (подписи, пояснения)" in page
    assert not Roadmap.objects.exists()


def test_a_roadmap_of_other_years_is_moved_to_this_year_in_one_click(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    owner = f"org:{school_x.pk}"
    response = upload(client, owner, STUDENTS)
    this_year = academic_year_of(local_today())
    offset = this_year - 2020
    page = response.content.decode()
    assert "не совпадают с учебным годом" in page
    assert f"Перенести на этот учебный год ({this_year}–{this_year + 1} учебный год)" in page
    token = response.context["token"]
    moved = client.post(
        reverse("roadmaps:import_options", args=[token]), {"shift": str(offset)}, HTTP_HX_REQUEST="true"
    )
    part = moved.content.decode()
    assert moved.status_code == 200 and "<html" not in part  # the HTMX fragment only
    assert "Все сроки перенесены" in part and "не совпадают с учебным годом" not in part
    client.post(reverse("roadmaps:import"), {"token": token, "owner": owner, "year": ""})
    roadmap = Roadmap.objects.get()
    assert (roadmap.period_start.year, roadmap.period_end.year) == (this_year, this_year + 1)
    december = roadmap.events.filter(deadline_text__iexact="декабрь").first()
    assert december is not None and december.ends_on.year == this_year
    states = [event_state(e, roadmap, roadmap.period_start) for e in roadmap.events.all()]
    assert not [s for s in states if s.status == EventStatus.OVERDUE]  # not 37 of 38 «просрочено»


def test_a_rows_list_switches_between_events_and_content(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    owner = f"org:{school_x.pk}"
    response = upload(client, owner, STAGES)
    assert response.context["draft"].events.__len__() == 10
    assert "Список — одним мероприятием" in response.content.decode()
    token = response.context["token"]
    row = response.context["draft"].events[0].list_row
    # without JavaScript: the form posts and the preview comes back by redirect
    plain = client.post(reverse("roadmaps:import_options", args=[token]), {"row": row, "choice": "whole"})
    assert plain.status_code == 302 and plain["Location"] == reverse("roadmaps:import_preview", args=[token])
    again = client.get(plain["Location"])
    assert len(again.context["draft"].events) == 8
    assert "Каждый пункт — мероприятие" in again.content.decode()
    client.post(reverse("roadmaps:import"), {"token": token, "owner": owner, "year": ""})
    roadmap = Roadmap.objects.get()
    assert roadmap.events.count() == 8
    assert roadmap.events.order_by("position").first().title == (
        "Подготовка условий для реализации системы наставничества"
    )


def test_another_user_cannot_touch_an_upload_held_in_someone_elses_session(  # type: ignore[no-untyped-def]
    client_for, school_x, school_x_curator, school_y_curator
):
    response = upload(client_for(school_x_curator), f"org:{school_x.pk}", STAGES)
    token = response.context["token"]
    other = client_for(school_y_curator)
    assert other.get(reverse("roadmaps:import_preview", args=[token])).status_code == 404
    assert other.post(reverse("roadmaps:import_options", args=[token]), {"shift": "1"}).status_code == 404
