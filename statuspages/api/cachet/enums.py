"""Cachet's integer enums and ours, in one place: each table maps our value to Cachet's,
and ``from_cachet`` reads it backwards. Values Cachet has and we cannot store (a
component's "unknown", an incident "reported" but not yet investigated) have a label for
reading and no way in (a write naming them is refused).

Cachet's own names (cachethq/core src/Enums) are in the comments.
"""

from __future__ import annotations

from statuspages.models import ComponentStatus, IncidentStatus, MaintenanceStatus, Visibility
from statuspages.selectors import UNDER_MAINTENANCE

#: ComponentStatusEnum. A component's status is derived here (its open impacts, the
#: maintenance under way); "unknown" (5) is never derived.
COMPONENT_STATUSES = {
    ComponentStatus.OPERATIONAL: 1,  # operational
    ComponentStatus.DEGRADED_PERFORMANCE: 2,  # performance_issues
    ComponentStatus.PARTIAL_OUTAGE: 3,  # partial_outage
    ComponentStatus.FULL_OUTAGE: 4,  # major_outage
    UNDER_MAINTENANCE: 6,  # under_maintenance
}
COMPONENT_STATUS_LABELS = {
    1: "Operational",
    2: "Performance issues",
    3: "Partial outage",
    4: "Major outage",
    5: "Unknown",
    6: "Under maintenance",
}
#: what a write may set a component to: "under maintenance" comes from a schedule in
#: progress, never from a status set by hand or by an incident
SETTABLE_COMPONENT_STATUSES = (1, 2, 3, 4)

#: IncidentStatusEnum; 0 ("unknown", labelled "Reported") has no counterpart.
INCIDENT_STATUSES = {
    IncidentStatus.INVESTIGATING: 1,  # investigating
    IncidentStatus.IDENTIFIED: 2,  # identified
    IncidentStatus.MONITORING: 3,  # watching
    IncidentStatus.RESOLVED: 4,  # fixed
}
INCIDENT_STATUS_LABELS = {0: "Reported", 1: "Investigating", 2: "Identified", 3: "Watching", 4: "Fixed"}

#: ScheduleStatusEnum: Cachet derives it from the window, our maintenance is moved along
#: it at the window's edges (statuspages.tasks).
SCHEDULE_STATUSES = {
    MaintenanceStatus.SCHEDULED: 0,  # upcoming
    MaintenanceStatus.IN_PROGRESS: 1,  # in_progress
    MaintenanceStatus.COMPLETE: 2,  # complete
}
SCHEDULE_STATUS_LABELS = {0: "Upcoming", 1: "In progress", 2: "Complete"}

#: ResourceVisibilityEnum of an incident: our values are Cachet's.
INCIDENT_VISIBILITY = {
    Visibility.STAFF: 0,  # authenticated
    Visibility.PUBLIC: 1,  # guest
    Visibility.HIDDEN: 2,  # hidden
}
#: Cachet's request bodies say ``visible`` as a boolean (true: everyone; false: signed-in
#: readers only), which is how Laravel casts it onto the enum.
INCIDENT_VISIBLE = {True: Visibility.PUBLIC, False: Visibility.STAFF}

#: ResourceVisibilityEnum of a component group, from our ``hidden``: a hidden group is
#: left off the public page and still read by keys (0, authenticated); never 2.
GROUP_VISIBILITY = {False: 1, True: 0}

#: ComponentGroupVisibilityEnum, from our ``collapsed``; 2 (collapsed_unless_incident) has
#: no counterpart.
GROUP_COLLAPSED = {False: 0, True: 1}


def to_cachet(table: dict, ours) -> int:
    return table[ours]


def from_cachet(table: dict, value: int):
    """Our value for Cachet's ``value`` (KeyError for one that has none)."""
    return {cachet: ours for ours, cachet in table.items()}[value]


def labelled(labels: dict[int, str], value: int) -> dict:
    """Cachet's ``{"human", "value"}`` pair. The published document types ``value`` as a
    string (Cachet's own code answers the integer): we follow the document."""
    return {"human": labels[value], "value": str(value)}
