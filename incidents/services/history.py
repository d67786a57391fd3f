"""Incidents that ran before they were entered here: demo data, or an import from another
tracker. Each is recorded through the same services as a live one, then its timeline is
moved to when things happened.

Rules enforced here:
- the times are in order and in the past: declared first, then each update;
- every lifecycle timestamp moves with the entry that set it ("reported at" with the
  declaration, "resolved at" with the update that resolved it), so durations such as the
  time to resolve come out as they were;
- ``updated_at`` is the time of the recording, as with any change, so caches keyed by it
  never serve what was there before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services.actors import Actor
from incidents.models import Incident, IncidentStatus, IncidentTimestampValue, IncidentUpdate, Severity

from .incidents import declare_incident
from .lifecycle import post_incident_update


@dataclass(frozen=True)
class PastUpdate:
    at: datetime
    message: str
    new_status: IncidentStatus | None = None
    new_severity: Severity | None = None
    actor: Actor | None = None


@transaction.atomic
def record_past_incident(*, actor: Actor | None, declared_at: datetime, updates: Sequence[PastUpdate] = (), **declaration) -> Incident:
    """Declare an incident (``declaration``: ``declare_incident``'s arguments) as of
    ``declared_at`` and post ``updates`` on its timeline as of their ``at``."""
    times = [declared_at, *(update.at for update in updates)]
    if any(later < earlier for earlier, later in zip(times, times[1:])):
        raise DomainError("invalid_time", "The declaration and the updates must be in order of time", field="updates")
    if times[-1] > timezone.now():
        raise DomainError("invalid_time", "A past incident's times must be in the past", field="updates")
    incident = declare_incident(actor=actor, **declaration)
    posted = [
        post_incident_update(
            incident=incident,
            actor=update.actor or actor,
            message=update.message,
            new_status=update.new_status,
            new_severity=update.new_severity,
        )
        for update in updates
    ]
    # Lifecycle timestamps were set to the creation time of the entry that set them; the
    # declaration's (reported at, and its status's) to a moment of its own.
    moved = {entry.created_at: update.at for entry, update in zip(posted, updates)}
    IncidentUpdate.objects.filter(incident=incident).exclude(pk__in=[entry.pk for entry in posted]).update(
        created_at=declared_at, updated_at=declared_at
    )
    for entry, update in zip(posted, updates):
        IncidentUpdate.objects.filter(pk=entry.pk).update(created_at=update.at, updated_at=update.at)
    given = declaration.get("timestamp_values") or {}
    for value in IncidentTimestampValue.objects.filter(incident=incident).exclude(timestamp__in=list(given)):
        IncidentTimestampValue.objects.filter(pk=value.pk).update(value=moved.get(value.value, declared_at))
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(created_at=declared_at, last_activity_at=times[-1], updated_at=now)
    incident.created_at, incident.last_activity_at, incident.updated_at = declared_at, times[-1], now
    return incident
