"""Guessing an alert source's secret costs what guessing an API key costs: the events URLs
spend from the same per-address allowance of failed authentications, and an address past
it is answered 429 without a lookup."""

from types import SimpleNamespace

import pytest
from django.test import Client

from alerts.models import Alert
from core import ratelimit
from tests.alerts.factories import make_source
from tests.clients import ApiClient

pytestmark = pytest.mark.django_db

EVENT = {"title": "Disk full", "status": "firing", "deduplication_key": "disk"}


@pytest.fixture
def failures(settings, monkeypatch, cache_backend):
    """Three failed authentications a minute per address, on a frozen clock."""
    settings.API_AUTH_FAILURES_PER_MINUTE = 3
    clock = SimpleNamespace(now=1_785_173_140.25)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def http_event(source, secret, address="192.0.2.7"):
    return Client().post(
        f"/v2/alert_events/http/{source.pk}",
        EVENT,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        REMOTE_ADDR=address,
    )


def pagerduty_event(routing_key, address="192.0.2.7"):
    body = {
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": "k",
        "payload": {"summary": "s", "source": "x", "severity": "error"},
    }
    return Client().post("/v2/enqueue", body, content_type="application/json", REMOTE_ADDR=address)


def test_wrong_secrets_on_an_events_url_run_out_and_then_cost_no_lookup(failures, django_assert_num_queries):
    source = make_source("http")
    assert [http_event(source, "wrong").status_code for _ in range(3)] == [401, 401, 401]
    with django_assert_num_queries(0):
        refused = http_event(source, "wrong")
    assert refused.status_code == 429
    assert refused.json()["rate_limit"]["name"] == "failed_authentications"
    # The right secret from that address waits too; another address is not held up.
    assert http_event(source, source.secret).status_code == 429
    assert http_event(source, source.secret, address="198.51.100.9").status_code == 202
    assert Alert.objects.count() == 1


def test_the_allowance_is_the_one_api_keys_spend(failures):
    source = make_source("http")
    for _ in range(2):
        assert ApiClient("inc_not-a-key").get("/v1/identity", REMOTE_ADDR="192.0.2.7").status_code == 401
    assert http_event(source, "wrong").status_code == 401
    assert http_event(source, source.secret).status_code == 429


def test_pagerduty_routing_keys_are_counted_too(failures):
    make_source("pager_duty")
    assert [pagerduty_event("wrong").status_code for _ in range(3)] == [400, 400, 400]
    assert pagerduty_event("wrong").status_code == 429


def test_the_right_secret_spends_nothing(failures):
    source = make_source("http")
    assert [http_event(source, source.secret).status_code for _ in range(5)] == [202] * 5
