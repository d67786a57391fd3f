"""Events in while Redis is away, with real redis-server processes of the test's own:

- the cache's Redis (rate limits, cached pages) killed, then frozen: every kind of event
  is still answered 2xx and stored, and a wrong secret still 401 (the limiter falls back
  to per-process buckets);
- the Celery broker's Redis killed, with a real worker running beat: events and pings
  are still stored (202/204), and once the broker is back the beat's heartbeat check
  runs again in the worker and fires the heartbeat whose pings stopped meanwhile.

5xx is for an event that could not be stored (the database), never for Redis.
Skipped without ``redis-server`` unless REQUIRE_REDIS_SERVER=1; the worker test needs
PostgreSQL (the worker process shares the test database)."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from alerts import services
from alerts.models import Alert, AlertEvent, AlertStatus, Heartbeat
from core import cache as resilient
from tests.alerts.factories import make_source
from tests.core.test_cache_faults import RedisServer, _redis_server
from tests.notifications.conftest import use_broker
from tests.notifications.test_worker import Worker

PATIENCE = 120


def post(source, path, body, *, secret=None):
    return Client().post(
        path, body, content_type="application/json", headers={"Authorization": f"Bearer {secret or source.secret}"}
    )


def send_every_kind(sources, n: int) -> list[int]:
    http, alertmanager, heartbeat = sources
    return [
        post(http, f"/v2/alert_events/http/{http.pk}", {"title": "Disk full", "status": "firing", "deduplication_key": f"d{n}"}).status_code,
        post(alertmanager, f"/v2/alert_events/alertmanager/{alertmanager.pk}",
             {"version": "4", "groupKey": "g", "alerts": [{"labels": {"alertname": f"A{n}"}, "fingerprint": f"fp{n}"}]}).status_code,
        post(heartbeat, f"/v2/heartbeat/{heartbeat.pk}/ping", {}).status_code,
    ]


@pytest.fixture
def cache_redis(tmp_path, settings, db):
    server = RedisServer(_redis_server(), tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "breaker_failures": 3, "breaker_reset_seconds": 30},
        }
    }
    clock = SimpleNamespace(now=0.0)
    cache.breaker.clock = lambda: clock.now
    yield server
    server.stop()
    resilient._health.clear()  # a later test's server may get the same port: a new breaker


@pytest.mark.parametrize("fault", ["killed", "frozen"])
def test_events_are_stored_with_the_caches_redis_away(cache_redis, fault):
    sources = make_source("http"), make_source("alertmanager"), make_source("heartbeat")
    assert send_every_kind(sources, 0) == [202, 202, 204]
    cache_redis.kill() if fault == "killed" else cache_redis.freeze()
    for n in range(1, 6):
        assert send_every_kind(sources, n) == [202, 202, 204]
    wrong = post(sources[0], f"/v2/alert_events/http/{sources[0].pk}", {"title": "x", "status": "firing"}, secret="wrong")
    assert wrong.status_code == 401
    assert Alert.objects.filter(source=sources[0]).count() == 6
    assert Alert.objects.filter(source=sources[1]).count() == 6
    assert AlertEvent.objects.count() == 12
    assert Heartbeat.objects.get(source=sources[2]).last_ping_at is not None


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(_redis_server(), tmp_path)
    server.start()
    before = use_broker(server.url)  # whatever the event path enqueues goes to this broker
    yield server
    use_broker(before)
    server.stop()


def wait_for(condition, worker, what):
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}; the worker's log:\n{worker.tail()}")
        time.sleep(0.5)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_events_are_stored_and_the_beats_check_runs_when_it_returns(tmp_path, broker):
    sources = make_source("http"), make_source("alertmanager"), make_source("heartbeat")
    heartbeat = sources[2]
    worker = Worker(tmp_path, broker.url, SimpleNamespace(url="smtp://127.0.0.1:1"))
    worker.env["ALERTS_HEARTBEAT_CHECK_SECONDS"] = "1"
    worker.start()
    try:
        wait_for(lambda: "celery@" in worker.tail() and "ready" in worker.tail(), worker, "the worker to start")
        # Only now a short interval: the worker's start-up is slower than it.
        services.configure_heartbeat(source=heartbeat, options={"interval_seconds": 2})
        assert send_every_kind(sources, 0) == [202, 202, 204]

        broker.kill()
        # Events and pings go on for a while, so whatever checks the worker had already
        # taken from the broker run meanwhile (and find the heartbeat on time).
        n, until = 0, time.monotonic() + 10
        while time.monotonic() < until:
            n += 1
            assert send_every_kind(sources, n) == [202, 202, 204]
            time.sleep(0.3)
        assert Alert.objects.filter(source__in=sources[:2]).count() == 2 * (n + 1)
        # Pings stop; with the broker down the beat cannot hand its check to the worker.
        time.sleep(5)
        assert not Alert.objects.filter(source=heartbeat).exists()

        broker.start()  # the same port, empty
        wait_for(
            lambda: Alert.objects.filter(source=heartbeat, status=AlertStatus.FIRING).exists(),
            worker,
            "the beat's check to fire the silent heartbeat once the broker is back",
        )
        assert send_every_kind(sources, n + 1)[2] == 204
        assert Alert.objects.get(source=heartbeat).status == AlertStatus.RESOLVED
    finally:
        worker.stop()
