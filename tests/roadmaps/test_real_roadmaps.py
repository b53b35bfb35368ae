"""The importer on roadmaps laid out as real ones are (rebuilt from documents of schools, a
kindergarten, a college, a centre of additional education, municipalities and regions), and the
property that nothing is lost silently: every non-empty line of every pinned document is accounted
for in the preview.

The files are in `tests/fixtures/roadmaps/real/`; three more are built here (`real_layouts.py`):
a .docx without deadline columns with lists in its cells, a college's .docx with merged section
rows, a regional .xlsx by calendar years. What each must read as was checked against the document.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nastavnik.roadmaps.deadlines import Period, expand_occurrences
from nastavnik.roadmaps.importing import RoadmapDraft, read_roadmap, read_roadmap_file
from nastavnik.roadmaps.importing.draft import LINE_IGNORED, SPLIT, WHOLE

from . import real_layouts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "roadmaps"
REAL = FIXTURES / "real"
D = date


def read(name: str) -> RoadmapDraft:
    return read_roadmap_file(REAL / name)


def occurrences(draft: RoadmapDraft, index: int) -> list[tuple[date, date]]:
    assert draft.period is not None
    return expand_occurrences(draft.events[index].deadline, draft.period.starts_on, draft.period.ends_on)


def ignored(draft: RoadmapDraft) -> list[tuple[str, str]]:
    return [(line.text, line.detail) for line in draft.ignored_lines]


# --- 15: a school's roadmap pasted from a PDF ------------------------------------------------------


def test_15_pdf_paste_with_the_number_on_the_second_line_of_a_wrapped_name() -> None:
    draft = read("15-school-pdf-wrapped-numbers.txt")
    assert draft.title == (
        "План мероприятий (дорожная карта) внедрения наставничества МБОУ Сосновской ООШ на 2021-2022 учебный год"
    )
    assert draft.approval is not None and draft.approval.name == "О.В. ЛАРИОНОВА"
    assert draft.period == Period.academic_year(2021)
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Нормативное правовое регулирование внедрения целевой модели наставничества"),
        ("2", "Формирование баз наставников и наставляемых"),
    ]
    assert [e.number for e in draft.events] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    first, second, acts, consents, bank, survey = draft.events
    assert (
        first.title
        == "Утверждение состава рабочей группы по внедрению целевой модели наставничества в 2021 г."
    )
    assert (first.deadline.starts_on, first.deadline.ends_on) == (D(2021, 9, 1), D(2021, 9, 30))
    assert first.all_responsible == ("Директор школы",) and first.expected_result == "Приказ"
    # «до 15 сентября» / «2021 г.» wrapped over two lines is one deadline
    assert second.title == "Назначение куратора внедрения целевой модели наставничества в ОО"
    assert second.deadline_text == "до 15 сентября 2021 г." and second.deadline.ends_on == D(2021, 9, 15)
    assert second.expected_result == "Приказ о назначении куратора"
    # «…, включающие:» and a list of lower-case items: one event, the list is its content
    assert acts.title.endswith("о внедрении ЦМН, включающие:")
    assert acts.content.split("\n") == [
        "- сроки внедрения ЦМН в образовательной организации;",
        "- назначение ответственных за материально-техническое обеспечение программ наставничества;",
    ]
    assert acts.all_responsible == ("Директор школы", "куратор")
    assert acts.deadline.recurrence == "yearly" and occurrences(draft, 2) == [
        (D(2021, 10, 1), D(2021, 10, 31))
    ]
    assert occurrences(draft, 3) == [(D(2021, 12, 1), D(2021, 12, 31)), (D(2022, 5, 1), D(2022, 5, 31))]
    assert consents.all_responsible == ("Классные руководители",)
    assert bank.title == "Формирование базы наставников из числа педагогов и обучающихся"
    assert bank.deadline.starts_on == D(2021, 11, 1)  # November first, not September
    assert survey.deadline.recurrence == "continuous" and survey.expected_result == "Аналитическая справка"
    assert (draft.lines_parsed, len(draft.lines)) == (55, 56)
    assert ignored(draft) == [("Стр. 2 из 2", "номер страницы")]
    assert draft.not_understood == []


# --- 16: a regional plan copied from a legal-information site ---------------------------------------


ORGANS = "органы местного самоуправления, осуществляющие управление в сфере образования (по согласованию)"


def test_16_legal_site_paste_by_calendar_years() -> None:
    draft = read("16-regional-legal-site-calendar.txt")
    assert draft.period == Period.calendar_years(2023, 2024) and not draft.period.academic
    assert draft.approval is not None and draft.approval.order == "№01/288"
    assert [(s.number, s.title[:40]) for s in draft.sections] == [
        ("I", "Организационно-координационные мероприят"),
        ("II", "Методическое сопровождение реализации це"),
    ]
    assert [e.number for e in draft.events] == ["1", "2", "3", "4", "5", "6"]
    assert [e.section[:10] for e in draft.events if e.section] == ["Организаци"] * 3 + ["Методическ"] * 3
    plan, monitoring, meetings, courses, contest, bank = draft.events
    assert plan.all_responsible == ("Министерство образования и науки Северской области",)
    assert plan.expected_result == "приказ\nутверждена дорожная карта"
    assert monitoring.all_responsible == ("региональный наставнический центр", ORGANS)
    assert occurrences(draft, 1) == [(D(2023, 5, 25), D(2023, 5, 25)), (D(2024, 5, 25), D(2024, 5, 25))]
    assert occurrences(draft, 2) == [(D(2023, 5, 1), D(2023, 5, 31)), (D(2024, 5, 1), D(2024, 5, 31))]
    assert courses.all_responsible == ("Институт развития образования (по согласованию)",)
    assert (courses.deadline.starts_on, courses.deadline.ends_on, courses.deadline.recurrence) == (
        D(2023, 1, 1), D(2024, 12, 31), "continuous",
    )  # fmt: skip
    assert (contest.deadline.starts_on, contest.deadline.ends_on) == (D(2023, 1, 1), D(2023, 12, 31))
    assert contest.all_responsible == ("региональный наставнический центр", ORGANS)
    assert occurrences(draft, 5) == [(D(2023, 10, 1), D(2023, 10, 31)), (D(2024, 9, 1), D(2024, 9, 30))]
    assert bank.expected_result == "банк материалов\nразмещены материалы на сайте"
    assert (draft.lines_parsed, len(draft.lines)) == (55, 55)
    assert draft.problems == []


# --- 17: teachers' mentoring by stages, no deadline or responsible column (.docx) -------------------


def test_17_table_without_deadline_columns_imports_and_asks_for_the_deadlines() -> None:
    draft = read_roadmap(real_layouts.teachers_stages_docx(), "17-teachers-stages.docx")
    assert [c.role for c in draft.columns] == ["number", "section", "title", "content"]
    assert [s.title for s in draft.sections] == [
        "Подготовка условий для запуска программы наставничества",
        "Формирование базы наставляемых",
        "Организация наставничества",
    ]
    # each «Мероприятие» is an event with its numbered list as the content
    assert [e.title for e in draft.events] == [
        "Изучение и систематизация имеющихся материалов по проблеме наставничества",
        "Подготовка нормативной базы реализации целевой модели наставничества",
        "Выявление конкретных проблем педагогов",
        "Закрепление наставнических пар",
    ]
    assert [e.list_choice for e in draft.events] == [WHOLE] * 4
    assert draft.events[1].section == "Подготовка условий для запуска программы наставничества"
    assert draft.events[1].content.count("\n") == 3
    assert draft.without_deadline == draft.events  # not refused: the curator fills the deadlines in
    assert all("впишите его" in p.message for p in draft.problems) and len(draft.problems) == 4
    assert (draft.lines_parsed, len(draft.lines)) == (8, 8)


def test_17_one_click_turns_a_rows_list_into_events_of_its_stage() -> None:
    data = real_layouts.teachers_stages_docx()
    row = read_roadmap(data, "17.docx").events[1].list_row
    draft = read_roadmap(data, "17.docx", list_choices={row: SPLIT})
    assert len(draft.events) == 7  # 1 + 4 items + 1 + 1
    items = [e for e in draft.events if e.list_row == row]
    assert [e.title for e in items] == [
        "Издание приказа «Внедрение целевой модели наставничества»",
        "Разработка и утверждение Положения о наставничестве",
        "Разработка и утверждение дорожной карты",
        "Назначение куратора внедрения целевой модели",
    ]
    assert {e.section for e in items} == {"Подготовка условий для запуска программы наставничества"}
    assert (
        items[0].content == "В составе: Подготовка нормативной базы реализации целевой модели наставничества"
    )
    assert [e.number for e in items] == ["1.1", "1.2", "1.3", "1.4"]


# --- 18: a kindergarten's roadmap copied from Excel, a numbered plan in each stage's cell -------------


def test_18_a_stage_whose_cell_is_a_list_of_actions_gives_one_event_per_action() -> None:
    draft = read("18-kindergarten-stage-lists.tsv")
    assert draft.period == Period.academic_year(2022, 2024)  # «(сентябрь 2022 г. - май 2024 г.)»
    assert len(draft.sections) == 5 and len(draft.events) == 10
    stage1 = [
        e for e in draft.events if e.section == "Подготовка условий для реализации системы наставничества"
    ]
    assert [(e.number, e.title) for e in stage1] == [
        ("1.1", "Изучение распоряжения Минпросвещения России № Р-145 и методических рекомендаций"),
        ("1.2", "Подготовка приказа о системе наставничества педагогических работников"),
        ("1.3", "Разработка положения о наставничестве в ДОУ"),
    ]
    assert {e.all_responsible for e in stage1} == {("Заведующий ДОУ", "старший воспитатель")}
    assert {e.list_choice for e in stage1} == {SPLIT}
    survey = next(e for e in draft.events if e.section == "Формирование банка наставников")
    assert survey.list_choice == WHOLE  # «…, включающего:» and its items: one event
    assert survey.content == "- опыт работы;\n- готовность к наставнической деятельности."
    assert draft.events[3].deadline.recurrence == "yearly" and draft.events[3].deadline.starts_on == D(
        2022, 9, 1
    )
    last = draft.events[-1]
    assert last.deadline.recurrence == "yearly" and last.deadline.repeat_until == D(2024, 5, 31)
    whole = read_roadmap_file(
        REAL / "18-kindergarten-stage-lists.tsv", list_choices={stage1[0].list_row: WHOLE}
    )
    assert len(whole.events) == 8  # the stage is one event, named by the stage, its list the content
    assert whole.events[0].title == "Подготовка условий для реализации системы наставничества"
    assert whole.events[0].content.split("\n")[0] == (
        "1) Изучение распоряжения Минпросвещения России № Р-145 и методических рекомендаций."
    )
    assert whole.events[0].content.count("\n") == 2
    assert (draft.lines_parsed, len(draft.lines)) == (17, 17)


# --- 19: a college (.docx, sections merged across the table) ----------------------------------------


def test_19_college_recurrences_and_responsibles_with_their_clauses() -> None:
    draft = read_roadmap(real_layouts.college_sections_docx(), "19-college.docx")
    assert draft.period == Period.academic_year(2021, 2023)
    assert draft.approval is not None and draft.approval.name == "А.П. Смирнов"
    assert draft.approval.approved_on == D(2021, 11, 1)
    assert [(s.number, s.title) for s in draft.sections] == [
        ("I", "Организационный этап"),
        ("II", "Практический этап"),
    ]
    curator, bank, meetings, contest, survey = draft.events
    assert occurrences(draft, 0) == [(D(2021, 11, 1), D(2021, 11, 30)), (D(2022, 9, 1), D(2022, 9, 30))]
    assert occurrences(draft, 1) == [(D(2021, 12, 25), D(2021, 12, 25)), (D(2022, 12, 25), D(2022, 12, 25))]
    assert bank.all_responsible == (
        "Руководитель центра содействия трудоустройству",
        "работодатели, участвующие в программе (по согласованию)",
    )
    assert meetings.all_responsible == (
        "Кураторы групп",
        "представители предприятий, осуществляющие наставничество",
    )
    assert meetings.deadline.recurrence == "several"
    assert occurrences(draft, 3) == [(D(2022, 5, 1), D(2022, 5, 31)), (D(2023, 5, 1), D(2023, 5, 31))]
    assert (survey.deadline.starts_on, survey.deadline.ends_on) == (D(2022, 9, 1), D(2023, 8, 31))
    assert ignored(draft) == [
        ("Заместитель директора по УВР ________ Е.В. Лаптева", "текст под таблицей (подписи, пояснения)")
    ]


# --- 20: a centre of additional education, no responsible column ------------------------------------


def test_20_centre_without_a_responsible_column() -> None:
    draft = read("20-centre-no-responsible.txt")
    assert [c.role for c in draft.columns] == ["number", "title", "deadline", "expected_result"]
    assert len(draft.events) == 6 and all(not e.all_responsible for e in draft.events)
    assert occurrences(draft, 2) == [(D(2024, 12, 1), D(2024, 12, 31)), (D(2025, 5, 1), D(2025, 5, 31))]
    assert draft.events[3].deadline.recurrence == "continuous"
    assert [e.title for e in draft.without_deadline] == ["Отчётный концерт «Вместе»"]
    assert ignored(draft) == [
        ("МАУ ДО «Центр детского творчества» г. Заречного", "текст над таблицей (цель, задачи, пояснения)"),
        ("* Сроки отдельных мероприятий уточняются по плану работы Центра.",
         "текст под таблицей (подписи, пояснения)"),
    ]  # fmt: skip
    assert (draft.lines_parsed, len(draft.lines)) == (8, 10)


# --- 21: a municipal roadmap pasted from a PDF, the heads of schools named ---------------------------


def test_21_municipal_pdf_paste_ends_at_the_footnote_and_the_signature() -> None:
    draft = read("21-municipal-pdf-heads-of-schools.txt")
    assert draft.period == Period.academic_year(2023)
    assert [e.number for e in draft.events] == ["1", "2", "3", "4", "5"]
    heads, meeting, base, contest, monitoring = draft.events
    assert (
        heads.title
        == "Назначение кураторов внедрения целевой модели наставничества в общеобразовательных организациях"
    )
    assert heads.deadline.ends_on == D(2023, 9, 20) and heads.all_responsible == ("Руководители ОО",)
    assert meeting.all_responsible == ("Управление образования",) and meeting.expected_result == "Протокол"
    assert base.all_responsible == ("Управление образования", "руководители ОО")
    assert base.deadline.recurrence == "yearly" and base.deadline.starts_on == D(2023, 10, 1)
    assert contest.title == "Участие педагогов в региональном конкурсе «Наставник года»"
    assert monitoring.expected_result == "Аналитическая справка"
    assert [reason for _text, reason in ignored(draft)] == ["текст под таблицей (подписи, пояснения)"] * 2
    assert (draft.lines_parsed, len(draft.lines)) == (46, 48)


# --- 22: a municipal plan from a legal site without a number column -----------------------------------


def test_22_legal_site_rows_without_numbers() -> None:
    draft = read("22-municipal-legal-site-no-numbers.txt")
    assert draft.period == Period.calendar_years(2022, 2022)
    assert len(draft.events) == 5 and all(e.number is None for e in draft.events)
    assert draft.events[1].title == (
        "Включение вопросов наставничества в планы работы муниципальных методических объединений"
    )
    assert draft.events[2].deadline.recurrence == "yearly" and draft.events[2].deadline.starts_on == D(
        2022, 11, 1
    )
    assert draft.events[2].all_responsible == ("Отдел образования", 'МКУ "Информационно-методический центр"')
    assert draft.events[3].all_responsible == (
        "Руководители образовательных организаций, осуществляющие наставничество (по согласованию)",
    )
    assert (draft.events[3].deadline.starts_on, draft.events[3].deadline.ends_on) == (
        D(2022, 7, 1),
        D(2022, 12, 31),
    )
    assert (draft.lines_parsed, len(draft.lines)) == (22, 22)


# --- 23: an old school roadmap pasted from a PDF, numbers alone, numbered lists in cells ---------------


def test_23_numbered_lists_in_cells_are_not_rows() -> None:
    draft = read("23-school-2020-pdf-number-alone.txt")
    assert draft.period == Period.academic_year(2020)
    assert [s.title for s in draft.sections] == [
        "Подготовка условий для запуска программы наставничества",
        "Подготовка нормативной базы",
        "Формирование банка наставляемых",
    ]
    assert [e.title for e in draft.events] == [
        "Изучение и систематизация имеющихся материалов",
        "Издание приказа о внедрении",
        "Сбор данных о наставляемых",
    ]
    assert draft.events[0].content.split("\n") == [
        "1. Изучение распоряжения Минпросвещения России № Р-145 от 25 декабря 2019 г.",
        "2. Подготовка системных папок по проблеме наставничества.",
        "3. Ознакомление с шаблонами документов.",
    ]
    assert len(draft.without_deadline) == 3
    assert (draft.lines_parsed, len(draft.lines)) == (38, 38)


def test_23_moved_to_this_year() -> None:
    draft = read_roadmap_file(REAL / "23-school-2020-pdf-number-alone.txt", shift_years=6)
    assert draft.period == Period.academic_year(2026)
    assert draft.title.endswith("на 2026-2027 учебный год") and draft.shifted_years == 6


# --- 24: a regional plan by calendar years (.xlsx) -------------------------------------------------


def test_24_regional_calendar_years_are_not_academic_years() -> None:
    draft = read_roadmap(real_layouts.regional_calendar_xlsx(), "24-regional.xlsx")
    assert draft.period == Period.calendar_years(2023, 2025)
    approve, training, monitoring, conference, report = draft.events
    assert (approve.deadline.starts_on, approve.deadline.ends_on) == (D(2023, 1, 1), D(2023, 12, 31))
    assert (training.deadline.starts_on, training.deadline.ends_on) == (D(2023, 1, 1), D(2024, 12, 31))
    assert [due for _start, due in occurrences(draft, 2)] == [D(2023, 12, 1), D(2024, 12, 1), D(2025, 12, 1)]
    assert monitoring.all_responsible == (
        "Региональный наставнический центр",
        ORGANS.replace("органы", "органы", 1),
    )
    assert conference.deadline.starts_on == D(2024, 11, 1) and report.deadline.ends_on == D(2025, 12, 31)
    assert (draft.lines_parsed, len(draft.lines)) == (7, 7)


# --- the same rows as .docx and as a PDF paste give the same events ------------------------------------


def test_the_same_rows_as_docx_and_as_a_pdf_paste_give_the_same_events() -> None:
    from docx import Document

    pasted = read("15-school-pdf-wrapped-numbers.txt")
    doc = Document()
    doc.add_paragraph(pasted.title)
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, ("№ п/п", "Наименование мероприятий", "Срок реализации",
                                                   "Ответственный исполнитель", "Результат. Вид документа"),
                          strict=True):  # fmt: skip
        cell.text = text
    for section in pasted.sections:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[4])
        merged.text = f"{section.number}. {section.title}"
        for event in [e for e in pasted.events if e.section == section.title]:
            cells = table.add_row().cells
            title = f"{event.title}\n{event.content}" if event.content else event.title
            values = (f"{event.number}.", title, event.deadline_text, ", ".join(event.all_responsible),
                      event.expected_result)  # fmt: skip
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
    import io

    buffer = io.BytesIO()
    doc.save(buffer)
    from_docx = read_roadmap(buffer.getvalue(), "15.docx")

    def facts(draft: RoadmapDraft) -> list[tuple[object, ...]]:
        return [
            (e.number, e.section, e.title, e.content, e.deadline.starts_on, e.deadline.ends_on,
             e.deadline.recurrence, e.deadline.windows, e.all_responsible, e.expected_result.replace("\n", " "))
            for e in draft.events
        ]  # fmt: skip

    assert facts(from_docx) == facts(pasted)


# --- nothing lost silently ---------------------------------------------------------------------------


def _pinned() -> list[tuple[str, bytes]]:
    files = [
        p
        for p in sorted(FIXTURES.rglob("*"))
        if p.suffix in {".txt", ".tsv", ".docx", ".xlsx"} and p.is_file()
    ]
    built = [
        ("17-teachers-stages.docx", real_layouts.teachers_stages_docx()),
        ("19-college.docx", real_layouts.college_sections_docx()),
        ("24-regional.xlsx", real_layouts.regional_calendar_xlsx()),
    ]
    return [(p.name, p.read_bytes()) for p in files] + built


PINNED = _pinned()


@pytest.mark.parametrize(("name", "data"), PINNED, ids=[name for name, _ in PINNED])
def test_every_non_empty_source_line_is_accounted_for(name: str, data: bytes) -> None:
    draft = read_roadmap(data, name)
    kinds = {line.kind for line in draft.lines}
    assert kinds <= {"event", "section", "header", "note", LINE_IGNORED}
    # every line has a use with its reason; none is left over unexplained
    assert all(line.detail for line in draft.lines)
    assert not [line for line in draft.lines if "не отнесена" in line.detail]
    assert draft.lines_parsed + len(draft.ignored_lines) == len(draft.lines)
    # every event's and section's lines are among them, and the events cover what the table holds
    units = {line.unit for line in draft.lines}
    assert all(set(e.units) & units for e in draft.events)
    if name.endswith((".txt", ".tsv")):
        from nastavnik.roadmaps.importing.sources import decode_text

        text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        non_empty = {n for n, line in enumerate(text.split("\n"), 1) if line.strip(" \t|\u00a0")}
        assert units == non_empty


# --- 25, 26: a web page's preview (a cell per line, blank lines between), a PDF without numbers ------


def test_25_web_preview_with_blank_lines_between_the_cells() -> None:
    draft = read("25-school-web-paste-blank-lines.txt")
    assert draft.period == Period.academic_year(2020)
    assert draft.approval is not None and draft.approval.name == "Н.В. Петренко"
    assert [(s.number, s.title) for s in draft.sections] == [
        ("1", "Нормативное правовое регулирование внедрения целевой модели наставничества"),
        ("2", "Информирование участников"),
    ]
    assert [(e.number, e.title) for e in draft.events] == [
        ("1.1", "Утверждение состава рабочей группы по внедрению целевой модели"),
        ("1.2", "Назначение куратора внедрения целевой модели наставничества"),
        ("2.1", "Проведение педагогического совета"),
        ("2.2", "Информирование родителей о программе наставничества"),
    ]
    assert draft.events[1].deadline.ends_on == D(2020, 11, 15)
    assert draft.events[3].all_responsible == ("Классные руководители 1-11 классов",)
    assert draft.events[3].expected_result == "Протоколы родительских собраний"
    assert (draft.lines_parsed, len(draft.lines)) == (47, 47)


def test_26_pdf_paste_without_a_number_column() -> None:
    draft = read("26-students-pdf-no-numbers.txt")
    assert [c.role for c in draft.columns] == ["title", "deadline", "responsible"]
    assert [e.title for e in draft.events] == [
        "Разработка школьной программы наставничества",
        "Ознакомление педагогов с распорядительными документами",
        "Информирование родительского сообщества о планируемой реализации программы",
        "Анкетирование обучающихся",
        "Проведение итогового мероприятия",
    ]
    assert [e.deadline.ends_on for e in draft.events] == [
        D(2022, 9, 30), D(2022, 10, 31), D(2022, 11, 30), D(2022, 12, 31), D(2023, 5, 31),
    ]  # fmt: skip
    assert occurrences(draft, 3) == [(D(2022, 12, 1), D(2022, 12, 31)), (D(2023, 5, 1), D(2023, 5, 31))]
    assert draft.events[4].all_responsible == ("Куратор программы", "наставники")
    assert (draft.lines_parsed, len(draft.lines)) == (23, 23)
