"""The importer on the three seeds (counted by hand), on .docx/.xlsx built here, and on garbage."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from nastavnik.roadmaps.deadlines import Period
from nastavnik.roadmaps.importing import (
    RoadmapDraft,
    RoadmapImportError,
    column_role,
    read_roadmap,
    read_roadmap_file,
    split_person,
    split_responsibles,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps"
D = date


def by_title(draft: RoadmapDraft, start: str):  # type: ignore[no-untyped-def]
    found = [e for e in draft.events if e.title.startswith(start)]
    assert len(found) == 1, f"{start!r}: {len(found)} events"
    return found[0]


# --- the seeds -------------------------------------------------------------------------------------


def test_the_municipal_seed_keeps_every_event_and_both_responsible_levels() -> None:
    draft = read_roadmap_file(FIXTURES / "roadmap-municipal-2020-2024.txt")
    # 1.1–1.6, 1.6.1, 2.1, 2.1.1, 2.2–2.4, 3.1–3.4; the stages 1, 2, 3 are sections
    assert len(draft.events) == 16
    assert [e.number for e in draft.events] == [
        "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.6.1",
        "2.1", "2.1.1", "2.2", "2.3", "2.4",
        "3.1", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert [(s.number, s.deadline_text) for s in draft.sections] == [
        ("1", "Май-октябрь 2020 г."),
        ("2", "Октябрь 2021-ноябрь 2024 гг."),
        ("3", "2023 – 2024 гг."),
    ]
    assert draft.title.startswith("Дорожная карта внедрения целевой модели наставничества")
    assert draft.title.endswith("на период реализации 2020-2024 гг.")
    assert draft.period == Period.calendar_years(2020, 2024)
    assert draft.approval is not None
    assert draft.approval.approved_on == D(2020, 11, 25)
    assert draft.approval.order == "№198/1"
    assert draft.has_municipal_level

    e11 = draft.events[0]
    assert e11.section == draft.sections[0].title
    assert e11.deadline_text == "Июль – август 2020 г."
    assert (e11.deadline.starts_on, e11.deadline.ends_on) == (D(2020, 7, 1), D(2020, 8, 31))
    assert e11.responsible_municipal == ("Управление образования",)
    assert e11.responsible_org == ()

    e14 = by_title(
        draft, "Разработка нормативно-правовых актов, обеспечивающих внедрение целевой модели наставничества:"
    )
    assert e14.number == "1.4"
    assert e14.content.splitlines()[0] == "· дорожные карты образовательных организаций,"
    assert e14.content.splitlines()[-1] == "Определение и закрепление школьных кураторов."
    assert e14.responsible_org == ("Руководители ОО",)

    e15 = draft.events[4]
    assert e15.deadline_text == "Декабрь 2020"
    assert e15.responsible_municipal == ("Управление образования",)  # «[bookmark: _GoBack]» removed

    e161 = draft.events[6]
    assert e161.deadline.recurrence == "yearly"
    assert e161.deadline.repeat_until == D(2024, 12, 31)
    assert e161.responsible_org == (
        "Ответственный за корпоративное обучение",
        "кураторы",
        "педагогические работники",
    )

    e21 = draft.events[7]
    assert e21.title == "Формирование базы наставников"
    assert e21.section == "Выявление и диссеминация лучших практик наставничества"
    assert e21.deadline_text == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert (e21.deadline.starts_on, e21.deadline.ends_on, e21.deadline.recurrence) == (
        D(2021, 9, 1),
        D(2021, 11, 30),
        "yearly",
    )
    assert e21.responsible_org == ("Руководитель ОО", "куратор")

    e32 = draft.events[13]
    assert e32.number == "3.2"
    assert (e32.deadline.starts_on, e32.deadline.ends_on) == (D(2023, 1, 1), D(2023, 12, 31))
    assert all(e.deadline.understood for e in draft.events)


def test_the_school_cmn_seed_keeps_directions_as_sections_and_splits_people() -> None:
    draft = read_roadmap_file(FIXTURES / "roadmap-school-cmn-2020.txt")
    # 7 + 3 + 3 + 3 + 3 rows under the five directions
    assert len(draft.events) == 19
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Нормативно-правовое обеспечение ЦМН"),
        ("2", "Информационное сопровождение ЦМН"),  # glued from a row split over two lines
        ("3", "Методическое сопровождение"),
        ("4", "Организационные мероприятия"),
        ("5", "Мониторинг и контроль реализации ЦМН"),
    ]
    assert (
        draft.title == "План (дорожная карта) внедрения целевой модели наставничества (ЦМН) в МБОУ «СОШ № 7»"
    )
    assert draft.period == Period.academic_year(2020)  # inferred from «До 09.11.2020»
    assert any("определён по датам" in p.message for p in draft.problems)

    first = draft.events[0]
    assert first.number is None
    assert first.deadline.ends_on == D(2020, 11, 9)
    assert first.responsible == (
        "Т.В. Демакова, заместитель директора",
        "М.А. Баланюк, председатель первичной профсоюзной организации",
    )
    rubric = by_title(draft, "Создание рубрики")
    assert rubric.title == "Создание рубрики «Наставничество» на сайте МБОУ «СОШ № 7»"
    assert rubric.section == "Информационное сопровождение ЦМН"
    assert rubric.deadline.ends_on == D(2020, 11, 20)

    update = by_title(draft, "Обновление и корректировка")
    assert update.responsible == (
        "Т.В. Демакова, заместитель директора",
        "М.А. Баланюк, председатель первичной профсоюзной организации",
        "Е.П.Лагунова, учитель",
    )
    assert update.deadline.recurrence == "yearly"

    pairs = by_title(draft, "Формирование пар")
    assert pairs.deadline.ends_on == D(2020, 11, 9)
    assert "по мере необходимости" in pairs.deadline.note
    assert pairs.responsible == ()

    meeting = by_title(draft, "Проведение инструктивно методического совещания")
    assert (meeting.deadline.starts_on, meeting.deadline.ends_on) == (D(2020, 10, 1), D(2020, 12, 31))

    monitoring = by_title(draft, "Мониторинг реализации ЦМН")
    assert monitoring.deadline.recurrence == "quarterly"
    assert monitoring.responsible[1] == "Баланюк М.А., председатель первичной профсоюзной организации"

    parents = by_title(draft, "Информирование родительского сообщества")
    assert parents.responsible == ("Демакова Т.В., заместитель директора", "классные руководители 1-11 кл.")

    # the appended table of target indicators is read, not mistaken for events
    assert len(draft.targets) == 5
    assert draft.targets[0].values == (("2021 год", "12,5 %"), ("2024 год", "15 %"))


def test_the_school_students_seed_takes_the_year_from_its_title() -> None:
    draft = read_roadmap_file(FIXTURES / "roadmap-school-students-2020.txt")
    assert len(draft.events) == 38
    assert draft.sections == []
    assert draft.period == Period.academic_year(2020)
    assert [c.role for c in draft.columns] == ["title", "deadline", "responsible"]
    assert draft.title == (
        "План мероприятий («дорожная карта») программы наставничества обучающихся "
        "МОУ «Старошайговская СОШ» на 2020-2021 учебный год"
    )

    first = draft.events[0]
    assert first.title == "Разработка школьной программы наставничества"
    assert (first.deadline.starts_on, first.deadline.ends_on) == (D(2020, 12, 1), D(2020, 12, 31))
    assert first.responsible == ()

    assert draft.events[1].deadline.starts_on == D(2020, 11, 1)
    meeting = by_title(draft, "Встреча с сообществом выпускников")
    assert meeting.responsible == ("Представители школы",)  # the cell continues on the next line
    extra = by_title(draft, "Сбор дополнительной информации")
    assert extra.deadline_text == "Декабрь"
    assert extra.responsible == ("Куратор программы",)  # after two blank lines inside the row
    training = by_title(draft, "Обучение наставников")
    assert training.responsible == ("Региональный наставнический центр", "ЦНППМ «Педагог 13.ру»")
    pairs = by_title(draft, "Анализ анкет групповой встречи")
    assert pairs.responsible == ("Куратор программы", "психолог")
    january = by_title(draft, "Проведение первой, организационной, встречи")
    assert (january.deadline.starts_on, january.deadline.ends_on) == (D(2021, 1, 1), D(2021, 1, 31))
    celebration = by_title(draft, "Проведение торжественного мероприятия")
    assert celebration.deadline.recurrence == "on_demand"
    assert celebration.responsible == (
        "Министерство образования РМ",
        "Региональный наставнический центр",
        "школа",
    )
    last = draft.events[-1]
    assert last.deadline.recurrence == "continuous"
    assert last.responsible == ("Министерство образования РМ", "Региональный наставнический центр")
    assert by_title(draft, "Оформление итогов").deadline.starts_on == D(2021, 7, 1)


def test_an_explicit_year_overrides_the_title() -> None:
    draft = read_roadmap_file(FIXTURES / "roadmap-school-students-2020.txt", period=Period.parse("2023-2024"))
    assert draft.events[0].deadline.starts_on == D(2023, 12, 1)
    assert by_title(draft, "Проведение первой, организационной").deadline.starts_on == D(2024, 1, 1)


def test_the_json_has_the_documented_shape() -> None:
    data = read_roadmap_file(FIXTURES / "roadmap-municipal-2020-2024.txt").to_json_dict()
    assert set(data) == {"title", "events"}
    event = data["events"][0]
    assert set(event) == {
        "number", "section", "title", "content", "deadline_text", "starts_on", "ends_on",
        "recurrence", "responsible", "expected_result", "indicator",
    }  # fmt: skip
    assert event["starts_on"] == "2020-07-01"
    assert event["responsible"] == ["Управление образования"]
    assert data["events"][2]["responsible"] == ["Управление образования", "Руководители ОО"]


# --- .docx and .xlsx built here --------------------------------------------------------------------


def make_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("УТВЕРЖДАЮ")
    doc.add_paragraph("Директор МБОУ «Гимназия № 1»")
    doc.add_paragraph("_________ И.И. Петрова")
    doc.add_paragraph("«01» сентября 2023 г.")
    doc.add_paragraph("Дорожная карта реализации программы наставничества на 2023-2024 учебный год")
    table = doc.add_table(rows=7, cols=6)
    header = [
        "Наименование этапа",
        "№ п/п",
        "Содержание",
        "Срок исполнения",
        "Ответственный",
        "Ожидаемый результат",
    ]
    for i, text in enumerate(header):
        table.cell(0, i).text = text
    # a section row merged over the whole width
    merged = table.cell(1, 0).merge(table.cell(1, 5))
    merged.text = "1. Подготовка условий"
    rows = [
        ["", "1.1", "Издание приказа о внедрении", "До 15.09.2023", "Петрова И.И., директор", "Приказ"],
        ["", "1.2", "Назначение куратора", "сентябрь", "Директор", "Приказ"],
        [
            "Формирование базы наставников",
            "2.1",
            "Анкетирование педагогов",
            "октябрь",
            "Куратор программы, психолог",
            "",
        ],
        ["", "2.2", "Формирование базы\nс учётом запросов", "01.11.2023-15.11.2023", "Куратор", "База"],
        ["", "2.3", "Мониторинг", "ежеквартально", "Куратор", "Отчёт"],
    ]
    for r, values in enumerate(rows, start=2):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    # the section cell merged vertically over two rows
    table.cell(4, 0).merge(table.cell(5, 0))
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(12)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_a_docx_with_merged_cells_is_read_back() -> None:
    draft = read_roadmap(make_docx(), "карта.docx")
    assert draft.source_format == "docx"
    assert draft.title == "Дорожная карта реализации программы наставничества на 2023-2024 учебный год"
    assert draft.period == Period.academic_year(2023)
    assert draft.approval is not None
    assert draft.approval.name == "И.И. Петрова"
    assert draft.approval.position == "Директор МБОУ «Гимназия № 1»"
    assert draft.approval.approved_on == D(2023, 9, 1)
    assert [c.role for c in draft.columns] == [
        "section",
        "number",
        "title",
        "deadline",
        "responsible",
        "expected_result",
    ]
    assert [e.number for e in draft.events] == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Подготовка условий"),
        (None, "Формирование базы наставников"),
    ]
    assert draft.events[0].section == "Подготовка условий"
    assert draft.events[1].deadline.starts_on == D(2023, 9, 1)
    assert draft.events[2].responsible == ("Куратор программы", "психолог")
    assert draft.events[3].section == "Формирование базы наставников"
    assert draft.events[3].title == "Формирование базы с учётом запросов"
    assert (draft.events[3].deadline.starts_on, draft.events[3].deadline.ends_on) == (
        D(2023, 11, 1),
        D(2023, 11, 15),
    )
    assert draft.events[4].deadline.recurrence == "quarterly"
    assert draft.events[0].expected_result == "Приказ"


def test_a_docx_with_a_two_row_header_splits_responsible_levels() -> None:
    doc = Document()
    doc.add_paragraph("Дорожная карта муниципалитета на 2024-2025 учебный год")
    table = doc.add_table(rows=3, cols=5)
    for i, text in enumerate(["№ п/п", "Мероприятия", "Сроки"]):
        table.cell(0, i).text = text
        table.cell(0, i).merge(table.cell(1, i))
    top = table.cell(0, 3).merge(table.cell(0, 4))
    top.text = "Ответственные"
    table.cell(1, 3).text = "муниципальные"
    table.cell(1, 4).text = "ОО"
    for i, text in enumerate(
        ["1.", "Совещание кураторов", "в декабре", "Управление образования", "Руководители ОО"]
    ):
        table.cell(2, i).text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    draft = read_roadmap(buffer.getvalue(), "m.docx")
    assert [c.role for c in draft.columns] == [
        "number", "title", "deadline", "responsible_municipal", "responsible_org",
    ]  # fmt: skip
    (event,) = draft.events
    assert event.number == "1"
    assert event.responsible_municipal == ("Управление образования",)
    assert event.responsible_org == ("Руководители ОО",)
    assert event.deadline.starts_on == D(2024, 12, 1)


def make_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "План"
    ws.append(["Дорожная карта на 2022-2023 учебный год"])
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Ответственные", "Сроки", "№", "Мероприятие", "Показатели эффективности", "Примечание"])
    ws.append([None, None, None, "Организационный этап"])
    ws.append(["Куратор", "ноябрь", "1.1", "Формирование базы наставляемых", "не менее 10%", "важно"])
    ws.append(["Наставники", date(2023, 3, 15), 1.2, "Встреча-планирование", None, None])
    ws.append(["Классные руководители", "абы когда", "1.3", "Информирование родителей", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_is_read_with_columns_in_any_order() -> None:
    draft = read_roadmap(make_xlsx(), "карта.xlsx")
    assert draft.title == "Дорожная карта на 2022-2023 учебный год"
    assert [c.role for c in draft.columns] == [
        "responsible",
        "deadline",
        "number",
        "title",
        "indicator",
        "notes",
    ]
    assert [(s.number, s.title) for s in draft.sections] == [(None, "Организационный этап")]
    assert [e.number for e in draft.events] == ["1.1", "1.2", "1.3"]
    first, second, third = draft.events
    assert first.section == "Организационный этап"
    assert first.indicator == "не менее 10%"
    assert first.notes == "важно"
    assert first.deadline.starts_on == D(2022, 11, 1)
    assert second.deadline_text == "15.03.2023"
    assert second.deadline.ends_on == D(2023, 3, 15)
    # what was not understood is kept, flagged and reported
    assert third.deadline_text == "абы когда"
    assert not third.deadline.understood
    assert any("абы когда" in p.message for p in draft.problems)


# --- text copied out of Word ------------------------------------------------------------------------


def test_stray_html_and_bullets_are_cleaned() -> None:
    text = (
        "<p>Дорожная карта на 2021-2022 учебный год</p>\n"
        "№\tМероприятие\tСроки\tОтветственные\n"
        "1.\t<ol><li>Разработка положения</li><li>утверждение</li></ol>\t[bookmark: x]Октябрь\tКуратор<br>Директор\n"
        "2.\t&laquo;Неделя наставничества&raquo;\tIV квартал 2021\t· Куратор\n"
    )
    draft = read_roadmap(text.encode("utf-8"), "map.tsv")
    first, second = draft.events
    assert draft.title == "Дорожная карта на 2021-2022 учебный год"
    assert first.title == "· Разработка положения"
    assert first.content == "· утверждение"
    assert first.deadline.starts_on == D(2021, 10, 1)
    assert first.responsible == ("Куратор", "Директор")
    assert second.title == "«Неделя наставничества»"
    assert second.deadline.starts_on == D(2021, 10, 1)


def test_a_cp1251_text_file_is_read() -> None:
    text = "Мероприятие\tСроки\tОтветственные\nВстреча\tдекабрь 2021\tКуратор\n"
    draft = read_roadmap(text.encode("cp1251"), "map.txt")
    assert draft.events[0].deadline.starts_on == D(2021, 12, 1)


def test_a_tsv_cell_broken_over_two_lines_is_glued_back() -> None:
    text = (
        "№\tМероприятие\tСроки\tОтветственные\n1.\tРазработка программы\nнаставничества\tмай 2022\tКуратор\n"
    )
    (event,) = read_roadmap(text.encode(), "map.txt").events
    assert event.title == "Разработка программы наставничества"
    assert event.deadline.starts_on == D(2022, 5, 1)
    assert event.responsible == ("Куратор",)


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "Файл пустой"),
        (b"   \n\n ", "blank.docx", "Файл пустой"),
        (b"\x00\x01\x02garbage", "x.txt", "не похож на текст"),
        (b"PK\x03\x04 not really a zip", "x.docx", "документ Word"),
        (b"definitely not excel", "x.xlsx", "книгу Excel"),
        ("Просто текст без таблицы.\nЕщё строка.".encode(), "x.txt", "не найдена таблица"),
        ("Имя\tФамилия\nИван\tИванов\n".encode(), "x.tsv", "не найдена таблица"),
        ("Мероприятие\tСроки\n".encode(), "x.tsv", "ни одного мероприятия"),
        (b"%PDF-1.4", "x.pdf", "не поддерживается"),
        (b"\xd0\xcf\x11\xe0", "x.doc", "сохраните файл как .docx"),
    ],
)
def test_garbage_gives_a_clear_russian_error(data: bytes, name: str, message: str) -> None:
    with pytest.raises(RoadmapImportError) as excinfo:
        read_roadmap(data, name)
    assert message in excinfo.value.message


def test_a_missing_file_gives_a_russian_error(tmp_path: Path) -> None:
    with pytest.raises(RoadmapImportError, match="Не удалось прочитать файл"):
        read_roadmap_file(tmp_path / "нет.docx")


# --- pieces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("№ п/п", "number"),
        ("N п/п", "number"),
        ("Мероприятия", "title"),
        ("Наименование мероприятия", "title"),
        ("Содержание", "content"),
        ("Наименование этапа", "section"),
        ("Направления", "section"),
        ("Сроки\nисполнения", "deadline"),
        ("Срок исполнения", "deadline"),
        ("Ответственные", "responsible"),
        ("Ответственный исполнитель", "responsible"),
        ("Ответственные (муниципальные)", "responsible_municipal"),
        ("Ответственные (ОО)", "responsible_org"),
        ("Ожидаемый результат", "expected_result"),
        ("Показатели эффективности", "indicator"),
        ("Наименование показателя", "target_name"),
        ("Что-то своё", "other"),
    ],
)
def test_columns_are_recognised_by_header(header: str, role: str) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Т.В. Демакова., заместитель директора, М.А. Баланюк, председатель первичной профсоюзной организации",
            [
                "Т.В. Демакова, заместитель директора",
                "М.А. Баланюк, председатель первичной профсоюзной организации",
            ],
        ),
        ("Куратор программы, психолог", ["Куратор программы", "психолог"]),
        (
            "Кураторы внедрения целевой модели в образовательной организации (далее – кураторы)",
            ["Кураторы внедрения целевой модели в образовательной организации (далее – кураторы)"],
        ),
        ("ООО «Рога, копыта»", ["ООО «Рога, копыта»"]),
        # a participial clause stays with its noun (issue 13)
        (
            "органы местного самоуправления, осуществляющие управление в сфере образования (по согласованию)",
            [
                "органы местного самоуправления, осуществляющие управление в сфере образования (по согласованию)"
            ],
        ),
        (
            "Министерство образования, органы местного самоуправления,\nосуществляющие управление в сфере\n"
            "образования (по согласованию), образовательные организации",
            [
                "Министерство образования",
                "органы местного самоуправления, осуществляющие управление в сфере образования (по согласованию)",
                "образовательные организации",
            ],
        ),
        (
            "педагоги, имеющие опыт наставничества, психолог",
            ["педагоги, имеющие опыт наставничества", "психолог"],
        ),
        (
            "Заместитель директора по УВР\nКлассные руководители",
            ["Заместитель директора по УВР", "Классные руководители"],
        ),
        ("Иванов И.И.", ["Иванов И.И."]),
        ("", []),
    ],
)
def test_responsibles_are_split_without_losing_text(text: str, expected: list[str]) -> None:
    assert split_responsibles(text) == expected


def test_a_person_splits_into_name_and_position() -> None:
    assert split_person("Т.В. Демакова, заместитель директора") == ("Т.В. Демакова", "заместитель директора")
    assert split_person("Куратор программы") == ("", "Куратор программы")


# --- layouts the seeds do not have -------------------------------------------------------------------


def test_excel_copied_text_with_quoted_multi_line_cells() -> None:
    text = (
        "№\tМероприятие\tСрок\tОтветственный\n"
        '1\t"Разработка\nположения"\tсентябрь 2023\tКуратор\n'
        '2\tВстреча\t"октябрь\n2023"\t"Директор,\nкуратор"\n'
    )
    draft = read_roadmap(text.encode(), "x.tsv")
    first, second = draft.events
    assert first.title == "Разработка положения"
    assert second.deadline.starts_on == D(2023, 10, 1)
    assert second.responsible == ("Директор", "куратор")
    assert draft.period == Period.academic_year(2023)  # from «сентябрь 2023», not the calendar year


def test_a_docx_with_roman_stages_a_column_numbers_row_and_other_wording() -> None:
    doc = Document()
    doc.add_paragraph("УТВЕРЖДЕН")
    doc.add_paragraph("приказом МБОУ «Лицей № 2» от 30.08.2024 № 145-о")
    doc.add_paragraph("ДОРОЖНАЯ КАРТА")
    doc.add_paragraph(
        "по реализации Положения о системе наставничества педагогических работников на 2024/2025 учебный год"
    )
    table = doc.add_table(rows=0, cols=5)
    for values in [
        [
            "№",
            "Наименование раздела / мероприятия",
            "Сроки проведения",
            "Ответственный исполнитель",
            "Форма представления результата",
        ],
        ["1", "2", "3", "4", "5"],
        ["I.", "Подготовительный этап", "", "", ""],
        ["1.", "Подготовка и утверждение приказа", "до 15 сентября", "Директор", "Приказ"],
        [
            "2.",
            "Анкетирование молодых педагогов\n- выявление затруднений",
            "сентябрь – октябрь",
            "Зам. директора",
            "Анкеты",
        ],
        ["II.", "Основной этап", "", "", ""],
        ["3.", "Открытые уроки наставников", "1 раз в четверть", "Наставники", "Анализ уроков"],
    ]:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    draft = read_roadmap(buffer.getvalue(), "lyceum.docx")
    assert draft.title.startswith("ДОРОЖНАЯ КАРТА по реализации Положения")
    assert draft.period == Period.academic_year(2024)
    assert draft.approval is not None and draft.approval.approved_on == D(2024, 8, 30)
    assert draft.approval.order == "№145-о"
    assert [c.role for c in draft.columns] == [
        "number",
        "title",
        "deadline",
        "responsible",
        "expected_result",
    ]
    assert [(s.number, s.title) for s in draft.sections] == [
        ("I", "Подготовительный этап"),
        ("II", "Основной этап"),
    ]
    assert [e.number for e in draft.events] == ["1", "2", "3"]
    assert draft.events[0].deadline.ends_on == D(2024, 9, 15)
    assert draft.events[1].content == "- выявление затруднений"
    assert draft.events[2].section == "Основной этап"
    assert draft.events[2].deadline.recurrence == "quarterly"
