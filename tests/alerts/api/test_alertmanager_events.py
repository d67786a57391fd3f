"""Alertmanager's version 4 webhook, as its payloads arrive (the real Alertmanager sends
them in tests/alerts/test_alertmanager.py)."""

import pytest
from django.test import Client

from alerts.models import Alert, AlertEvent
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db
ZERO = "0001-01-01T00:00:00Z"


def alert(fingerprint="a1b2c3d4e5f60718", status="firing", ends=ZERO, **labels):
    return {
        "status": status,
        "labels": {"alertname": "HighCPU", "severity": "critical", **labels},
        "annotations": {"summary": "CPU above 90%", "description": "for 5 minutes"},
        "startsAt": "2026-12-07T10:00:00Z",
        "endsAt": ends,
        "generatorURL": "http://prometheus:9090/graph?g0.expr=cpu",
        "fingerprint": fingerprint,
    }


def webhook(*alerts, group_key='{}:{alertname="HighCPU"}'):
    return {
        "version": "4",
        "groupKey": group_key,
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "incident-tracker",
        "groupLabels": {"alertname": "HighCPU"},
        "commonLabels": {"alertname": "HighCPU"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }


def post(source, body, secret=None):
    return Client().post(
        f"/v2/alert_events/alertmanager/{source.pk}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret or source.secret}"},
    )


def test_each_alert_of_a_group_is_an_alert_keyed_by_its_fingerprint():
    source = make_source("alertmanager")
    response = post(source, webhook(alert("f1", instance="a"), alert("f2", instance="b")))
    assert response.status_code == 202 and response.json()["status"] == "success"
    alerts = {a.dedup_key: a for a in Alert.objects.all()}
    assert set(alerts) == {"f1", "f2"}
    one = alerts["f1"]
    assert (one.title, one.description, one.severity) == ("CPU above 90%", "for 5 minutes", "critical")
    assert one.source_url == "http://prometheus:9090/graph?g0.expr=cpu"
    assert one.metadata["group_key"] == '{}:{alertname="HighCPU"}' and one.metadata["labels"]["instance"] == "a"


def test_a_resend_of_the_group_folds_into_the_same_alerts_and_resolved_ones_close():
    source = make_source("alertmanager")
    post(source, webhook(alert("f1"), alert("f2")))
    post(source, webhook(alert("f1"), alert("f2", status="resolved", ends="2026-12-07T10:10:00Z")))
    assert dict(Alert.objects.values_list("dedup_key", "status")) == {"f1": "firing", "f2": "resolved"}
    assert Alert.objects.get(dedup_key="f1").event_count == 2


def test_without_a_status_an_alert_whose_end_has_passed_is_resolved():
    source = make_source("alertmanager")
    post(source, webhook(alert("f1")))
    gone = {k: v for k, v in alert("f1", ends="2026-01-01T00:00:00Z").items() if k != "status"}
    post(source, webhook(gone))
    assert Alert.objects.get().status == "resolved"


def test_an_alert_with_no_summary_is_titled_by_its_alertname():
    source = make_source("alertmanager")
    bare = {**alert("f1"), "annotations": {}}
    post(source, webhook(bare))
    assert Alert.objects.get().title == "HighCPU"


def test_an_http_sources_secret_does_not_open_the_alertmanager_url():
    http = make_source("http")
    http.source_type = "alertmanager"
    assert post(http, webhook(alert())).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"version": "4"},
        {"version": "3", "alerts": []},
        {"alerts": ["not an alert"]},
        {"alerts": [{"labels": "x"}]},
        [1, 2],
    ],
)
def test_payloads_that_are_not_alertmanagers_are_refused_with_a_4xx_and_nothing_stored(body):
    response = post(make_source("alertmanager"), body)
    assert 400 <= response.status_code < 500
    assert response.json()["errors"][0]["message"]
    assert AlertEvent.objects.count() == 0


def test_an_impossible_end_date_does_not_break_the_request():
    source = make_source("alertmanager")
    odd = {k: v for k, v in alert("f1", ends="2026-02-30T00:00:00Z").items() if k != "status"}
    assert post(source, webhook(odd)).status_code == 202
    assert Alert.objects.get().status == "firing"
