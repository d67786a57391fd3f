"""The dialect's reads, each with a constant number of queries: pages with their cards,
and incidents with their updates and the services they name (derived, see
``named_services``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from statuspages.models import (
    Component,
    ComponentGroup,
    PageComponent,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UpdateComponentStatus,
)
from statuspages.selectors import named_components, visible_incidents, worst

from .mapping import DERIVED_SEVERITIES, LEVELS


def pages_with_cards() -> QuerySet[StatusPage]:
    """Pages with their groups (Checkly's cards) in order, each with the components placed
    in it (its services) in order: 2 queries after the pages'."""
    placements = PageComponent.objects.select_related("component").order_by("position", "id")
    groups = ComponentGroup.objects.order_by("position", "id").prefetch_related(
        Prefetch("placements", queryset=placements, to_attr="ordered_placements")
    )
    return StatusPage.objects.prefetch_related(Prefetch("groups", queryset=groups, to_attr="cards"))


def incidents() -> QuerySet[PageIncident]:
    """The incidents an API key reads: every page's, all but those hidden from everyone."""
    return PageIncident.objects.filter(visible_incidents(staff=True))


@dataclass
class IncidentView:
    """An incident as Checkly shows it."""

    incident: PageIncident
    #: latest first
    updates: list[PageIncidentUpdate]
    services: list[Component]
    #: ours (``Severity``): the stored one, or the one its worst component status stands for
    severity: str

    @property
    def duration(self) -> int | None:
        """Seconds from its first publication to its resolution; None while it is open."""
        if self.incident.resolved_at is None:
            return None
        return int((self.incident.resolved_at - self.incident.published_at).total_seconds())

    @property
    def level(self) -> str:
        """What its severity makes of its services."""
        return LEVELS[self.severity]


def incident_views(rows: Iterable[PageIncident]) -> list[IncidentView]:
    """Each incident with its updates and the services it names: 2 queries (its updates,
    their component statuses with their components), whatever the number of incidents."""
    rows = list(rows)
    if not rows:
        return []
    updates = defaultdict(list)
    for update in PageIncidentUpdate.objects.filter(page_incident__in=rows).order_by("-published_at", "-id"):
        updates[update.page_incident_id].append(update)
    statuses = defaultdict(list)
    for named in UpdateComponentStatus.objects.filter(update__page_incident__in=rows).select_related("component").order_by("id"):
        statuses[named.update_id].append(named)
    views = []
    for incident in rows:
        timeline = updates[incident.pk]
        services, worst_status = named_services(reversed(timeline), statuses)
        severity = incident.severity or DERIVED_SEVERITIES.get(worst_status, "minor")
        views.append(IncidentView(incident, timeline, services, severity))
    return views


def named_services(updates_oldest_first: Iterable[PageIncidentUpdate], statuses: dict[str, list[UpdateComponentStatus]]):
    """The services an incident names (``selectors.named_components``), and the worst
    status it ever gave any component (what its derived severity stands for)."""
    updates = list(updates_oldest_first)
    named = named_components(updates, statuses)
    seen = [status.status for update in updates for status in statuses.get(update.pk, ())]
    return [said.component for said in named.values()], worst(seen)


def level_of(incident: PageIncident) -> str:
    """What an incident's severity makes of its services: its stored severity's (no query),
    or the one its worst component status stands for (2 queries)."""
    if incident.severity:
        return LEVELS[incident.severity]
    return incident_views([incident])[0].level


def page_showing(components: list[Component]) -> StatusPage | None:
    """The page a Checkly incident naming ``components`` goes on: the default page if it
    shows all of them, else the first page by name that does; None if no page does (1
    query)."""
    wanted = {component.pk for component in components}
    shown = defaultdict(set)
    pages = {}
    for placement in PageComponent.objects.filter(component__in=wanted).select_related("status_page"):
        shown[placement.status_page_id].add(placement.component_id)
        pages[placement.status_page_id] = placement.status_page
    candidates = [pages[page_id] for page_id, ids in shown.items() if ids == wanted]
    if not candidates:
        return None
    return min(candidates, key=lambda page: (not page.is_default, page.name, page.pk))
