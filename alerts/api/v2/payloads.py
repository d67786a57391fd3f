"""Each tool's native payload read into ``Event``s: Alertmanager's webhook (version 4),
Grafana's (version 1, Alertmanager's fields and a few of its own) and PagerDuty's Events
API v2. A payload that is not the tool's shape raises ValidationError, a 4xx that the
tools do not retry (sending it again would not help)."""

from __future__ import annotations

import hashlib
import hmac
import time

import orjson
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions
from ulid import ULID

from alerts.services.events import Event, bound, text_at

#: what Alertmanager sends for an alert still firing
ZERO_TIME = "0001-01-01T00:00:00Z"
#: how far a signed Grafana request's timestamp may be from our clock
SIGNATURE_TOLERANCE_SECONDS = 300
GRAFANA_SIGNATURE = "X-Grafana-Alerting-Signature"
#: the timestamp header names Grafana's documentation gives (it has no default)
GRAFANA_TIMESTAMPS = ("X-Grafana-Alerting-Signature-Timestamp", "X-Grafana-Alerting-Timestamp")


def raw(document) -> str:
    return orjson.dumps(document).decode()


def http_event(source, data: dict, body: str) -> Event:
    """incident.io's HTTP event (``data``, parsed by its payload serializer) as an Event.
    No key of its own: the source's dedup path, else a new one (the event is an alert of
    its own, which the answer names so the sender can resolve it)."""
    document = {**data, "metadata": data.get("metadata") or {}}
    key = data.get("deduplication_key") or text_at(document, source.dedup_key_path) or str(ULID())
    return Event(
        status=data["status"],
        dedup_key=key,
        title=bound(source, source.title_binding, document) or data["title"],
        description=bound(source, source.description_binding, document),
        source_url=data.get("source_url", ""),
        severity=text_at(document, source.severity_path),
        metadata=document["metadata"],
        body=body,
    )


def _ended(alert: dict, now) -> bool:
    try:
        ends = parse_datetime(str(alert.get("endsAt") or ""))
    except ValueError:  # a well-formed date that does not exist
        return False
    return ends is not None and str(alert.get("endsAt")) != ZERO_TIME and ends <= now


def _status(alert: dict, now) -> str:
    status = alert.get("status")
    if status in ("firing", "resolved"):
        return status
    return "resolved" if _ended(alert, now) else "firing"


def alertmanager_events(source, payload, now, *, tool: str = "Alertmanager", version: str = "4") -> list[Event]:
    """One event per alert, keyed by its ``fingerprint``, with the group's ``groupKey``
    kept in the metadata; an alert's ``status`` (or, without one, an ``endsAt`` that has
    passed) resolves it."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise exceptions.ValidationError({"alerts": [f"a {tool} webhook payload has a list of alerts"]})
    if str(payload.get("version", version)) != version:
        raise exceptions.ValidationError(
            {"version": [f"payload version {payload.get('version')!r}: only version {version} is read"]}
        )
    group = {k: payload.get(k) for k in ("receiver", "groupKey", "groupLabels", "commonLabels", "externalURL")}
    events = []
    for index, alert in enumerate(payload["alerts"]):
        if not isinstance(alert, dict) or not isinstance(alert.get("labels", {}), dict):
            raise exceptions.ValidationError({f"alerts[{index}]": ["an alert is an object with labels"]})
        labels, annotations = alert.get("labels") or {}, alert.get("annotations") or {}
        fingerprint = str(alert.get("fingerprint") or "")
        if not fingerprint:
            # Both tools always send one; a hand-made payload keys by its labels.
            fingerprint = hashlib.sha256(orjson.dumps(labels, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
        document = {**alert, "labels": labels, "annotations": annotations, **group}
        metadata = {"labels": labels, "annotations": annotations, "group_key": group["groupKey"]}
        metadata.update(starts_at=alert.get("startsAt"), ends_at=alert.get("endsAt"))
        for extra in ("dashboardURL", "panelURL", "silenceURL", "values"):
            if alert.get(extra):
                metadata[extra] = alert[extra]
        events.append(
            Event(
                status=_status(alert, now),
                dedup_key=fingerprint,
                title=bound(source, source.title_binding, document) or text_at(document, "labels.alertname") or fingerprint,
                description=bound(source, source.description_binding, document),
                source_url=text_at(document, "generatorURL"),
                severity=text_at(document, source.severity_path),
                metadata=metadata,
                body=raw(document),
            )
        )
    return events


def grafana_events(source, payload, now) -> list[Event]:
    """Grafana's webhook contact point (payload version 1): Alertmanager's fields, with
    each alert's dashboard and panel links kept."""
    return alertmanager_events(source, payload, now, tool="Grafana", version="1")


def check_grafana_signature(source, request, body: bytes) -> None:
    """With a signing secret on the source, the request must carry Grafana's HMAC-SHA256
    (hex) of the body, or of ``<timestamp>:<body>`` when a timestamp header is sent, and
    that timestamp must be within five minutes of ours. Raises AuthenticationFailed."""
    if not source.signing_secret:
        return
    signature = request.headers.get(GRAFANA_SIGNATURE, "").strip()
    timestamp = next((request.headers[h] for h in GRAFANA_TIMESTAMPS if request.headers.get(h)), "")
    signed = f"{timestamp}:".encode() + body if timestamp else body
    expected = hmac.new(source.signing_secret.encode(), signed, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature.lower()):
        raise exceptions.AuthenticationFailed(f"The {GRAFANA_SIGNATURE} header is missing or does not match the body")
    if timestamp:
        try:
            age = abs(time.time() - int(timestamp))
        except ValueError:
            raise exceptions.AuthenticationFailed("The signature's timestamp is not Unix seconds") from None
        if age > SIGNATURE_TOLERANCE_SECONDS:
            raise exceptions.AuthenticationFailed("The signature's timestamp is more than five minutes from ours")


# --- PagerDuty Events API v2 ------------------------------------------------------------------

PAGERDUTY_ACTIONS = {"trigger": "firing", "resolve": "resolved", "acknowledge": None}
PAGERDUTY_SEVERITIES = ("critical", "error", "warning", "info")


class PagerDutyInvalid(Exception):
    """An event PagerDuty would answer ``400 invalid event``."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def pagerduty_event(source, payload) -> tuple[Event | None, str]:
    """``(event, dedup_key)`` of a PagerDuty v2 event; an ``acknowledge`` (which this
    tracker does not model) is no event. A trigger without ``dedup_key`` gets one, which
    the answer names."""
    if not isinstance(payload, dict):
        raise PagerDutyInvalid(["Event object is invalid"])
    errors = []
    action = payload.get("event_action")
    if action not in PAGERDUTY_ACTIONS:
        errors.append("'event_action' is missing or invalid")
    key = payload.get("dedup_key")
    if key is not None and (not isinstance(key, str) or len(key) > 255):
        errors.append("'dedup_key' must be a string of at most 255 characters")
    details = payload.get("payload")
    if action == "trigger":
        if not isinstance(details, dict):
            errors.append("'payload' is missing or invalid")
        else:
            if not isinstance(details.get("summary"), str) or not details["summary"].strip() or len(details["summary"]) > 1024:
                errors.append("'payload.summary' is missing or invalid")
            if not isinstance(details.get("source"), str) or not details["source"].strip():
                errors.append("'payload.source' is missing or invalid")
            if details.get("severity") not in PAGERDUTY_SEVERITIES:
                errors.append("'payload.severity' is missing or invalid")
    elif not key:
        errors.append("'dedup_key' is required for acknowledge and resolve events")
    if errors:
        raise PagerDutyInvalid(errors)
    key = key or str(ULID())
    status = PAGERDUTY_ACTIONS[action]
    if status is None:
        return None, key
    document = {k: v for k, v in payload.items() if k != "routing_key"}
    details = details if isinstance(details, dict) else {}
    links = payload.get("links") if isinstance(payload.get("links"), list) else []
    event = Event(
        status=status,
        dedup_key=key,
        title=bound(source, source.title_binding, document) or str(details.get("summary") or key),
        description=bound(source, source.description_binding, document),
        source_url=next((str(link.get("href")) for link in links if isinstance(link, dict) and link.get("href")), ""),
        severity=text_at(document, source.severity_path),
        metadata={k: details[k] for k in ("source", "component", "group", "class", "custom_details") if k in details},
        body=raw(document),
    )
    return event, key
