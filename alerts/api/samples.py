"""The admin's "send a test alert": a sample of each kind's own payload, read by that
kind's parser (the one its events URL uses) and recorded by ``record_events``, so what
the staff member sees is what the sender would make. A heartbeat's test is a ping."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from alerts import services
from alerts.api.v2.payloads import ZERO_TIME, alertmanager_events, grafana_events, http_event, pagerduty_event, raw
from alerts.api.v2.serializers import AlertEventsCreateHTTPPayloadV2Serializer
from alerts.models import Alert, SourceType
from core.exceptions import DomainError

TITLE = "Test alert from the admin"
KEY = "test-alert"


def _prometheus_style(version: str, starts_at: str) -> dict:
    return {
        "version": version,
        "status": "firing",
        "receiver": "incident-tracker",
        "groupKey": '{}:{alertname="TestAlert"}',
        "groupLabels": {"alertname": "TestAlert"},
        "commonLabels": {"alertname": "TestAlert", "severity": "info"},
        "externalURL": "",
        "alerts": [
            {
                "status": "firing",
                "labels": {"alertname": "TestAlert", "severity": "info"},
                "annotations": {"summary": TITLE, "description": "Sent from the source's page in the admin"},
                # The same alert keeps its start, as Alertmanager's repeats do.
                "startsAt": starts_at,
                "endsAt": ZERO_TIME,
                "fingerprint": KEY,
            }
        ],
    }


def sample(source) -> dict:
    """The payload a sender of the source's kind would post for a test alert."""
    source_type = source.source_type
    if source_type == SourceType.HTTP:
        return {
            "title": TITLE,
            "status": "firing",
            "deduplication_key": KEY,
            "description": "Sent from the source's page in the admin",
            "metadata": {"severity": "info", "test": True},
        }
    if source_type == SourceType.PAGER_DUTY:
        return {
            "event_action": "trigger",
            "dedup_key": KEY,
            "payload": {"summary": TITLE, "source": "incident-tracker admin", "severity": "info"},
        }
    return _prometheus_style("1" if source_type == SourceType.GRAFANA else "4", source.created_at.isoformat())


@dataclass
class TestResult:
    #: the alert the test event made or folded into (None for a heartbeat's ping)
    alert: Alert | None
    #: a heartbeat's ping that resolved its alert
    recovered: bool = False


def send_test_alert(*, source) -> TestResult:
    """Send a test event through the source's kind's parser into ``record_events``.
    Raises DomainError (as the events URL would refuse) for a disabled source."""
    if source.disabled:
        raise DomainError("disabled", "This alert source is disabled: enable it to send a test alert")
    if source.source_type == SourceType.HEARTBEAT:
        return TestResult(alert=None, recovered=services.record_ping(source=source))
    payload = sample(source)
    if source.source_type == SourceType.HTTP:
        parsed = AlertEventsCreateHTTPPayloadV2Serializer(data=payload)
        parsed.is_valid(raise_exception=True)
        events = [http_event(source, parsed.validated_data, raw(payload))]
    elif source.source_type == SourceType.PAGER_DUTY:
        events = [pagerduty_event(source, payload)[0]]
    elif source.source_type == SourceType.GRAFANA:
        events = grafana_events(source, payload, timezone.now())
    else:
        events = alertmanager_events(source, payload, timezone.now())
    return TestResult(alert=services.record_events(source=source, events=events)[0])
