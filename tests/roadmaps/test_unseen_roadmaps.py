"""`import_roadmap --dry-run --json` on roadmaps laid out unlike the seeds, and on garbage.

The fixtures in `tests/fixtures/roadmaps/unseen/` are built by `make_fixtures.py` there; what each
one must read as was checked by hand against the document and is pinned below. The command runs
as a real process (`manage.py`), so its exit status, stdout and stderr are what a user gets.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

from nastavnik.roadmaps.deadlines import Period
from nastavnik.roadmaps.importing import read_roadmap, read_roadmap_file

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"
UNSEEN = ROOT / "tests" / "fixtures" / "roadmaps" / "unseen"
FIXTURE_FILES = sorted(p.name for p in UNSEEN.iterdir() if p.suffix in {".docx", ".xlsx", ".txt"})

# every fixture and its number of events, counted in the document by hand
EVENT_COUNTS = {
    "01-school-approval-sections.docx": 11,
    "02-municipal-two-row-header.docx": 9,
    "03-school-continued-table.docx": 10,
    "04-teachers-stage-column.docx": 10,
    "05-school-title-in-table.docx": 9,
    "06-school-xlsx-title-rows.xlsx": 10,
    "07-municipal-xlsx-two-row-header.xlsx": 9,
    "08-school-rows-per-line.txt": 11,
    "09-municipal-cells-per-line.txt": 9,
    "10-students-cells-per-line.txt": 10,
    "11-xlsx-start-end-dates.xlsx": 7,
    "12-school-unmerged-stages.docx": 8,
    "13-teachers-table-per-stage.docx": 9,
    "14-directions-utf16.txt": 9,
}


def command(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(MANAGE), "import_roadmap", *args],
        cwd=cwd or ROOT,
        env={**os.environ, "NASTAVNIK_DEV": "1", **(env or {})},
        capture_output=True,
        timeout=120,
        check=False,
    )


@functools.cache
def roadmap_json(name: str) -> dict[str, Any]:
    """The command's JSON for a fixture, run in this process (the real process is checked below)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roadmap", str(UNSEEN / name), "--dry-run", "--json", stdout=out, stderr=err)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def events(name: str) -> list[dict[str, Any]]:
    return list(roadmap_json(name)["events"])


def event(name: str, number: str) -> dict[str, Any]:
    (found,) = [e for e in events(name) if e["number"] == number]
    return found


def titled(name: str, start: str) -> dict[str, Any]:
    found = [e for e in events(name) if e["title"].startswith(start)]
    assert len(found) == 1, f"{start!r}: {len(found)} events"
    return found[0]


def dates(e: dict[str, Any]) -> tuple[str | None, str | None, str]:
    return e["starts_on"], e["ends_on"], e["recurrence"]


def sections(name: str) -> list[tuple[str | None, str]]:
    return [(s.number, s.title) for s in read_roadmap_file(UNSEEN / name).sections]


# --- every fixture -----------------------------------------------------------------------------------


def test_there_are_enough_fixtures_and_each_is_pinned() -> None:
    assert len(FIXTURE_FILES) >= 10
    assert set(FIXTURE_FILES) == set(EVENT_COUNTS)
    assert {Path(n).suffix for n in FIXTURE_FILES} == {".docx", ".xlsx", ".txt"}


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_the_command_reads_every_fixture_into_valid_json(name: str) -> None:
    result = command(str(UNSEEN / name), "--dry-run", "--json")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    data = json.loads(result.stdout.decode("utf-8"))  # stdout is the JSON and nothing else
    assert data == roadmap_json(name)
    assert set(data) == {"title", "events"}
    assert data["title"] and "\n" not in data["title"]
    assert len(data["events"]) == EVENT_COUNTS[name]
    for e in data["events"]:
        assert set(e) == {
            "number", "section", "title", "content", "deadline_text", "starts_on", "ends_on",
            "recurrence", "responsible", "expected_result", "indicator",
        }  # fmt: skip
        # no header, section heading, note or signature came through as an event
        assert e["title"] and e["title"] == e["title"].strip()
        assert not re.match(
            r"(?:мероприяти|наименование|содержание|срок|ответствен|№|\d+$)", e["title"], re.I
        )
        assert not re.search(r"_{3}|^\*|^примечани|этап$", e["title"], re.I)
        assert e["deadline_text"], e["title"]
        assert e["responsible"] and all(r.strip() and r != "—" for r in e["responsible"]), e["title"]
        assert not any("____" in r for r in e["responsible"])
    numbers = [e["number"] for e in data["events"] if e["number"]]
    assert len(numbers) == len(set(numbers)), "no two events share a number"


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_every_deadline_of_the_fixtures_is_understood(name: str) -> None:
    draft = read_roadmap_file(UNSEEN / name)
    not_understood = [e.deadline_text for e in draft.not_understood]
    assert not_understood == []  # «декабрь, май» too: two occurrences (test_deadlines)


# --- 01: УТВЕРЖДАЮ above, sections merged across the table, a note and a signature below ------------


def test_01_school_plan_with_an_approval_and_merged_sections() -> None:
    name = "01-school-approval-sections.docx"
    data = roadmap_json(name)
    assert data["title"] == (
        "ДОРОЖНАЯ КАРТА внедрения целевой модели наставничества в МБОУ «СОШ № 12» на 2022-2023 учебный год"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert sections(name) == [
        ("I", "Нормативно-правовое обеспечение"),
        ("II", "Формирование баз наставников и наставляемых"),
        ("III", "Работа наставнических пар и групп"),
    ]
    first, last = events(name)[0], events(name)[-1]
    assert first["title"] == "Издание приказа о внедрении целевой модели наставничества"
    assert first["section"] == "Нормативно-правовое обеспечение"
    assert dates(first) == (None, "2022-09-15", "once")
    assert first["responsible"] == ["Директор школы Соколова О.Н."]
    assert first["expected_result"] == "Приказ"
    assert last["title"] == "Итоговая конференция «Наставничество: лучшие практики»"
    assert dates(last) == ("2023-05-01", "2023-05-31", "once")
    assert last["responsible"] == ["Куратор программы", "классные руководители"]

    assert event(name, "1.2")["responsible"] == ["Заместитель директора по ВР Иванова И.И."]
    assert dates(event(name, "1.3")) == ("2022-09-01", "2022-10-31", "once")
    assert event(name, "2.3")["title"] == "Формирование базы наставляемых"
    assert event(name, "2.3")["content"] == "(обучающиеся 5–11 классов)"
    assert event(name, "2.4")["responsible"] == ["Руководитель ОО", "куратор"]
    assert dates(event(name, "3.1")) == ("2022-12-01", "2022-12-31", "once")
    assert dates(event(name, "3.2")) == ("2022-09-01", "2023-08-31", "continuous")
    assert dates(event(name, "3.3")) == ("2022-09-01", "2023-08-31", "quarterly")
    approval = read_roadmap_file(UNSEEN / name).approval
    assert approval is not None
    assert (approval.position, approval.name, approval.order) == (
        "Директор МБОУ «СОШ № 12»",
        "О.Н. Соколова",
        "№214-од",
    )


# --- 02: municipal; a two-row header with two responsible levels; «—» for nobody -------------------


def test_02_municipal_two_row_header_and_indicators() -> None:
    name = "02-municipal-two-row-header.docx"
    data = roadmap_json(name)
    assert data["title"].startswith("Дорожная карта (план мероприятий) по внедрению целевой модели")
    assert data["title"].endswith("Озёрского городского округа на 2021–2024 годы")
    assert [e["number"] for e in events(name)] == [
        "1.1",
        "1.2",
        "1.2.1",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
    ]
    assert sections(name) == [
        ("1", "Организационно-управленческое обеспечение"),
        ("2", "Методическое сопровождение"),
        ("3", "Мониторинг и оценка результатов"),
    ]
    draft = read_roadmap_file(UNSEEN / name)
    assert [c.role for c in draft.columns] == [
        "number", "title", "deadline", "responsible_municipal", "responsible_org", "indicator",
    ]  # fmt: skip
    first = events(name)[0]
    assert first["title"] == "Назначение муниципального куратора внедрения целевой модели наставничества"
    assert first["responsible"] == ["Управление образования"]  # «—» at the school level is nobody
    assert first["indicator"] == "Приказ Управления образования"
    assert dates(first) == ("2021-01-01", "2021-01-31", "once")
    assert event(name, "1.2.1")["responsible"] == ["РНЦ", "Руководитель ОО", "куратор"]
    assert event(name, "1.2.1")["recurrence"] == "yearly"
    basis = event(name, "1.3")
    assert basis["deadline_text"] == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert dates(basis) == ("2021-09-01", "2021-11-30", "yearly")
    assert dates(event(name, "2.1")) == ("2021-10-01", "2021-12-31", "once")
    assert dates(event(name, "2.2")) == (None, None, "on_demand")
    assert dates(event(name, "2.3")) == ("2021-03-01", "2021-03-31", "yearly")
    last = events(name)[-1]
    assert last["title"] == "Подведение итогов внедрения целевой модели наставничества"
    assert last["section"] == "Мониторинг и оценка результатов"
    assert dates(last) == ("2024-12-01", "2024-12-31", "once")
    assert last["indicator"] == "Аналитическая справка"


# --- 03: «1)» numbers; «Цель:», «Задачи:» under the title; the table goes on after a page break ---


def test_03_a_table_continued_after_a_page_break_with_its_header_repeated() -> None:
    name = "03-school-continued-table.docx"
    data = roadmap_json(name)
    assert data["title"] == (
        "План мероприятий («дорожная карта») по реализации программы наставничества "
        "в МКОУ «Верхнесалдинская ООШ» на 2020–2021 учебный год"
    )
    assert [e["number"] for e in events(name)] == [str(n) for n in range(1, 11)]
    assert sections(name) == []
    first, last = events(name)[0], events(name)[-1]
    assert first["title"] == "Ознакомление педагогического коллектива с целевой моделью наставничества"
    assert dates(first) == (None, "2020-11-09", "once")
    assert first["expected_result"] == "Протокол педагогического совета"  # «Форма отчётности»
    assert last["title"] == "Итоговое мероприятие «Фестиваль наставничества»"
    assert dates(last) == ("2021-06-01", "2021-06-30", "once")
    assert last["responsible"] == ["Заместитель директора по УВР Петрова А.С."]
    assert event(name, "2")["content"] == "Положение размещается на сайте школы в разделе «Наставничество»."
    parents = event(name, "3")
    assert parents["title"] == "Информирование родителей о программе наставничества:"
    assert parents["content"] == "- на родительских собраниях;\n- через сайт школы."
    assert dates(parents) == ("2020-10-01", "2020-12-31", "once")
    assert dates(event(name, "6")) == ("2020-09-01", "2021-08-31", "continuous")  # after the page break
    assert dates(event(name, "7")) == ("2021-01-01", "2021-05-31", "once")  # «2 полугодие»
    monthly = read_roadmap_file(UNSEEN / name).events[7]
    assert (monthly.deadline.recurrence, monthly.deadline.day_of_month) == ("monthly", 25)
    assert [e.notes for e in read_roadmap_file(UNSEEN / name).events[:2]] == ["выполнено", "выполнено"]


# --- 04: teachers; СОГЛАСОВАНО | УТВЕРЖДАЮ table above; a stage column merged down its rows --------


def test_04_stage_column_merged_down_and_a_note_row_across_the_table() -> None:
    name = "04-teachers-stage-column.docx"
    data = roadmap_json(name)
    assert data["title"] == (
        "Дорожная карта реализации Положения о системе наставничества педагогических работников "
        "МАОУ «Лицей № 3» на 2023/2024 учебный год"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "3.1",
        "3.2",
    ]
    assert sections(name) == [
        (None, "Подготовительный этап"),
        (None, "Основной этап"),
        (None, "Заключительный этап"),
    ]
    assert [e["section"] for e in events(name)] == ["Подготовительный этап"] * 3 + ["Основной этап"] * 5 + [
        "Заключительный этап"
    ] * 2
    first, last = events(name)[0], events(name)[-1]
    assert first["title"] == "Издание приказа о системе наставничества педагогических работников"
    assert dates(first) == ("2023-09-01", "2023-10-01", "once")
    assert last["title"] == "Подведение итогов работы наставнических пар на педагогическом совете"
    assert last["responsible"] == ["Куратор"]
    assert dates(event(name, "2.3")) == ("2023-09-01", "2024-08-31", "quarterly")
    assert dates(event(name, "2.4")) == ("2024-01-01", "2024-03-31", "once")  # «I квартал 2024»
    assert dates(event(name, "2.5")) == ("2024-01-01", "2024-05-31", "once")  # «2 полугодие»
    assert event(name, "2.5")["responsible"] == ["Наставники", "молодые специалисты"]
    draft = read_roadmap_file(UNSEEN / name)
    assert draft.events[6].notes == "для всех молодых специалистов"
    assert draft.approval is not None
    assert (draft.approval.position, draft.approval.name, draft.approval.order) == (
        "Директор МАОУ «Лицей № 3»",
        "Е.В. Кузнецова",
        "№158",
    )
    assert str(draft.approval.approved_on) == "2023-08-31"


# --- 05: the title in the table's first row; a column-numbers row; Roman stages, flat numbers -----


def test_05_title_inside_the_table_and_roman_stages() -> None:
    name = "05-school-title-in-table.docx"
    data = roadmap_json(name)
    assert data["title"] == (
        "План мероприятий по внедрению целевой модели наставничества в МБОУ «Гимназия № 5» на 2021-2022 учебный год"
    )
    assert [e["number"] for e in events(name)] == [str(n) for n in range(1, 10)]
    assert sections(name) == [
        ("I", "Подготовительный этап"),
        ("II", "Основной этап"),
        ("III", "Заключительный этап"),
    ]
    first, last = events(name)[0], events(name)[-1]
    assert first["title"] == "Совещание при директоре «О внедрении целевой модели наставничества»"
    assert first["deadline_text"] == "20.09.2021г."
    assert dates(first) == ("2021-09-20", "2021-09-20", "once")
    assert last["title"] == "Размещение итогов программы на сайте гимназии"
    assert last["section"] == "Заключительный этап"
    assert dates(event(name, "2")) == (None, "2021-10-01", "once")
    three = event(name, "3")
    assert three["deadline_text"] == "сентябрь 2021 – май 2022"  # written over two lines in the cell
    assert dates(three) == ("2021-09-01", "2022-05-31", "once")
    assert dates(event(name, "4")) == ("2021-09-01", "2022-08-31", "continuous")
    assert event(name, "4")["responsible"] == ["Наставники", "куратор программы"]
    assert dates(event(name, "5")) == (None, None, "on_demand")
    assert event(name, "5")["responsible"] == ["Педагог-психолог Смирнова Е.А."]
    assert event(name, "6")["recurrence"] == "yearly"
    assert event(name, "7")["expected_result"] == "Награждение победителей"


# --- 06: Excel; title rows and an approval above; merged sections; date cells; hidden column -----


def test_06_xlsx_with_title_rows_date_cells_and_a_hidden_column() -> None:
    name = "06-school-xlsx-title-rows.xlsx"
    data = roadmap_json(name)
    assert data["title"] == (
        "Дорожная карта внедрения целевой модели наставничества в МБОУ «СОШ № 3» на 2022-2023 учебный год"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
    ]
    assert sections(name) == [
        ("1", "Подготовка условий для запуска программы наставничества"),
        ("2", "Формирование баз наставников и наставляемых"),
        ("3", "Работа наставнических пар"),
    ]
    first, last = events(name)[0], events(name)[-1]
    assert first["title"] == "Издание приказа о внедрении целевой модели наставничества"
    assert first["deadline_text"] == "01.09.2022"  # a date cell
    assert dates(first) == ("2022-09-01", "2022-09-01", "once")
    assert last["title"] == "Итоговое мероприятие программы наставничества"
    assert dates(last) == ("2023-05-25", "2023-05-25", "once")
    # a date cell shown as «Сентябрь 2022» is the month, not its first day
    assert event(name, "2.1")["deadline_text"] == "сентябрь 2022"
    assert dates(event(name, "2.1")) == ("2022-09-01", "2022-09-30", "once")
    assert dates(event(name, "3.3")) == ("2023-01-01", "2023-03-31", "once")
    assert event(name, "3.2")["responsible"] == ["Заместитель директора по ВР Иванова И.И."]
    draft = read_roadmap_file(UNSEEN / name)
    assert "Код" not in [c.header for c in draft.columns]  # the hidden helper column
    assert not any("НМ-" in e.notes for e in draft.events)
    assert draft.problems == []  # the signature row under the table is not an event


# --- 07: Excel; a notes sheet first; two-row merged header; a responsible merged down three rows --


def test_07_xlsx_two_row_header_and_a_cell_merged_down() -> None:
    name = "07-municipal-xlsx-two-row-header.xlsx"
    data = roadmap_json(name)
    # the title is on the roadmap's own sheet, not the «Пояснения» sheet before it
    assert data["title"] == (
        "Дорожная карта внедрения целевой модели наставничества в Заречном муниципальном районе на 2023–2025 годы"
    )
    assert [e["number"] for e in events(name)] == [str(n) for n in range(1, 10)]
    assert sections(name) == [
        ("I", "Нормативно-правовое обеспечение"),
        ("II", "Кадровое и методическое обеспечение"),
        ("III", "Мониторинг"),
    ]
    first, second, third = events(name)[:3]
    assert first["title"] == "Приказ о внедрении целевой модели наставничества в муниципальном районе"
    # «Управление образования» is one cell merged over the first three events
    assert first["responsible"] == ["Управление образования"]
    assert second["responsible"] == ["Управление образования", "Руководитель ОО"]
    assert third["responsible"] == ["Управление образования", "Руководитель ОО", "куратор"]
    assert dates(first) == ("2023-01-20", "2023-01-20", "once")
    assert second["deadline_text"] == "февраль 2023"
    assert dates(second) == ("2023-02-01", "2023-02-28", "once")
    assert first["indicator"] == "Приказ издан"
    assert event(name, "4")["responsible"] == ["РНЦ", "Куратор программы"]
    assert dates(event(name, "5")) == ("2023-09-01", "2023-11-30", "yearly")
    assert event(name, "5")["indicator"] == "Доля обучающихся, вовлечённых в программы наставничества, %"
    assert dates(event(name, "8")) == ("2023-01-01", "2025-12-31", "quarterly")
    last = events(name)[-1]
    assert last["title"] == "Отчёт о внедрении целевой модели наставничества"
    assert dates(last) == ("2025-12-15", "2025-12-15", "once")
    draft = read_roadmap_file(UNSEEN / name)
    assert draft.has_municipal_level
    assert draft.events[0].responsible_municipal == ("Управление образования",)
    assert draft.events[0].notes == "выполнено"


# --- 08: text, one row per line; sections are lines without tabs -----------------------------------


def test_08_text_rows_with_section_lines_without_tabs() -> None:
    name = "08-school-rows-per-line.txt"
    data = roadmap_json(name)
    assert (
        data["title"]
        == "Дорожная карта реализации целевой модели наставничества в МБОУ «ООШ № 21» на 2021-2022 учебный год"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3",
    ]  # fmt: skip
    assert sections(name) == [
        ("I", "Нормативно-правовое обеспечение"),
        ("II", "Организационные мероприятия"),
        ("III", "Мониторинг и подведение итогов"),
    ]
    first, last = events(name)[0], events(name)[-1]
    assert first["section"] == "Нормативно-правовое обеспечение"
    assert dates(first) == ("2021-09-20", "2021-09-20", "once")  # «20.09.2021г.»
    assert last["title"] == "Публикация лучших практик наставничества на сайте школы"
    assert last["section"] == "Мониторинг и подведение итогов"
    wrapped = event(name, "2.2")  # the title cell goes on on the next line
    assert wrapped["title"] == "Формирование базы наставников"
    assert wrapped["content"] == "(педагоги, обучающиеся 9 классов)"
    assert dates(wrapped) == ("2021-11-01", "2021-11-30", "once")
    assert dates(event(name, "2.3")) == ("2021-12-01", "2021-12-31", "once")
    # a line without tabs right under a row is the rest of its last cell, not a section
    assert event(name, "2.3")["expected_result"] == "Сертификаты\nУдостоверения о повышении квалификации"
    assert event(name, "2.3")["section"] == "Организационные мероприятия"
    assert dates(event(name, "2.4")) == ("2021-09-01", "2022-05-31", "once")
    assert dates(event(name, "3.2")) == ("2022-05-01", "2022-05-31", "once")
    assert event(name, "3.2")["responsible"] == ["Руководитель ОО", "куратор"]
    approval = read_roadmap_file(UNSEEN / name).approval
    assert approval is not None and approval.name == "Г.А. Никитина"


# --- 09: text, one cell per line; «Раздел N.» rows; a responsible over two lines -----------------


def test_09_text_cells_per_line_with_labelled_sections() -> None:
    name = "09-municipal-cells-per-line.txt"
    data = roadmap_json(name)
    assert data["title"] == (
        "Дорожная карта внедрения целевой модели наставничества в Нижнеозёрском муниципальном районе на 2020-2024 годы"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
    ]
    assert sections(name) == [
        ("1", "Подготовка условий для внедрения целевой модели наставничества"),
        ("2", "Реализация программ наставничества"),
        ("3", "Мониторинг"),
    ]
    first = events(name)[0]
    assert first["title"] == "Разработка муниципальной дорожной карты внедрения целевой модели наставничества"
    assert dates(first) == ("2020-07-01", "2020-08-31", "once")
    assert first["expected_result"] == "Дорожная карта"
    assert dates(event(name, "1.3")) == ("2020-10-01", "2020-12-31", "once")
    assert event(name, "1.3")["responsible"] == ["РНЦ"]
    bases = event(name, "2.1")
    assert bases["deadline_text"] == "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг."
    assert dates(bases) == ("2021-09-01", "2021-11-30", "yearly")
    assert bases["responsible"] == ["Управление образования", "Руководители ОО"]
    assert dates(event(name, "2.3")) == ("2021-01-01", "2024-12-31", "continuous")
    assert dates(event(name, "3.1")) == ("2021-01-01", "2021-03-31", "once")
    last = events(name)[-1]
    assert last["title"] == "Итоговый отчёт о внедрении целевой модели наставничества"
    assert dates(last) == ("2024-12-01", "2024-12-31", "once")


# --- 10: text, one cell per line; columns in another order, no numbers ---------------------------


def test_10_text_cells_per_line_with_reordered_columns() -> None:
    name = "10-students-cells-per-line.txt"
    data = roadmap_json(name)
    assert data["title"] == (
        "План мероприятий («дорожная карта») программы наставничества обучающихся МБОУ «СОШ № 44» "
        "на 2023-2024 учебный год"
    )
    assert [c.role for c in read_roadmap_file(UNSEEN / name).columns] == [
        "title",
        "responsible",
        "deadline",
        "notes",
    ]
    evs = events(name)
    assert all(e["number"] is None and e["section"] is None for e in evs)
    assert evs[0]["title"] == "Разработка программы наставничества обучающихся"
    assert dates(evs[0]) == ("2023-11-01", "2023-11-30", "once")
    assert evs[2]["responsible"] == ["Куратор программы", "педагог-психолог"]
    assert dates(evs[4]) == ("2023-09-01", "2024-08-31", "continuous")
    assert dates(evs[5]) == ("2023-09-01", "2024-08-31", "monthly")  # «до 25 числа каждого месяца»
    assert dates(evs[6]) == ("2024-01-01", "2024-05-31", "once")  # «2 полугодие»
    assert dates(evs[7]) == ("2023-09-01", "2024-08-31", "yearly")
    assert evs[7]["responsible"] == ["Заместитель директора по ВР Иванова И.И."]
    assert dates(evs[8]) == (None, None, "on_demand")
    assert evs[-1]["title"] == "Итоговая встреча наставников и наставляемых"
    assert dates(evs[-1]) == ("2024-05-01", "2024-05-31", "once")


# --- 11: a bare Excel export: start and end date columns, no title --------------------------------


def test_11_xlsx_with_start_and_end_date_columns() -> None:
    name = "11-xlsx-start-end-dates.xlsx"
    data = roadmap_json(name)
    assert data["title"] == "11-xlsx-start-end-dates"  # no title in the file: its name
    evs = events(name)
    assert evs[0]["title"] == "Приказ о назначении куратора программы наставничества"
    assert evs[0]["deadline_text"] == "01.09.2023 – 08.09.2023"
    assert dates(evs[0]) == ("2023-09-01", "2023-09-08", "once")
    assert dates(evs[3]) == ("2023-11-15", "2023-11-15", "once")  # no end date
    assert evs[3]["responsible"] == ["Заместитель директора по УВР Волкова С.А."]
    assert dates(evs[5]) == ("2024-01-15", "2024-03-29", "once")
    assert evs[-1]["title"] == "Итоговый педагогический совет"
    assert dates(evs[-1]) == ("2024-05-30", "2024-05-30", "once")
    draft = read_roadmap_file(UNSEEN / name)
    assert draft.period == Period.academic_year(2023)
    assert [e.notes for e in draft.events[:3]] == ["выполнено", "выполнено", "в работе"]  # «Статус»


# --- 12: stage rows not merged; headers broken over lines; «1.1.1» -------------------------------


def test_12_unmerged_stage_rows_and_three_level_numbers() -> None:
    name = "12-school-unmerged-stages.docx"
    data = roadmap_json(name)
    assert (
        data["title"]
        == "Дорожная карта по организации наставничества в МБОУ «СОШ № 8 им. А.С. Пушкина» на 2023-2024 учебный год"
    )
    assert [e["number"] for e in events(name)] == ["1.1", "1.1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert sections(name) == [
        ("1", "Организационный этап"),
        ("2", "Основной этап"),
        ("3", "Заключительный этап"),
    ]
    draft = read_roadmap_file(UNSEEN / name)
    assert [c.role for c in draft.columns] == [
        "number", "title", "deadline", "responsible", "indicator", "expected_result",
    ]  # fmt: skip
    first = events(name)[0]
    assert first["title"] == "Издание приказа об организации наставничества"
    assert dates(first) == ("2023-09-01", "2023-09-01", "once")
    sub = event(name, "1.1.1")  # an event under an event stays an event
    assert sub["title"] == "Ознакомление педагогов с приказом под подпись"
    assert sub["indicator"] == "100% педагогов ознакомлены"
    assert sub["expected_result"] == "Лист ознакомления"
    assert dates(event(name, "1.2")) == ("2023-09-01", "2023-10-01", "once")
    assert event(name, "2.3")["responsible"] == ["Заместитель директора по УВР Захарова М.Ю."]
    assert dates(event(name, "3.1")) == ("2024-04-01", "2024-05-31", "once")
    assert (
        event(name, "3.1")["title"] == "Самоанализ молодых специалистов с презентацией на методическом совете"
    )
    assert events(name)[-1]["indicator"] == "Удовлетворённость участников не ниже 80%"


# --- 13: a letterhead; one table per stage with headings between them; a merged responsible -----


def test_13_one_table_per_stage_with_headings_between_them() -> None:
    name = "13-teachers-table-per-stage.docx"
    data = roadmap_json(name)
    # not the school's letterhead above it, nor «Цель:» under it
    assert data["title"] == (
        "ПЛАН МЕРОПРИЯТИЙ (ДОРОЖНАЯ КАРТА) по реализации программы наставничества педагогических работников "
        "на 2024–2025 учебный год"
    )
    assert [e["number"] for e in events(name)] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "3.1",
        "3.2",
    ]
    assert sections(name) == [
        ("1", "Подготовительный этап"),
        ("2", "Основной этап"),
        ("3", "Заключительный этап"),
    ]
    assert [e["responsible"] for e in events(name)[:3]] == [["Куратор"]] * 3  # one cell merged down
    first = events(name)[0]
    assert first["section"] == "Подготовительный этап"
    assert dates(first) == ("2024-08-01", "2024-09-30", "once")  # «август-сентябрь»: August 2024
    assert dates(event(name, "1.3")) == (None, "2024-09-15", "once")
    assert dates(event(name, "2.1")) == ("2024-09-01", "2024-09-30", "once")  # «09.2024»
    assert dates(event(name, "2.3")) == ("2024-09-01", "2025-08-31", "monthly")
    assert dates(event(name, "3.1")) == ("2025-04-01", "2025-04-30", "once")
    last = events(name)[-1]
    assert last["title"] == "Отчёт о реализации программы на педагогическом совете"
    assert last["responsible"] == ["Куратор", "наставники"]
    approval = read_roadmap_file(UNSEEN / name).approval
    assert approval is not None and approval.order == "№117-ОД"


# --- 14: Word's «Unicode» text (UTF-16, CRLF); a direction column naming each group once ---------


def test_14_utf16_text_with_a_direction_column() -> None:
    name = "14-directions-utf16.txt"
    assert (UNSEEN / name).read_bytes()[:2] == b"\xff\xfe"
    data = roadmap_json(name)
    assert data["title"] == (
        "Дорожная карта внедрения целевой модели наставничества в МАОУ «Гимназия № 2» на 2022/2023 учебный год"
    )
    assert sections(name) == [
        ("1", "Нормативное обеспечение"),
        ("2", "Работа с кадрами"),
        ("3", "Организация работы пар"),
        ("4", "Мониторинг"),
    ]
    evs = events(name)
    assert [e["section"] for e in evs] == (
        ["Нормативное обеспечение"] * 2
        + ["Работа с кадрами"] * 2
        + ["Организация работы пар"] * 3
        + ["Мониторинг"] * 2
    )
    assert evs[0]["title"] == "Приказ о внедрении программы наставничества"
    assert dates(evs[0]) == ("2022-09-01", "2022-09-30", "once")
    assert evs[2]["responsible"] == ["РНЦ"]
    assert dates(evs[2]) == ("2022-10-01", "2022-11-30", "once")
    assert dates(evs[5]) == ("2022-09-01", "2023-08-31", "continuous")
    assert evs[6]["responsible"] == ["Куратор программы", "классные руководители"]
    # «декабрь, май» is twice a year: kept, shown as the span and reported as not understood
    assert evs[7]["deadline_text"] == "декабрь, май"
    assert dates(evs[7]) == ("2022-12-01", "2022-12-31", "several")  # and May 2023: two occurrences
    assert evs[-1]["title"] == "Отчёт в управление образования"
    assert evs[-1]["recurrence"] == "monthly"


# --- the fixtures are what their generator makes -----------------------------------------------------


def test_the_fixtures_are_what_their_generator_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", UNSEEN / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == FIXTURE_FILES
    for name in built:
        assert _content(tmp_path / name) == _content(UNSEEN / name), name


def _content(path: Path) -> dict[str, bytes]:
    """A file's content; for a .docx or .xlsx, its package's parts (compressed bytes vary with zlib)."""
    if path.suffix == ".txt":
        return {"": path.read_bytes()}
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


# --- garbage -----------------------------------------------------------------------------------------


def _empty_docx(path: Path) -> None:
    Document().save(str(path))


def _docx_without_table(path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Дорожная карта внедрения целевой модели наставничества на 2023-2024 учебный год")
    doc.add_paragraph("Мероприятия будут добавлены позже.")
    doc.save(str(path))


def _random_bytes_as_xlsx(path: Path) -> None:
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))


def _empty_txt(path: Path) -> None:
    path.write_bytes(b"")


def _docx_with_another_table(path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    for i, text in enumerate(["ФИО", "Должность", "Подпись"]):
        table.cell(0, i).text = text
    table.cell(1, 0).text = "Иванова И.И."
    doc.save(str(path))


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("пустой.docx", _empty_docx, "Файл пустой"),
        ("без таблицы.docx", _docx_without_table, "не найдена таблица: в нём только текст"),
        ("данные.xlsx", _random_bytes_as_xlsx, "Не удалось открыть файл как книгу Excel"),
        ("пустой.txt", _empty_txt, "Файл пустой"),
        ("лист ознакомления.docx", _docx_with_another_table, "не найдена таблица дорожной карты"),
    ],
    ids=["empty-docx", "docx-without-table", "random-bytes-as-xlsx", "empty-txt", "docx-with-another-table"],
)
def test_garbage_gives_a_russian_message_and_a_failure_status(
    tmp_path: Path, name: str, make: Any, message: str
) -> None:
    path = tmp_path / name
    make(path)
    result = command(str(path), "--dry-run", "--json")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode != 0
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert message in stderr
    assert re.search("[А-Яа-я]", stderr)


def test_a_missing_file_gives_a_russian_message(tmp_path: Path) -> None:
    result = command(str(tmp_path / "нет такого.docx"), "--dry-run", "--json")
    assert result.returncode != 0 and result.stdout == b""
    assert "файл не найден" in result.stderr.decode("utf-8")
    assert "Traceback" not in result.stderr.decode("utf-8")


# --- working directory, paths, output -----------------------------------------------------------------


def test_the_command_works_from_any_directory_with_a_relative_or_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "карты").mkdir()
    copy = tmp_path / "карты" / "план.docx"
    shutil.copy(UNSEEN / "01-school-approval-sections.docx", copy)
    expected = roadmap_json("01-school-approval-sections.docx")
    relative = command("карты/план.docx", "--dry-run", "--json", cwd=tmp_path)
    absolute = command(str(copy), "--dry-run", "--json", cwd=Path("/"))
    for result in (relative, absolute):
        assert result.returncode == 0, result.stderr.decode("utf-8")
        assert json.loads(result.stdout.decode("utf-8")) == expected


def test_the_json_is_utf8_russian_and_alone_on_stdout_whatever_the_locale() -> None:
    name = "14-directions-utf16.txt"
    result = command(
        str(UNSEEN / name),
        "--dry-run",
        "--json",
        env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"},
    )
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")  # UTF-8 even with an ASCII locale
    assert "\\u04" not in out and "Дорожная карта" in out  # ensure_ascii=False
    assert json.loads(out) == roadmap_json(name)
    err = result.stderr.decode("utf-8")
    assert "{" not in err  # the JSON is on stdout only; «декабрь, май» is understood now (two occurrences)


# --- layouts built here ----------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_bytes(doc: Any) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc: Any, rows: list[list[str]]) -> Any:
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = value
    return table


def test_a_roadmap_inside_a_layout_frame_table_is_found() -> None:
    doc = Document()
    frame = doc.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = "Дорожная карта МБОУ «СОШ № 1» на 2023-2024 учебный год"
    inner = frame.add_table(rows=0, cols=3)
    for values in (["Мероприятие", "Срок", "Ответственный"], ["Приказ о внедрении", "сентябрь", "Директор"]):
        cells = inner.add_row().cells
        for index, value in enumerate(values):
            cells[index].text = value
    draft = read_roadmap(_docx_bytes(doc), "frame.docx")
    assert draft.title == "Дорожная карта МБОУ «СОШ № 1» на 2023-2024 учебный год"
    assert [e.title for e in draft.events] == ["Приказ о внедрении"]


def test_tracked_insertions_and_content_controls_are_read_and_deletions_are_not() -> None:
    doc = Document()
    doc.add_paragraph("План мероприятий на 2023-2024 учебный год")
    table = _table(doc, [["Мероприятие", "Сроки", "Ответственные"], ["Встреча наставников", "", ""]])
    deadline = table.cell(1, 1).paragraphs[0]._p
    deadline.append(parse_xml(f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>ноябрь</w:t></w:r></w:ins>'))
    deadline.append(
        parse_xml(f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>октябрь</w:delText></w:r></w:del>')
    )
    responsible = table.cell(1, 2).paragraphs[0]._p
    responsible.append(
        parse_xml(f"<w:sdt {W}><w:sdtContent><w:r><w:t>Куратор программы</w:t></w:r></w:sdtContent></w:sdt>")
    )
    (event,) = read_roadmap(_docx_bytes(doc), "tracked.docx").events
    assert event.deadline_text == "ноябрь"
    assert event.deadline.starts_on is not None and event.deadline.starts_on.isoformat() == "2023-11-01"
    assert event.responsible == ("Куратор программы",)


def test_a_signature_table_under_the_roadmap_and_an_unlabelled_number_column() -> None:
    doc = Document()
    doc.add_paragraph("Дорожная карта на 2024-2025 учебный год")
    _table(
        doc,
        [
            ["", "Мероприятие", "Срок", "Ответственный"],
            ["1.", "Приказ о наставничестве", "до 10.09.2024", "Директор"],
            ["2.", "Закрепление пар", "сентябрь", "Заместитель директора по УВР"],
        ],
    )
    _table(doc, [["Директор", "", "________", "А.А. Петров"]])
    draft = read_roadmap(_docx_bytes(doc), "signature.docx")
    assert [(e.number, e.title) for e in draft.events] == [
        ("1", "Приказ о наставничестве"),
        ("2", "Закрепление пар"),
    ]


def test_excel_hidden_sheets_are_skipped_and_month_formatted_dates_read_as_months() -> None:
    from datetime import date

    wb = Workbook()
    hidden = wb.active
    assert hidden is not None
    hidden.title = "Старое"
    hidden.append(["Мероприятие", "Срок", "Ответственный"])
    hidden.append(["Удалённое мероприятие", "май", "Куратор"])
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("План")
    ws.append(["План мероприятий на 2022-2023 учебный год"])
    ws.append(["Мероприятие", "Срок", "Ответственный"])
    ws.append(["Анкетирование", date(2022, 10, 1), "Куратор"])
    ws["B3"].number_format = "mmm.yy"
    buffer = io.BytesIO()
    wb.save(buffer)
    draft = read_roadmap(buffer.getvalue(), "plan.xlsx")
    (event,) = draft.events
    assert event.deadline_text == "октябрь 2022"
    assert (event.deadline.starts_on, event.deadline.ends_on) == (date(2022, 10, 1), date(2022, 10, 31))


def test_utf16_text_without_a_bom_is_read() -> None:
    text = "Мероприятие\tСроки\tОтветственные\nВстреча наставников\tдекабрь 2023\tКуратор\n"
    (event,) = read_roadmap(text.encode("utf-16-le"), "map.txt").events
    assert event.title == "Встреча наставников"
    assert event.responsible == ("Куратор",)


def test_a_line_under_a_text_row_goes_on_with_its_last_cell_unless_it_is_a_heading() -> None:
    text = (
        "План на 2023-2024 учебный год\n"
        "№\tМероприятие\tСрок\tОтветственный\n"
        "I. Организационный этап\n"
        "1.\tАнкетирование\tоктябрь\tКуратор программы\n"
        "педагог-психолог\n"
        "2.\tФормирование пар\tноябрь\tКуратор\n"
        "Заместитель директора по ВР\n"
        "II. Основной этап\n"
        "3.\tВстречи пар\tпостоянно\tНаставники\n"
        "\n"
        "Директор ________ А.А. Петров\n"
    )
    draft = read_roadmap(text.encode(), "plan.txt")
    assert [(s.number, s.title) for s in draft.sections] == [
        ("I", "Организационный этап"),
        ("II", "Основной этап"),
    ]
    assert [(e.number, e.section, e.responsible) for e in draft.events] == [
        ("1", "Организационный этап", ("Куратор программы", "педагог-психолог")),
        ("2", "Организационный этап", ("Куратор", "Заместитель директора по ВР")),
        ("3", "Основной этап", ("Наставники",)),
    ]


def test_an_unforeseen_failure_becomes_a_russian_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import nastavnik.roadmaps.importing as importing
    from nastavnik.roadmaps.importing import RoadmapImportError

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise IndexError("list index out of range")

    monkeypatch.setattr(importing, "assemble", broken)
    with pytest.raises(RoadmapImportError) as excinfo:
        read_roadmap((UNSEEN / "08-school-rows-per-line.txt").read_bytes(), "карта.txt")
    assert excinfo.value.message.startswith(
        "Не удалось разобрать дорожную карту в файле «карта.txt» (IndexError)"
    )
