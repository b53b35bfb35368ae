"""Services: import in one transaction with audit, templates, roll-over, statuses; control edges;
export and the DOCX → importer round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nastavnik.roadmaps import documents, services
from nastavnik.roadmaps.deadlines import Period
from nastavnik.roadmaps.importing import read_roadmap, read_roadmap_file
from nastavnik.roadmaps.models import EventCompletion, EventStatus, Roadmap, RoadmapEvent
from nastavnik.roadmaps.selectors import event_state, month_calendar, roadmap_control, roadmap_events
from tests.factories import ProgramFactory, TeacherFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps"
SEEDS = {
    "roadmap-municipal-2020-2024.txt": 16,
    "roadmap-school-cmn-2020.txt": 19,
    "roadmap-school-students-2020.txt": 38,
}
D = dt.date


def import_seed(user, name: str, **owner) -> Roadmap:  # type: ignore[no-untyped-def]
    draft = read_roadmap_file(FIXTURES / name)
    return services.roadmap_import(acting_user=user, draft=draft, source_name=name, **owner)


@pytest.mark.parametrize(("name", "count"), SEEDS.items())
def test_every_seed_is_saved_with_every_event(name, count, school_x, school_x_curator, municipal_curator_a):  # type: ignore[no-untyped-def]
    if "municipal" in name:
        roadmap = import_seed(municipal_curator_a, name, municipality=school_x.municipality)
    else:
        roadmap = import_seed(school_x_curator, name, organisation=school_x)
    assert roadmap.events.count() == count
    assert roadmap.source_name == name


def test_the_municipal_import_keeps_both_levels_sections_and_approval(municipal_curator_a, municipality_a):  # type: ignore[no-untyped-def]
    roadmap = import_seed(municipal_curator_a, "roadmap-municipal-2020-2024.txt", municipality=municipality_a)
    assert roadmap.has_municipal_level
    assert (roadmap.period_start, roadmap.period_end, roadmap.academic) == (
        D(2020, 1, 1),
        D(2024, 12, 31),
        False,
    )
    assert roadmap.approval_date == D(2020, 11, 25)
    assert list(roadmap.sections.values_list("number", "deadline_text")) == [
        ("1", "Май-октябрь 2020 г."),
        ("2", "Октябрь 2021-ноябрь 2024 гг."),
        ("3", "2023 – 2024 гг."),
    ]
    event = roadmap.events.get(number="1.3")
    assert event.section is not None and event.section.number == "1"
    assert [(r.text, r.level) for r in event.responsibles.all()] == [
        ("Управление образования", "municipal"),
        ("Руководители ОО", "organisation"),
    ]
    yearly = roadmap.events.get(number="2.1")
    assert (yearly.starts_on, yearly.ends_on, yearly.recurrence, yearly.repeat_until) == (
        D(2021, 9, 1),
        D(2021, 11, 30),
        "yearly",
        D(2024, 11, 30),
    )


def test_import_leaves_an_audit_record_with_the_acting_user(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = import_seed(school_x_curator, "roadmap-school-cmn-2020.txt", organisation=school_x)
    entry = LogEntry.objects.get_for_object(roadmap).get()
    assert entry.actor == school_x_curator
    assert LogEntry.objects.filter(actor=school_x_curator).count() > 19


def test_responsibles_are_linked_to_registry_people_when_unambiguous(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    demakova = TeacherFactory(
        organisation=school_x, last_name="Демакова", first_name="Татьяна", middle_name="Викторовна"
    )
    TeacherFactory(organisation=school_x, last_name="Лагунова", first_name="Елена", middle_name="Петровна")
    TeacherFactory(
        organisation=school_x, last_name="Лагунова", first_name="Елизавета", middle_name="Павловна"
    )
    roadmap = import_seed(school_x_curator, "roadmap-school-cmn-2020.txt", organisation=school_x)
    first = roadmap.events.order_by("position").first()
    assert first is not None
    responsibles = list(first.responsibles.all())
    assert responsibles[0].text == "Т.В. Демакова, заместитель директора"
    assert responsibles[0].person == demakova
    assert responsibles[1].person is None  # М.А. Баланюк is not in the registry
    # «Е.П.Лагунова» fits two people: not guessed
    rubric = roadmap.events.get(title__startswith="Создание рубрики")
    assert rubric.responsibles.get().person is None


def test_a_stranger_cannot_import_into_another_school(school_x, school_y_curator):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        import_seed(school_y_curator, "roadmap-school-cmn-2020.txt", organisation=school_x)
    assert not Roadmap.objects.exists()


def test_a_failed_import_saves_nothing(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    draft = read_roadmap_file(FIXTURES / "roadmap-school-cmn-2020.txt")
    draft.events[5] = draft.events[5].__class__(**{**draft.events[5].__dict__, "number": "x" * 50})
    with pytest.raises(ValidationError):
        services.roadmap_import(acting_user=school_x_curator, draft=draft, organisation=school_x)
    assert not Roadmap.objects.exists()
    assert not RoadmapEvent.objects.exists()


def test_a_month_without_a_year_takes_the_programs_year(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    program = ProgramFactory(organisation=school_x, academic_year=2025)
    draft = read_roadmap("Мероприятие\tСроки\tОтветственные\nВстреча\tянварь\tКуратор\n".encode(), "m.tsv")
    assert draft.period is None and not draft.events[0].deadline.understood
    roadmap = services.roadmap_import(acting_user=school_x_curator, draft=draft, program=program)
    event = roadmap.events.get()
    assert (roadmap.organisation, event.starts_on, event.deadline_understood) == (
        school_x,
        D(2026, 1, 1),
        True,
    )


def test_without_any_year_the_import_asks_for_one(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    draft = read_roadmap("Мероприятие\tСроки\nВстреча\tянварь\n".encode(), "m.tsv")
    with pytest.raises(ValidationError, match="учебный год"):
        services.roadmap_import(acting_user=school_x_curator, draft=draft, organisation=school_x)


def test_templates_fill_in_real_dates(school_x, school_x_curator, municipal_curator_a, municipality_a):  # type: ignore[no-untyped-def]
    roadmap = services.roadmap_create_from_template(
        acting_user=school_x_curator, template_key="students", academic_year=2025, organisation=school_x
    )
    assert roadmap.period_start == D(2025, 9, 1)
    first = roadmap.events.get(number="1.1")
    assert (first.starts_on, first.ends_on) == (D(2025, 9, 1), D(2025, 9, 30))
    assert roadmap.events.get(number="6.1").starts_on == D(2026, 1, 1)
    assert roadmap.events.get(number="6.2").recurrence == "monthly"
    assert roadmap.events.filter(deadline_understood=False).count() == 0
    for key in ("teachers", "cmn"):
        other = services.roadmap_create_from_template(
            acting_user=school_x_curator, template_key=key, academic_year=2025, organisation=school_x
        )
        assert other.events.filter(deadline_understood=False).count() == 0
    municipal = services.roadmap_create_from_template(
        acting_user=municipal_curator_a,
        template_key="municipal",
        academic_year=2025,
        municipality=municipality_a,
    )
    assert municipal.has_municipal_level
    assert set(municipal.events.get(number="1.2").responsibles.values_list("level", flat=True)) == {
        "municipal",
        "organisation",
    }
    assert municipal.events.get(number="3.1").day_of_month == 25
    with pytest.raises(ValidationError):
        services.roadmap_create_from_template(
            acting_user=school_x_curator, template_key="municipal", academic_year=2025, organisation=school_x
        )


def test_roll_over_moves_everything_a_year_on(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = import_seed(school_x_curator, "roadmap-school-students-2020.txt", organisation=school_x)
    first = roadmap.events.order_by("position").first()
    assert first is not None
    services.event_set_status(
        acting_user=school_x_curator, event=first, status="done", done_on=D(2020, 12, 10)
    )
    new = services.roadmap_roll_over(acting_user=school_x_curator, roadmap=roadmap)
    assert new.previous == roadmap
    assert new.title.endswith("на 2021-2022 учебный год")
    assert (new.period_start, new.period_end) == (D(2021, 9, 1), D(2022, 8, 31))
    assert new.events.count() == 38
    copied = new.events.order_by("position").first()
    assert copied is not None
    assert (copied.starts_on, copied.status, copied.done_on) == (D(2021, 12, 1), "planned", None)
    cmn = import_seed(school_x_curator, "roadmap-school-cmn-2020.txt", organisation=school_x)
    cmn_new = services.roadmap_roll_over(acting_user=school_x_curator, roadmap=cmn)
    assert cmn_new.events.order_by("position").first().deadline_text == "До 09.11.2021"  # type: ignore[union-attr]
    assert cmn_new.events.order_by("position").first().ends_on == D(2021, 11, 9)  # type: ignore[union-attr]


# --- statuses and control ------------------------------------------------------------------------


@pytest.fixture
def small_roadmap(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    text = (
        "Дорожная карта на 2020-2021 учебный год\n"
        "№\tМероприятие\tСроки\tОтветственные\n"
        "1\tПриказ\tДо 09.11.2020\tДиректор\n"
        "2\tСовещание\tдекабрь\tКуратор\n"
        "3\tОтчёт\tдо 25 числа каждого месяца\tКуратор\n"
        "4\tВстречи\tПостоянно\tНаставники\n"
        "5\tНаграждение\tПо согласованию\tДиректор\n"
    )
    draft = read_roadmap(text.encode(), "small.tsv")
    return services.roadmap_import(acting_user=school_x_curator, draft=draft, organisation=school_x)


def states(roadmap: Roadmap, today: dt.date) -> dict[str, object]:
    return {s.event.number: s for s in roadmap_control(roadmap, today).states}


def test_a_deadline_is_not_overdue_on_its_day_and_is_the_day_after(small_roadmap):  # type: ignore[no-untyped-def]
    on_the_day = states(small_roadmap, D(2020, 11, 9))["1"]
    assert on_the_day.status == "planned" and on_the_day.upcoming and not on_the_day.overdue  # type: ignore[attr-defined]
    after = states(small_roadmap, D(2020, 11, 10))["1"]
    assert after.status == "overdue" and after.overdue[0].due_on == D(2020, 11, 9)  # type: ignore[attr-defined]


def test_a_month_deadline_is_due_on_the_last_day_of_the_month(small_roadmap):  # type: ignore[no-untyped-def]
    assert states(small_roadmap, D(2020, 12, 31))["2"].status == "planned"  # type: ignore[attr-defined]
    assert states(small_roadmap, D(2021, 1, 1))["2"].status == "overdue"  # type: ignore[attr-defined]


def test_upcoming_means_the_next_fourteen_days_inclusive(small_roadmap):  # type: ignore[no-untyped-def]
    assert states(small_roadmap, D(2020, 10, 26))["1"].upcoming  # type: ignore[attr-defined]
    assert not states(small_roadmap, D(2020, 10, 25))["1"].upcoming  # type: ignore[attr-defined]


def test_monthly_events_are_overdue_per_month_and_closed_one_month_at_a_time(small_roadmap, school_x_curator):  # type: ignore[no-untyped-def]
    event = small_roadmap.events.get(number="3")
    state = states(small_roadmap, D(2020, 11, 26))["3"]
    assert [o.due_on for o in state.overdue] == [D(2020, 9, 25), D(2020, 10, 25), D(2020, 11, 25)]  # type: ignore[attr-defined]
    assert state.upcoming == []  # type: ignore[attr-defined]
    services.event_set_status(
        acting_user=school_x_curator,
        event=event,
        status="done",
        due_on=D(2020, 9, 25),
        done_on=D(2020, 9, 20),
    )
    event.refresh_from_db()
    assert event.status == "in_progress"
    state = states(small_roadmap, D(2020, 11, 26))["3"]
    assert [o.due_on for o in state.overdue] == [D(2020, 10, 25), D(2020, 11, 25)]  # type: ignore[attr-defined]
    assert state.done_on_time == 1 and state.past_due == 3  # type: ignore[attr-defined]
    # on the 25th of December the December report is due today, not overdue
    december = states(small_roadmap, D(2020, 12, 25))["3"]
    assert D(2020, 12, 25) in [o.due_on for o in december.upcoming]  # type: ignore[attr-defined]
    assert D(2020, 12, 25) not in [o.due_on for o in december.overdue]  # type: ignore[attr-defined]


def test_continuous_and_on_demand_events_are_never_overdue_inside_the_year(small_roadmap):  # type: ignore[no-untyped-def]
    s = states(small_roadmap, D(2021, 5, 1))
    assert s["4"].status == "planned" and s["5"].status == "planned"  # type: ignore[attr-defined]
    assert s["4"].overdue == [] and s["5"].occurrences == []  # type: ignore[attr-defined]


def test_done_on_time_percent(small_roadmap, school_x_curator):  # type: ignore[no-untyped-def]
    first = small_roadmap.events.get(number="1")
    services.event_set_status(
        acting_user=school_x_curator, event=first, status="done", done_on=D(2020, 11, 1)
    )
    second = small_roadmap.events.get(number="2")
    services.event_set_status(
        acting_user=school_x_curator, event=second, status="done", done_on=D(2021, 1, 15)
    )
    control = roadmap_control(small_roadmap, D(2021, 1, 20))
    # due so far: «1», «2» and the monthly report for Sep–Dec; on time: only «1»
    assert (control.past_due, control.done_on_time) == (6, 1)
    assert control.on_time_percent == 17
    assert control.done == 2
    assert [s.event.number for s in control.overdue] == ["3"]


def test_status_changes_are_checked_and_audited(small_roadmap, school_x_curator, school_y_curator):  # type: ignore[no-untyped-def]
    event = small_roadmap.events.get(number="1")
    with pytest.raises(ValidationError, match="автоматически"):
        services.event_set_status(acting_user=school_x_curator, event=event, status="overdue")
    with pytest.raises(PermissionDenied):
        services.event_set_status(acting_user=school_y_curator, event=event, status="done")
    with pytest.raises(ValidationError, match="будущем"):
        services.event_set_status(
            acting_user=school_x_curator, event=event, status="done", done_on=D(2999, 1, 1)
        )
    upload = SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.event_set_status(
        acting_user=school_x_curator, event=event, status="done", done_on=D(2020, 11, 2), result_file=upload
    )
    event.refresh_from_db()
    assert (
        event.status == "done" and event.done_on == D(2020, 11, 2) and event.result_file.name.endswith(".pdf")
    )
    assert EventCompletion.objects.get(event=event).due_on == D(2020, 11, 9)
    assert LogEntry.objects.get_for_object(event).filter(actor=school_x_curator).exists()
    # reopening removes the completion
    services.event_set_status(acting_user=school_x_curator, event=event, status="in_progress")
    event.refresh_from_db()
    assert (event.status, event.done_on, event.completions.count()) == ("in_progress", None, 0)
    services.event_set_status(acting_user=school_x_curator, event=event, status="cancelled")
    assert states(small_roadmap, D(2021, 1, 1))["1"].status == "cancelled"  # type: ignore[attr-defined]


def test_a_wrong_result_file_type_is_refused(small_roadmap, school_x_curator):  # type: ignore[no-untyped-def]
    event = small_roadmap.events.get(number="2")
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.event_set_status(
            acting_user=school_x_curator, event=event, status="done", result_file=upload
        )
    event.refresh_from_db()
    assert event.status == "planned"


def test_the_month_calendar_places_occurrences_on_their_due_day(small_roadmap):  # type: ignore[no-untyped-def]
    control = roadmap_control(small_roadmap, D(2020, 12, 1))
    weeks, ongoing = month_calendar(control.states, 2020, 12)
    days = {cell.day: [s.event.number for s, _ in cell.items] for week in weeks for cell in week}
    assert weeks[0][0].day == D(2020, 11, 30)  # Monday
    assert days[D(2020, 12, 25)] == ["3"]
    assert days[D(2020, 12, 31)] == ["2"]
    assert days[D(2020, 11, 30)] == []  # the grid's November day shows only what is due then
    assert [s.event.number for s in ongoing] == ["4"]


# --- export ----------------------------------------------------------------------------------------


def comparable(draft_or_roadmap) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    if isinstance(draft_or_roadmap, Roadmap):
        return [
            (
                e.number or None,
                e.section.title if e.section else None,
                e.title,
                e.deadline_text,
                tuple(r.text for r in e.responsibles.all()),
            )
            for e in roadmap_events(draft_or_roadmap)
        ]
    return [
        (e.number, e.section, e.title, e.deadline_text, e.all_responsible) for e in draft_or_roadmap.events
    ]


@pytest.mark.parametrize("name", SEEDS)
def test_exported_docx_reads_back_to_the_same_events(name, school_x, school_x_curator, municipal_curator_a):  # type: ignore[no-untyped-def]
    if "municipal" in name:
        roadmap = import_seed(municipal_curator_a, name, municipality=school_x.municipality)
    else:
        roadmap = import_seed(school_x_curator, name, organisation=school_x)
    data = documents.export_docx(roadmap)
    back = read_roadmap(data, "export.docx", period=roadmap.period)
    assert back.title == roadmap.title
    # the export carries the document's numbering: the roadmap's own, or 1, 1.1, 1.2 … where it had none
    events = roadmap_events(roadmap)
    section_numbers, event_numbers = documents.numbering(documents._rows(roadmap, events))
    assert [e.number for e in back.events] == [event_numbers[e.pk] for e in events]
    assert [x[1:] for x in comparable(back)] == [x[1:] for x in comparable(roadmap)]
    assert [(s.number, s.title) for s in back.sections] == [
        (section_numbers.get(s.pk) or None, s.title) for s in roadmap.sections.all()
    ]
    for original, again in zip(roadmap_events(roadmap), back.events, strict=True):
        assert (again.deadline.starts_on, again.deadline.ends_on) == (original.starts_on, original.ends_on)


def test_exported_docx_carries_the_approval_block(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = services.roadmap_create_from_template(
        acting_user=school_x_curator, template_key="cmn", academic_year=2025, organisation=school_x
    )
    roadmap.approval_position = "Директор МБОУ «СОШ № 7»"
    roadmap.approval_name = "С.Н. Демаков"
    roadmap.approval_date = D(2025, 9, 1)
    roadmap.save()
    back = read_roadmap(documents.export_docx(roadmap), "x.docx")
    assert back.approval is not None
    assert (back.approval.position, back.approval.name, back.approval.approved_on) == (
        "Директор МБОУ «СОШ № 7»",
        "С.Н. Демаков",
        D(2025, 9, 1),
    )
    assert back.period == Period.academic_year(2025)
    assert len(back.events) == roadmap.events.count()
    assert [c.role for c in back.columns] == ["number", "title", "deadline", "responsible", "expected_result"]


def test_xlsx_and_pdf_exports_open(school_x, school_x_curator):  # type: ignore[no-untyped-def]
    roadmap = import_seed(school_x_curator, "roadmap-school-cmn-2020.txt", organisation=school_x)
    xlsx = documents.export_xlsx(roadmap)
    back = read_roadmap(xlsx, "x.xlsx", period=roadmap.period)
    assert [x[1:] for x in comparable(back)] == [x[1:] for x in comparable(roadmap)]
    assert [e.number for e in back.events][:3] == ["1.1", "1.2", "1.3"]  # numbered as the document
    pdf = documents.export_pdf(roadmap)
    assert pdf.startswith(b"%PDF")
    assert "Целевые" not in documents.export_html(roadmap)
    assert "Нормативно-правовое обеспечение ЦМН" in documents.export_html(roadmap)


def test_event_state_of_a_done_one_off_event_counts_on_time(small_roadmap, school_x_curator):  # type: ignore[no-untyped-def]
    event = small_roadmap.events.get(number="2")
    services.event_set_status(
        acting_user=school_x_curator, event=event, status="done", done_on=D(2020, 12, 3)
    )
    event = roadmap_events(small_roadmap)[1]
    state = event_state(event, small_roadmap, D(2021, 3, 1))
    assert (state.status, state.past_due, state.done_on_time) == (EventStatus.DONE, 1, 1)
