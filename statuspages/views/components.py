"""A component's own page: its status, its last 90 days as bars, its uptime month by month
over a year, and the incidents that named it (linked from its name on the front page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from statuspages import selectors
from statuspages.models import StatusPage, UptimeDisplay
from statuspages.selectors import Availability, Day

from . import reads
from .pages import FRESH_FOR, _render, page_csp
from .serving import public_state, public_view

#: days of the bars, as on the front page
BAR_DAYS = 90
#: days the monthly uptime is computed over (twelve months and the days of this one)
YEAR_DAYS = 366


@dataclass(frozen=True)
class MonthUptime:
    month: date
    percent: float
    #: days of the month the component was hurt at all
    hurt_days: int
    #: days of the month counted (the first month and this one are partial)
    days: int


def by_month(days: list[Day]) -> list[MonthUptime]:
    """Each calendar month's uptime (latest first), from whole days in the page's zone."""
    months: dict[date, list[Day]] = {}
    for day in days:
        months.setdefault(day.day.replace(day=1), []).append(day)
    return [
        MonthUptime(month, round(100 * sum(d.uptime for d in found) / len(found), 4),
                    sum(1 for d in found if d.seconds), len(found))
        for month, found in sorted(months.items(), reverse=True)
    ][:12]


@public_view("component", fresh_for=FRESH_FOR, csp=page_csp)
def component_page(request, page: StatusPage, component_id: str):
    """5 queries whatever its history: where the page shows it (with the component), the
    incidents that named it, its status (maintenance, open impacts), a year of impacts."""
    staff = public_state(request).staff
    record = reads.component_page(page, component_id, staff=staff)
    component_id = record.component.pk
    status = selectors.component_statuses([component_id], staff=staff)[component_id]
    shown = page.display_uptime != UptimeDisplay.NOTHING and record.placement.display_uptime
    year = recent = None
    if shown:
        year = selectors.availability([component_id], staff=staff, days=YEAR_DAYS, time_zone=page.time_zone)[component_id]
        bars = year.days[-BAR_DAYS:]
        recent = Availability(component_id, bars, year.start_at, year.end_at)
    return _render(
        request,
        "component.html",
        page,
        record=record,
        status=status,
        recent=recent,
        months=by_month(year.days) if year else [],
        show_percent=page.display_uptime == UptimeDisplay.CHART_AND_PERCENTAGE,
    )
