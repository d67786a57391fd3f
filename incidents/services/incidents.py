"""Declaring and editing incidents, and what hangs off them: role assignments, an
external issue, a postmortem.

Rules enforced here:
- an incident's reference ``INC-<n>`` comes from a counter whose row stays locked from
  its increment to COMMIT, so concurrent declarations never share or skip a number;
- private-only incident types only hold private incidents;
- with an API key and an idempotency key, a repeated declaration answers with the first;
- a private incident's declarer and role holders are its members (``memberships``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import Conflict, DomainError
from core.models import ApiKey, new_ulid
from core.services.actors import Actor, actor_fields
from incidents import selectors
from incidents.models import (
    Incident,
    IncidentRole,
    IncidentRoleAssignment,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    IncidentUpdate,
    Mode,
    Severity,
    Visibility,
)
from incidents.signals import incident_created, incident_updated

from .counters import next_value
from .custom_fields import CleanValues, is_http_url, replace_field_values
from .lifecycle import (
    TIMESTAMPS_ON_ENTERING,
    announce_change,
    default_status,
    record_lifecycle_timestamps,
    record_update,
    replace_timestamp_values,
    touch,
)
from .memberships import add_members_by_right

REFERENCE_COUNTER = "incident_reference"


def _validate_incident_type(incident_type: IncidentType | None, visibility: str) -> None:
    if incident_type and incident_type.private_incidents_only and visibility != Visibility.PRIVATE:
        raise DomainError("invalid_visibility", f"Incidents of type {incident_type.name} must be private", field="visibility")


def find_idempotent_incident(*, actor: Actor | None, idempotency_key: str) -> Incident | None:
    if not idempotency_key or not isinstance(actor, ApiKey):
        return None
    return Incident.objects.filter(creator_api_key=actor, idempotency_key=idempotency_key).first()


def replace_role_assignments(
    incident: Incident, assignments: Mapping[IncidentRole, AbstractBaseUser | None], *, new_incident: bool = False
) -> list[IncidentRoleAssignment]:
    """Set or clear each role's assignee; for a new incident, return the rows inserted."""
    if new_incident:
        # Nothing is assigned yet: one INSERT, and an unassigned role is simply left out.
        return IncidentRoleAssignment.objects.bulk_create(
            [IncidentRoleAssignment(incident=incident, role=role, assignee=user) for role, user in assignments.items() if user]
        )
    for role, assignee in assignments.items():
        if assignee is None:
            IncidentRoleAssignment.objects.filter(incident=incident, role=role).delete()
        else:
            IncidentRoleAssignment.objects.update_or_create(incident=incident, role=role, defaults={"assignee": assignee})
    return []


def assign_role(*, incident: Incident, role: IncidentRole, assignee: AbstractBaseUser | None, actor: Actor | None) -> None:
    """Give a role to a user on an incident (or take it away with ``assignee=None``)."""
    with transaction.atomic():
        replace_role_assignments(incident, {role: assignee})
        add_members_by_right(incident, actor=actor, users=[assignee], read_roles=False)
        touch(incident)
        announce_change(incident)


def declare_incident(
    *,
    actor: Actor | None,
    name: str,
    summary: str = "",
    status: IncidentStatus | None = None,
    severity: Severity | None = None,
    incident_type: IncidentType | None = None,
    mode: str = Mode.STANDARD,
    visibility: str = Visibility.PUBLIC,
    call_url: str = "",
    postmortem_document_url: str = "",
    role_assignments: Mapping[IncidentRole, AbstractBaseUser | None] | None = None,
    custom_field_values: Iterable[CleanValues] = (),
    timestamp_values: Mapping[IncidentTimestamp, datetime | None] | None = None,
    idempotency_key: str = "",
    triage: bool | None = None,
    config: selectors.IncidentConfig | None = None,
) -> Incident:
    """Declare an incident: allocate its reference, record the first timeline entry and
    set "reported at" (and the timestamps of its status's category). ``config``, when the
    caller has it, supplies the default type and status and the timestamps without queries.

    The incident returned carries what rendering it needs, as
    ``selectors.incidents_with_details()`` loads it, so callers answer without reading it
    back.

    Repeats are rare, so they are not looked for up front: the unique constraint on the
    idempotency key refuses the repeat's insert (concurrent repeats included), and a repeat
    refused by a rule below is answered with the first incident all the same."""
    try:
        if incident_type is None:
            incident_type = (
                config.default_incident_type if config is not None else IncidentType.objects.filter(is_default=True).first()
            )
        _validate_incident_type(incident_type, visibility)
        if status is None:
            in_triage = triage if triage is not None else bool(incident_type and incident_type.create_in_triage == "always")
            status = default_status(triage=in_triage, statuses=config.statuses if config is not None else None)
        if not name or not name.strip():
            raise DomainError("missing_name", "An incident needs a name", field="name")
        with transaction.atomic():
            incident = Incident(
                name=name.strip(),
                summary=summary,
                status=status,
                is_active=status.is_active,
                severity=severity,
                incident_type=incident_type,
                mode=mode,
                visibility=visibility,
                call_url=call_url,
                postmortem_document_url=postmortem_document_url,
                idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
                **actor_fields(actor, "creator"),
            )
            # What hangs off the incident goes in first (foreign keys are checked at
            # COMMIT), and the reference number is taken last: the counter's row stays
            # locked from its UPDATE to COMMIT, which serialises concurrent declarations.
            IncidentUpdate.objects.bulk_create(
                [IncidentUpdate(incident=incident, message=summary, new_status=status, new_severity=severity, **actor_fields(actor, "actor"))]
            )
            # What rendering needs, as selectors.incidents_with_details() loads it: the
            # caller can answer with the incident without reading it back.
            incident.loaded_timestamp_values = record_lifecycle_timestamps(
                incident,
                ["reported", *TIMESTAMPS_ON_ENTERING.get(status.category, ())],
                timezone.now(),
                new_incident=True,
                given=timestamp_values,
                timestamps=config.timestamps if config is not None else None,
            )
            incident.loaded_role_assignments = replace_role_assignments(incident, role_assignments or {}, new_incident=True)
            incident.loaded_custom_field_values = replace_field_values(incident, custom_field_values, new_incident=True)
            # Its declarer and role holders are members of a private incident.
            add_members_by_right(
                incident, actor=actor, users=[a.assignee for a in incident.loaded_role_assignments], read_roles=False
            )
            incident.reference_number = next_value(REFERENCE_COUNTER)
            incident.save(force_insert=True)
            incident_created.send(sender=Incident, incident=incident)
    except (DomainError, IntegrityError):
        existing = find_idempotent_incident(actor=actor, idempotency_key=idempotency_key)
        if existing:
            return selectors.incidents_with_details().get(pk=existing.pk)
        raise
    return incident


def edit_incident(
    *,
    incident: Incident,
    actor: Actor | None,
    name: str | None = None,
    summary: str | None = None,
    status: IncidentStatus | None = None,
    severity: Severity | None = None,
    call_url: str | None = None,
    incident_type: IncidentType | None = None,
    visibility: str | None = None,
    mode: str | None = None,
    postmortem_document_url: str | None = None,
    role_assignments: Mapping[IncidentRole, AbstractBaseUser | None] | None = None,
    custom_field_values: Iterable[CleanValues] = (),
    timestamp_values: Mapping[IncidentTimestamp, datetime | None] | None = None,
    message: str = "",
) -> Incident:
    """Change an incident's fields; only what is passed changes. A status or severity
    change goes through the timeline like any update."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        previous_status_id, previous_severity_id = incident.status_id, incident.severity_id
        changes = {}
        if name is not None:
            if not name.strip():
                raise DomainError("missing_name", "An incident needs a name", field="name")
            changes["name"] = name.strip()
        for field, value in (
            ("summary", summary),
            ("call_url", call_url),
            ("postmortem_document_url", postmortem_document_url),
            ("mode", mode),
        ):
            if value is not None:
                changes[field] = value
        if incident_type is not None or visibility is not None:
            new_type = incident_type if incident_type is not None else incident.incident_type
            new_visibility = visibility if visibility is not None else incident.visibility
            _validate_incident_type(new_type, new_visibility)
            changes["incident_type"] = new_type
            changes["visibility"] = new_visibility
        changes = {k: v for k, v in changes.items() if getattr(incident, k) != v}
        if changes:
            for key, value in changes.items():
                setattr(incident, key, value)
            incident.save(update_fields=[*changes, "updated_at", "last_activity_at"])
        status_changed = status is not None and status.pk != incident.status_id
        severity_changed = severity is not None and severity.pk != incident.severity_id
        if status_changed or severity_changed or message:
            record_update(
                incident,
                actor=actor,
                message=message,
                new_status=status if status_changed else None,
                new_severity=severity if severity_changed else None,
            )
        if role_assignments:
            replace_role_assignments(incident, role_assignments)
        if "visibility" in changes or role_assignments:
            # Turned private: its declarer and role holders become members; a new role
            # holder of a private incident becomes one.
            add_members_by_right(incident, actor=actor, read_roles="visibility" in changes, users=(role_assignments or {}).values())
        replace_field_values(incident, custom_field_values)
        if timestamp_values:
            replace_timestamp_values(incident, timestamp_values)
        touch(incident)
        incident_updated.send(
            sender=Incident,
            incident=incident,
            previous_status_id=previous_status_id,
            new_status_id=incident.status_id,
            previous_severity_id=previous_severity_id,
            message=message,
        )
    return incident


def connect_external_issue(
    *, incident: Incident, actor: Actor | None, provider: str, url: str, name: str = "", replace: bool = True
) -> Incident:
    """Link the incident to an issue in another tracker (Jira, Linear, GitHub...). An issue
    belongs to one incident; without ``replace``, a different issue already linked stays."""
    if not is_http_url(url):
        raise DomainError("invalid_value", "The issue URL must be an http(s) URL", field="url")
    if Incident.objects.filter(external_issue_url=url).exclude(pk=incident.pk).exists():
        raise Conflict("issue_in_use", "This issue is already linked to another incident", field="url")
    if not replace and incident.external_issue_url and incident.external_issue_url != url:
        raise Conflict(
            "external_issue_exists", "The incident already has a different external issue; send replace=true", field="replace"
        )
    issue_name = name or url.rstrip("/").rsplit("/", 1)[-1] or url
    with transaction.atomic():
        touch(incident, external_issue_provider=provider, external_issue_url=url, external_issue_name=issue_name)
        announce_change(incident)
    return incident


def import_postmortem_document(*, incident: Incident, actor: Actor | None, title: str, content: str) -> Incident:
    """Store a postmortem (title and markdown) on the incident, replacing an earlier one."""
    if not title.strip():
        raise DomainError("missing_title", "A postmortem needs a title", field="title")
    with transaction.atomic():
        touch(
            incident,
            postmortem_title=title.strip(),
            postmortem_content=content,
            postmortem_document_id=incident.postmortem_document_id or new_ulid(),
            postmortem_imported_at=timezone.now(),
        )
        announce_change(incident)
    return incident
