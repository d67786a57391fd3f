"""What incident.io's status page endpoints read, each joined up front so a list costs the
same number of queries whatever its length: the serializers touch only what these load,
and a write is answered by re-reading through the same function.

The API is staff tooling: every page is served to a key with the right role, private or
not; incidents hidden from everyone (Cachet's third visibility) are not served.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from statuspages import selectors
from statuspages.models import (
    Component,
    ComponentGroup,
    ComponentImpact,
    Maintenance,
    MaintenanceUpdate,
    PageComponent,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UpdateComponentStatus,
)


def pages() -> QuerySet[StatusPage]:
    return selectors.pages_for(staff=True)


def incidents() -> QuerySet[PageIncident]:
    """Page incidents with their updates (newest first, each with the component statuses
    it set) and their component impacts (oldest first): 3 queries after the incidents'."""
    statuses = Prefetch("component_statuses", queryset=UpdateComponentStatus.objects.order_by("id"))
    return PageIncident.objects.filter(selectors.visible_incidents(staff=True)).prefetch_related(
        Prefetch(
            "updates",
            queryset=PageIncidentUpdate.objects.prefetch_related(statuses).order_by("-published_at", "-id"),
            to_attr="timeline",
        ),
        Prefetch("impacts", queryset=ComponentImpact.objects.order_by("start_at", "id"), to_attr="impact_list"),
    )


def incidents_on(
    page: StatusPage,
    *,
    component_id: str = "",
    group_id: str = "",
    sub_page_id: str = "",
    start_at: datetime | None = None,
    end_at: datetime | None = None,
) -> QuerySet[PageIncident]:
    """A page's incidents, narrowed to those that impacted a component (or a component of
    a group of the page), and to those under way at some time between ``start_at`` and
    ``end_at`` (from their publication to their resolution). We have no sub-pages, so
    none impacted one."""
    found = incidents().filter(status_page=page)
    if sub_page_id:
        return found.none()
    if component_id:
        found = found.filter(pk__in=ComponentImpact.objects.filter(component_id=component_id).values("page_incident_id"))
    if group_id:
        impacted = ComponentImpact.objects.filter(
            component__placements__status_page=page, component__placements__group_id=group_id
        )
        found = found.filter(pk__in=impacted.values("page_incident_id"))
    if start_at:
        found = found.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start_at))
    if end_at:
        found = found.filter(published_at__lte=end_at)
    return found


def incident_update(pk: str) -> PageIncidentUpdate:
    return PageIncidentUpdate.objects.prefetch_related(
        Prefetch("component_statuses", queryset=UpdateComponentStatus.objects.order_by("id"))
    ).get(pk=pk)


def maintenances() -> QuerySet[Maintenance]:
    """Maintenance with the components it affects and its updates (newest first; each
    update's maintenance is the one read here): 2 queries after the maintenances'."""
    return Maintenance.objects.prefetch_related(
        Prefetch("components", queryset=Component.objects.order_by("name", "id")),
        Prefetch("updates", queryset=MaintenanceUpdate.objects.order_by("-published_at", "-id"), to_attr="timeline"),
    )


def maintenances_on(
    page: StatusPage,
    *,
    component_id: str = "",
    group_id: str = "",
    sub_page_id: str = "",
    start_at: datetime | None = None,
    end_at: datetime | None = None,
) -> QuerySet[Maintenance]:
    """A page's maintenance, narrowed to what affects a component (or a component of a
    group of the page), and to what overlaps ``start_at``..``end_at`` (its window, or the
    times it really started and completed once it moved)."""
    found = maintenances().filter(status_page=page)
    if sub_page_id:
        return found.none()
    affected = Maintenance.components.through.objects
    if component_id:
        found = found.filter(pk__in=affected.filter(component_id=component_id).values("maintenance_id"))
    if group_id:
        in_group = affected.filter(component__placements__status_page=page, component__placements__group_id=group_id)
        found = found.filter(pk__in=in_group.values("maintenance_id"))
    if start_at:
        found = found.alias(period_end=Coalesce("completed_at", "ends_at")).filter(period_end__gte=start_at)
    if end_at:
        found = found.alias(period_start=Coalesce("started_at", "starts_at")).filter(period_start__lte=end_at)
    return found


def maintenance_update(pk: str) -> MaintenanceUpdate:
    return MaintenanceUpdate.objects.select_related("maintenance").prefetch_related("maintenance__components").get(pk=pk)


def structure(page: StatusPage) -> list[ComponentGroup | PageComponent]:
    """The page's items in its order: its groups (each with ``placed``, its placements in
    order) and the components it shows outside any group; hidden ones included, as the
    structure says whether each is hidden (2 queries)."""
    placements = list(
        PageComponent.objects.filter(status_page=page).select_related("component").order_by("position", "id")
    )
    groups = list(ComponentGroup.objects.filter(status_page=page).order_by("position", "id"))
    for group in groups:
        group.placed = [p for p in placements if p.group_id == group.pk]
    loose = [p for p in placements if p.group_id is None]
    # Groups and loose components share one order; a group goes first on a tie.
    return sorted([*groups, *loose], key=lambda item: (item.position, isinstance(item, PageComponent)))


def first_impact_at(component_id: str):
    """When the earliest impact on a component began (None without any): back-filled
    history can start before the component was created here."""
    return ComponentImpact.objects.filter(component_id=component_id).aggregate(first=Min("start_at"))["first"]


def placement(page: StatusPage, component_id: str) -> PageComponent | None:
    return PageComponent.objects.filter(status_page=page, component_id=component_id).select_related("component").first()


def availability_percent(component_id: str, *, start_at: datetime, end_at: datetime, since: datetime) -> str | None:
    """A component's availability between ``start_at`` and ``end_at`` as incident.io
    writes it (floored to two decimals: "99.94"), by the public page's rules
    (``selectors.availability``: per day, a partial outage counting half), or None when
    we have no data for the window. Time before ``since`` (when we have data from) and
    after now is left out; the rest is counted in whole UTC days, as the page's bars are
    days (1 query)."""
    start, end = max(start_at, since), min(end_at, timezone.now())
    if end <= start:
        return None
    first = start.astimezone(UTC).date()
    last = (end - timedelta(microseconds=1)).astimezone(UTC).date()
    window = selectors.availability([component_id], staff=True, days=(last - first).days + 1, time_zone="UTC", today=last)
    return str(Decimal(str(window[component_id].percent)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))
