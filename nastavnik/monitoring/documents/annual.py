"""The organisation's annual report for a chosen date, in DOCX and PDF: the programs, the target
indicators, the participants, both stages of monitoring, with charts. All numbers come from the
same selectors as the dashboards."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string

from nastavnik.base.documents import (
    Margins,
    Table,
    add_signature,
    add_table,
    centered,
    docx_bytes,
    new_docx,
    pdf_from_html,
    signatory,
)
from nastavnik.base.text import plural
from nastavnik.mentoring.services.events import Attendance
from nastavnik.orgs.models import Program, academic_year_label, academic_year_of

from .. import indicators as engine
from .. import stages
from ..extensions import ReportSection, collect_program_counts, collect_report_sections
from ..indicators import Measure
from ..models import Indicator
from ..plans import PLAN_FULFILLED_FROM
from ..quality import ProgramQuality, program_quality
from ..scopes import Scope, scope_people
from ..selectors import (
    EventAttendance,
    IndicatorCell,
    OrganisationDashboard,
    ParticipantStatistics,
    organisation_dashboard,
    program_events,
)
from ..stages import Stage1, Stage2

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from .charts import Chart

# A4 with the margins of Russian official papers
MARGINS = Margins(left=3, right=1.5, top=2, bottom=2)


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
    # Sections kept by the apps above monitoring (extensions.py), after the built-in five.
    extra_sections: list[ReportSection]

    @property
    def numbered_sections(self) -> list[tuple[int, ReportSection]]:
        return [(n, section) for n, section in enumerate(self.extra_sections, start=6)]

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
            f"из {m.denominator} {plural(m.denominator, 'наставляемого,наставляемых,наставляемых')} с утверждённым планом ({format_value(self.plans)})."
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
        stage2=stages.stage2_summary(user, scope, day),
        plans=_plans_cell(user, scope, day, dashboard),
        events=program_events(scope, day),
        quality=program_quality(user, scope, day),
        extra_sections=_extra_sections(user, scope, day),
    )


def _extra_sections(user: Any, scope: Scope, day: dt.date) -> list[ReportSection]:
    """The counted indicators as one table, then the sections the other apps write."""
    sections = []
    counts = collect_program_counts(user, scope, day)
    if counts:
        rows = tuple(
            (c.title, str(c.value), "—" if c.target is None else f"не менее {c.target}") for c in counts
        )
        sections.append(
            ReportSection(
                order=0,
                title="Другие показатели программы",
                header=("Показатель программы", "Значение", "Цель"),
                rows=rows,
            )
        )
    return sections + collect_report_sections(user, scope, day)


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
    return pdf_from_html(annual_report_html(report))


def annual_report_docx(report: AnnualReport) -> bytes:
    """The report's sections in order, each written by its own step."""
    document = new_docx(MARGINS)
    d = report.dashboard
    centered(document, report.title, bold=True)
    centered(document, getattr(d.scope.obj, "name", d.scope.name))
    centered(document, f"по состоянию на {d.day:%d.%m.%Y}")
    _docx_programs(document, report)
    _docx_indicators(document, report)
    document.add_heading("3. Участники по ролям и категориям", level=2)
    _statistics_tables(document, d.statistics)
    _docx_stage1(document, report)
    _docx_stage2(document, report)
    _docx_extra_sections(document, report)
    add_signature(document, *signatory(d.scope.obj))
    document.add_paragraph(f"Сформировано {report.generated_on:%d.%m.%Y} в системе «Наставник».")
    return docx_bytes(document)


def _docx_picture(document: DocxDocument, report: AnnualReport, name: str) -> None:
    """A chart with its «Рисунок N» caption; nothing when the section has no data to draw."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    chart = report.charts[name]
    if chart is None:
        return
    document.add_picture(io.BytesIO(chart.png), width=Cm(16))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    centered(document, f"Рисунок {report.figure_numbers[name]}. {chart.caption}")


def _docx_programs(document: DocxDocument, report: AnnualReport) -> None:
    document.add_heading("1. Программы наставничества", level=2)
    if not report.programs:
        document.add_paragraph("Программ в этом учебном году нет.")
        return
    add_table(
        document,
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


def _docx_indicators(document: DocxDocument, report: AnnualReport) -> None:
    document.add_heading("2. Целевые показатели", level=2)
    add_table(
        document,
        ["№", "Показатель", "Значение", "Основание", "Цель", "Статус"],
        [
            [str(n), c.indicator.name, value, base, target, c.status_label]
            for n, c, value, base, target in report.rows
        ],
    )
    _docx_picture(document, report, "indicators")


def _docx_stage1(document: DocxDocument, report: AnnualReport) -> None:
    """4. Stage 1 of monitoring: progress, satisfaction, plans, events, program quality."""
    d = report.dashboard
    document.add_heading("4. Мониторинг, этап 1: качество реализации программы", level=2)
    document.add_heading("4.1. Ход программы", level=3)
    header = ["Роль", *[label for _, label, _, _ in d.progress[0].by_status], "Всего"]
    add_table(
        document,
        header,
        [[row.label, *[str(n) for _, _, n, _ in row.by_status], str(row.total)] for row in d.progress],
    )
    document.add_heading("4.2. Удовлетворённость участников", level=3)
    if report.no_satisfaction:
        document.add_paragraph(report.no_satisfaction)
    else:
        for t in (report.satisfaction_summary, report.satisfaction_items):
            add_table(document, t.header, t.rows)
            document.add_paragraph()
        document.add_paragraph(SATISFACTION_NOTE)
        _docx_picture(document, report, "satisfaction")
    document.add_heading("4.3. Выполнение индивидуальных планов", level=3)
    document.add_paragraph(report.plans_sentence)
    document.add_heading("4.4. Участие в мероприятиях программ", level=3)
    if report.events_table is None:
        document.add_paragraph(report.no_events)
    else:
        add_table(document, report.events_table.header, report.events_table.rows)
    _docx_quality(document, report)


def _docx_quality(document: DocxDocument, report: AnnualReport) -> None:
    document.add_heading("4.5. Качество реализации программы: оценки и SWOT-анализ", level=3)
    if report.no_quality:
        document.add_paragraph(report.no_quality)
        return
    document.add_paragraph(f"Ответили на анкету качества реализации программы: {report.quality.respondents}.")
    add_table(document, report.quality_items.header, report.quality_items.rows)
    for label, lines in report.quality_swot:
        document.add_paragraph().add_run(label).bold = True
        for line in lines or ["ответов нет"]:
            document.add_paragraph(line, style="List Bullet")


def _docx_stage2(document: DocxDocument, report: AnnualReport) -> None:
    document.add_heading("5. Мониторинг, этап 2: рост участников", level=2)
    if report.no_growth:
        document.add_paragraph(report.no_growth)
        return
    add_table(document, report.growth_summary.header, report.growth_summary.rows)
    for title, t in report.growth_tables:
        document.add_paragraph().add_run(title).bold = True
        add_table(document, t.header, t.rows)
    document.add_paragraph(GROWTH_NOTE)
    _docx_picture(document, report, "growth")


def _docx_extra_sections(document: DocxDocument, report: AnnualReport) -> None:
    for number, section in report.numbered_sections:
        document.add_heading(f"{number}. {section.title}", level=2)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        if section.header and section.rows:
            add_table(document, list(section.header), [list(row) for row in section.rows])
        elif not section.paragraphs or section.header:
            document.add_paragraph(section.empty_text)


def _statistics_tables(document: DocxDocument, statistics: ParticipantStatistics) -> None:
    rows = [["Всего", str(statistics.mentees), str(statistics.mentors)]]
    rows += [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_kind]
    add_table(document, ["Категория участников", "Наставляемые", "Наставники"], rows)
    add_table(
        document,
        ["Форма наставничества", "Наставляемые", "Наставники"],
        [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_form] or [["—", "0", "0"]],
    )
    add_table(
        document,
        ["Целевая группа", "Наставляемые", "Наставники"],
        [[b.label, str(b.mentees), str(b.mentors)] for b in statistics.by_category] or [["—", "0", "0"]],
    )
