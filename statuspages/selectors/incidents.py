"""What an incident names: our incidents do not list components, their updates set
component statuses, and the components an incident names follow from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from statuspages.models import ComponentStatus, IncidentStatus, PageIncident, PageIncidentUpdate, UpdateComponentStatus


def named_components(
    updates_oldest_first: Iterable[PageIncidentUpdate], statuses: Mapping[str, list[UpdateComponentStatus]]
) -> dict[str, UpdateComponentStatus]:
    """The components an incident names, by id in the order it first named them, each with
    the last status it gave it (``statuses``: each update's, by update id).

    A component is named once an update gives it a status other than operational (or
    names it in the update that resolves the incident), until a later update that does
    not resolve the incident sets it operational again (it was taken out of the incident)."""
    named: dict[str, UpdateComponentStatus] = {}
    for update in updates_oldest_first:
        for status in statuses.get(update.pk, ()):
            if status.status != ComponentStatus.OPERATIONAL or update.status == IncidentStatus.RESOLVED:
                named[status.component_id] = status
            else:
                named.pop(status.component_id, None)
    return named


def components_named_by(page_incident: PageIncident) -> dict[str, UpdateComponentStatus]:
    """``named_components`` of one incident, read (2 queries: its updates, their component
    statuses with their components)."""
    updates = list(PageIncidentUpdate.objects.filter(page_incident=page_incident).order_by("published_at", "id"))
    statuses = defaultdict(list)
    for status in UpdateComponentStatus.objects.filter(update__in=updates).select_related("component").order_by("id"):
        statuses[status.update_id].append(status)
    return named_components(updates, statuses)
