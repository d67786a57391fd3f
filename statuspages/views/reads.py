"""The public site's reads beyond a page's front (``selectors.page_overview``), each in a
constant number of queries whatever the page's history. Only what a page incident and its
updates say is read: never the internal incident one may be linked to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from statuspages.models import (
    Component,
    Maintenance,
    MaintenanceUpdate,
    PageComponent,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UpdateComponentStatus,
)
from statuspages.selectors import visible_incidents

#: how many entries a feed, and Statuspage's incidents.json, list (Statuspage lists 50)
RECENT = 50


def shown_on(page: StatusPage, prefix: str = "") -> Q:
    """Components the page shows: placed there, not hidden (nor their group), enabled. A
    component an update named and the page no longer shows is left out."""
    p = prefix
    return Q(**{f"{p}placements__status_page": page, f"{p}placements__hidden": False, f"{p}enabled": True}) & (
        Q(**{f"{p}placements__group__isnull": True}) | Q(**{f"{p}placements__group__hidden": False})
    )


def _moved(page: StatusPage) -> Prefetch:
    statuses = UpdateComponentStatus.objects.filter(shown_on(page, "component__")).select_related("component")
    return Prefetch("component_statuses", queryset=statuses.order_by("component__name", "component_id"), to_attr="moved")


def _incident_timeline(page: StatusPage | None = None) -> Prefetch:
    """Updates latest first, as ``timeline``; given the page, each with ``moved``: the
    component statuses it set on components the page shows."""
    updates = PageIncidentUpdate.objects.order_by("-published_at", "-id")
    if page is not None:
        updates = updates.prefetch_related(_moved(page))
    return Prefetch("updates", queryset=updates, to_attr="timeline")


def _maintenance_timeline() -> Prefetch:
    return Prefetch("updates", queryset=MaintenanceUpdate.objects.order_by("-published_at", "-id"), to_attr="timeline")


def _affected(page: StatusPage) -> Prefetch:
    shown = Component.objects.filter(shown_on(page)).order_by("name", "id")
    return Prefetch("components", queryset=shown, to_attr="affected")


def incidents_of(page: StatusPage, *, staff: bool) -> QuerySet[PageIncident]:
    return PageIncident.objects.filter(visible_incidents(staff=staff), status_page=page)


def incident_page(page: StatusPage, incident_id: str, *, staff: bool) -> PageIncident:
    """One incident the reader may see, with its timeline (3 queries: the incident, its
    updates, what they moved)."""
    return get_object_or_404(incidents_of(page, staff=staff).prefetch_related(_incident_timeline(page)), pk=incident_id)


def maintenance_page(page: StatusPage, maintenance_id: str) -> Maintenance:
    """One maintenance with its timeline and what it affects (3 queries)."""
    found = Maintenance.objects.filter(status_page=page).prefetch_related(_maintenance_timeline(), _affected(page))
    return get_object_or_404(found, pk=maintenance_id)


def recent_incidents(page: StatusPage, *, staff: bool, limit: int = RECENT) -> list[PageIncident]:
    """The latest incidents with their timelines (2 queries)."""
    found = incidents_of(page, staff=staff).prefetch_related(_incident_timeline())
    return list(found.order_by("-published_at", "-id")[:limit])


def recent_maintenance(page: StatusPage, *, limit: int = RECENT, with_components: bool = False) -> list[Maintenance]:
    """The latest maintenance (by its window) with its timeline (2 queries; 3
    ``with_components``: what it affects)."""
    found = Maintenance.objects.filter(status_page=page).prefetch_related(_maintenance_timeline())
    if with_components:
        found = found.prefetch_related("components")
    return list(found.order_by("-starts_at", "-id")[:limit])


def moved_by(page: StatusPage, updates: Iterable[PageIncidentUpdate]) -> dict[str, list[UpdateComponentStatus]]:
    """What each update set on components the page shows (1 query), by update id."""
    ids = [update.pk for update in updates]
    moved = defaultdict(list)
    if ids:
        found = UpdateComponentStatus.objects.filter(shown_on(page, "component__"), update_id__in=ids).select_related("component")
        for status in found.order_by("component__name", "component_id"):
            moved[status.update_id].append(status)
    return moved


def timelines_of(maintenances: Iterable[Maintenance]) -> dict[str, list[MaintenanceUpdate]]:
    """Each maintenance's updates, latest first (1 query), by maintenance id."""
    ids = [m.pk for m in maintenances]
    found = defaultdict(list)
    if ids:
        for update in MaintenanceUpdate.objects.filter(maintenance_id__in=ids).order_by("-published_at", "-id"):
            found[update.maintenance_id].append(update)
    return found


# --- history ----------------------------------------------------------------------------------


@dataclass
class HistorySpan:
    incidents: list[PageIncident]
    maintenances: list[Maintenance]
    #: the first incident or maintenance of the page (None: it has none)
    earliest: datetime | None


def history(page: StatusPage, *, staff: bool, start: datetime, end: datetime | None) -> HistorySpan:
    """The incidents (by when they were published) and maintenance (by when its window
    opened) from ``start`` to ``end`` (None: with no end, so maintenance to come is
    listed), and when the page's history begins (3 queries whatever its length)."""
    incidents = incidents_of(page, staff=staff).filter(published_at__gte=start)
    maintenances = Maintenance.objects.filter(status_page=page, starts_at__gte=start)
    if end is not None:
        incidents, maintenances = incidents.filter(published_at__lt=end), maintenances.filter(starts_at__lt=end)
    first_incident = incidents_of(page, staff=staff).order_by("published_at").values("published_at")[:1]
    first_maintenance = Maintenance.objects.filter(status_page=page).order_by("starts_at").values("starts_at")[:1]
    firsts = (
        StatusPage.objects.filter(pk=page.pk)
        .annotate(incident=Subquery(first_incident), maintenance=Subquery(first_maintenance))
        .values_list("incident", "maintenance")
        .first()
    ) or (None, None)
    known = [moment for moment in firsts if moment is not None]
    return HistorySpan(
        list(incidents.order_by("-published_at", "-id")),
        list(maintenances.order_by("-starts_at", "-id")),
        min(known) if known else None,
    )


# --- a component's page -------------------------------------------------------------------------

#: incidents a component's page lists (latest first)
COMPONENT_INCIDENTS = 50


@dataclass
class ComponentRecord:
    placement: PageComponent
    component: Component
    incidents: list[PageIncident]


def component_page(page: StatusPage, component_id: str, *, staff: bool) -> ComponentRecord:
    """A component the page shows, and the latest incidents the reader may see that set
    its status (2 queries; its status and availability come from ``selectors``)."""
    placement = (
        PageComponent.objects.filter(status_page=page, component_id=component_id, hidden=False, component__enabled=True)
        .select_related("component", "group")
        .first()
    )
    if placement is None or (placement.group is not None and placement.group.hidden):
        raise Http404("The page shows no such component")
    named = UpdateComponentStatus.objects.filter(component_id=component_id).values("update__page_incident_id")
    incidents = incidents_of(page, staff=staff).filter(pk__in=named).order_by("-published_at", "-id")
    return ComponentRecord(placement, placement.component, list(incidents[:COMPONENT_INCIDENTS]))


# --- searching the history --------------------------------------------------------------------

#: results a search lists (latest first)
SEARCH_RESULTS = 50


def search(page: StatusPage, words: list[str], *, staff: bool, limit: int = SEARCH_RESULTS) -> list[PageIncident]:
    """The incidents the reader may see whose name or one of whose updates holds every
    word (any case), latest first (1 query whatever the history: one ``EXISTS`` a word)."""
    found = incidents_of(page, staff=staff)
    for word in words:
        said = PageIncidentUpdate.objects.filter(page_incident=OuterRef("pk"), message__icontains=word)
        found = found.filter(Q(name__icontains=word) | Exists(said))
    return list(found.order_by("-published_at", "-id")[:limit])
