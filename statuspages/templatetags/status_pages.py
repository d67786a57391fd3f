"""What the public site's templates share: words for statuses, times as ``<time>``,
percentages, markdown, and the availability bars (built here rather than in a template
loop: a page of 50 components draws 4,500 of them). Every word is translated, and dates
and numbers are written the reader's language's way: the formats are themselves strings of
the catalogues (``j M Y, H:i`` in English, ``Y年n月j日 H:i`` in Japanese), so a translator
decides them along with the words."""

import math
from datetime import date
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils import dateformat, numberformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from statuspages.selectors import Availability

register = template.Library()

LABELS = {
    "operational": _("Operational"),
    "degraded_performance": _("Degraded performance"),
    "partial_outage": _("Partial outage"),
    "full_outage": _("Major outage"),
    "under_maintenance": _("Under maintenance"),
    "investigating": _("Investigating"),
    "identified": _("Identified"),
    "monitoring": _("Monitoring"),
    "resolved": _("Resolved"),
    "maintenance_scheduled": pgettext_lazy("maintenance status", "Scheduled"),
    "maintenance_in_progress": pgettext_lazy("maintenance status", "In progress"),
    "maintenance_complete": pgettext_lazy("maintenance status", "Completed"),
}
#: the banner's sentences (``selectors.banner``, which the APIs show in English as it is)
BANNERS = {
    "Major outage": _("Major outage"),
    "Partial outage": _("Partial outage"),
    "Degraded performance": _("Degraded performance"),
    "Maintenance in progress": _("Maintenance in progress"),
    "All systems operational": _("All systems operational"),
}
#: a day's status within a sentence ("8 Dec 2026: 75.00% uptime, major outage")
IN_SENTENCE = {
    "degraded_performance": pgettext_lazy("status within a sentence", "degraded performance"),
    "partial_outage": pgettext_lazy("status within a sentence", "partial outage"),
    "full_outage": pgettext_lazy("status within a sentence", "major outage"),
    "under_maintenance": pgettext_lazy("status within a sentence", "under maintenance"),
}
#: how times, days and months are written: PHP-style formats (Django's ``date`` filter),
#: translated per language
FORMATS = {
    "full": pgettext_lazy("format of a date and time (Django's date filter)", "j M Y, H:i"),
    "date": pgettext_lazy("format of a date (Django's date filter)", "j M Y"),
    "day": pgettext_lazy("format of a day heading (Django's date filter)", "j F Y"),
    "month": pgettext_lazy("format of a month heading (Django's date filter)", "F Y"),
}


@register.filter
def status_label(value: str) -> str:
    return str(LABELS.get(value, str(value).replace("_", " ").capitalize()))


@register.simple_tag
def public_languages() -> list[tuple[str, str]]:
    """The switcher's languages, each named in itself ("Deutsch", "日本語"): Django's
    ``get_available_languages`` would name them in the page's language."""
    return list(settings.LANGUAGES)


@register.filter
def banner_sentence(sentence: str) -> str:
    return str(BANNERS.get(sentence, sentence))


@register.filter
def markdown(text: str):
    """Rendered and sanitised (``core.markdown``)."""
    return render_markdown(text)


def percent(value: float) -> str:
    """A percentage, never rounded up to a perfect score: 99.999 shows as 99.99%."""
    if value >= 100:
        return "100%"
    return f"{math.floor(value * 100) / 100:.2f}%"


def shown_percent(value: float) -> str:
    """``percent`` as the reader's language writes it: 99,95 % in German and French."""
    number = 100 if value >= 100 else math.floor(value * 100) / 100
    decimals = 0 if number == 100 else 2
    written = numberformat.format(number, get_format("DECIMAL_SEPARATOR"), decimal_pos=decimals)
    return pgettext("a percentage; %(number)s is the number", "%(number)s%%") % {"number": written}


@register.filter(name="percent")
def percent_filter(value: float) -> str:
    return shown_percent(value)


@register.filter
def local_date(moment, style: str = "date") -> str:
    """A date (or the day of a datetime, in the active zone) in the reader's language."""
    if hasattr(moment, "tzinfo") and moment.tzinfo is not None:
        moment = timezone.localtime(moment)
    return dateformat.format(moment, str(FORMATS[style]))


@lru_cache(maxsize=4096)
def day_label(day: date, language: str | None = None) -> str:
    # Every component of a page shows the same 90 days: each is worded once per language.
    return dateformat.format(day, str(FORMATS["date"]))


@register.simple_tag
def when(moment, style: str = "full"):
    """``<time datetime>`` in the active time zone (the page's, set by the view), in the
    reader's language, the zone named; ``statuspages/times.js`` rewrites it in the
    reader's own zone where scripts run (those with a time of day: a ``date`` style's
    ``datetime`` is the day alone)."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    if style == "date":
        return format_html('<time datetime="{}">{}</time>', local.date().isoformat(), dateformat.format(local, str(FORMATS["date"])))
    shown = f"{dateformat.format(local, str(FORMATS['full']))} {local.tzname()}"
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
    language = get_language()
    day_said = gettext("%(day)s: %(percent)s uptime")
    labels = {level: str(label) for level, label in IN_SENTENCE.items()}
    for n, day in enumerate(availability.days):
        level, uptime = day.worst, day.uptime
        uptimes.append(uptime)
        said = day_said % {"day": day_label(day.day, language), "percent": shown_percent(100 * uptime)}
        if level != "operational":
            said = gettext("%(day)s, %(status)s") % {"day": said, "status": labels[level]}
            hurt.append(said)
        # The tip opens towards the middle, so none leaves the window at either edge.
        side = " start" if n < count // 3 else (" end" if n >= count - count // 3 else "")
        bars.append(f'<li class="day {level}{side}" tabindex="0"><span class="tip">{said}</span></li>')
    # As Availability.percent, from the uptimes already computed.
    overall = shown_percent(round(100 * sum(uptimes) / len(uptimes), 4) if uptimes else 100.0)
    total = len(uptimes)
    summary = ngettext(
        "%(name)s: %(percent)s uptime over the last %(count)s day",
        "%(name)s: %(percent)s uptime over the last %(count)s days",
        total,
    ) % {"name": escape(name), "percent": overall, "count": total}
    if hurt:
        summary += ngettext(
            "; %(count)s day with incidents: %(days)s", "; %(count)s days with incidents: %(days)s", len(hurt)
        ) % {"count": len(hurt), "days": "; ".join(hurt)}
    else:
        summary += gettext("; no incidents")
    uptime = gettext("%(percent)s uptime") % {"percent": overall}
    middle = f'<span class="uptime">{uptime}</span>' if show_percent else ""
    ago = ngettext("%(count)s day ago", "%(count)s days ago", total) % {"count": total}
    today = gettext("Today")  # not inside the f-string: makemessages does not look there
    return mark_safe(
        f'<ol class="bars" aria-label="{summary}">{"".join(bars)}</ol>'
        f'<p class="bar-legend" aria-hidden="true"><span>{ago}</span>{middle}<span>{today}</span></p>'
    )


@register.filter
def mean_uptime(views) -> float | None:
    """A group's uptime: the mean of its components' (those that show one)."""
    shown = [view.availability.percent for view in views if view.availability is not None]
    return sum(shown) / len(shown) if shown else None
