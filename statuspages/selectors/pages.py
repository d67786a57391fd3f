"""What a page shows, read with a constant number of queries whatever its history: the
components in their groups with their statuses, the banner, the incidents under way and
the maintenance to come."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q
from django.utils import timezone

from statuspages.models import (
    Component,
    ComponentGroup,
    ComponentStatus,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    PageComponent,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UptimeDisplay,
)

from .components import UNDER_MAINTENANCE, Availability, availability, component_statuses, worst
from .visibility import visible_incidents


@dataclass
class ComponentView:
    component: Component
    placement: PageComponent
    status: str
    availability: Availability | None = None


@dataclass
class GroupView:
    group: ComponentGroup
    components: list[ComponentView] = field(default_factory=list)

    @property
    def status(self) -> str:
        return worst(view.status for view in self.components)


@dataclass(frozen=True)
class Banner:
    level: str  # operational, degraded, outage, maintenance
    sentence: str


def banner(statuses: list[str], maintenance_under_way: bool) -> Banner:
    """The sentence at the top of a page, from the worst status it shows."""
    status = worst(statuses)
    if status == ComponentStatus.FULL_OUTAGE:
        return Banner("outage", "Major outage")
    if status == ComponentStatus.PARTIAL_OUTAGE:
        return Banner("outage", "Partial outage")
    if status == ComponentStatus.DEGRADED_PERFORMANCE:
        return Banner("degraded", "Degraded performance")
    if status == UNDER_MAINTENANCE or maintenance_under_way:
        return Banner("maintenance", "Maintenance in progress")
    return Banner("operational", "All systems operational")


@dataclass
class PageOverview:
    page: StatusPage
    #: the page's items in order: groups and the components shown outside any group
    items: list[GroupView | ComponentView]
    banner: Banner
    incidents: list[PageIncident]
    maintenances: list[Maintenance]

    @property
    def components(self) -> list[ComponentView]:
        return [view for item in self.items for view in (item.components if isinstance(item, GroupView) else [item])]


def latest_first_updates() -> Prefetch:
    return Prefetch("updates", queryset=PageIncidentUpdate.objects.order_by("-published_at", "-id"), to_attr="timeline")


def page_overview(page: StatusPage, *, staff: bool = False, with_availability: bool = True) -> PageOverview:
    """Everything the page's front shows to an audience (the public unless ``staff``, who
    may open the page), its statuses and availability derived from what that audience
    may read of (``visibility``), in 7 queries whatever its history: placements
    (with components and groups), maintenance to come or under way (and what it
    affects), open impacts, the impacts of the availability window, incidents under way
    (and their updates)."""
    placements = list(
        PageComponent.objects.filter(status_page=page, hidden=False, component__enabled=True)
        .select_related("component", "group")
        .order_by("position", "id")
    )
    maintenances = list(
        Maintenance.objects.filter(status_page=page)
        .exclude(status=MaintenanceStatus.COMPLETE)
        .filter(Q(status=MaintenanceStatus.IN_PROGRESS) | Q(ends_at__gt=timezone.now()))
        .prefetch_related("components")
        .order_by("starts_at", "id")
    )
    under_way = [m for m in maintenances if m.status == MaintenanceStatus.IN_PROGRESS]
    statuses = component_statuses(
        (p.component_id for p in placements), staff=staff, under_maintenance=[c.pk for m in under_way for c in m.components.all()]
    )
    shown_uptime = page.display_uptime != UptimeDisplay.NOTHING
    uptimes = (
        availability([p.component_id for p in placements if p.display_uptime], staff=staff, time_zone=page.time_zone)
        if with_availability and shown_uptime
        else {}
    )
    groups, loose = {}, []
    for placement in placements:
        view = ComponentView(placement.component, placement, statuses[placement.component_id], uptimes.get(placement.component_id))
        if placement.group is None:
            loose.append(view)
        elif not placement.group.hidden:
            groups.setdefault(placement.group_id, GroupView(placement.group)).components.append(view)
    items = sorted(
        [*groups.values(), *loose],
        key=lambda item: (item.group.position if isinstance(item, GroupView) else item.placement.position, isinstance(item, ComponentView)),
    )
    incidents = list(
        PageIncident.objects.filter(visible_incidents(staff=staff), status_page=page)
        .exclude(status=IncidentStatus.RESOLVED)
        .prefetch_related(latest_first_updates())
        .order_by("-stickied", "-published_at", "-id")
    )
    shown_statuses = [view.status for item in items for view in (item.components if isinstance(item, GroupView) else [item])]
    return PageOverview(page, items, banner(shown_statuses, bool(under_way)), incidents, maintenances)




@dataclass
class PastDay:
    day: date
    #: published that day (in the page's zone), latest first
    incidents: list[PageIncident]


def past_incidents(page: StatusPage, *, days: int, staff: bool = False) -> list[PastDay]:
    """The incidents published on the page in the last ``days`` days (today included, in
    the page's zone), by day, latest day first, a quiet day with an empty list (1 query,
    none for ``days`` 0). Only those the audience sees (``visible_incidents``)."""
    if days <= 0:
        return []
    zone = ZoneInfo(page.time_zone)
    today = timezone.now().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    by_day = {today - timedelta(days=n): PastDay(today - timedelta(days=n), []) for n in range(days)}
    published = (
        PageIncident.objects.filter(visible_incidents(staff=staff), status_page=page)
        .filter(published_at__gte=datetime.combine(first, time.min, tzinfo=zone))
        .order_by("-published_at", "-id")
    )
    for incident in published:
        day = by_day.get(incident.published_at.astimezone(zone).date())
        if day is not None:  # published in the future: not a past incident
            day.incidents.append(incident)
    return list(by_day.values())
