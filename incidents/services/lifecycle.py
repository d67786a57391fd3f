"""An incident's life after it is declared: updates on its timeline, status and severity
changes, closing, and the timestamps that record when it reached each stage.

Rules enforced here:
- a status or severity change is always recorded as an update on the timeline;
- the lifecycle timestamps (accepted, resolved, closed, declined) are set the first time
  an incident enters the matching status category, and never moved by a later entry;
- closing needs a message, so the timeline says why an incident ended;
- every change moves the incident's ``updated_at`` and ``last_activity_at`` (``touch``),
  which is what tells readers, caches included, that it changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.models import ApiKey
from core.services.actors import Actor, actor_fields
from incidents.models import (
    Incident,
    IncidentStatus,
    IncidentTimestamp,
    IncidentTimestampValue,
    IncidentUpdate,
    Severity,
    StatusCategory,
)
from incidents.signals import incident_updated

# The lifecycle timestamps an incident gets when it first enters a category.
TIMESTAMPS_ON_ENTERING = {
    StatusCategory.LIVE: ("accepted",),
    StatusCategory.LEARNING: ("resolved",),
    StatusCategory.CLOSED: ("resolved", "closed"),
    StatusCategory.DECLINED: ("declined",),
}


def touch(incident: Incident, **changes) -> None:
    """Save ``changes`` and move ``updated_at`` and ``last_activity_at`` to now."""
    if "status" in changes:
        changes["is_active"] = changes["status"].is_active
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(updated_at=now, last_activity_at=now, **changes)
    incident.updated_at = incident.last_activity_at = now
    for name, value in changes.items():
        setattr(incident, name, value)


def announce_change(incident: Incident) -> None:
    """Tell ``incident_updated``'s receivers (webhooks) of a change that is neither a status
    nor a severity change: roles, custom fields, timestamps, links. Inside the transaction."""
    incident_updated.send(
        sender=Incident,
        incident=incident,
        previous_status_id=incident.status_id,
        new_status_id=incident.status_id,
        previous_severity_id=incident.severity_id,
        message="",
    )


def default_status(*, triage: bool, statuses: Iterable[IncidentStatus] | None = None) -> IncidentStatus:
    """The first status (by rank) of the triage or live category; ``statuses`` (ordered by
    rank) spares the query when the caller has them."""
    category = StatusCategory.TRIAGE if triage else StatusCategory.LIVE
    if statuses is None:
        status = IncidentStatus.objects.filter(category=category).order_by("rank", "id").first()
    else:
        status = next((s for s in statuses if s.category == category), None)
    if status is None:
        raise DomainError("missing_status", f"No incident status in the {category} category exists")
    return status


def record_lifecycle_timestamps(
    incident: Incident,
    slugs: Iterable[str],
    at: datetime,
    *,
    new_incident: bool = False,
    given: Mapping[IncidentTimestamp, datetime | None] | None = None,
    timestamps: Iterable[IncidentTimestamp] | None = None,
) -> list[IncidentTimestampValue]:
    """Set the timestamps named by ``slugs`` to ``at`` where the incident has none yet
    (the caller holds the incident's row lock, so two status changes cannot both find one
    unset). A new incident has none set: ``timestamps`` (the configuration's, when the
    caller has it) spares the query, and its ``given`` values go in the same INSERT and
    win (``None`` leaves a timestamp unset). Returns the rows inserted."""
    slugs = list(slugs)
    if new_incident and timestamps is not None:
        unset = [t for t in timestamps if t.slug in slugs]
    else:
        unset = IncidentTimestamp.objects.filter(slug__in=slugs)
        if not new_incident:
            unset = unset.exclude(values__incident=incident)
    values: dict[IncidentTimestamp, datetime | None] = {timestamp: at for timestamp in unset}
    values.update(given or {})
    return IncidentTimestampValue.objects.bulk_create(
        [
            IncidentTimestampValue(incident=incident, timestamp=timestamp, value=value)
            for timestamp, value in values.items()
            if value is not None
        ]
    )


def replace_timestamp_values(incident: Incident, values: Mapping[IncidentTimestamp, datetime | None]) -> None:
    for timestamp, value in values.items():
        if value is None:
            IncidentTimestampValue.objects.filter(incident=incident, timestamp=timestamp).delete()
        else:
            IncidentTimestampValue.objects.update_or_create(incident=incident, timestamp=timestamp, defaults={"value": value})


def set_timestamp_values(
    *, incident: Incident, values: Mapping[IncidentTimestamp, datetime | None], actor: Actor | None
) -> None:
    """Set (or, with None, clear) timestamps by hand, whatever the lifecycle set."""
    with transaction.atomic():
        replace_timestamp_values(incident, values)
        touch(incident)
        announce_change(incident)


def record_update(
    incident: Incident,
    *,
    actor: Actor | None,
    message: str,
    new_status: IncidentStatus | None,
    new_severity: Severity | None,
    idempotency_key: str = "",
) -> IncidentUpdate:
    """Add an update to the timeline of ``incident`` (row-locked by the caller) and apply
    its status and severity changes."""
    previous_status_id, previous_severity_id = incident.status_id, incident.severity_id
    update = IncidentUpdate.objects.create(
        incident=incident,
        message=message,
        new_status=new_status or incident.status,
        previous_status_id=previous_status_id,
        new_severity=new_severity,
        previous_severity_id=previous_severity_id if new_severity else None,
        idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
        **actor_fields(actor, "actor"),
    )
    changes = {}
    if new_status is not None and new_status.pk != previous_status_id:
        changes["status"] = new_status
        record_lifecycle_timestamps(incident, TIMESTAMPS_ON_ENTERING.get(new_status.category, ()), update.created_at)
    if new_severity is not None and new_severity.pk != previous_severity_id:
        changes["severity"] = new_severity
    touch(incident, **changes)
    return update


def _find_idempotent_update(*, actor: Actor | None, idempotency_key: str) -> IncidentUpdate | None:
    if not idempotency_key or not isinstance(actor, ApiKey):
        return None
    return IncidentUpdate.objects.filter(actor_api_key=actor, idempotency_key=idempotency_key).first()


def post_incident_update(
    *,
    incident: Incident,
    actor: Actor | None,
    message: str = "",
    new_status: IncidentStatus | None = None,
    new_severity: Severity | None = None,
    idempotency_key: str = "",
) -> IncidentUpdate:
    """Post an update to the timeline, optionally moving status and severity.

    With an API key and an idempotency key, a repeat returns the update the first call
    posted, whatever the repeat asks: the unique constraint spots it at the insert."""
    try:
        if new_status is None and new_severity is None and not message.strip():
            raise DomainError("empty_update", "An update needs a message, a new status or a new severity", field="message")
        if new_status is not None and new_status.category == StatusCategory.CLOSED and not message.strip():
            raise DomainError("message_required", "Closing an incident needs a message", field="message")
        with transaction.atomic():
            locked = Incident.objects.select_for_update().get(pk=incident.pk)
            update = record_update(
                locked,
                actor=actor,
                message=message,
                new_status=new_status,
                new_severity=new_severity,
                idempotency_key=idempotency_key,
            )
            incident_updated.send(
                sender=Incident,
                incident=locked,
                previous_status_id=update.previous_status_id,
                new_status_id=locked.status_id,
                previous_severity_id=update.previous_severity_id if update.new_severity_id else locked.severity_id,
                message=message,
            )
    except (DomainError, IntegrityError):
        existing = _find_idempotent_update(actor=actor, idempotency_key=idempotency_key)
        if existing:
            return existing
        raise
    incident.status_id, incident.severity_id = locked.status_id, locked.severity_id
    incident.updated_at = incident.last_activity_at = locked.updated_at
    return update


def change_status(*, incident: Incident, status: IncidentStatus, actor: Actor | None, message: str = "") -> IncidentUpdate:
    return post_incident_update(incident=incident, actor=actor, message=message, new_status=status)


def change_severity(*, incident: Incident, severity: Severity, actor: Actor | None, message: str = "") -> IncidentUpdate:
    return post_incident_update(incident=incident, actor=actor, message=message, new_severity=severity)


def close_incident(*, incident: Incident, actor: Actor | None, message: str) -> IncidentUpdate:
    status = IncidentStatus.objects.filter(category=StatusCategory.CLOSED).order_by("rank", "id").first()
    if status is None:
        raise DomainError("missing_status", "No incident status in the closed category exists")
    return post_incident_update(incident=incident, actor=actor, message=message, new_status=status)
