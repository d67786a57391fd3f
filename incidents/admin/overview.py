"""The admin's front page as an overview: three charts drawn on the server as inline SVG
(no script, nothing fetched), each with its numbers as text beside the bars.

``overview_charts()`` turns ``selectors.incident_overview()`` into what the templates
draw: bars with their coordinates, colours and labels, so the templates only place them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import admin

from incidents.selectors.overview import (
    RESOLVED_WITHIN_DAYS,
    WEEKS,
    Overview,
    incident_overview,
)

admin.site.index_template = "admin/incidents/index.html"

# Most severe first; "no severity" is grey. Enough for the usual three to five levels,
# then the palette repeats.
PALETTE = ["#b91c1c", "#ea580c", "#ca8a04", "#2563eb", "#7c3aed", "#0d9488"]
NO_SEVERITY = "#6b7280"

# Horizontal bar charts: a label column, the bars, room for the value after the bar.
HBAR_WIDTH, HBAR_LABEL, HBAR_VALUE, HBAR_ROW = 460, 84, 200, 30
# The weekly chart: 12 columns over a fixed plot area.
COLUMNS_WIDTH, COLUMNS_HEIGHT, COLUMNS_TOP, COLUMNS_BOTTOM, COLUMNS_LEFT = 720, 200, 22, 28, 8


@dataclass
class Series:
    key: str | None
    name: str
    colour: str


@dataclass
class Bar:
    label: str
    value_text: str
    colour: str
    y: int
    width: float

    @property
    def value_x(self) -> float:
        return round(HBAR_LABEL + self.width + 6, 1)


@dataclass
class HorizontalChart:
    title: str
    description: str
    bars: list[Bar]
    empty: str = ""
    width: int = HBAR_WIDTH
    label_width: int = HBAR_LABEL
    row: int = HBAR_ROW

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * self.row + 6


@dataclass
class Segment:
    series: Series
    value: int
    y: float
    height: float


@dataclass
class Column:
    label: str
    total: int
    x: float
    top: float
    centre: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class ColumnChart:
    title: str
    description: str
    series: list[Series]
    columns: list[Column]
    column_width: float
    baseline: int
    width: int = COLUMNS_WIDTH
    height: int = COLUMNS_HEIGHT
    rows: list[tuple[Series, list[int]]] = field(default_factory=list)


def duration_text(delta: timedelta) -> str:
    """``3 d 4 h``, ``2 h 15 min``, ``12 min``, ``under a minute``: enough to compare."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _series(overview: Overview) -> list[Series]:
    series = [Series(s.pk, s.name, PALETTE[n % len(PALETTE)]) for n, s in enumerate(overview.severities)]
    if overview.any_without_severity:
        series.append(Series(None, "No severity", NO_SEVERITY))
    return series


def _horizontal(title, description, series, values, value_text, empty) -> HorizontalChart:
    """One bar per severity, as long as its value relative to the largest."""
    largest = max((values.get(s.key, 0) for s in series), default=0) or 1
    plot = HBAR_WIDTH - HBAR_LABEL - HBAR_VALUE
    bars = [
        Bar(
            label=s.name,
            value_text=value_text(s.key),
            colour=s.colour,
            y=n * HBAR_ROW + 4,
            width=round(plot * values.get(s.key, 0) / largest, 1),
        )
        for n, s in enumerate(series)
    ]
    return HorizontalChart(title, description, bars, empty="" if any(values.values()) else empty)


def _weekly(overview: Overview, series: list[Series]) -> ColumnChart:
    plot_height = COLUMNS_HEIGHT - COLUMNS_TOP - COLUMNS_BOTTOM
    slot = (COLUMNS_WIDTH - COLUMNS_LEFT) / len(overview.weeks)
    width = round(slot * 0.7, 1)
    totals = [sum(overview.declared.get((week, s.key), 0) for s in series) for week in overview.weeks]
    largest = max(totals, default=0) or 1
    baseline = COLUMNS_HEIGHT - COLUMNS_BOTTOM
    columns = []
    for n, (week, total) in enumerate(zip(overview.weeks, totals)):
        x = COLUMNS_LEFT + n * slot + (slot - width) / 2
        column = Column(label=week.strftime("%-d %b"), total=total, x=round(x, 1), top=baseline, centre=round(x + width / 2, 1))
        # The most severe at the bottom of the stack, where it is easiest to compare.
        for s in series:
            value = overview.declared.get((week, s.key), 0)
            if value:
                height = plot_height * value / largest
                column.top -= height
                column.segments.append(Segment(s, value, round(column.top, 1), round(height, 1)))
        columns.append(column)
    rows = [(s, [overview.declared.get((week, s.key), 0) for week in overview.weeks]) for s in series]
    return ColumnChart(
        title=f"Declared per week, last {WEEKS} weeks",
        description="Incidents declared each week (weeks start on Monday), by severity.",
        series=series,
        columns=columns,
        column_width=width,
        baseline=baseline,
        rows=rows,
    )


def overview_charts(overview: Overview | None = None, *, viewer=None) -> dict:
    """The charts of ``overview``, or of the incidents ``viewer`` may see."""
    overview = overview or incident_overview(viewer=viewer)
    series = _series(overview)
    ttr = overview.time_to_resolve
    active_total = sum(overview.active.values())
    return {
        "active_total": active_total,
        "active": _horizontal(
            "Active incidents",
            "Incidents in triage, live or paused, by severity.",
            series,
            overview.active,
            lambda key: str(overview.active.get(key, 0)),
            "No incident is under way.",
        ),
        "declared": _weekly(overview, series),
        "time_to_resolve": _horizontal(
            "Median time to resolve",
            f"From declaration to resolution, for incidents resolved in the last {RESOLVED_WITHIN_DAYS} days.",
            series,
            {key: value.median.total_seconds() for key, value in ttr.items()},
            lambda key: (
                f"{duration_text(ttr[key].median)} · {ttr[key].incidents} resolved" if key in ttr else "none resolved"
            ),
            f"No incident was resolved in the last {RESOLVED_WITHIN_DAYS} days.",
        ),
    }
