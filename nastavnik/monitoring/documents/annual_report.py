"""Reports for a chosen date: the organisation's annual report (DOCX, PDF), the consolidated
municipal base of mentors and mentees (XLSX) and the numbers for the regional mentoring centre
laid out like a form (XLSX). All numbers come from the same selectors as the dashboards."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.template.loader import render_to_string

from nastavnik.mentoring.events import Attendance
from nastavnik.orgs.models import MentoringForm, Program, academic_year_label, academic_year_of
from nastavnik.registry.consents import with_consent_state
from nastavnik.registry.models import Category, Participation, Person, PersonKind

from . import indicators as engine
from . import stages
from .engagement import groups_on, in_organisation_on, memberships_on
from .indicators import Measure
from .models import Indicator
from .plans import PLAN_FULFILLED_FROM
from .quality import ProgramQuality, program_quality
from .scopes import MUNICIPALITY, ORGANISATION, Scope, scope_people
from .selectors import (
    EventAttendance,
    IndicatorCell,
    OrganisationDashboard,
    ParticipantStatistics,
    organisation_dashboard,
    participant_statistics,
    program_events,
)
from .stages import Stage1, Stage2

if TYPE_CHECKING:
    from .charts import Chart


def format_value(cell: IndicatorCell) -> str:
    value = cell.measure.value
    if value is None:
        return "—"
    text = f"{value:.1f}".replace(".", ",") if cell.indicator.is_share else str(int(value))
    return f"{text} %" if cell.indicator.is_share else text


def format_target(cell: IndicatorCell) -> str:
    if cell.target is None:
        return "—"
    text = f"{cell.target.value.normalize():f}".replace(".", ",")
    return f"{text} %" if cell.indicator.is_share else text


def format_base(cell: IndicatorCell) -> str:
    m = cell.measure
    return f"{m.numerator} из {m.denominator}" if m.denominator is not None else str(m.numerator)


# --- annual report -------------------------------------------------------------------------------

PLANS_INDICATOR = "plans-fulfilled"
SATISFACTION_NOTE = (
    "Удовлетворённость — доля ответивших на анкеты удовлетворённости (наставляемых и наставников), "
    "у которых средняя оценка по пунктам 1–10 не ниже 7; пункт «ожидаемая эффективность» в среднее "
    "не входит."
)
GROWTH_NOTE = (
    "Сравниваются первая и последняя отправленные диагностики участника за учебный год по каждому "
    "параметру; участник с одной диагностикой в сравнение не входит."
)


@dataclass(frozen=True)
class Table:
    """A table of the report as text, the same for the DOCX and the PDF."""

    header: list[str]
    rows: list[list[str]]


def format_decimal(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:f}".replace(".", ",")


def format_change(value: Decimal | None) -> str:
    text = format_decimal(value)
    return f"+{text}" if value is not None and value > 0 else text


def format_share(part: int, whole: int) -> str:
    """«66,7 % (2 из 3)»; «—» of nobody."""
    value = Measure(part, whole).value
    return "—" if value is None else f"{format_decimal(value)} % ({part} из {whole})"


@dataclass
class AnnualReport:
    dashboard: OrganisationDashboard
    programs: list[Program]
    generated_on: dt.date
    stage1: Stage1
    stage2: Stage2
    plans: IndicatorCell | None
    events: list[EventAttendance]
    quality: ProgramQuality

    @property
    def title(self) -> str:
        return f"Отчёт о реализации целевой модели наставничества за {self.year_label} учебный год"

    @property
    def year_label(self) -> str:
        return academic_year_label(academic_year_of(self.dashboard.day))

    @property
    def rows(self) -> list[tuple[int, IndicatorCell, str, str, str]]:
        return [
            (n, c, format_value(c), format_base(c), format_target(c))
            for n, c in enumerate(self.dashboard.cells, start=1)
        ]

    # --- stage 1: satisfaction, plans, events ---

    @property
    def no_satisfaction(self) -> str:
        """The sentence in place of the satisfaction tables; empty when there are answers."""
        if self.stage1.total.respondents:
            return ""
        return (
            f"Анкеты удовлетворённости участников за {self.year_label} учебный год "
            f"по состоянию на {self.dashboard.day:%d.%m.%Y} не заполнены."
        )

    @property
    def satisfaction_summary(self) -> Table:
        s = self.stage1.total
        rows = [
            ("Наставляемые", s.mentees.respondents, s.mentees.satisfied),
            ("Наставники", s.mentors.respondents, s.mentors.satisfied),
            # distinct people: someone who answered as a mentee and as a mentor counts once
            ("Все участники", s.respondents, s.satisfied),
        ]
        return Table(
            ["Участники", "Ответили на анкету", "Удовлетворены (средняя оценка ≥ 7)", "Удовлетворённость"],
            [[label, str(n), str(satisfied), format_share(satisfied, n)] for label, n, satisfied in rows],
        )

    @property
    def satisfaction_items(self) -> Table:
        s = self.stage1.total
        return Table(
            ["Пункт анкеты (средняя оценка 1–10)", "Наставляемые", "Наставники"],
            [[label, format_decimal(m.mean), format_decimal(n.mean)] for _, label, m, n in s.rows]
            + [
                [label, format_share(m.total, m.count), format_share(n.total, n.count)]
                for label, m, n in (
                    ("Рады, что участвовали («да»)", s.mentees.glad, s.mentors.glad),
                    ("Хотят продолжить («да»)", s.mentees.wants_to_continue, s.mentors.wants_to_continue),
                )
            ],
        )

    @property
    def no_quality(self) -> str:
        """The sentence in place of the program-quality tables; empty when there are answers."""
        if self.quality.respondents:
            return ""
        return (
            f"Анкеты качества реализации программы за {self.year_label} учебный год "
            f"по состоянию на {self.dashboard.day:%d.%m.%Y} не заполнены."
        )

    @property
    def quality_items(self) -> Table:
        return Table(
            ["Пункт анкеты качества (1–10)", "Средняя оценка", "Ответов"],
            [[i.label, format_decimal(i.tally.mean), str(i.tally.count)] for i in self.quality.items],
        )

    @property
    def quality_swot(self) -> list[tuple[str, list[str]]]:
        """(SWOT question, its answers as lines: «текст (×3)» when several gave it)."""
        return [
            (label, [a.text + (f" (×{a.count})" if a.count > 1 else "") for a in answers])
            for label, answers in self.quality.swot or []
        ]

    @property
    def plans_sentence(self) -> str:
        if self.plans is None or not self.plans.measure.denominator:
            return (
                f"Утверждённых индивидуальных планов с задачами по состоянию на "
                f"{self.dashboard.day:%d.%m.%Y} нет."
            )
        m = self.plans.measure
        return (
            f"Индивидуальные планы выполнены не менее чем на {PLAN_FULFILLED_FROM} % у {m.numerator} "
            f"из {m.denominator} наставляемых с утверждённым планом ({format_value(self.plans)})."
        )

    @property
    def events_table(self) -> Table | None:
        """Participants invited and present per event and in all; the share as the event's page
        shows it (`Attendance.percent`, whole per cent)."""
        if not self.events:
            return None
        timezone = ZoneInfo(self.dashboard.scope.timezone)

        def row(label: str, day: str, a: Attendance) -> list[str]:
            if not a.marked:
                return [label, day, str(a.invited), "—", "не отмечено"]
            return [
                label,
                day,
                str(a.invited),
                str(a.present),
                "—" if a.percent is None else f"{a.percent} %",
            ]

        total = Attendance(
            invited=sum(e.attendance.invited for e in self.events),
            present=sum(e.attendance.present for e in self.events),
            marked=sum(e.attendance.marked for e in self.events),
        )
        return Table(
            ["Мероприятие", "Дата", "Приглашено участников", "Присутствовали", "Доля присутствовавших"],
            [
                row(e.event.title, f"{e.event.starts_at.astimezone(timezone):%d.%m.%Y}", e.attendance)
                for e in self.events
            ]
            + [row("Всего", "", total)],
        )

    @property
    def no_events(self) -> str:
        if self.events:
            return ""
        return f"Мероприятий программ по состоянию на {self.dashboard.day:%d.%m.%Y} не проводилось."

    # --- stage 2: growth ---

    @property
    def no_growth(self) -> str:
        if self.stage2.total.measurements:
            return ""
        sentence = (
            f"Участников с входной и итоговой диагностикой за {self.year_label} учебный год "
            f"по состоянию на {self.dashboard.day:%d.%m.%Y} нет."
        )
        if self.stage2.total.without_exit:
            sentence += f" Только входную диагностику прошли: {self.stage2.total.without_exit}."
        return sentence

    @property
    def growth_summary(self) -> Table:
        t = self.stage2.total
        return Table(
            ["Показатель", "Значение"],
            [
                ["Участников с входной и итоговой диагностикой", str(t.participants)],
                ["Средняя оценка до", format_decimal(t.mean_before)],
                ["Средняя оценка после", format_decimal(t.mean_after)],
                ["Среднее изменение", format_change(t.mean_change)],
                ["Участников с ростом", format_share(t.improved, t.participants)],
                ["Нет итоговой диагностики", str(t.without_exit)],
            ],
        )

    @property
    def growth_tables(self) -> list[tuple[str, Table]]:
        """By diagnostic parameter and by form of mentoring, as on the page «Мониторинг: этап 2»
        (its tables per pair and per participant name people: they stay on the page)."""
        header = ["Участников", "До", "После", "Изменение", "С ростом"]
        return [
            (
                title,
                Table(
                    [first, *header],
                    [
                        [
                            g.label,
                            str(g.participants),
                            format_decimal(g.mean_before),
                            format_decimal(g.mean_after),
                            format_change(g.mean_change),
                            format_share(g.improved, g.participants),
                        ]
                        for g in rows
                    ],
                ),
            )
            for title, first, rows in (
                ("По диагностическим параметрам", "Параметр", self.stage2.parameters),
                ("По формам наставничества", "Форма", self.stage2.by_form),
            )
        ]

    @cached_property
    def charts(self) -> dict[str, Chart | None]:
        """Drawn once per report, for whichever format is asked for; in the order of the report."""
        from . import charts  # matplotlib loads with the first report, not with every process (as docx)

        return {
            "indicators": charts.indicators_chart(self.dashboard.cells),
            "satisfaction": charts.satisfaction_chart(self.stage1.total),
            "growth": charts.growth_chart(
                self.stage2.parameters, "Рост участников: средняя оценка до и после по параметрам"
            ),
        }

    @property
    def figure_numbers(self) -> dict[str, int]:
        """«Рисунок N» of each chart drawn (a section without data has none)."""
        drawn = [name for name, chart in self.charts.items() if chart is not None]
        return {name: n for n, name in enumerate(drawn, start=1)}


def annual_report(user: Any, scope: Scope, day: dt.date) -> AnnualReport:
    dashboard = organisation_dashboard(user, scope, day)
    programs = list(
        Program.objects.filter(organisation_id=scope.pk, academic_year=academic_year_of(day))
        .select_related("curator")
        .prefetch_related("forms")
        .order_by("kind", "title")
    )
    return AnnualReport(
        dashboard=dashboard,
        programs=programs,
        generated_on=scope.today(),
        stage1=stages.stage1(user, scope, day),
        stage2=stages.stage2(user, scope, day),
        plans=_plans_cell(user, scope, day, dashboard),
        events=program_events(scope, day),
        quality=program_quality(user, scope, day),
    )


def _plans_cell(
    user: Any, scope: Scope, day: dt.date, dashboard: OrganisationDashboard
) -> IndicatorCell | None:
    """Plan fulfilment as the dashboard shows it; measured here only when the region has hidden
    the indicator from the dashboards (stage 1 of the report still needs it)."""
    cell = next((c for c in dashboard.cells if c.indicator.code == PLANS_INDICATOR), None)
    if cell is not None:
        return cell
    indicator = Indicator.objects.filter(code=PLANS_INDICATOR).first()
    if indicator is None:
        return None
    measure = engine.measure_people(scope_people(user, scope), [indicator], day, "organisation_id", scope)
    return IndicatorCell(
        indicator=indicator,
        measure=measure.get(scope.pk, {}).get(indicator.code, engine.empty_measure(indicator)),
        target=None,
    )


def annual_report_html(report: AnnualReport) -> str:
    return render_to_string(
        "monitoring/report_annual_pdf.html",
        {
            "report": report,
            "d": report.dashboard,
            "satisfaction_note": SATISFACTION_NOTE,
            "growth_note": GROWTH_NOTE,
        },
    )


def annual_report_pdf(report: AnnualReport) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=annual_report_html(report)).write_pdf())


def annual_report_docx(report: AnnualReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = report.dashboard
    organisation = d.scope.obj
    document = Document()
    section = document.sections[0]
    # A4 with the margins of Russian official papers (the python-docx template is US Letter)
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)

    def centered(text: str, bold: bool = False) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold

    def table(header: list[str], rows: list[list[str]]) -> None:
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for index, text in enumerate(header):
            cell = grid.rows[0].cells[index]
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = grid.add_row().cells
            for index, text in enumerate(row):
                cells[index].text = text

    def picture(name: str) -> None:
        chart = report.charts[name]
        if chart is None:
            return
        document.add_picture(io.BytesIO(chart.png), width=Cm(16))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        centered(f"Рисунок {report.figure_numbers[name]}. {chart.caption}")

    centered(report.title, bold=True)
    centered(getattr(organisation, "name", d.scope.name))
    centered(f"по состоянию на {d.day:%d.%m.%Y}")

    document.add_heading("1. Программы наставничества", level=2)
    if report.programs:
        table(
            ["Программа", "Вид", "Формы наставничества", "Куратор"],
            [
                [
                    p.title,
                    p.get_kind_display(),
                    ", ".join(f.name for f in p.forms.all()) or "—",
                    str(p.curator or "—"),
                ]
                for p in report.programs
            ],
        )
    else:
        document.add_paragraph("Программ в этом учебном году нет.")

    document.add_heading("2. Целевые показатели", level=2)
    table(
        ["№", "Показатель", "Значение", "Основание", "Цель", "Статус"],
        [
            [str(n), c.indicator.name, value, base, target, c.status_label]
            for n, c, value, base, target in report.rows
        ],
    )
    picture("indicators")

    document.add_heading("3. Участники по ролям и категориям", level=2)
    _statistics_tables(d.statistics, table)

    document.add_heading("4. Мониторинг, этап 1: качество реализации программы", level=2)
    document.add_heading("4.1. Ход программы", level=3)
    header = ["Роль", *[label for _, label, _, _ in d.progress[0].by_status], "Всего"]
    table(
        header, [[row.label, *[str(n) for _, _, n, _ in row.by_status], str(row.total)] for row in d.progress]
    )
    document.add_heading("4.2. Удовлетворённость участников", level=3)
    if report.no_satisfaction:
        document.add_paragraph(report.no_satisfaction)
    else:
        for t in (report.satisfaction_summary, report.satisfaction_items):
            table(t.header, t.rows)
            document.add_paragraph()
        document.add_paragraph(SATISFACTION_NOTE)
        picture("satisfaction")
    document.add_heading("4.3. Выполнение индивидуальных планов", level=3)
    document.add_paragraph(report.plans_sentence)
    document.add_heading("4.4. Участие в мероприятиях программ", level=3)
    if report.events_table is None:
        document.add_paragraph(report.no_events)
    else:
        table(report.events_table.header, report.events_table.rows)
    document.add_heading("4.5. Качество реализации программы: оценки и SWOT-анализ", level=3)
    if report.no_quality:
        document.add_paragraph(report.no_quality)
    else:
        document.add_paragraph(
            f"Ответили на анкету качества реализации программы: {report.quality.respondents}."
        )
        table(report.quality_items.header, report.quality_items.rows)
        for label, lines in report.quality_swot:
            document.add_paragraph().add_run(label).bold = True
            for line in lines or ["ответов нет"]:
                document.add_paragraph(line, style="List Bullet")

    document.add_heading("5. Мониторинг, этап 2: рост участников", level=2)
    if report.no_growth:
        document.add_paragraph(report.no_growth)
    else:
        table(report.growth_summary.header, report.growth_summary.rows)
        for title, t in report.growth_tables:
            document.add_paragraph().add_run(title).bold = True
            table(t.header, t.rows)
        document.add_paragraph(GROWTH_NOTE)
        picture("growth")

    document.add_paragraph()
    head = getattr(organisation, "head_position", "Руководитель") or "Руководитель"
    document.add_paragraph(f"{head} ____________ {getattr(organisation, 'head_name', '')}")
    document.add_paragraph(f"Сформировано {report.generated_on:%d.%m.%Y} в системе «Наставник».")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _statistics_tables(statistics: ParticipantStatistics, table: Any) -> None:
    rows = [["Всего", str(statistics.mentees), str(statistics.mentors)]]
    rows += [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_kind]
    table(["Категория участников", "Наставляемые", "Наставники"], rows)
    table(
        ["Форма наставничества", "Наставляемые", "Наставники"],
        [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_form] or [["—", "0", "0"]],
    )
    table(
        ["Целевая группа", "Наставляемые", "Наставники"],
        [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_category] or [["—", "0", "0"]],
    )


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
    sheet.append([f"{level_label}: {scope.full_name}"])
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
        sheet.append([number, caption, mentees, mentors, total])
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
    indicators.append([f"Целевые показатели: {scope.full_name}, на {day:%d.%m.%Y}"])
    indicators["A1"].font = Font(bold=True)
    indicators.append([])
    indicators.append(["№", "Показатель", "Числитель", "Знаменатель", "Значение", "Цель", "Статус"])
    for cell in indicators[indicators.max_row]:
        cell.font = Font(bold=True)
    for n, c in enumerate(cells, start=1):
        indicators.append(
            [
                n,
                c.indicator.name,
                c.measure.numerator,
                c.measure.denominator,
                format_value(c),
                format_target(c),
                c.status_label,
            ]
        )
    indicators.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    sheet.append([f"Муниципальная база наставников и наставляемых: {scope.full_name}"])
    sheet.append([f"{academic_year_label(year)} учебный год, по состоянию на {day:%d.%m.%Y}"])
    sheet.append([])
    sheet.append(BASE_HEADER)
    for n, participation in enumerate(participations.iterator(chunk_size=2000), start=1):
        person = participation.person
        sheet.append(
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
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
