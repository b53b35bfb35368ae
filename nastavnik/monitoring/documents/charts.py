"""Charts of the organisation's annual report: drawn once as PNG, put into the DOCX as a picture and
into the PDF's HTML as a data URI, so both formats show the same image.

matplotlib's object API (`Figure`, rendered by Agg), never `pyplot`: pyplot keeps global figures
and state that concurrent requests would share. The PNG carries no «Software» chunk and no date,
so the same numbers give the same bytes (tested). DejaVu Sans, bundled with matplotlib, has the
Cyrillic letters the labels need.
"""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..growth import Growth
from ..satisfaction import Satisfaction
from ..selectors import BEHIND, MET, NO_TARGET, IndicatorCell

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with the report's margins
DPI = 200
LABEL_WIDTH = 42  # characters per line of a bar's label
STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8,
}
COLOURS = {
    MET: "#1f7a45",
    BEHIND: "#b3261e",
    "fact": "#5b6f8a",  # a value without a target
    "target": "#c8c8c8",
    "mentees": "#2b6cb0",
    "mentors": "#2f855a",
    "before": "#8fb3de",
    "after": "#2b6cb0",
}


@dataclass(frozen=True)
class Chart:
    png: bytes
    caption: str

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _number(value: float, percent: bool) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return f"{text} %" if percent else text


def _paired_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str | Sequence[str]]],
    *,
    limit: float,
    axis_label: str,
    percent: bool = False,
    legend: Sequence[tuple[str, str]] | None = None,
) -> bytes:
    """Horizontal bars, one group per label (top to bottom in the given order), one bar per
    series (name, values, colour or a colour per bar); a missing value draws no bar. `legend`:
    (colour, label) of each entry, by default one per series.

    Drawing a chart takes longer than the rest of the report together, and the same numbers
    give the same bytes: a chart is drawn once per process for its inputs and then reused
    (the values change at most with each refresh of the stored indicators)."""
    return _drawn(
        tuple(labels),
        tuple(
            (name, tuple(values), colour if isinstance(colour, str) else tuple(colour))
            for name, values, colour in series
        ),
        limit,
        axis_label,
        percent,
        None if legend is None else tuple(legend),
    )


@functools.lru_cache(maxsize=64)  # a PNG is some tens of kilobytes
def _drawn(
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float | None, ...], str | tuple[str, ...]], ...],
    limit: float,
    axis_label: str,
    percent: bool,
    legend: tuple[tuple[str, str], ...] | None,
) -> bytes:
    """`_paired_bars` drawn. The figure is exactly the text width (constrained layout, no
    «tight» cropping that would widen it), so the fonts keep their size when the document
    scales the picture to 16 cm."""
    wrapped = [textwrap.fill(label, LABEL_WIDTH) for label in labels]
    lines = sum(text.count("\n") + 1 for text in wrapped)
    height = 1.0 + 0.14 * lines + 0.17 * len(labels) * len(series)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)  # the Agg renderer, without pyplot's global state
        axes = figure.subplots()
        bar = 0.8 / len(series)
        positions = list(range(len(labels)))
        for index, (name, values, colour) in enumerate(series):
            offsets = [p - 0.4 + bar * (index + 0.5) for p in positions]
            drawn = [
                (o, v, c)
                for o, v, c in zip(offsets, values, _each(colour, len(values)), strict=True)
                if v is not None
            ]
            axes.barh(
                [o for o, _, _ in drawn],
                [v for _, v, _ in drawn],
                height=bar * 0.9,
                color=[c for _, _, c in drawn],
                label=name,
            )
            for offset, value, _ in drawn:
                axes.text(value + limit * 0.01, offset, _number(value, percent), va="center", fontsize=7.5)
        axes.set_yticks(positions, wrapped)
        axes.tick_params(axis="y", length=0)
        axes.invert_yaxis()  # the first label on top, as in the table
        axes.set_xlim(0, limit * 1.12)  # room for the value after the longest bar
        axes.set_xticks([limit * step / 5 for step in range(6)])
        axes.xaxis.set_major_formatter(lambda value, _: f"{value:g}")
        axes.set_xlabel(axis_label)
        axes.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        axes.set_axisbelow(True)
        handles = (
            [Patch(color=colour, label=label) for colour, label in legend]
            if legend is not None
            else axes.get_legend_handles_labels()[0]
        )
        figure.legend(handles=handles, loc="outside upper center", ncol=3, frameon=False)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _each(colour: str | Sequence[str], count: int) -> list[str]:
    return [colour] * count if isinstance(colour, str) else list(colour)


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def indicators_chart(cells: Sequence[IndicatorCell]) -> Chart | None:
    """The indicators that are shares: the value (green if the target is met, red if behind)
    next to the target in force. None when no share has a value or a target."""
    shown = [
        c for c in cells if c.indicator.is_share and (c.measure.value is not None or c.target is not None)
    ]
    if not shown:
        return None
    facts = [_float(c.measure.value) for c in shown]
    colours = [COLOURS.get(c.status, COLOURS["fact"]) for c in shown]
    targets = [_float(c.target.value) if c.target is not None else None for c in shown]
    statuses = {c.status for c in shown}
    legend = [
        (COLOURS[status], label)
        for status, label in ((MET, "значение: цель достигнута"), (BEHIND, "значение: отставание"))
        if status in statuses
    ]
    if NO_TARGET in statuses:
        legend.append((COLOURS["fact"], "значение (цель не задана)"))
    legend.append((COLOURS["target"], "цель"))
    largest = max([v for v in [*facts, *targets] if v is not None] + [100.0])  # never cut a bar off
    png = _paired_bars(
        [c.indicator.short_name for c in shown],
        [("значение", facts, colours), ("цель", targets, COLOURS["target"])],
        limit=largest,
        axis_label="%",
        percent=True,
        legend=legend,
    )
    return Chart(png, "Целевые показатели: значение и цель, %")


def satisfaction_chart(satisfaction: Satisfaction) -> Chart | None:
    """The average of each 1–10 item of the satisfaction questionnaires, mentees next to mentors.
    None when nobody answered."""
    rows = [(label, m.mean, n.mean) for _, label, m, n in satisfaction.rows if m.count or n.count]
    if not rows:
        return None
    png = _paired_bars(
        [label for label, _, _ in rows],
        [
            ("наставляемые", [_float(m) for _, m, _ in rows], COLOURS["mentees"]),
            ("наставники", [_float(n) for _, _, n in rows], COLOURS["mentors"]),
        ],
        limit=10,
        axis_label="средняя оценка (1–10)",
    )
    return Chart(png, "Удовлетворённость участников: средняя оценка пунктов анкеты")


def growth_chart(rows: Sequence[Growth], caption: str) -> Chart | None:
    """The average before and after of each row (a diagnostic parameter or a form of mentoring).
    None when no row has a measurement."""
    rows = [g for g in rows if g.measurements]
    if not rows:
        return None
    before = [_float(g.mean_before) for g in rows]
    after = [_float(g.mean_after) for g in rows]
    largest = max(v for v in [*before, *after] if v is not None)
    png = _paired_bars(
        [g.label for g in rows],
        [
            ("до (входная диагностика)", before, COLOURS["before"]),
            ("после (итоговая)", after, COLOURS["after"]),
        ],
        # a 1–5 scale is drawn on 5, a 1–10 scale on 10
        limit=5 if largest <= 5 else 10,
        axis_label="средняя оценка",
    )
    return Chart(png, caption)
