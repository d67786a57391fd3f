"""One rule per role, whatever the dialect: the roles each kind of operation on each kind
of data needs. A dialect's viewsets take their ``roles`` from here (``roles_for``), so a
key that reads status pages through incident.io's API reads the same data through Cachet
and Checkly, and one that may not write cannot through any of them.
``tests/test_roles_across_dialects.py`` walks every route of every dialect against it.

``global_access`` passes every check (``HasApiRole``)."""

from __future__ import annotations

from core.models import ApiRole

READ, WRITE = "read", "write"

#: (data, operation) -> the roles any one of which allows it
TABLE: dict[tuple[str, str], tuple[str, ...]] = {
    # A publisher reads what it writes to (incident.io's rule), in every dialect.
    ("status_pages", READ): (ApiRole.STATUS_PAGE_VIEWER, ApiRole.STATUS_PAGE_PUBLISHER),
    ("status_pages", WRITE): (ApiRole.STATUS_PAGE_PUBLISHER,),
    # Alerts are read like incidents; resolving one by hand edits what an incident rests on.
    ("alerts", READ): (ApiRole.VIEWER,),
    ("alerts", WRITE): (ApiRole.INCIDENT_EDITOR,),
    # Sources are configuration, and creating one hands out a secret that opens events in.
    ("alert_sources", READ): (ApiRole.MANAGE_SETTINGS,),
    ("alert_sources", WRITE): (ApiRole.MANAGE_SETTINGS,),
    # Routes are configuration too: they decide which alerts declare incidents.
    ("alert_routes", READ): (ApiRole.MANAGE_SETTINGS,),
    ("alert_routes", WRITE): (ApiRole.MANAGE_SETTINGS,),
    # People are read by anyone who reads incidents (assignees, leads, updaters).
    ("users", READ): (ApiRole.VIEWER,),
    # Follow-ups are part of an incident: read with it, written by those who edit it.
    ("follow_ups", READ): (ApiRole.VIEWER,),
    ("follow_ups", WRITE): (ApiRole.INCIDENT_EDITOR,),
    # So are actions, timeline items, attachments and related incidents.
    ("actions", READ): (ApiRole.VIEWER,),
    ("actions", WRITE): (ApiRole.INCIDENT_EDITOR,),
    ("timeline_items", READ): (ApiRole.VIEWER,),
    ("timeline_items", WRITE): (ApiRole.INCIDENT_EDITOR,),
    ("attachments", READ): (ApiRole.VIEWER,),
    ("attachments", WRITE): (ApiRole.INCIDENT_EDITOR,),
    ("incident_relationships", READ): (ApiRole.VIEWER,),
}

#: the actions that only read (every other action writes)
READ_ACTIONS = frozenset({"list", "retrieve", "structure", "availability"})


def operation_of(action: str) -> str:
    return READ if action in READ_ACTIONS else WRITE


def roles_for(data: str, operation: str) -> tuple[str, ...]:
    return TABLE[(data, operation)]


def action_roles(data: str, *actions: str) -> dict[str, tuple[str, ...]]:
    """A viewset's ``roles``: each action with the roles its kind of operation needs."""
    return {action: roles_for(data, operation_of(action)) for action in actions}
