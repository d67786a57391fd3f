"""Heartbeats: a source that expects a ping every ``interval_seconds`` raises an alert
when pings stop, and resolves it when they return.

The alert is made by the events' own rule (``record_events``), as a firing and then a
resolved event for the key ``HEARTBEAT_KEY``, so whatever follows an alert (its raw
copy, routes into incidents) follows a heartbeat's too.

Two writers race on a heartbeat row: the beat's check, which claims an overdue row with
a conditional update (``failing`` false and ``due_at`` past), and a ping, which moves
``due_at`` on. The database's row lock orders them: a ping that lands first leaves
nothing overdue to claim; a check that lands first has fired, and the ping that follows
finds ``failing`` set and resolves. A ping never fires, and a check never resolves.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from alerts.models import AlertSource, AlertStatus, Heartbeat, SourceType
from alerts.services.events import Event, record_events
from core.exceptions import DomainError

#: the deduplication key of a heartbeat's alert: one per source while it fires
HEARTBEAT_KEY = "heartbeat"
#: incident.io's default schedule when none is given
DEFAULT_OPTIONS = {"interval_seconds": 60, "grace_period_seconds": 0, "failure_threshold": 1}
#: a day: longer than that is a cron job's schedule, not a heartbeat (incident.io's bound too)
MAX_INTERVAL_SECONDS = 86400


def _window(heartbeat: Heartbeat) -> timedelta:
    return timedelta(seconds=heartbeat.interval_seconds * heartbeat.failure_threshold + heartbeat.grace_period_seconds)


def _checked(options: dict) -> dict:
    values = {**DEFAULT_OPTIONS, **{k: v for k, v in (options or {}).items() if v is not None}}
    interval, grace, threshold = values["interval_seconds"], values["grace_period_seconds"], values["failure_threshold"]
    if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL_SECONDS:
        raise DomainError(
            "invalid_value", f"interval_seconds is between 1 and {MAX_INTERVAL_SECONDS}", field="heartbeat_options.interval_seconds"
        )
    if not isinstance(grace, int) or not 0 <= grace <= MAX_INTERVAL_SECONDS:
        raise DomainError(
            "invalid_value",
            f"grace_period_seconds is between 0 and {MAX_INTERVAL_SECONDS}",
            field="heartbeat_options.grace_period_seconds",
        )
    if not isinstance(threshold, int) or not 1 <= threshold <= 100:
        raise DomainError("invalid_value", "failure_threshold is between 1 and 100", field="heartbeat_options.failure_threshold")
    return {"interval_seconds": interval, "grace_period_seconds": grace, "failure_threshold": threshold}


@transaction.atomic
def configure_heartbeat(*, source: AlertSource, options: dict | None, now: datetime | None = None) -> Heartbeat:
    """Set a heartbeat source's schedule; the next ping is due one window after the last
    ping (or, before any, after now: a new heartbeat is not late at once)."""
    if source.source_type != SourceType.HEARTBEAT:
        raise DomainError("invalid_value", "Only heartbeat sources take heartbeat_options", field="heartbeat_options")
    now = now or timezone.now()
    heartbeat = Heartbeat.objects.select_for_update().filter(source=source).first() or Heartbeat(source=source)
    for name, value in _checked(options).items():
        setattr(heartbeat, name, value)
    heartbeat.due_at = (heartbeat.last_ping_at or now) + _window(heartbeat)
    heartbeat.save()
    source.heartbeat = heartbeat
    return heartbeat


def record_ping(*, source: AlertSource, now: datetime | None = None) -> bool:
    """Note a ping: the next is due a window from now. A ping to a failing heartbeat
    resolves its alert; returns whether it did."""
    now = now or timezone.now()
    heartbeat = Heartbeat.objects.get(source=source)
    due = now + _window(heartbeat)
    # The usual case, one statement: a healthy heartbeat moves on.
    if Heartbeat.objects.filter(pk=heartbeat.pk, failing=False).update(last_ping_at=now, due_at=due):
        return False
    with transaction.atomic():
        if not Heartbeat.objects.filter(pk=heartbeat.pk, failing=True).update(failing=False, last_ping_at=now, due_at=due):
            return False  # another ping resolved it meanwhile
        event = Event(status=AlertStatus.RESOLVED, dedup_key=HEARTBEAT_KEY, title=_title(source), body=_body(now, heartbeat))
        record_events(source=source, events=[event], now=now)
    return True


def _title(source: AlertSource) -> str:
    return f"No heartbeat from {source.name}"


def _body(now: datetime, heartbeat: Heartbeat) -> str:
    return json.dumps(
        {
            "checked_at": now.isoformat(),
            "last_ping_at": heartbeat.last_ping_at.isoformat() if heartbeat.last_ping_at else None,
            "interval_seconds": heartbeat.interval_seconds,
            "grace_period_seconds": heartbeat.grace_period_seconds,
            "failure_threshold": heartbeat.failure_threshold,
        }
    )


def check_heartbeats(*, now: datetime | None = None) -> int:
    """Fire the alert of every enabled heartbeat past its due time (the beat's task);
    returns how many fired. Each is claimed by a conditional update in its own
    transaction with its event, so a ping that moved ``due_at`` on first wins, and two
    checks running at once fire each alert once."""
    now = now or timezone.now()
    overdue = Heartbeat.objects.filter(failing=False, due_at__lt=now, source__disabled=False).select_related("source")
    fired = 0
    for heartbeat in overdue:
        with transaction.atomic():
            if not Heartbeat.objects.filter(pk=heartbeat.pk, failing=False, due_at__lt=now).update(failing=True):
                continue
            since = heartbeat.last_ping_at.isoformat() if heartbeat.last_ping_at else "never"
            event = Event(
                status=AlertStatus.FIRING,
                dedup_key=HEARTBEAT_KEY,
                title=_title(heartbeat.source),
                description=f"Pings are expected every {heartbeat.interval_seconds} s; the last came {since}.",
                metadata={
                    "last_ping_at": heartbeat.last_ping_at.isoformat() if heartbeat.last_ping_at else None,
                    "interval_seconds": heartbeat.interval_seconds,
                },
                body=_body(now, heartbeat),
            )
            record_events(source=heartbeat.source, events=[event], now=now)
            fired += 1
    return fired
