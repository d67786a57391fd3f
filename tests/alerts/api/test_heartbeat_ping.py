"""``GET|POST /v2/heartbeat/{id}/ping`` answered as incident.io answers it (204, checked
against its whole document), admitted by the source's secret like every events URL, and
heartbeat sources made through ``/v2/alert_sources`` with incident.io's
``heartbeat_options``."""

import base64
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.models import Alert, AlertStatus, Heartbeat
from tests.alerts.factories import make_source
from tests.clients import make_client
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db
FULL = "incident-io-openapi-full.json"
TEMPLATE = {"title": {"literal": "Backup"}, "description": {"literal": ""}, "expressions": [], "attributes": []}


def ping(source, *, method="post", secret=None, how="bearer", body=None):
    secret = source.secret if secret is None else secret
    path, headers = f"/v2/heartbeat/{source.pk}/ping", {}
    if how == "bearer":
        headers["Authorization"] = f"Bearer {secret}"
    elif how == "basic":
        headers["Authorization"] = "Basic " + base64.b64encode(f"cron:{secret}".encode()).decode()
    else:
        path += f"?token={secret}"
    if method == "get":
        return Client().get(path, headers=headers)
    return Client().post(path, body or {}, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    "method, how, operation",
    [("post", "bearer", "Heartbeat V2#Ping"), ("post", "basic", "Heartbeat V2#Ping"), ("get", "token", "Heartbeat V2#Ping#1")],
)
def test_a_ping_is_204_and_moves_the_due_time_on(method, how, operation):
    source = make_source("heartbeat")
    before = timezone.now()
    response = ping(source, method=method, how=how)
    assert response.status_code == 204, response.content
    assert_matches_contract(response, operation, document=FULL)
    heartbeat = Heartbeat.objects.get(source=source)
    assert heartbeat.last_ping_at >= before
    assert heartbeat.due_at == heartbeat.last_ping_at + timedelta(seconds=60)


def test_a_ping_with_an_alertmanager_body_counts_like_a_bare_one():
    source = make_source("heartbeat")
    watchdog = {"version": "4", "status": "firing", "alerts": [{"labels": {"alertname": "Watchdog"}}]}
    assert ping(source, body=watchdog).status_code == 204
    assert Heartbeat.objects.get(source=source).last_ping_at is not None


def test_a_ping_resolves_the_alert_the_check_fired():
    source = make_source("heartbeat")
    assert services.check_heartbeats(now=timezone.now() + timedelta(seconds=61)) == 1
    assert Alert.objects.get().status == AlertStatus.FIRING
    assert ping(source).status_code == 204
    assert Alert.objects.get().status == AlertStatus.RESOLVED


@pytest.mark.parametrize(
    "secret, code", [("", "missing_authorization_material"), ("wrong", "invalid_authorization_material")]
)
def test_a_missing_or_wrong_secret_is_401_and_pings_nothing(secret, code):
    # incident.io's document lists only the 204; the SDK reads a 401 as its ErrorResponse.
    source = make_source("heartbeat")
    response = ping(source, secret=secret)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == code
    assert Heartbeat.objects.get(source=source).last_ping_at is None


def test_another_kinds_secret_does_not_ping():
    other = make_source("http")
    response = Client().post(f"/v2/heartbeat/{other.pk}/ping", headers={"Authorization": f"Bearer {other.secret}"})
    assert response.status_code == 401


def test_a_disabled_heartbeat_is_403():
    source = make_source("heartbeat")
    services.update_alert_source(source=source, name=source.name, disabled=True)
    assert ping(source).status_code == 403


@pytest.mark.parametrize("stored", [1, 30])
def test_a_ping_costs_the_same_queries_however_many_heartbeats_exist(stored, django_assert_num_queries):
    sources = [make_source("heartbeat") for _ in range(stored)]
    # the source; its heartbeat; the conditional update
    with django_assert_num_queries(3):
        assert ping(sources[-1]).status_code == 204


def test_heartbeat_options_round_trip_through_the_api(settings):
    admin = make_client("manage_settings")
    options = {"interval_seconds": 300, "grace_period_seconds": 60, "failure_threshold": 2}
    created = admin.post(
        "/v2/alert_sources", {"name": "Backup", "source_type": "heartbeat", "template": TEMPLATE, "heartbeat_options": options}
    )
    assert created.status_code == 200, created.content
    body = assert_matches_contract(created, "Alert Sources V2#Create", document=FULL)["alert_source"]
    ping_url = f"{settings.SITE_URL}/v2/heartbeat/{body['id']}/ping"
    assert body["heartbeat_options"] == {**options, "ping_url": ping_url}
    assert body["alert_events_url"] == ping_url
    updated = admin.put(
        f"/v2/alert_sources/{body['id']}", {"name": "Backup", "template": TEMPLATE, "heartbeat_options": {"interval_seconds": 30}}
    )
    shown = assert_matches_contract(updated, "Alert Sources V2#Update", document=FULL)["alert_source"]
    assert shown["heartbeat_options"]["interval_seconds"] == 30
    refused = admin.put(
        f"/v2/alert_sources/{body['id']}", {"name": "Backup", "template": TEMPLATE, "heartbeat_options": {"interval_seconds": 0}}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["source"]["field"] == "heartbeat_options.interval_seconds"


@pytest.mark.parametrize("n", [1, 20])
def test_listing_heartbeat_sources_costs_constant_queries(n, django_assert_num_queries):
    admin = make_client("manage_settings")
    for _ in range(n):
        make_source("heartbeat")
    # key lookup, the sources with their heartbeats joined
    with django_assert_num_queries(2):
        listed = admin.get("/v2/alert_sources")
    body = assert_matches_contract(listed, "Alert Sources V2#List", document=FULL)
    assert all(s["heartbeat_options"]["interval_seconds"] == 60 for s in body["alert_sources"])
