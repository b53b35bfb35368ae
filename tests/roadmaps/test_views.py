"""Views: strangers get 404, list pages have a fixed number of queries, import previews before saving,
HTMX status change, exports; the management commands and reminders."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from nastavnik.roadmaps import selectors, services
from nastavnik.roadmaps.importing import read_roadmap_file
from nastavnik.roadmaps.models import ReminderLog, Roadmap, RoadmapEvent
from tests.factories import TeacherFactory, UserFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps"
CMN = FIXTURES / "roadmap-school-cmn-2020.txt"


def make_roadmap(user, organisation, name: str = "roadmap-school-cmn-2020.txt") -> Roadmap:  # type: ignore[no-untyped-def]
    return services.roadmap_import(
        acting_user=user, draft=read_roadmap_file(FIXTURES / name), organisation=organisation
    )


# --- isolation -------------------------------------------------------------------------------------


def test_a_user_of_school_y_gets_404_for_school_xs_roadmap(
    client_for, school_x, school_x_curator, school_y_curator
):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.first()
    assert event is not None
    stranger = client_for(school_y_curator)
    for url in (
        reverse("roadmaps:detail", args=[roadmap.pk]),
        reverse("roadmaps:calendar", args=[roadmap.pk]),
        reverse("roadmaps:export", args=[roadmap.pk, "docx"]),
    ):
        assert stranger.get(url).status_code == 404, url
    assert (
        stranger.post(reverse("roadmaps:event_status", args=[event.pk]), {"status": "done"}).status_code
        == 404
    )
    assert stranger.post(reverse("roadmaps:roll_over", args=[roadmap.pk])).status_code == 404
    assert stranger.get(reverse("roadmaps:event_edit", args=[event.pk])).status_code == 404
    assert (
        stranger.post(reverse("roadmaps:event_edit", args=[event.pk]), {"title": "взлом"}).status_code == 404
    )
    assert stranger.get(reverse("roadmaps:summary") + f"?organisation={school_x.pk}").status_code == 404
    assert roadmap.title not in stranger.get(reverse("roadmaps:list")).content.decode()
    event.refresh_from_db()
    assert event.status == "planned"


def test_the_school_and_its_overseers_see_the_roadmap(  # type: ignore[no-untyped-def]
    client_for, school_x, school_x_curator, school_x_specialist, municipal_curator_a, regional_user
):
    roadmap = make_roadmap(school_x_curator, school_x)
    for user in (school_x_curator, school_x_specialist, municipal_curator_a, regional_user):
        response = client_for(user).get(reverse("roadmaps:detail", args=[roadmap.pk]))
        assert response.status_code == 200
        assert "Нормативно-правовое обеспечение ЦМН" in response.content.decode()


def test_a_specialist_sees_but_cannot_change(client_for, school_x, school_x_curator, school_x_specialist):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.first()
    assert event is not None
    client = client_for(school_x_specialist)
    assert (
        "Изменить</button>" not in client.get(reverse("roadmaps:detail", args=[roadmap.pk])).content.decode()
    )
    assert (
        client.post(reverse("roadmaps:event_status", args=[event.pk]), {"status": "done"}).status_code == 403
    )
    assert client.get(reverse("roadmaps:import")).status_code == 403


def test_anonymous_users_are_sent_to_login(client, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    response = client.get(reverse("roadmaps:detail", args=[roadmap.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["roadmaps:list", "roadmaps:summary"])
def test_list_pages_take_the_same_number_of_queries_for_1_and_3_roadmaps(  # type: ignore[no-untyped-def]
    url_name, client_for, school_x, school_x_curator, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(school_x_curator)
    make_roadmap(school_x_curator, school_x)
    client.get(reverse(url_name))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name)).status_code == 200
    make_roadmap(school_x_curator, school_x, "roadmap-school-students-2020.txt")
    make_roadmap(school_x_curator, school_x)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_the_list_shows_how_far_each_roadmap_is_behind(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(
        school_x_curator, school_x
    )  # a 2020 roadmap: by now, all its undone events are late
    from nastavnik.base.time import local_today

    control = selectors.roadmap_control(roadmap, local_today())
    assert control.overdue
    page = client_for(school_x_curator).get(reverse("roadmaps:list")).content.decode()
    assert f'<span class="badge bad">{len(control.overdue)}</span>' in page
    assert f'{control.done} <span class="muted">({control.done_percent}%)</span>' in page


def test_the_control_page_does_not_query_per_event(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(school_x_curator)
    small = services.roadmap_create_from_template(
        acting_user=school_x_curator, template_key="teachers", academic_year=2025, organisation=school_x
    )
    big = make_roadmap(school_x_curator, school_x, "roadmap-school-students-2020.txt")
    client.get(reverse("roadmaps:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("roadmaps:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("roadmaps:detail", args=[big.pk]))
    assert len(many.captured_queries) == len(few.captured_queries)


# --- pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count", "note"),
    [
        ("roadmap-school-cmn-2020.txt", 19, "определён по датам"),
        ("roadmap-school-students-2020.txt", 38, "2020–2021 учебный год (из заголовка)"),
        ("roadmap-municipal-2020-2024.txt", 16, "2020–2024 годы (из заголовка)"),
    ],
)
def test_import_shows_a_preview_and_saves_only_on_confirmation(  # type: ignore[no-untyped-def]
    name, count, note, client_for, school_x, school_x_curator, municipal_curator_a, municipality_a
):
    municipal = "municipal" in name
    client = client_for(municipal_curator_a if municipal else school_x_curator)
    owner = f"mun:{municipality_a.pk}" if municipal else f"org:{school_x.pk}"
    assert client.get(reverse("roadmaps:import")).status_code == 200
    upload = io.BytesIO((FIXTURES / name).read_bytes())
    upload.name = name
    response = client.post(reverse("roadmaps:import"), {"owner": owner, "file": upload, "year": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"мероприятий: <strong>{count}</strong>" in page
    assert note in page
    assert not Roadmap.objects.exists()
    token = response.context["token"]
    response = client.post(reverse("roadmaps:import"), {"token": token, "owner": owner, "year": ""})
    roadmap = Roadmap.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "roadmaps:detail", args=[roadmap.pk]
    )
    assert roadmap.events.count() == count
    assert (roadmap.municipality if municipal else roadmap.organisation) == (
        municipality_a if municipal else school_x
    )
    # the stored upload is gone: it cannot be saved twice
    again = client.post(reverse("roadmaps:import"), {"token": token, "owner": owner, "year": ""})
    assert again.status_code == 404 and Roadmap.objects.count() == 1


def test_a_garbage_upload_shows_a_russian_error_and_saves_nothing(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    upload = io.BytesIO(b"\x00\x01garbage")
    upload.name = "map.txt"
    response = client.post(reverse("roadmaps:import"), {"owner": f"org:{school_x.pk}", "file": upload})
    assert response.status_code == 200
    assert "не похож на текст" in response.content.decode()
    assert not Roadmap.objects.exists()


def test_one_cannot_import_into_a_school_one_does_not_manage(
    client_for, school_x, school_y, school_y_curator
):  # type: ignore[no-untyped-def]
    upload = io.BytesIO(CMN.read_bytes())
    upload.name = "cmn.txt"
    response = client_for(school_y_curator).post(
        reverse("roadmaps:import"), {"owner": f"org:{school_x.pk}", "file": upload}
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Roadmap.objects.exists()


def test_status_changes_with_htmx_return_the_row(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.order_by("position").first()
    assert event is not None
    response = client_for(school_x_curator).post(
        reverse("roadmaps:event_status", args=[event.pk]),
        {"status": "done", "done_on": "2020-11-05", "result_link": "https://school7.example/prikaz"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="event-{event.pk}"')
    assert "выполнено" in html and "https://school7.example/prikaz" in html
    event.refresh_from_db()
    assert (event.status, event.done_on) == ("done", dt.date(2020, 11, 5))
    # a result attached later to the done event keeps it done
    assert "Приложить результат" in html
    client_for(school_x_curator).post(
        reverse("roadmaps:event_status", args=[event.pk]),
        {"status": "done", "result_link": "https://school7.example/otchet"},
        HTTP_HX_REQUEST="true",
    )
    event.refresh_from_db()
    assert (event.status, event.done_on, event.result_link) == (
        "done",
        dt.date(2020, 11, 5),
        "https://school7.example/otchet",
    )
    assert event.completions.count() == 1


def test_a_wrong_status_is_shown_in_the_row(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.order_by("position").first()
    assert event is not None
    response = client_for(school_x_curator).post(
        reverse("roadmaps:event_status", args=[event.pk]), {"status": "overdue"}, HTTP_HX_REQUEST="true"
    )
    assert "Выберите корректный вариант" in response.content.decode()
    event.refresh_from_db()
    assert event.status == "planned"


def test_template_roll_over_calendar_summary_and_exports(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    client = client_for(school_x_curator)
    assert client.get(reverse("roadmaps:from_template")).status_code == 200
    response = client.post(
        reverse("roadmaps:from_template"),
        {"owner": f"org:{school_x.pk}", "template": "students", "academic_year": 2025},
    )
    roadmap = Roadmap.objects.get()
    assert response["Location"] == reverse("roadmaps:detail", args=[roadmap.pk])
    calendar = client.get(reverse("roadmaps:calendar", args=[roadmap.pk]) + "?month=2025-09")
    assert calendar.status_code == 200 and "Издание приказа" in calendar.content.decode()
    summary = client.get(reverse("roadmaps:summary") + f"?organisation={school_x.pk}")
    assert summary.status_code == 200 and "Сводка: " + school_x.short_name in summary.content.decode()
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(reverse("roadmaps:export", args=[roadmap.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(magic), fmt
    assert client.get(reverse("roadmaps:export", args=[roadmap.pk, "exe"])).status_code == 404
    response = client.post(reverse("roadmaps:roll_over", args=[roadmap.pk]))
    assert Roadmap.objects.count() == 2
    assert Roadmap.objects.exclude(pk=roadmap.pk).get().period_start == dt.date(2026, 9, 1)


def test_a_municipal_curator_gets_a_municipality_summary(
    client_for, municipality_a, municipal_curator_a, school_y_curator
):  # type: ignore[no-untyped-def]
    services.roadmap_import(
        acting_user=municipal_curator_a,
        draft=read_roadmap_file(FIXTURES / "roadmap-municipal-2020-2024.txt"),
        municipality=municipality_a,
    )
    response = client_for(municipal_curator_a).get(
        reverse("roadmaps:summary") + f"?municipality={municipality_a.pk}"
    )
    assert response.status_code == 200 and "Управление образования" in response.content.decode()
    assert (
        client_for(school_y_curator)
        .get(reverse("roadmaps:summary") + f"?municipality={municipality_a.pk}")
        .status_code
        == 404
    )


# --- management commands ---------------------------------------------------------------------------


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_prints_json_and_writes_nothing_with_dry_run() -> None:
    out, err = run(
        str(FIXTURES / "roadmap-school-students-2020.txt"), "--dry-run", "--json", "--year", "2023-2024"
    )
    data = json.loads(out)
    assert set(data) == {"title", "events"}
    assert len(data["events"]) == 38
    first = data["events"][0]
    assert first == {
        "number": None,
        "section": None,
        "title": "Разработка школьной программы наставничества",
        "content": "",
        "deadline_text": "декабрь",
        "starts_on": "2023-12-01",
        "ends_on": "2023-12-31",
        "recurrence": "once",
        "responsible": [],
        "expected_result": "",
        "indicator": "",
    }
    assert data["events"][24]["starts_on"] == "2023-09-01"  # «Постоянно» over the given year
    assert data["events"][32]["starts_on"] is None  # «По согласованию»
    assert not Roadmap.objects.exists()


@pytest.mark.django_db
def test_the_command_saves_without_dry_run(school_x, school_x_curator) -> None:  # type: ignore[no-untyped-def]
    out, err = run(str(CMN), "--organisation", str(school_x.pk), "--user", school_x_curator.username)
    roadmap = Roadmap.objects.get()
    assert roadmap.events.count() == 19 and roadmap.organisation == school_x
    assert f"#{roadmap.pk}" in err


@pytest.mark.django_db
def test_the_command_refuses_garbage_and_strangers(tmp_path, school_x, school_y_curator) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "garbage.docx"
    garbage.write_bytes(b"not a document at all")
    with pytest.raises(CommandError, match="документ Word"):
        run(str(garbage), "--dry-run", "--json")
    with pytest.raises(CommandError, match="учебный год"):
        run(str(CMN), "--dry-run", "--year", "когда-нибудь")
    with pytest.raises(CommandError, match="--organisation"):
        run(str(CMN), "--user", school_y_curator.username)
    with pytest.raises(Exception, match="кураторы"):
        run(str(CMN), "--organisation", str(school_x.pk), "--user", school_y_curator.username)
    assert not Roadmap.objects.exists()


def test_reminders_go_once_to_responsibles_and_curators(school_x, school_x_curator) -> None:  # type: ignore[no-untyped-def]
    school_x_curator.email = "curator@school-x.example"
    school_x_curator.save()
    TeacherFactory(
        organisation=school_x,
        last_name="Демакова",
        first_name="Татьяна",
        middle_name="В",
        email="demakova@school-x.example",
    )
    make_roadmap(school_x_curator, school_x)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2020-11-05", "--days", "7", stdout=out)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["curator@school-x.example", "demakova@school-x.example"]
    demakova_letter = next(m for m in mail.outbox if "demakova@school-x.example" in m.to)
    assert "Разработка и утверждение Дорожной карты" in demakova_letter.body
    assert "09.11.2020" in demakova_letter.body
    sent = ReminderLog.objects.count()
    assert sent > 0
    call_command("send_reminders", "--today", "2020-11-05", "--days", "7", stdout=io.StringIO())
    assert len(mail.outbox) == 2 and ReminderLog.objects.count() == sent
    # a week later the same events are overdue: a new kind of reminder
    call_command("send_reminders", "--today", "2020-11-12", stdout=io.StringIO())
    assert any("Просрочено" in m.body for m in mail.outbox[2:])


def test_a_municipal_event_for_the_organisations_reminds_every_school_of_the_municipality(  # type: ignore[no-untyped-def]
    municipality_a, municipal_curator_a, school_x_curator, school_y_curator, school_z
):
    from nastavnik.accounts.models import Role
    from tests.factories import user_with_role

    outsider = user_with_role(Role.PROGRAM_CURATOR, organisation=school_z)
    for user, address in (
        (municipal_curator_a, "mun@a.example"),
        (school_x_curator, "x@school.example"),
        (school_y_curator, "y@school.example"),
        (outsider, "z@school.example"),
    ):
        user.email = address
        user.save()
    services.roadmap_create_from_template(
        acting_user=municipal_curator_a,
        template_key="municipal",
        academic_year=2030,
        municipality=municipality_a,
    )
    # 25.09.2030: «1.1 … сентябрь» (Управление образования | Руководители ОО) is due within a week;
    # «3.2 … июнь» has no organisation-level responsible and is not due anyway.
    call_command("send_reminders", "--today", "2030-09-25", "--days", "7", stdout=io.StringIO())
    letters = {address: m.body for m in mail.outbox for address in m.to}
    assert sorted(letters) == ["mun@a.example", "x@school.example", "y@school.example"]
    assert "Утверждение муниципальной дорожной карты" in letters["y@school.example"]


def test_reminders_dry_run_sends_nothing(school_x, school_x_curator) -> None:  # type: ignore[no-untyped-def]
    school_x_curator.email = "curator@school-x.example"
    school_x_curator.save()
    make_roadmap(school_x_curator, school_x)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2020-11-05", "--dry-run", stdout=out)
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    assert "curator@school-x.example" in out.getvalue()


def test_events_of_a_deleted_user_do_not_break_the_list(client_for, school_x, school_x_curator) -> None:  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    other = UserFactory()
    roadmap.created_by = other
    roadmap.save()
    other.delete()
    assert client_for(school_x_curator).get(reverse("roadmaps:list")).status_code == 200
    assert RoadmapEvent.objects.filter(roadmap=roadmap).count() == 19


# --- correcting an event by hand -----------------------------------------------------------------


def test_a_curator_corrects_an_unparsed_deadline_and_the_responsibles(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.order_by("position").first()
    assert event is not None
    teacher = TeacherFactory(
        organisation=school_x, last_name="Лагунова", first_name="Елена", middle_name="Петровна"
    )
    client = client_for(school_x_curator)
    page = client.get(reverse("roadmaps:event_edit", args=[event.pk]))
    assert page.status_code == 200
    assert event.title in page.content.decode()
    response = client.post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        {
            "title": "Разработка и утверждение дорожной карты",
            "content": "",
            "deadline_text": "До 15.12.2020",
            "responsible": "Е.П. Лагунова, учитель\nКуратор программы",
            "expected_result": "Приказ",
            "indicator": "",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Разработка и утверждение дорожной карты"
    assert event.ends_on == dt.date(2020, 12, 15)
    assert event.deadline_understood
    responsibles = list(event.responsibles.order_by("position"))
    assert [r.text for r in responsibles] == ["Е.П. Лагунова, учитель", "Куратор программы"]
    assert responsibles[0].person == teacher
    assert responsibles[1].person is None


def test_an_unreadable_deadline_is_kept_as_written_and_flagged(client_for, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.order_by("position").first()
    assert event is not None
    client_for(school_x_curator).post(
        reverse("roadmaps:event_edit", args=[event.pk]),
        {"title": event.title, "deadline_text": "когда получится", "responsible": ""},
    )
    event.refresh_from_db()
    assert event.deadline_text == "когда получится"
    assert not event.deadline_understood
    assert event.responsibles.count() == 0


def test_a_specialist_cannot_edit_an_event(client_for, school_x, school_x_curator, school_x_specialist):  # type: ignore[no-untyped-def]
    roadmap = make_roadmap(school_x_curator, school_x)
    event = roadmap.events.first()
    assert event is not None
    assert (
        client_for(school_x_specialist).get(reverse("roadmaps:event_edit", args=[event.pk])).status_code
        == 403
    )
