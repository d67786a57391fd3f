"""What Cachet's views read, each list in a constant number of queries: the site (the
default page), its rows annotated with what Cachet shows of them (a component's place on
the site, an incident's first message), and what a request includes, attached to the
rows for the serializers (``cachet_status``, ``cachet_group``, ``cachet_components``,
``cachet_incidents``, ``cachet_updates``). Returns the resources a document includes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from statuspages.models import (
    Component,
    ComponentGroup,
    Maintenance,
    MaintenanceUpdate,
    PageComponent,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UpdateComponentStatus,
)
from statuspages.selectors import component_statuses, visible_incidents

from .serializers.resources import (
    ComponentGroupSerializer,
    ComponentSerializer,
    IncidentSerializer,
    UpdateSerializer,
    user_resource,
)


def site_page() -> StatusPage | None:
    """Cachet's one site: the default page, else the first by name (1 query)."""
    return StatusPage.objects.order_by("-is_default", "name", "id").first()


@dataclass(frozen=True)
class Reader:
    """Who reads, as Cachet tells guests from signed-in readers: ``staff`` for a key with
    a status page role, which also sees staff-only incidents, hidden groups and disabled
    components. ``site`` is None when there is nothing this reader may see (no page, or a
    private one read by a guest)."""

    site: StatusPage | None
    staff: bool


# --- the rows ---------------------------------------------------------------------------------


def components(reader: Reader) -> QuerySet[Component]:
    """The organisation's components (a guest: those the public site shows), each with its
    place on the site: ``site_position`` and ``site_group_number`` (null off the site)."""
    placement = PageComponent.objects.filter(status_page=reader.site, component=OuterRef("pk"))
    rows = Component.objects.annotate(
        site_position=Subquery(placement.values("position")[:1]),
        site_group_number=Subquery(placement.values("group__number")[:1]),
    )
    if not reader.staff:
        shown = placement.filter(Q(group__isnull=True) | Q(group__hidden=False), hidden=False)
        rows = rows.filter(Exists(shown), enabled=True)
    return rows


def groups(reader: Reader) -> QuerySet[ComponentGroup]:
    rows = ComponentGroup.objects.filter(status_page=reader.site)
    return rows if reader.staff else rows.filter(hidden=False)


def incidents(reader: Reader, *, any_visibility: bool = False) -> QuerySet[PageIncident]:
    """The site's incidents the reader may see (all of them to write to), with their first
    update's message and whether it notified subscribers: Cachet's ``message`` and
    ``notifications``."""
    first = PageIncidentUpdate.objects.filter(page_incident=OuterRef("pk")).order_by("published_at", "id")
    rows = (
        PageIncident.objects.filter(status_page=reader.site)
        .annotate(
            first_update_id=Subquery(first.values("pk")[:1]),
            first_message=Subquery(first.values("message")[:1]),
            first_notified=Subquery(first.values("notify_subscribers")[:1]),
        )
        .select_related("actor_user")
    )
    return rows if any_visibility else rows.filter(visible_incidents(staff=reader.staff))


def with_component_counts(rows: QuerySet[PageIncident], include: set[str]) -> QuerySet[PageIncident]:
    if "componentsCount" not in include:
        return rows
    return rows.annotate(components_count=Count("updates__component_statuses__component", distinct=True))


def schedules(reader: Reader) -> QuerySet[Maintenance]:
    """The site's maintenance, with its first update's message (Cachet's ``message``)."""
    first = MaintenanceUpdate.objects.filter(maintenance=OuterRef("pk")).order_by("published_at", "id")
    return Maintenance.objects.filter(status_page=reader.site).annotate(
        first_update_id=Subquery(first.values("pk")[:1]),
        first_message=Subquery(first.values("message")[:1]),
    )


def incident_updates(incident: PageIncident) -> QuerySet[PageIncidentUpdate]:
    """An incident's updates after its first (whose message is the incident's own)."""
    return PageIncidentUpdate.objects.filter(page_incident=incident).exclude(pk=incident.first_update_id)


def schedule_updates(maintenance: Maintenance) -> QuerySet[MaintenanceUpdate]:
    return MaintenanceUpdate.objects.filter(maintenance=maintenance).exclude(pk=maintenance.first_update_id)


# --- what a request includes ------------------------------------------------------------------


class Included:
    """A document's ``included``: each resource once, in the order first met."""

    def __init__(self):
        self.resources: dict[tuple[str, str], dict] = {}

    def add(self, resources: Iterable[dict]) -> None:
        for resource in resources:
            self.resources.setdefault((resource["type"], resource["id"]), resource)

    def as_list(self) -> list[dict]:
        return list(self.resources.values())


def with_statuses(reader: Reader, rows: list[Component], statuses: dict[str, str] | None = None) -> list[Component]:
    """Attach each component's status as the reader sees it (2 queries unless
    ``statuses`` are known)."""
    statuses = statuses if statuses is not None else component_statuses([row.pk for row in rows], staff=reader.staff)
    for row in rows:
        row.cachet_status = statuses[row.pk]
    return rows


def _groups_of(reader: Reader, rows: list[Component], included: Included | None) -> None:
    """Attach each component's group on the site (1 query, none if no component has one),
    included unless ``included`` is None."""
    numbers = {row.site_group_number for row in rows if row.site_group_number is not None}
    found = {group.number: group for group in groups(reader).filter(number__in=numbers)} if numbers else {}
    for row in rows:
        row.cachet_group = found.get(row.site_group_number)
    if included is not None:
        included.add(ComponentGroupSerializer(sorted(found.values(), key=lambda group: group.number), many=True).data)


def _components_by(reader: Reader, links: Iterable[tuple[str, str]], include_group: bool, included: Included) -> dict[str, list[Component]]:
    """The components of each owner from ``(owner id, component id)`` links, rendered into
    ``included``; for ``components.group`` with their group as a relationship (the
    document's ``included`` of incidents and schedules has no room for groups)."""
    links = list(links)
    rows = {row.pk: row for row in components(reader).filter(pk__in={component for _, component in links})}
    with_statuses(reader, list(rows.values()))
    if include_group:
        _groups_of(reader, list(rows.values()), None)
    by_owner = defaultdict(list)
    for owner, component in links:
        if component in rows:
            by_owner[owner].append(rows[component])
    ordered = sorted(rows.values(), key=lambda row: row.number)
    included.add(ComponentSerializer(ordered, many=True, context={"include": {"group"} if include_group else set()}).data)
    return by_owner


def include_for_components(reader: Reader, rows: list[Component], include: set[str]) -> list[dict]:
    """``group`` (1 query), ``incidents`` (2: who names them, the incidents)."""
    included = Included()
    if "group" in include:
        _groups_of(reader, rows, included)
    if "incidents" in include:
        links = (
            UpdateComponentStatus.objects.filter(component__in=[row.pk for row in rows], update__page_incident__in=incidents(reader))
            .values_list("component_id", "update__page_incident_id")
            .distinct()
        )
        by_component = defaultdict(list)
        for component_id, incident_id in links:
            by_component[component_id].append(incident_id)
        found = {row.pk: row for row in incidents(reader).filter(pk__in={i for ids in by_component.values() for i in ids}).order_by("number")}
        for row in rows:
            row.cachet_incidents = sorted((found[i] for i in by_component[row.pk] if i in found), key=lambda incident: incident.number)
        included.add(IncidentSerializer(list(found.values()), many=True).data)
    return included.as_list()


def include_for_groups(reader: Reader, rows: list[ComponentGroup], include: set[str]) -> list[dict]:
    """``components`` (3 queries: placements, components, their statuses)."""
    included = Included()
    if "components" in include:
        placements = PageComponent.objects.filter(group__in=rows).order_by("position", "id")
        if not reader.staff:
            placements = placements.filter(hidden=False)
        by_group = _components_by(reader, placements.values_list("group_id", "component_id"), False, included)
        for row in rows:
            row.cachet_components = by_group[row.pk]
    return included.as_list()


def _attach_components(reader: Reader, rows: list, links, include: set[str], included: Included) -> None:
    """Each row's components from ``(row id, component id)`` links, by Cachet id, as
    ``cachet_components`` (3 queries; 4 with ``components.group``)."""
    by_owner = _components_by(reader, links, "components.group" in include, included)
    for row in rows:
        row.cachet_components = sorted(by_owner[row.pk], key=lambda component: component.number)


def _attach_updates(rows: list, model: type[PageIncidentUpdate | MaintenanceUpdate], parent: str, included: Included) -> None:
    """Each row's updates (of ``model``, whose key to the rows is ``parent``) after its
    first, oldest first, as ``cachet_updates`` (1 query)."""
    by_parent = {row.pk: row for row in rows}
    for row in rows:
        row.cachet_updates = []
    found = model.objects.filter(**{f"{parent}__in": rows}).exclude(pk__in=[row.first_update_id for row in rows])
    for update in found.order_by("published_at", "id"):
        owner = by_parent[getattr(update, f"{parent}_id")]
        setattr(update, parent, owner)
        owner.cachet_updates.append(update)
    included.add(UpdateSerializer([u for row in rows for u in row.cachet_updates], many=True).data)


def include_for_incidents(reader: Reader, rows: list[PageIncident], include: set[str]) -> list[dict]:
    """``components`` (3 queries; 4 with ``components.group``), ``updates`` (1), ``user``
    (read with the incidents)."""
    included = Included()
    if include & {"components", "components.group"}:
        links = UpdateComponentStatus.objects.filter(update__page_incident__in=rows).values_list("update__page_incident_id", "component_id")
        _attach_components(reader, rows, links.distinct(), include, included)
    if "updates" in include:
        _attach_updates(rows, PageIncidentUpdate, "page_incident", included)
    if "user" in include:
        included.add(user_resource(row.actor_user) for row in rows if row.actor_user is not None)
    return included.as_list()


def include_for_schedules(reader: Reader, rows: list[Maintenance], include: set[str]) -> list[dict]:
    """``components`` (3 queries; 4 with ``components.group``), ``updates`` (1)."""
    included = Included()
    if include & {"components", "components.group"}:
        links = Maintenance.components.through.objects.filter(maintenance__in=rows).values_list("maintenance_id", "component_id")
        _attach_components(reader, rows, links, include, included)
    if "updates" in include:
        _attach_updates(rows, MaintenanceUpdate, "maintenance", included)
    return included.as_list()
