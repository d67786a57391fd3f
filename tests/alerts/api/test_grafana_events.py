"""Grafana's webhook contact point (payload version 1), with its optional HMAC signature."""

import hashlib
import hmac
import time

import orjson
import pytest
from django.test import Client

from alerts.models import Alert, AlertEvent
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


def grafana_alert(fingerprint="6ea2a5f2c1d2e3f4", status="firing", **labels):
    return {
        "status": status,
        "labels": {"alertname": "High latency", "grafana_folder": "API", "severity": "warning", **labels},
        "annotations": {"summary": "p99 above 2s", "description": "checkout is slow"},
        "startsAt": "2026-12-07T10:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z" if status == "firing" else "2026-12-07T10:30:00Z",
        "generatorURL": "https://grafana.example/alerting/grafana/abc/view",
        "fingerprint": fingerprint,
        "silenceURL": "https://grafana.example/alerting/silence/new",
        "dashboardURL": "https://grafana.example/d/checkout",
        "panelURL": "https://grafana.example/d/checkout?viewPanel=2",
        "values": {"B": 2.4},
    }


def webhook(*alerts):
    return {
        "receiver": "incident-tracker",
        "status": "firing",
        "orgId": 1,
        "alerts": list(alerts),
        "groupLabels": {"alertname": "High latency"},
        "commonLabels": {"alertname": "High latency"},
        "commonAnnotations": {},
        "externalURL": "https://grafana.example/",
        "version": "1",
        "groupKey": '{}:{alertname="High latency"}',
        "truncatedAlerts": 0,
        "title": "[FIRING:1] High latency",
        "state": "alerting",
        "message": "**Firing**",
    }


def post(source, payload, headers=None):
    body = orjson.dumps(payload)
    return Client().generic(
        "POST",
        f"/v2/alert_events/grafana/{source.pk}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {source.secret}", **(headers or {})},
    ), body


def sign(secret, body, timestamp=None):
    signed = f"{timestamp}:".encode() + body if timestamp else body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def test_a_grafana_alert_arrives_and_its_resolve_closes_it():
    source = make_source("grafana")
    response, _ = post(source, webhook(grafana_alert()))
    assert response.status_code == 202
    alert = Alert.objects.get()
    assert (alert.title, alert.severity, alert.dedup_key) == ("p99 above 2s", "warning", "6ea2a5f2c1d2e3f4")
    assert alert.metadata["dashboardURL"] == "https://grafana.example/d/checkout" and alert.metadata["values"] == {"B": 2.4}
    post(source, webhook(grafana_alert(status="resolved")))
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_an_alertmanager_payload_is_not_taken_as_grafanas():
    source = make_source("grafana")
    response, _ = post(source, {**webhook(grafana_alert()), "version": "4"})
    assert response.status_code == 422 and AlertEvent.objects.count() == 0


def test_with_a_signing_secret_a_signed_request_is_taken():
    source = make_source("grafana", signing_secret="hmac-secret")
    payload = webhook(grafana_alert())
    body = orjson.dumps(payload)
    response, _ = post(source, payload, {"X-Grafana-Alerting-Signature": sign("hmac-secret", body)})
    assert response.status_code == 202


def test_with_a_timestamp_header_the_timestamp_is_signed_too():
    source = make_source("grafana", signing_secret="hmac-secret")
    payload = webhook(grafana_alert())
    body, now = orjson.dumps(payload), str(int(time.time()))
    headers = {"X-Grafana-Alerting-Signature": sign("hmac-secret", body, now), "X-Grafana-Alerting-Signature-Timestamp": now}
    assert post(source, payload, headers)[0].status_code == 202
    old = str(int(time.time()) - 3600)
    stale = {"X-Grafana-Alerting-Signature": sign("hmac-secret", body, old), "X-Grafana-Alerting-Signature-Timestamp": old}
    assert post(source, payload, stale)[0].status_code == 401


@pytest.mark.parametrize("signature", [None, "0" * 64, "not hex"])
def test_with_a_signing_secret_an_unsigned_or_wrongly_signed_request_is_refused(signature):
    source = make_source("grafana", signing_secret="hmac-secret")
    headers = {"X-Grafana-Alerting-Signature": signature} if signature else {}
    response, _ = post(source, webhook(grafana_alert()), headers)
    assert response.status_code == 401 and AlertEvent.objects.count() == 0


def test_a_signature_over_another_body_is_refused():
    source = make_source("grafana", signing_secret="hmac-secret")
    other = orjson.dumps(webhook(grafana_alert(status="resolved")))
    response, _ = post(source, webhook(grafana_alert()), {"X-Grafana-Alerting-Signature": sign("hmac-secret", other)})
    assert response.status_code == 401
