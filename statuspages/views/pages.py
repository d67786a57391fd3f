"""The public site's HTML pages: a page's front, an incident, a maintenance, the history."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.numbers import whole_number
from statuspages import selectors
from statuspages.models import Component, Maintenance, MaintenanceStatus, PageIncident, StatusPage, UptimeDisplay, Visibility
from statuspages.selectors import GroupView

from . import reads
from .serving import public_state, public_view, reader_is_staff

#: months a page of the history spans (Statuspage shows three)
MONTHS_PER_PAGE = 3
#: content that time alone changes (today's availability under an open impact, the day
#: rolling over, a maintenance window closing) shows within this many seconds
FRESH_FOR = 60


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Brand:
    colour: str
    #: black or white, whichever reads better on the brand colour
    text: str
    #: links: the brand colour where it reads on white (WCAG AA, 4.5:1), else a dark blue
    link: str

    @property
    def css(self) -> str:
        """The page's colours, written in a <style> that the CSP allows by its hash."""
        return f"body {{ --brand: {self.colour}; --on-brand: {self.text}; --link: {self.link}; }}"


def brand_of(page: StatusPage) -> Brand:
    colour = page.brand_colour or "#1f6feb"
    text = "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, "#000000") else "#000000"
    return Brand(colour, text, colour if contrast(colour, "#ffffff") >= 4.5 else "#0a4fb5")


def page_csp(page: StatusPage) -> dict[str, list[str]]:
    """What a page's HTML adds to the Content-Security-Policy: its brand colours' <style>
    (by hash, since a rendered body outlives the response whose nonce it would carry) and
    the origin its logo is loaded from."""
    digest = base64.b64encode(hashlib.sha256(brand_of(page).css.encode()).digest()).decode()
    update = {"style-src": [f"'sha256-{digest}'"]}
    logo = urlsplit(page.logo_url or "")
    if logo.scheme in ("http", "https") and _HOST.fullmatch(logo.netloc):
        update["img-src"] = [f"{logo.scheme}://{logo.netloc}"]
    return update


_HOST = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?")


def _render(request, template: str, page: StatusPage, **context):
    shared = {"page": page, "brand": brand_of(page), "staff": public_state(request).staff, "STAFF_ONLY": Visibility.STAFF}
    return render(request, f"statuspages/{template}", {**shared, **context})


@dataclass
class MaintenanceItem:
    maintenance: Maintenance
    #: the components it affects that the page shows
    components: list[Component]


@public_view("page", fresh_for=FRESH_FOR, csp=page_csp)
def front_page(request, page: StatusPage):
    """The banner, the incidents under way with their latest update, maintenance under way
    and to come, the components in their groups with 90 days of availability
    (``selectors.page_overview``: 7 queries whatever the history), and the past days'
    incidents by day (``selectors.past_incidents``: 1 query)."""
    staff = public_state(request).staff
    overview = selectors.page_overview(page, staff=staff)
    shown = {view.component.pk for view in overview.components}
    items = [MaintenanceItem(m, [c for c in m.components.all() if c.pk in shown]) for m in overview.maintenances]
    return _render(
        request,
        "page.html",
        page,
        overview=overview,
        rows=[("group" if isinstance(item, GroupView) else "component", item) for item in overview.items],
        under_way=[i for i in items if i.maintenance.status == MaintenanceStatus.IN_PROGRESS],
        upcoming=[i for i in items if i.maintenance.status == MaintenanceStatus.SCHEDULED],
        show_bars=page.display_uptime != UptimeDisplay.NOTHING,
        show_percent=page.display_uptime == UptimeDisplay.CHART_AND_PERCENTAGE,
        past_days=selectors.past_incidents(page, days=settings.STATUSPAGES_PAST_INCIDENT_DAYS, staff=staff),
    )


@require_safe
def default_page(request):
    """``/status/``: the default page; with none, the only page there is (a redirect);
    else 404 (1 query, then as ``/status/<slug>/``)."""
    pages = list(selectors.pages_for(staff=reader_is_staff(request)).order_by("-is_default", "name", "id")[:2])
    if pages and pages[0].is_default:
        return front_page(request, slug=pages[0].slug, page=pages[0])
    if len(pages) == 1:
        return redirect(reverse("statuspages:page", args=[pages[0].slug]))
    raise Http404("No default status page")


@public_view("incident", csp=page_csp)
def incident_page(request, page: StatusPage, incident_id: str):
    """An incident's whole timeline, with what each update moved (3 queries)."""
    incident = reads.incident_page(page, incident_id, staff=public_state(request).staff)
    return _render(request, "incident.html", page, incident=incident, affected=_affected_by(incident))


def _affected_by(incident: PageIncident) -> list[tuple[Component, str]]:
    """Each component the incident named, with the status its latest word on it set."""
    latest = {}
    for update in incident.timeline:  # latest first
        for moved in update.moved:
            latest.setdefault(moved.component_id, (moved.component, moved.status))
    return sorted(latest.values(), key=lambda pair: (pair[0].name, pair[0].pk))


@public_view("maintenance", csp=page_csp)
def maintenance_page(request, page: StatusPage, maintenance_id: str):
    """A maintenance's window, what it affects and its timeline (3 queries)."""
    return _render(request, "maintenance.html", page, maintenance=reads.maintenance_page(page, maintenance_id))


def month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime.combine(datetime(year, month, 1).date(), time.min, tzinfo=zone)


@dataclass
class Entry:
    kind: str  # incident, maintenance
    item: PageIncident | Maintenance
    #: when an incident was published, when a maintenance's window opens
    at: datetime


@dataclass
class Month:
    start: datetime
    #: latest first
    entries: list[Entry]


def page_number(raw: str | None) -> str:
    """The history page a ``?page=`` asks for, as the cache key spells it ("0": none)."""
    return str(whole_number("1" if raw is None else raw) or 0)


#: words a search in the history takes, and characters (more are left out)
SEARCH_WORDS, SEARCH_CHARACTERS = 8, 100


def search_words(raw: str | None) -> str:
    """A search as the cache key spells it: lower case, single spaces, bounded ("": none)."""
    return " ".join((raw or "")[:SEARCH_CHARACTERS].lower().split()[:SEARCH_WORDS])


@public_view("history", fresh_for=FRESH_FOR, params={"page": page_number, "q": search_words}, csp=page_csp)
def history_page(request, page: StatusPage):
    """Incidents and maintenance by month, latest first, ``MONTHS_PER_PAGE`` months a page
    (``?page=2``...): a page is a range of months, so it costs 3 queries whatever the
    history's length. Page 1 also lists the maintenance to come. ``?q=words``: the
    incidents whose name or updates hold them all (``reads.search``: 1 query)."""
    query = search_words(request.GET.get("q"))
    if query:
        found = reads.search(page, query.split(), staff=public_state(request).staff)
        return _render(request, "history_search.html", page, query=query, results=found, limit=reads.SEARCH_RESULTS)
    number = int(page_number(request.GET.get("page")))
    if not number:
        raise Http404("No such page of the history")
    zone = ZoneInfo(page.time_zone)
    now = timezone.now().astimezone(zone)
    newest = now.year * 12 + now.month - 1 - (number - 1) * MONTHS_PER_PAGE  # months since year 0
    oldest = newest - MONTHS_PER_PAGE + 1
    if oldest < 1970 * 12:  # nothing is that old, and year 0 is no date at all
        raise Http404("The history does not go back that far")
    start = month_start(oldest // 12, oldest % 12 + 1, zone)
    end = None if number == 1 else month_start(newest // 12, newest % 12 + 2, zone)
    span = reads.history(page, staff=public_state(request).staff, start=start, end=end)
    if number > 1 and (span.earliest is None or span.earliest >= end):
        raise Http404("The history does not go back that far")
    entries = sorted(
        [Entry("incident", i, i.published_at) for i in span.incidents]
        + [Entry("maintenance", m, m.starts_at) for m in span.maintenances],
        key=lambda entry: entry.at,
        reverse=True,
    )
    months: dict[tuple[int, int], Month] = {}
    for month in range(newest, oldest - 1, -1):
        months[(month // 12, month % 12 + 1)] = Month(month_start(month // 12, month % 12 + 1, zone), [])
    for entry in entries:
        moment = entry.at.astimezone(zone)
        key = (moment.year, moment.month)
        if key not in months:  # maintenance to come, after this month
            months[key] = Month(month_start(moment.year, moment.month, zone), [])
        months[key].entries.append(entry)
    return _render(
        request,
        "history.html",
        page,
        months=sorted(months.values(), key=lambda m: m.start, reverse=True),
        number=number,
        newer=number - 1 if number > 1 else None,
        older=number + 1 if span.earliest is not None and span.earliest < start else None,
    )
