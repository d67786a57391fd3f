"""Events in: one rule for every kind of source.

A firing event for a (source, deduplication key) with a firing alert folds into it
(count, last seen, the newest title and description); without one it opens a new alert;
a resolved event closes the firing alert (and is kept, alert-less, when there is none).
So a trigger after a resolve opens a new alert, and a repeat never makes a row. A new
alert goes to the routes that take it, and a resolved one may settle its incidents
(``grouping``), in the same transaction.

Concurrency: the firing row is read ``FOR UPDATE`` (on PostgreSQL), so repeats for one
key queue behind each other and no count is lost; two events for a new key both find
nothing and both insert, and the partial unique index ``alerts_one_firing_per_key``
refuses the second, which then folds into the first's row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alerts.models import Alert, AlertEvent, AlertSource, AlertStatus
from alerts.services import grouping
from alerts.services.documents import at_path, text_at  # noqa: F401 - the parsers read them here
from alerts.services.raw import store_raw_events

TITLE_MAX, DESCRIPTION_MAX, URL_MAX, SEVERITY_MAX, KEY_MAX = 1000, 10000, 2000, 100, 255


@dataclass
class Event:
    """An event as every kind's parser leaves it."""

    status: str
    dedup_key: str
    title: str
    description: str = ""
    source_url: str = ""
    severity: str = ""
    metadata: dict = field(default_factory=dict)
    #: the event's raw document, as kept for the admin
    body: str = ""


def bound(source: AlertSource, binding: dict, document) -> str:
    """What a template binding gives for ``document``: its reference's value, else its literal."""
    if binding.get("reference"):
        value = text_at(document, binding["reference"])
        if value:
            return value
    return binding.get("literal", "")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _raw(body: str) -> tuple[str, bool]:
    limit = settings.ALERTS_PAYLOAD_MAX_KB * 1024
    encoded = body.encode()
    if len(encoded) <= limit:
        return body, False
    return encoded[:limit].decode(errors="ignore"), True


def _fold(alert: Alert, event: Event, now: datetime) -> Alert:
    alert.title, alert.description = event.title, event.description
    alert.source_url, alert.severity, alert.metadata = event.source_url, event.severity, event.metadata
    alert.event_count += 1
    alert.last_seen_at = alert.updated_at = now
    alert.save(
        update_fields=["title", "description", "source_url", "severity", "metadata", "event_count", "last_seen_at", "updated_at"]
    )
    return alert


def _firing(source: AlertSource, key: str):
    return Alert.objects.select_for_update().filter(source=source, dedup_key=key, status=AlertStatus.FIRING).first()


def _open(source: AlertSource, event: Event, now: datetime) -> tuple[Alert, bool]:
    """The event's firing alert, and whether the event opened it."""
    alert = _firing(source, event.dedup_key)
    if alert is not None:
        return _fold(alert, event, now), False
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                source=source,
                dedup_key=event.dedup_key,
                status=AlertStatus.FIRING,
                title=event.title,
                description=event.description,
                source_url=event.source_url,
                severity=event.severity,
                metadata=event.metadata,
                created_at=now,
                updated_at=now,
                last_seen_at=now,
            )
        return alert, True
    except IntegrityError:
        # Another event for this key inserted first (and has committed: the unique
        # index made us wait for it); fold into its row.
        return _fold(_firing(source, event.dedup_key), event, now), False


def _resolve(source: AlertSource, key: str, now: datetime) -> Alert | None:
    alert = _firing(source, key)
    if alert is None:
        return None
    alert.status, alert.resolved_at = AlertStatus.RESOLVED, now
    alert.last_seen_at = alert.updated_at = now
    alert.event_count += 1
    alert.save(update_fields=["status", "resolved_at", "last_seen_at", "updated_at", "event_count"])
    return alert


@transaction.atomic
def record_events(*, source: AlertSource, events: list[Event], now: datetime | None = None) -> list[Alert | None]:
    """Apply each event (in order) to its alert and keep its raw copy; all or nothing, so
    a sender told 5xx retries the lot. Returns each event's alert (None: a resolve of a
    key with no firing alert, which only the raw copy records)."""
    now = now or timezone.now()
    alerts, rows = [], []
    for event in events:
        event.dedup_key = _cut(event.dedup_key, KEY_MAX)
        event.title = _cut(event.title.strip() or event.dedup_key, TITLE_MAX)
        event.description = _cut(event.description, DESCRIPTION_MAX)
        event.source_url = _cut(event.source_url, URL_MAX)
        event.severity = _cut(event.severity, SEVERITY_MAX)
        if event.status == AlertStatus.FIRING:
            alert, opened = _open(source, event, now)
            if opened:
                grouping.route_new_alert(alert=alert, now=now)
        else:
            alert = _resolve(source, event.dedup_key, now)
            if alert is not None:
                grouping.settle_resolved_alert(alert=alert)
        body, truncated = _raw(event.body)
        rows.append(
            AlertEvent(
                source=source,
                alert=alert,
                status=event.status,
                dedup_key=event.dedup_key,
                received_at=now,
                body=body,
                truncated=truncated,
            )
        )
        alerts.append(alert)
    store_raw_events(rows)
    return alerts


@transaction.atomic
def resolve_alert(*, alert: Alert, now: datetime | None = None) -> Alert:
    """Resolve a firing alert by hand (the API's resolve action); a resolved one stays as it is."""
    now = now or timezone.now()
    if alert.status != AlertStatus.FIRING:
        return alert
    resolved = _resolve(alert.source, alert.dedup_key, now)
    if resolved is not None:
        grouping.settle_resolved_alert(alert=resolved)
        return resolved
    return alert


def purge_alert_events(*, now: datetime | None = None) -> int:
    """Delete raw events older than ``ALERTS_EVENT_RETENTION_DAYS`` (a counted repeat
    keeps its row until its last repeat is that old); alerts stay."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ALERTS_EVENT_RETENTION_DAYS)
    stale = Q(last_received_at__isnull=True) | Q(last_received_at__lt=cutoff)
    deleted, _ = AlertEvent.objects.filter(stale, received_at__lt=cutoff).delete()
    return deleted
