"""Builders of the real-layout roadmaps that are made in the test rather than kept as files.

Each rebuilds the layout of a kind of document met in schools, colleges and regions (the texts are
shortened and the names changed): a teachers' roadmap by stages without deadline columns, with
numbered lists in its cells (.docx); a college's roadmap with merged section rows (.docx); a
regional plan by calendar years (.xlsx).
"""

from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook


def _docx(doc: Document) -> bytes:  # type: ignore[valid-type]
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _fill_cell(cell, text: str) -> None:  # type: ignore[no-untyped-def]
    """One paragraph per line, as Word keeps a list typed in a cell."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


STAGES_ROWS = [
    (
        "1.",
        "Подготовка условий для запуска программы наставничества",
        "Изучение и систематизация имеющихся материалов по проблеме наставничества",
        "1. Изучение распоряжения Минпросвещения России № Р-145.\n"
        "2. Подготовка системных папок по проблеме наставничества.\n"
        "3. Ознакомление с шаблонами документов для реализации целевой модели.",
    ),
    (
        "",
        "",
        "Подготовка нормативной базы реализации целевой модели наставничества",
        "1. Издание приказа «Внедрение целевой модели наставничества».\n"
        "2. Разработка и утверждение Положения о наставничестве.\n"
        "3. Разработка и утверждение дорожной карты.\n"
        "4. Назначение куратора внедрения целевой модели.",
    ),
    (
        "2.",
        "Формирование базы наставляемых",
        "Выявление конкретных проблем педагогов",
        "1. Проведение анкетирования среди педагогов.\n2. Сбор согласий на обработку персональных данных.",
    ),
    (
        "3.",
        "Организация наставничества",
        "Закрепление наставнических пар",
        "1. Издание приказа о закреплении пар.\n"
        "2. Составление планов индивидуального развития.\n"
        "3. Организация психологической поддержки.",
    ),
]


def teachers_stages_docx() -> bytes:
    """«№ | Наименование этапа | Мероприятия | Содержание деятельности»: no deadline, no responsible."""
    doc = Document()
    doc.add_paragraph("Приложение 1 к приказу №181/1 от 13.09.2021 г.")
    doc.add_paragraph("«Дорожная карта» реализации целевой модели наставничества педагогов МБОУ «Речная СОШ»")
    doc.add_paragraph("на 2021-2022 учебный год")
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells,
        ("№", "Наименование этапа", "Мероприятия", "Содержание деятельности"),
        strict=True,
    ):
        cell.text = text
    for row in STAGES_ROWS:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _fill_cell(cell, text)
    return _docx(doc)


COLLEGE_ROWS = [
    ("I. Организационный этап",),
    (
        "1.1.",
        "Назначение куратора программы наставничества в колледже",
        "Ноябрь 2021 г., ежегодно в сентябре",
        "Заместитель директора по УВР",
    ),
    (
        "1.2.",
        "Формирование базы наставников из числа преподавателей и представителей предприятий",
        "до 25 декабря 2021 г., далее ежегодно",
        "Руководитель центра содействия трудоустройству, работодатели, участвующие в программе (по согласованию)",
    ),
    ("II. Практический этап",),
    (
        "2.1.",
        "Проведение встреч студентов с наставниками от работодателей",
        "декабрь, май",
        "Кураторы групп; представители предприятий, осуществляющие наставничество",
    ),
    ("2.2.", "Конкурс профессионального мастерства «Наставник и ученик»", "Май 2022, май 2023", "Методист"),
    (
        "2.3.",
        "Анкетирование удовлетворённости участников программы",
        "2022 - 2023 учебный год",
        "Педагог-психолог",
    ),
]


def college_sections_docx() -> bytes:
    """A college's roadmap: sections as rows merged across the table, an approval block above."""
    doc = Document()
    doc.add_paragraph("УТВЕРЖДАЮ")
    doc.add_paragraph("Директор ГБПОУ «Озёрский технологический колледж»")
    doc.add_paragraph("________ А.П. Смирнов")
    doc.add_paragraph("«01» ноября 2021 г.")
    doc.add_paragraph(
        "Дорожная карта внедрения целевой модели наставничества в ГБПОУ «Озёрский технологический колледж»"
    )
    doc.add_paragraph("на 2021-2023 учебные годы")
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("№ п/п", "Мероприятие", "Срок", "Ответственный"), strict=True
    ):
        cell.text = text
    for row in COLLEGE_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:
            merged = cells[0].merge(cells[3])
            merged.text = row[0]
            continue
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph("Заместитель директора по УВР ________ Е.В. Лаптева")
    return _docx(doc)


REGIONAL_ROWS = [
    (
        "1.",
        "Утверждение регионального плана внедрения системы наставничества",
        "в 2023 году",
        "Министерство образования",
    ),
    (
        "2.",
        "Обучение региональных и муниципальных координаторов",
        "2023–2024 годы",
        "Институт развития образования",
    ),
    (
        "3.",
        "Мониторинг реализации программ наставничества",
        "ежегодно, до 1 декабря",
        "Региональный наставнический центр, органы местного самоуправления, осуществляющие управление в сфере "
        "образования (по согласованию)",
    ),
    (
        "4.",
        "Региональная конференция «Наставничество: практики и результаты»",
        "Ноябрь 2024 г.",
        "Региональный наставнический центр",
    ),
    ("5.", "Подготовка доклада об итогах реализации плана", "декабрь 2025 г.", "Министерство образования"),
]


def regional_calendar_xlsx() -> bytes:
    """A regional plan by calendar years, as a ministry sends it in Excel."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "План"
    sheet.append(
        ["План мероприятий по внедрению системы наставничества в Озёрской области на 2023-2025 годы"]
    )
    sheet.merge_cells("A1:D1")
    sheet.append([])
    sheet.append(["№ п/п", "Мероприятие", "Срок", "Исполнители"])
    for row in REGIONAL_ROWS:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
