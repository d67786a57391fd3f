"""PagerDuty's Events API v2: ``POST /v2/enqueue`` with the source's secret as the
``routing_key`` (or the source's own events URL), answered as PagerDuty answers."""

import pytest
from django.test import Client

from alerts import services
from alerts.models import Alert, AlertEvent
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


def trigger(source, key="srv-1-disk", **extra):
    return {
        "routing_key": source.secret,
        "event_action": "trigger",
        "dedup_key": key,
        "payload": {
            "summary": "Disk 95% full on srv-1",
            "source": "srv-1",
            "severity": "critical",
            "component": "postgres",
            "custom_details": {"free": "5%"},
        },
        "links": [{"href": "https://monitor.example/srv-1", "text": "Monitor"}],
        **extra,
    }


def send(body, path="/v2/enqueue"):
    return Client().post(path, body, content_type="application/json")


def test_a_trigger_opens_an_alert_and_the_answer_is_pagerdutys():
    source = make_source("pager_duty")
    response = send(trigger(source))
    assert response.status_code == 202
    assert response.json() == {"status": "success", "message": "Event processed", "dedup_key": "srv-1-disk"}
    alert = Alert.objects.get()
    assert (alert.title, alert.severity, alert.source_url) == (
        "Disk 95% full on srv-1",
        "critical",
        "https://monitor.example/srv-1",
    )
    assert alert.metadata["component"] == "postgres"
    assert source.secret not in AlertEvent.objects.get().body  # the routing key is not kept


def test_the_sources_own_url_takes_the_same_body():
    source = make_source("pager_duty")
    assert send(trigger(source), f"/v2/alert_events/pager_duty/{source.pk}").status_code == 202
    other = make_source("pager_duty", name="Other")
    assert send(trigger(source), f"/v2/alert_events/pager_duty/{other.pk}").status_code == 400


def test_acknowledge_changes_nothing_and_resolve_closes_then_a_trigger_opens_anew():
    source = make_source("pager_duty")
    send(trigger(source))
    ack = send({"routing_key": source.secret, "event_action": "acknowledge", "dedup_key": "srv-1-disk"})
    assert ack.status_code == 202 and Alert.objects.get().status == "firing"
    send({"routing_key": source.secret, "event_action": "resolve", "dedup_key": "srv-1-disk"})
    assert Alert.objects.get().status == "resolved"
    send(trigger(source))
    assert sorted(Alert.objects.values_list("status", flat=True)) == ["firing", "resolved"]


def test_a_trigger_without_a_key_gets_one_in_the_answer():
    source = make_source("pager_duty")
    body = trigger(source)
    del body["dedup_key"]
    key = send(body).json()["dedup_key"]
    assert Alert.objects.get().dedup_key == key


def test_a_resolve_of_an_unknown_key_is_accepted_and_dropped():
    source = make_source("pager_duty")
    response = send({"routing_key": source.secret, "event_action": "resolve", "dedup_key": "never"})
    assert response.status_code == 202 and Alert.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"event_action": "explode"}, "event_action"),
        ({"payload": {"summary": "x", "source": "y", "severity": "fatal"}}, "payload.severity"),
        ({"payload": {"source": "y", "severity": "info"}}, "payload.summary"),
        ({"payload": {"summary": "x" * 1025, "source": "y", "severity": "info"}}, "payload.summary"),
        ({"dedup_key": "k" * 256}, "dedup_key"),
    ],
)
def test_an_invalid_event_is_pagerdutys_400_naming_the_field(change, error):
    source = make_source("pager_duty")
    response = send({**trigger(source), **change})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid event" and body["message"] == "Event object is invalid"
    assert any(error in e for e in body["errors"])
    assert AlertEvent.objects.count() == 0


@pytest.mark.parametrize("routing_key", [None, "", "not-a-key"])
def test_a_missing_or_unknown_routing_key_is_a_400(routing_key):
    source = make_source("pager_duty")
    body = trigger(source)
    body["routing_key"] = routing_key
    response = send(body)
    assert response.status_code == 400 and response.json()["status"] == "invalid event"


def test_another_kinds_secret_is_not_a_routing_key():
    http = make_source("http")
    assert send({**trigger(http), "routing_key": http.secret}).status_code == 400


def test_a_disabled_source_refuses_its_events():
    source = make_source("pager_duty")
    services.update_alert_source(source=source, name=source.name, disabled=True)
    assert send(trigger(source)).status_code == 403
