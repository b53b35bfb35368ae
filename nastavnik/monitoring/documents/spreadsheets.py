"""Spreadsheets for a chosen date: the numbers for the regional mentoring centre laid out like a
form and the consolidated municipal base of mentors and mentees (XLSX). All numbers come from the
same selectors as the dashboards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from nastavnik.base.documents import xlsx_bytes
from nastavnik.base.exports import append_row
from nastavnik.orgs.models import MentoringForm, academic_year_label, academic_year_of
from nastavnik.registry.consents import with_consent_state
from nastavnik.registry.models import Category, Participation, Person, PersonKind

from ..engagement import groups_on, in_organisation_on, memberships_on
from ..scopes import MUNICIPALITY, ORGANISATION, Scope, scope_people
from ..selectors import IndicatorCell, ParticipantStatistics, participant_statistics
from .annual import format_target, format_value

# --- the numbers for the regional mentoring centre, laid out like a form ---------------------------


def statistics_form_rows(statistics: ParticipantStatistics) -> list[tuple[str, str, int | None, int | None]]:
    """(row number, caption, mentees, mentors): every kind, form and category has a fixed row,
    with zeros, so forms of different organisations can be added up row by row."""
    forms = list(
        MentoringForm.objects.filter(organisation__isnull=True, parent__isnull=True).order_by(
            "program_kind", "sort_order", "name"
        )
    )
    categories = list(Category.objects.order_by("sort_order", "name"))
    by_kind = {b.key: b for b in statistics.by_kind}
    by_form = {b.key: b for b in statistics.by_form}
    by_category = {b.key: b for b in statistics.by_category}
    rows: list[tuple[str, str, int | None, int | None]] = [
        ("1", "Участники программ наставничества, всего (чел.)", statistics.mentees, statistics.mentors),
        ("2", "из них по категориям участников:", None, None),
    ]
    for n, (kind, label) in enumerate((k for k in PersonKind.choices if k[0] != PersonKind.PARENT), start=1):
        b = by_kind.get(kind)
        rows.append((f"2.{n}", label, b.mentees if b else 0, b.mentors if b else 0))
    rows.append(("3", "по формам наставничества:", None, None))
    extra = [b for key, b in by_form.items() if key not in {f.pk for f in forms}]
    for n, form in enumerate(forms, start=1):
        b = by_form.get(form.pk)
        rows.append((f"3.{n}", form.name, b.mentees if b else 0, b.mentors if b else 0))
    for n, b in enumerate(extra, start=len(forms) + 1):
        rows.append((f"3.{n}", b.label if b.key else "форма не указана", b.mentees, b.mentors))
    rows.append(("4", "по целевым группам:", None, None))
    for n, category in enumerate(categories, start=1):
        b = by_category.get(category.pk)
        rows.append((f"4.{n}", category.name, b.mentees if b else 0, b.mentors if b else 0))
    return rows


def statistics_xlsx(user: Any, scope: Scope, day: dt.date, cells: list[IndicatorCell]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    statistics = participant_statistics(user, scope, day)
    rows = statistics_form_rows(statistics)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Участники"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    level_label = {ORGANISATION: "Организация", MUNICIPALITY: "Муниципальное образование"}.get(
        scope.level, "Субъект РФ"
    )
    sheet.append(["Сведения о численности участников программ наставничества"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        ["для регионального наставнического центра (мониторинг реализации целевой модели наставничества)"]
    )
    append_row(sheet, [f"{level_label}: {scope.full_name}"])
    sheet.append(
        [f"По состоянию на {day:%d.%m.%Y} ({academic_year_label(academic_year_of(day))} учебный год)"]
    )
    sheet.append([])
    sheet.append(
        ["№ строки", "Наименование показателя", "Наставляемые, чел.", "Наставники, чел.", "Всего, чел."]
    )
    header_row = sheet.max_row
    for number, caption, mentees, mentors in rows:
        total = None if mentees is None or mentors is None else mentees + mentors
        append_row(sheet, [number, caption, mentees, mentors, total])
        if mentees is None:
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=5):
        for cell in row:
            cell.border = border
            cell.alignment = wrap
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(
        [
            "",
            "Наставляемые и наставники — люди в паре или группе либо завершившие программу в этом учебном году; "
            "человек с несколькими участиями считается один раз в каждой роли.",
        ]
    )
    sheet.append(["", "Ответственный: ____________________ / ____________________ /"])
    for letter, width in zip("ABCDE", (10, 70, 18, 18, 14), strict=True):
        sheet.column_dimensions[letter].width = width

    indicators = workbook.create_sheet("Целевые показатели")
    append_row(indicators, [f"Целевые показатели: {scope.full_name}, на {day:%d.%m.%Y}"])
    indicators["A1"].font = Font(bold=True)
    indicators.append([])
    indicators.append(["№", "Показатель", "Числитель", "Знаменатель", "Значение", "Цель", "Статус"])
    for cell in indicators[indicators.max_row]:
        cell.font = Font(bold=True)
    for n, c in enumerate(cells, start=1):
        append_row(
            indicators,
            [
                n,
                c.indicator.name,
                c.measure.numerator,
                c.measure.denominator,
                format_value(c),
                format_target(c),
                c.status_label,
            ],
        )
    indicators.column_dimensions["B"].width = 80
    return xlsx_bytes(workbook)


# --- the consolidated municipal base of mentors and mentees ------------------------------------------

BASE_HEADER = [
    "№", "Организация", "Фамилия, имя, отчество", "Кто", "Класс / группа / должность", "Возраст",
    "Роль", "Программа", "Пара / группа на дату (форма)", "Статус", "В программе с", "Целевые группы", "Согласие на обработку ПДн",
]  # fmt: skip


def municipal_base_xlsx(user: Any, scope: Scope, day: dt.date) -> bytes:
    """Everyone in a program of the academic year of `day` (any status), one row per
    participation, read through the access layer; streamed with openpyxl's write-only mode."""
    from openpyxl import Workbook

    people = scope_people(user, scope).filter(in_organisation_on(day))
    year = academic_year_of(day)
    participations = (
        Participation.objects.filter(
            person_id__in=people.values("pk"), program__academic_year=year, added_on__lte=day
        )
        .select_related("person__organisation", "program")
        .order_by("person__organisation__short_name", "role", "person__last_name", "person__first_name", "pk")
    )
    participant_ids = people.filter(pk__in=participations.values("person_id"))
    pairs: dict[int, list[str]] = {}
    for membership in (
        memberships_on(day)
        .filter(mentee__in=participations.values("pk"))
        .select_related("group__form", "group__mentor__person")
    ):
        group = membership.group
        pairs.setdefault(membership.mentee_id, []).append(
            f"{group.form.name}, наставник {group.mentor.person.short_name}"
        )
    for group in groups_on(day).filter(mentor__in=participations.values("pk")).select_related("form"):
        pairs.setdefault(group.mentor_id, []).append(group.form.name)
    with_consent = set(
        with_consent_state(participant_ids, day).filter(Q(consent_valid=True)).values_list("pk", flat=True)
    )
    categories: dict[int, list[str]] = {}
    through = Person.categories.through
    for person_id, name in through.objects.filter(person_id__in=participant_ids.values("pk")).values_list(
        "person_id", "category__short_name"
    ):
        categories.setdefault(person_id, []).append(name)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("База наставников и наставляемых")
    append_row(sheet, [f"Муниципальная база наставников и наставляемых: {scope.full_name}"])
    sheet.append([f"{academic_year_label(year)} учебный год, по состоянию на {day:%d.%m.%Y}"])
    sheet.append([])
    sheet.append(BASE_HEADER)
    for n, participation in enumerate(participations.iterator(chunk_size=2000), start=1):
        person = participation.person
        append_row(
            sheet,
            [
                n,
                person.organisation.short_name,
                person.full_name,
                person.get_kind_display(),
                person.school_class or person.study_group or person.position,
                person.age_on(day),
                participation.get_role_display(),
                participation.program.title,
                "; ".join(pairs.get(participation.pk, [])),
                participation.get_status_display(),
                participation.added_on,
                ", ".join(categories.get(person.pk, [])),
                "есть" if person.pk in with_consent else "нет",
            ],
        )
    return xlsx_bytes(workbook)
