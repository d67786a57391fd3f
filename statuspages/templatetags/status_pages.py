"""What the public site's templates share: words for statuses, times as ``<time>``,
percentages, markdown, and the availability bars (built here rather than in a template
loop: a page of 50 components draws 4,500 of them)."""

import math
from datetime import date
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.markdown import render_markdown
from statuspages.selectors import Availability

register = template.Library()

LABELS = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "full_outage": "Major outage",
    "under_maintenance": "Under maintenance",
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "maintenance_scheduled": "Scheduled",
    "maintenance_in_progress": "In progress",
    "maintenance_complete": "Completed",
}


@register.filter
def status_label(value: str) -> str:
    return LABELS.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def markdown(text: str):
    """Rendered and sanitised (``core.markdown``)."""
    return render_markdown(text)


def percent(value: float) -> str:
    """A percentage, never rounded up to a perfect score: 99.999 shows as 99.99%."""
    if value >= 100:
        return "100%"
    return f"{math.floor(value * 100) / 100:.2f}%"


@register.filter(name="percent")
def percent_filter(value: float) -> str:
    return percent(value)


@lru_cache(maxsize=1024)
def day_label(day: date) -> str:
    # Every component of a page shows the same 90 days: each is worded once.
    return f"{day.day} {day:%b %Y}"


@register.simple_tag
def when(moment, style: str = "full"):
    """``<time datetime>`` in the active time zone (the page's, set by the view)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    shown = f"{local.day} {local:%b %Y}" if style == "date" else f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), shown)


@register.simple_tag
def availability_bars(name: str, availability: Availability, show_percent: bool = True):
    """One bar per day, coloured by the day's worst level; each day is an item of a list
    that can take focus (a tap on a phone, a keyboard's Tab) and holds its date and uptime
    as text, shown as a tip on hover and focus and read by screen readers; the list is
    labelled with the whole period, and the period's percentage is under the bars if the
    page shows it. No script: CSS shows the tip. Each day's uptime is computed once here:
    a page of 50 components draws 4,500 bars."""
    bars, hurt, uptimes = [], [], []
    count = len(availability.days)
    for n, day in enumerate(availability.days):
        level, uptime = day.worst, day.uptime
        uptimes.append(uptime)
        said = f"{day_label(day.day)}: {percent(100 * uptime)} uptime"
        if level != "operational":
            said += f", {LABELS[level].lower()}"
            hurt.append(said)
        # The tip opens towards the middle, so none leaves the window at either edge.
        side = " start" if n < count // 3 else (" end" if n >= count - count // 3 else "")
        bars.append(f'<li class="day {level}{side}" tabindex="0"><span class="tip">{said}</span></li>')
    # As Availability.percent, from the uptimes already computed.
    overall = percent(round(100 * sum(uptimes) / len(uptimes), 4) if uptimes else 100.0)
    summary = f"{escape(name)}: {overall} uptime over the last {len(uptimes)} days"
    days = "1 day" if len(hurt) == 1 else f"{len(hurt)} days"
    summary += f"; {days} with incidents: " + "; ".join(hurt) if hurt else "; no incidents"
    middle = f'<span class="uptime">{overall} uptime</span>' if show_percent else ""
    return mark_safe(
        f'<ol class="bars" aria-label="{summary}">{"".join(bars)}</ol>'
        f'<p class="bar-legend" aria-hidden="true"><span>{len(uptimes)} days ago</span>{middle}<span>Today</span></p>'
    )


@register.filter
def mean_uptime(views) -> float | None:
    """A group's uptime: the mean of its components' (those that show one)."""
    shown = [view.availability.percent for view in views if view.availability is not None]
    return sum(shown) / len(shown) if shown else None
