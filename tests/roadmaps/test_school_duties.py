"""A municipal roadmap carried out school by school: which events every school carries out, each
school's own status, result file and comment, the municipality's matrix and its reminders, and
who may see and change what."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nastavnik.accounts.models import Role
from nastavnik.orgs.models import OrganisationKind
from nastavnik.roadmaps import services
from nastavnik.roadmaps.models import (
    EventResponsible,
    EventStatus,
    ResponsibleLevel,
    Roadmap,
    RoadmapEvent,
    SchoolEventStatus,
    SchoolStatus,
)
from nastavnik.roadmaps.reminders import remind_late_schools
from nastavnik.roadmaps.school_duties import (
    duties_for_schools,
    is_school_duty,
    is_school_level,
    municipality_progress,
    school_matrix,
)
from tests.factories import OrganisationFactory, user_with_role

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def add_event(roadmap, position, title, deadline, ends_on, responsibles):  # type: ignore[no-untyped-def]
    event = RoadmapEvent.objects.create(
        roadmap=roadmap,
        position=position,
        number=str(position),
        title=title,
        deadline_text=deadline,
        ends_on=ends_on,
    )
    for index, (text, level) in enumerate(responsibles):
        EventResponsible.objects.create(event=event, position=index, text=text, level=level)
    return event


@pytest.fixture
def municipal_roadmap(municipality_a):  # type: ignore[no-untyped-def]
    roadmap = Roadmap.objects.create(
        municipality=municipality_a,
        title="Муниципальная дорожная карта внедрения ЦМН на 2025–2026 учебный год",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
        has_municipal_level=True,
    )
    add_event(
        roadmap,
        1,
        "Разработка программ наставничества в ОО",
        "до 31.10.2025",
        D(2025, 10, 31),
        [
            ("Управление образования", ResponsibleLevel.MUNICIPAL),
            ("Руководители ОО", ResponsibleLevel.ORGANISATION),
        ],
    )
    add_event(
        roadmap,
        2,
        "Приказ о назначении муниципального куратора",
        "сентябрь",
        D(2025, 9, 30),
        [("Управление образования", ResponsibleLevel.ANY)],
    )
    add_event(
        roadmap,
        3,
        "Конкурс лучших практик наставничества",
        "до 31.03.2026",
        D(2026, 3, 31),
        [("образовательные организации", ResponsibleLevel.ANY)],
    )
    return roadmap


def event_no(roadmap, position):  # type: ignore[no-untyped-def]
    return roadmap.events.get(position=position)


# --- which events the schools carry out ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Руководители ОО", True),
        ("Кураторы ОУ", True),
        ("образовательные организации", True),
        ("Общеобразовательные организации района", True),
        ("директора школ", True),
        ("руководители ПОО", True),
        ("Управление образования", False),
        (
            "органы местного самоуправления, осуществляющие управление в сфере образования (по согласованию)",
            False,
        ),
        ("Муниципальный куратор", False),
        ("Методический центр", False),
        ("ООО «Ромашка» (по согласованию)", False),
    ],
)
def test_a_responsible_at_the_organisations_level_is_recognised(text, expected):  # type: ignore[no-untyped-def]
    assert is_school_level(EventResponsible(text=text, level=ResponsibleLevel.ANY)) is expected


def test_school_duties_follow_the_responsibles_unless_the_curator_decides(
    municipal_roadmap, municipal_curator_a, school_x_curator
):  # type: ignore[no-untyped-def]
    duties = [is_school_duty(e, municipal_roadmap) for e in municipal_roadmap.events.order_by("position")]
    assert duties == [True, False, True]
    second = event_no(municipal_roadmap, 2)
    with pytest.raises(PermissionDenied):
        services.event_set_schools_carry_out(acting_user=school_x_curator, event=second, value=True)
    services.event_set_schools_carry_out(acting_user=municipal_curator_a, event=second, value=True)
    assert is_school_duty(event_no(municipal_roadmap, 2))
    services.event_set_schools_carry_out(acting_user=municipal_curator_a, event=second, value=False)
    first = event_no(municipal_roadmap, 1)
    services.event_set_schools_carry_out(acting_user=municipal_curator_a, event=first, value=False)
    assert not is_school_duty(event_no(municipal_roadmap, 1))
    assert not is_school_duty(event_no(municipal_roadmap, 2))


def test_an_organisations_own_roadmap_has_no_school_duties(school_x):  # type: ignore[no-untyped-def]
    roadmap = Roadmap.objects.create(
        organisation=school_x,
        title="Дорожная карта школы",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
    )
    event = add_event(
        roadmap, 1, "Приказ", "сентябрь", D(2025, 9, 30), [("Руководители ОО", ResponsibleLevel.ANY)]
    )
    assert not is_school_duty(event, roadmap)


# --- a school marks its own part ------------------------------------------------------------------------


def test_a_school_curator_marks_done_with_a_file_through_the_roadmap_page(
    client_for, municipal_roadmap, school_x, school_y, school_x_curator
):  # type: ignore[no-untyped-def]
    """The reported 403 «Изменять дорожную карту могут её кураторы»: the school's mark is its own."""
    event = event_no(municipal_roadmap, 1)
    response = client_for(school_x_curator).post(
        reverse("roadmaps:event_status", args=[event.pk]),
        {"status": "done", "done_on": "2025-10-20", "result_file": SimpleUploadedFile("prikaz.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("roadmaps:school_duties", args=[school_x.pk]) + f"#duty-{event.pk}"
    )
    record = SchoolEventStatus.objects.get()
    assert (record.organisation, record.status, record.done_on) == (
        school_x,
        SchoolStatus.DONE,
        D(2025, 10, 20),
    )
    assert record.result_file and record.updated_by == school_x_curator
    event.refresh_from_db()
    assert event.status == EventStatus.IN_PROGRESS  # school Y has not done it yet
    assert not event.completions.exists()  # no one completion for all schools


def test_the_event_is_done_when_every_school_is(
    municipal_roadmap, school_x, school_y, school_x_curator, school_y_curator
):  # type: ignore[no-untyped-def]
    event = event_no(municipal_roadmap, 1)
    for user, school, day in (
        (school_x_curator, school_x, D(2025, 10, 20)),
        (school_y_curator, school_y, D(2025, 10, 28)),
    ):
        services.school_status_set(
            acting_user=user, event=event, organisation=school, status="done", done_on=day
        )
    event.refresh_from_db()
    assert (event.status, event.done_on) == (EventStatus.DONE, D(2025, 10, 28))
    services.school_status_set(
        acting_user=school_y_curator, event=event, organisation=school_y, status="in_progress"
    )
    event.refresh_from_db()
    assert (event.status, event.done_on) == (EventStatus.IN_PROGRESS, None)


def test_the_municipal_curator_keeps_completion_of_the_municipal_events_only(
    municipal_roadmap, municipal_curator_a
):  # type: ignore[no-untyped-def]
    services.event_set_status(
        acting_user=municipal_curator_a,
        event=event_no(municipal_roadmap, 2),
        status="done",
        done_on=D(2025, 9, 25),
    )
    assert event_no(municipal_roadmap, 2).status == EventStatus.DONE
    with pytest.raises(ValidationError, match="выполняет каждая школа"):
        services.event_set_status(
            acting_user=municipal_curator_a, event=event_no(municipal_roadmap, 1), status="done"
        )


def test_a_school_cannot_mark_an_event_the_municipality_carries_out(
    municipal_roadmap, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="выполняет муниципалитет"):
        services.school_status_set(
            acting_user=school_x_curator,
            event=event_no(municipal_roadmap, 2),
            organisation=school_x,
            status="done",
        )


def test_the_date_of_done_cannot_be_in_the_future(municipal_roadmap, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="в будущем"):
        services.school_status_set(
            acting_user=school_x_curator,
            event=event_no(municipal_roadmap, 1),
            organisation=school_x,
            status="done",
            done_on=dt.date.today() + dt.timedelta(days=3),
        )


def test_every_change_is_audited(municipal_roadmap, school_x, school_x_curator):  # type: ignore[no-untyped-def]
    event = event_no(municipal_roadmap, 1)
    services.school_status_set(
        acting_user=school_x_curator,
        event=event,
        organisation=school_x,
        status="in_progress",
        comment="Готовим приказ",
    )
    services.school_status_set(
        acting_user=school_x_curator, event=event, organisation=school_x, status="done"
    )
    record = SchoolEventStatus.objects.get()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SchoolEventStatus), object_pk=str(record.pk)
    )
    assert entries.count() == 2
    assert {e.actor for e in entries} == {school_x_curator}


# --- access: a school sees and changes only its own ------------------------------------------------


def test_school_a_can_neither_read_nor_change_school_b(
    client_for, municipal_roadmap, school_x, school_y, school_x_curator, school_y_curator
):  # type: ignore[no-untyped-def]
    event = event_no(municipal_roadmap, 1)
    record = services.school_status_set(
        acting_user=school_y_curator,
        event=event,
        organisation=school_y,
        status="done",
        done_on=D(2025, 10, 1),
        comment="Тайный комментарий школы Y",
        result_file=SimpleUploadedFile("y.pdf", PDF),
    )
    client = client_for(school_x_curator)
    assert client.get(reverse("roadmaps:school_duties", args=[school_y.pk])).status_code == 404
    assert client.get(reverse("roadmaps:school_status_file", args=[record.pk])).status_code == 404
    response = client.post(
        reverse("roadmaps:school_status", args=[event.pk, school_y.pk]), {"status": "not_started"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.school_status_set(
            acting_user=school_x_curator, event=event, organisation=school_y, status="not_started"
        )
    record.refresh_from_db()
    assert record.status == SchoolStatus.DONE
    own = client.get(reverse("roadmaps:school_duties", args=[school_x.pk]))
    assert own.status_code == 200 and "Тайный комментарий" not in own.content.decode()
    assert client.get(reverse("roadmaps:schools", args=[municipal_roadmap.pk])).status_code == 403


def test_the_municipality_sees_its_schools_but_does_not_mark_for_them(
    client_for, municipal_roadmap, school_x, school_y_curator, school_y, municipal_curator_a
):  # type: ignore[no-untyped-def]
    record = services.school_status_set(
        acting_user=school_y_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_y,
        status="done",
        done_on=D(2025, 10, 1),
        result_file=SimpleUploadedFile("y.pdf", PDF),
    )
    client = client_for(municipal_curator_a)
    response = client.get(reverse("roadmaps:school_status_file", args=[record.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("roadmaps:school_duties", args=[school_y.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.school_status_set(
            acting_user=municipal_curator_a,
            event=event_no(municipal_roadmap, 1),
            organisation=school_x,
            status="done",
        )


def test_another_municipality_sees_nothing(
    client_for, municipal_roadmap, school_y, school_y_curator, municipality_b
):  # type: ignore[no-untyped-def]
    record = services.school_status_set(
        acting_user=school_y_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_y,
        status="done",
        done_on=D(2025, 10, 1),
        result_file=SimpleUploadedFile("y.pdf", PDF),
    )
    other = client_for(user_with_role(Role.MUNICIPAL_CURATOR, municipality=municipality_b))
    assert other.get(reverse("roadmaps:schools", args=[municipal_roadmap.pk])).status_code == 404
    assert other.get(reverse("roadmaps:school_duties", args=[school_y.pk])).status_code == 404
    assert other.get(reverse("roadmaps:school_status_file", args=[record.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.MENTOR, Role.MENTEE, Role.PARENT, Role.SPECIALIST])
def test_participants_and_specialists_see_none_of_it(
    client_for, municipal_roadmap, school_x, school_x_curator, role
):  # type: ignore[no-untyped-def]
    record = services.school_status_set(
        acting_user=school_x_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 1),
        comment="Комментарий администрации",
        result_file=SimpleUploadedFile("x.pdf", PDF),
    )
    client = client_for(user_with_role(role, organisation=school_x))
    assert client.get(reverse("roadmaps:school_duties", args=[school_x.pk])).status_code == 404
    assert client.get(reverse("roadmaps:school_status_file", args=[record.pk])).status_code == 404
    assert client.get(reverse("roadmaps:my_school_duties")).status_code == 404
    assert (
        client.post(
            reverse("roadmaps:school_status", args=[record.event_id, school_x.pk]), {"status": "not_started"}
        ).status_code
        == 404
    )


# --- state, matrix, progress -----------------------------------------------------------------------------


def test_overdue_is_judged_in_the_schools_own_time_zone(monkeypatch, municipal_roadmap, municipality_a):  # type: ignore[no-untyped-def]
    east = OrganisationFactory(
        municipality=municipality_a, short_name="Школа Владивосток", timezone="Asia/Vladivostok"
    )
    west = OrganisationFactory(
        municipality=municipality_a, short_name="Школа Калининград", timezone="Europe/Kaliningrad"
    )
    # 31 October 2025, 20:00 UTC: already 1 November in Vladivostok, still 31 October in Kaliningrad
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2025, 10, 31, 20, 0, tzinfo=dt.UTC))
    matrix = school_matrix(municipal_roadmap)
    first = {row.organisation.pk: row.cells[0] for row in matrix.rows}
    assert first[east.pk].overdue and first[east.pk].label == "просрочено"
    assert not first[west.pk].overdue and first[west.pk].label == "не начато"


def test_matrix_and_progress(
    municipal_roadmap, school_x, school_y, school_x_curator, school_y_curator, municipality_a
):  # type: ignore[no-untyped-def]
    first, third = event_no(municipal_roadmap, 1), event_no(municipal_roadmap, 3)
    services.school_status_set(
        acting_user=school_x_curator,
        event=first,
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 5),
    )
    services.school_status_set(
        acting_user=school_x_curator,
        event=third,
        organisation=school_x,
        status="done",
        done_on=D(2025, 12, 5),
    )
    services.school_status_set(
        acting_user=school_y_curator, event=first, organisation=school_y, status="in_progress"
    )
    matrix = school_matrix(municipal_roadmap, today=D(2025, 11, 15))
    assert [e.position for e in matrix.events] == [1, 3]
    states = {row.organisation.short_name: [c.state for c in row.cells] for row in matrix.rows}
    assert states == {"Школа X": ["done", "done"], "Школа Y": ["overdue", "not_started"]}
    assert [r.organisation for r in matrix.late_rows] == [school_y]
    percents = {row.organisation.short_name: row.progress.percent for row in matrix.rows}
    assert percents == {"Школа X": 100, "Школа Y": 0}
    assert (matrix.progress.done, matrix.progress.total, matrix.progress.percent) == (2, 4, 50)
    assert municipality_progress(municipality_a.pk, D(2025, 11, 15)).percent == 50
    # given the organisations a dashboard read (a partner among them carries out nothing): the same
    partner = OrganisationFactory(municipality=municipality_a, kind=OrganisationKind.PARTNER)
    given = municipality_progress(municipality_a.pk, D(2025, 11, 15), [school_x, school_y, partner])
    assert (given.done, given.total) == (2, 4)
    duties = duties_for_schools([school_y], D(2025, 11, 15))[school_y.pk]
    assert (duties.progress.done, duties.progress.total, len(duties.late)) == (0, 2, 1)


def test_the_matrix_page_takes_the_same_queries_for_more_schools(
    client_for,
    django_assert_num_queries,
    municipal_roadmap,
    municipal_curator_a,
    school_x,
    school_y,
    school_x_curator,
    municipality_a,
):  # type: ignore[no-untyped-def]
    services.school_status_set(
        acting_user=school_x_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 5),
        result_file=SimpleUploadedFile("x.pdf", PDF),
    )
    client = client_for(municipal_curator_a)
    url = reverse("roadmaps:schools", args=[municipal_roadmap.pk])
    client.get(url)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    assert few <= 9, few  # session, user, scopes, roadmap, events, responsibles, schools, statuses…
    for n in range(6):
        school = OrganisationFactory(municipality=municipality_a, short_name=f"Новая школа {n}")
        curator = user_with_role(Role.PROGRAM_CURATOR, organisation=school)
        services.school_status_set(
            acting_user=curator,
            event=event_no(municipal_roadmap, 3),
            organisation=school,
            status="done",
            done_on=D(2025, 12, 1),
            result_file=SimpleUploadedFile("n.pdf", PDF),
        )
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Новая школа") == 6


def test_the_matrix_page_shows_states_files_and_percent(
    client_for, municipal_roadmap, municipal_curator_a, school_x, school_x_curator, school_y
):  # type: ignore[no-untyped-def]
    record = services.school_status_set(
        acting_user=school_x_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 5),
        result_file=SimpleUploadedFile("x.pdf", PDF),
    )
    html = (
        client_for(municipal_curator_a)
        .get(reverse("roadmaps:schools", args=[municipal_roadmap.pk]))
        .content.decode()
    )
    assert reverse("roadmaps:school_status_file", args=[record.pk]) in html
    assert "выполнено 25&nbsp;% позиций" in html
    assert "Напомнить просрочившим (2)" in html


# --- reminders ---------------------------------------------------------------------------------------------


def test_the_late_schools_are_reminded_in_one_action(
    client_for, municipal_roadmap, municipal_curator_a, school_x, school_y, school_x_curator, municipality_a
):  # type: ignore[no-untyped-def]
    school_x_curator.email = "x@school.test"
    school_x_curator.save()
    admin_y = user_with_role(Role.ORG_ADMIN, organisation=school_y)
    admin_y.email = "y@school.test"
    admin_y.save()
    done = OrganisationFactory(municipality=municipality_a, short_name="Школа Отличница")
    diligent = user_with_role(Role.PROGRAM_CURATOR, organisation=done)
    diligent.email = "ok@school.test"
    diligent.save()
    for event in municipal_roadmap.events.filter(position__in=[1, 3]):
        services.school_status_set(
            acting_user=diligent, event=event, organisation=done, status="done", done_on=D(2025, 10, 1)
        )
    response = client_for(municipal_curator_a).post(
        reverse("roadmaps:remind_schools", args=[municipal_roadmap.pk]), follow=True
    )
    assert "Напоминание отправлено 2\u00a0школам" in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == ["x@school.test", "y@school.test"]
    assert "Разработка программ наставничества в ОО" in mail.outbox[0].body
    assert SchoolEventStatus.objects.filter(organisation=school_x, reminded_at__isnull=False).count() == 2
    assert not SchoolEventStatus.objects.filter(organisation=done, reminded_at__isnull=False).exists()


def test_one_late_school_and_one_without_email(
    municipal_roadmap, municipal_curator_a, school_x, school_y, school_x_curator
):  # type: ignore[no-untyped-def]
    school_x_curator.email = "x@school.test"
    school_x_curator.save()
    report = remind_late_schools(acting_user=municipal_curator_a, roadmap=municipal_roadmap)
    assert (report.reminded, report.nobody) == (["Школа X"], ["Школа Y"])
    assert len(mail.outbox) == 1


def test_only_the_roadmaps_curators_remind(client_for, municipal_roadmap, school_x_curator, school_x):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        remind_late_schools(acting_user=school_x_curator, roadmap=municipal_roadmap)
    assert (
        client_for(school_x_curator)
        .post(reverse("roadmaps:remind_schools", args=[municipal_roadmap.pk]))
        .status_code
        == 403
    )


# --- the school's side: beside its own roadmap, on its home page, in the summary and monitoring -----


def test_the_school_sees_its_duties_on_home_summary_and_its_roadmap(
    client_for, municipal_roadmap, school_x, school_x_curator
):  # type: ignore[no-untyped-def]
    services.school_status_set(
        acting_user=school_x_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 5),
    )
    client = client_for(school_x_curator)
    home = client.get(reverse("home")).content.decode()
    assert (
        "выполнено 50&nbsp;% позиций" in home
        and reverse("roadmaps:school_duties", args=[school_x.pk]) in home
    )
    own = Roadmap.objects.create(
        organisation=school_x,
        title="Дорожная карта школы",
        period_start=D(2025, 9, 1),
        period_end=D(2026, 8, 31),
    )
    detail = client.get(reverse("roadmaps:detail", args=[own.pk])).content.decode()
    assert "Задачи школы по муниципальной дорожной карте" in detail
    summary = client.get(reverse("roadmaps:summary") + f"?organisation={school_x.pk}").content.decode()
    assert "Выполнено 50&nbsp;% позиций (1 из 2)" in summary
    municipal = client.get(reverse("roadmaps:detail", args=[municipal_roadmap.pk])).content.decode()
    assert "ваша школа" in municipal and "Выполнение по школам" not in municipal
    assert client.get(reverse("roadmaps:my_school_duties")).status_code == 302


def test_monitoring_dashboards_show_the_percent(
    client_for, municipal_roadmap, school_x, school_x_admin, municipal_curator_a, municipality_a
):  # type: ignore[no-untyped-def]
    services.school_status_set(
        acting_user=school_x_admin,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 5),
    )
    school_page = (
        client_for(school_x_admin)
        .get(reverse("monitoring:organisation", args=[school_x.pk]))
        .content.decode()
    )
    assert "выполнено 50&nbsp;% позиций" in school_page
    mun_page = (
        client_for(municipal_curator_a)
        .get(reverse("monitoring:municipality", args=[municipality_a.pk]))
        .content.decode()
    )
    assert "выполнено 50&nbsp;% позиций" in mun_page  # school X only: the municipality has no other school


def test_the_daily_reminders_skip_the_schools_that_did_their_part(
    municipal_roadmap, school_x, school_y, school_x_curator, school_y_curator
):  # type: ignore[no-untyped-def]
    import io

    from django.core.management import call_command

    for user, address in ((school_x_curator, "x@school.test"), (school_y_curator, "y@school.test")):
        user.email = address
        user.save()
    services.school_status_set(
        acting_user=school_x_curator,
        event=event_no(municipal_roadmap, 1),
        organisation=school_x,
        status="done",
        done_on=D(2025, 10, 30),
    )
    call_command("send_reminders", "--today", "2025-11-05", "--days", "7", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["y@school.test"]]
    assert "Разработка программ наставничества в ОО" in mail.outbox[0].body
