"""The raw copies of events, kept small: an alert's payload that repeats unchanged (a
monitor re-sending the same firing alert every minute) is counted on the alert's newest
raw row instead of stored again; any change, or another status, makes a new row.

Called inside ``record_events``'s transaction, after the alert's row is locked (``FOR
UPDATE``), so two identical events for one alert count in turn and neither is lost.
"""

from __future__ import annotations

import hashlib

from django.db.models import F

from alerts.models import AlertEvent


def store_raw_events(rows: list[AlertEvent]) -> None:
    """Insert ``rows`` (unsaved, in arrival order), folding each into the previous raw
    row of its alert when it carries the same status and body. One probe of
    ``alert_events_newest`` per event of an alert that has earlier events; an alert's
    first event, or one without an alert, costs none."""
    fresh: list[AlertEvent] = []
    previous: dict[str, AlertEvent] = {}  # alert id -> its newest row in this batch
    for row in rows:
        row.body_hash = hashlib.sha256(row.body.encode()).hexdigest()
        alert = row.alert
        if alert is None:
            fresh.append(row)
            continue
        newest = previous.get(alert.pk)
        if newest is None and alert.event_count > 1:
            newest = AlertEvent.objects.filter(alert=alert).only("id", "status", "body_hash").order_by("-received_at", "-id").first()
        if newest is not None and (newest.status, newest.body_hash) == (row.status, row.body_hash):
            if not newest._state.adding:
                AlertEvent.objects.filter(pk=newest.pk).update(repeat_count=F("repeat_count") + 1, last_received_at=row.received_at)
            else:  # a repeat within this batch: counted before its row is inserted
                newest.repeat_count += 1
                newest.last_received_at = row.received_at
            continue
        fresh.append(row)
        previous[alert.pk] = row
    AlertEvent.objects.bulk_create(fresh)
