"""Entries as incident.io's audit log records (``AuditLogsSeverityUpdatedV1`` and its
siblings in incident.io's document): one JSON object a line.

    {"action": "severity.updated", "version": 1, "occurred_at": "...Z",
     "actor": {"id", "name", "type"}, "context": {"location", "user_agent"},
     "targets": [{"id", "name", "type"}], "metadata": {...}}

``action`` is the target's type and a verb (incident.io names the event ``severity.updated``
with ``version`` 1). Our additions ride in ``metadata``: the before and after of each
changed field, the task a change was made in. A change to a row of an incident (an
update, a role assignment) names the incident as a second target.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from audit.models import AuditEntry
from core.audit import ActorKind

_VERBS = {
    AuditEntry.Action.CREATE: "created",
    AuditEntry.Action.UPDATE: "updated",
    AuditEntry.Action.DELETE: "deleted",
    AuditEntry.Action.ACCESS: "accessed",
    AuditEntry.Action.LOGIN_FAILED: "login_failed",
}
#: our actor kinds in incident.io's words (AuditLogActorV2.type)
_ACTOR_TYPES = {
    ActorKind.USER: "user",
    ActorKind.API_KEY: "api_key",
    ActorKind.SYSTEM: "system",
    ActorKind.ANONYMOUS: "external_resource",
}


def action_of(entry: AuditEntry) -> str:
    if entry.action == AuditEntry.Action.ACCESS and entry.target_type == "incident":
        return "private_incident.access_attempted"  # incident.io's event, with metadata.outcome
    return f"{entry.target_type}.{_VERBS.get(entry.action, 'changed')}"


def record(entry: AuditEntry) -> dict:
    if entry.actor_id is not None:
        actor_id = str(entry.actor_id)
    elif entry.api_key_id is not None:
        actor_id = entry.api_key_id
    else:
        actor_id = entry.actor_name  # a task's name, a username tried, "anonymous"
    context = {"location": entry.remote_addr or ""}
    if entry.user_agent:
        context["user_agent"] = entry.user_agent
    targets = [{"id": entry.object_pk, "name": entry.object_repr, "type": entry.target_type}]
    if entry.incident_id and entry.target_type != "incident":
        targets.append({"id": entry.incident_id, "type": "incident"})
    metadata = dict(entry.additional_data or {})
    if entry.changes:
        metadata["changes"] = {field: {"before": pair[0], "after": pair[1]} for field, pair in entry.changes.items()
                               if isinstance(pair, (list, tuple)) and len(pair) == 2}
    if entry.task:
        metadata["task"] = entry.task
    body = {
        "action": action_of(entry),
        "version": 1,
        "occurred_at": entry.timestamp.isoformat().replace("+00:00", "Z"),
        "actor": {"id": actor_id, "name": entry.actor_name, "type": _ACTOR_TYPES.get(entry.actor_kind, "system")},
        "context": context,
        "targets": targets,
    }
    if metadata:
        body["metadata"] = metadata
    return body


def json_lines(entries: Iterable[AuditEntry]) -> Iterator[bytes]:
    """Each entry as one line of JSON, oldest first as given; for a stream or a file."""
    for entry in entries:
        yield orjson.dumps(record(entry)) + b"\n"


def for_export(queryset):
    """The rows an export reads, oldest first, in chunks (never the whole log in memory)."""
    return queryset.order_by("timestamp", "id").iterator(chunk_size=500)
