"""The site without its cache: a Redis of the test's own (``redis-server`` on a free port),
killed (SIGKILL) and frozen (SIGSTOP) while API clients list, show and declare incidents
and customers read a status page, with both acceleration backends.

Every request must still answer as it would with the cache, and a frozen Redis must cost
at most the calls the breaker lets through before it opens, each waiting for the read
timeout, however many requests come (counted, not timed). Once Redis is back, the cache
is used again, and nothing it kept from before hides a change made meanwhile.

Skipped without a ``redis-server`` binary (Debian's redis-server package), unless
REQUIRE_REDIS_SERVER=1 (CI sets it) makes that a failure.
"""

import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.utils.crypto import get_random_string

from core import acceleration, ratelimit, services
from core import cache as resilient
from statuspages import services as pages
from tests.clients import ApiClient, make_client
from tests.factories import declare, status_page

FAILURES = 3  # the breaker opens after this many failed calls in a row
RESET_SECONDS = 30  # ...and lets a probe through after this long (on the test's clock)
REQUESTS = ("list", "show", "create", "status page")


def _redis_server() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS_SERVER") == "1":
            pytest.fail("redis-server is not installed (apt-get install redis-server), and REQUIRE_REDIS_SERVER=1")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    return binary


class RedisServer:
    """A redis-server process of the test's own, on a free port, keeping nothing on disk."""

    def __init__(self, binary: str, directory):
        self.binary, self.directory = binary, directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for line in self.process.stdout:  # ends when the server exits
            if "Ready to accept connections" in line:
                threading.Thread(target=self.process.stdout.read, daemon=True).start()  # keep the pipe drained
                return
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(_redis_server(), tmp_path)
    server.start()
    yield server
    server.stop()


class Waits:
    """Calls to Redis that waited for a timeout: a connection's command (its reply, or its
    connection's handshake) that ended in redis-py's TimeoutError, counted once however
    deep in redis-py it was raised."""

    def __init__(self, monkeypatch):
        self.count = 0
        self._depth = threading.local()
        for name in ("connect", "read_response"):
            monkeypatch.setattr(redis.connection.AbstractConnection, name, self._counting(getattr(redis.connection.AbstractConnection, name)))

    def _counting(self, method):
        def counted(connection, *args, **kwargs):
            depth = getattr(self._depth, "n", 0)
            self._depth.n = depth + 1
            try:
                return method(connection, *args, **kwargs)
            except redis.exceptions.TimeoutError:
                if depth == 0:
                    self.count += 1
                raise
            finally:
                self._depth.n = depth

        return counted


@pytest.fixture
def site(speed, settings, redis_server, db, monkeypatch):
    """The cache pointed at the test's Redis (the backend the settings would pick), with
    short timeouts and a breaker on a clock of the test's own; a key that can do
    everything, an incident, a status page."""
    backend = "core.accel.redis.AcceleratedRedisCache" if speed else "core.cache.ResilientRedisCache"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": redis_server.url,
            "OPTIONS": {
                "socket_connect_timeout": 0.2, "socket_timeout": 0.2,
                "breaker_failures": FAILURES, "breaker_reset_seconds": RESET_SECONDS,
            },
        }
    }
    clock = SimpleNamespace(now=0.0)
    cache.breaker.clock = lambda: clock.now
    api = make_client("global_access", name="Global key")
    incident = declare("Checkout is slow")
    page = status_page(name="Acme status", slug="acme", components=["API"])
    yield SimpleNamespace(
        server=redis_server, clock=clock, api=api, incident=incident, page=page, public=Client(), waits=Waits(monkeypatch)
    )
    resilient._health.clear()  # a later test's server may get the same port: a new breaker


def answers(site) -> dict[str, int]:
    """What clients see for each kind of request."""
    created = site.api.post(
        "/v2/incidents", {"idempotency_key": get_random_string(12), "visibility": "public", "name": "Checkout is down"}
    )
    return {
        "list": site.api.get("/v2/incidents").status_code,
        "show": site.api.get(f"/v2/incidents/{site.incident.pk}").status_code,
        "create": created.status_code,
        "status page": site.public.get("/status/acme/").status_code,
    }


EXPECTED = dict.fromkeys(REQUESTS, 200)


def bucket_in_redis(site) -> int | None:
    """The TAT of the key's rate-limit bucket, as Redis holds it (None: none)."""
    value = site.server.client().get(cache.make_key(ratelimit.API_KEY.key(site.api.key.token_hash)))
    return None if value is None else int(value)


def test_the_site_answers_while_redis_is_killed_and_uses_it_again_once_it_is_back(site, caplog):
    assert answers(site) == EXPECTED
    assert bucket_in_redis(site) is not None  # the cache is in use
    site.server.kill()
    caplog.set_level(logging.WARNING, logger="core.cache")
    for _ in range(3):
        assert answers(site) == EXPECTED
    assert cache.breaker.state == "open"
    # One line when the breaker opened, none per request.
    assert [r.levelname for r in caplog.records if r.name == "core.cache"] == ["ERROR"]

    site.server.start()  # on the same port, empty
    site.clock.now += RESET_SECONDS
    assert answers(site) == EXPECTED
    assert cache.breaker.state == "closed"
    assert bucket_in_redis(site) is not None


def test_a_frozen_redis_costs_only_the_calls_before_the_breaker_opens(site):
    assert answers(site) == EXPECTED
    site.server.freeze()
    for _ in range(3):
        assert answers(site) == EXPECTED
    # Each call the breaker let through waited once for the read timeout; then none did.
    assert 1 <= site.waits.count <= FAILURES
    assert cache.breaker.state == "open"

    # A pause later, one probe is let through, waits, and opens the breaker again.
    site.clock.now += RESET_SECONDS
    waited = site.waits.count
    assert answers(site) == EXPECTED
    assert site.waits.count == waited + 1 and cache.breaker.state == "open"

    site.server.thaw()
    tat = bucket_in_redis(site)
    site.clock.now += RESET_SECONDS
    assert answers(site) == EXPECTED
    assert cache.breaker.state == "closed"
    assert bucket_in_redis(site) > tat  # the key's requests are counted in Redis again


def test_the_rate_limit_holds_per_process_while_redis_is_down(site, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    site.server.kill()
    statuses = [site.api.get("/v2/incidents").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_key_deleted_while_redis_was_frozen_is_refused_once_it_is_back(site):
    # The key is cached by its token (accelerated), and the frozen Redis keeps that entry.
    assert site.api.get("/v2/incidents").status_code == 200
    site.server.freeze()
    site.api.get("/v2/incidents")  # the breaker opens
    services.delete_api_key(key=site.api.key, actor=None)
    assert site.api.get("/v2/incidents").status_code == 401
    site.server.thaw()
    site.clock.now += RESET_SECONDS
    assert site.api.get("/v2/incidents").status_code == 401
    assert site.server.client().get(cache.make_key(acceleration.api_key_cache_key(site.api.key.token_hash))) is None


def test_a_status_page_changed_while_redis_was_frozen_shows_the_change_once_it_is_back(site):
    # Accelerated, the page's body is kept in the cache under its version, which the
    # frozen Redis keeps.
    assert b"Elevated errors" not in site.public.get("/status/acme/").content
    site.server.freeze()
    site.public.get("/status/acme/")  # the breaker opens
    pages.publish_incident(actor=None, status_page=site.page, name="Elevated errors", message="We are looking into it.")
    assert b"Elevated errors" in site.public.get("/status/acme/").content
    site.server.thaw()
    site.clock.now += RESET_SECONDS
    assert b"Elevated errors" in site.public.get("/status/acme/").content


def test_an_unknown_token_is_refused_with_401_while_redis_is_down(site):
    # Failed authentications are counted per client address through the cache too.
    site.server.kill()
    stranger = ApiClient("inc_not-a-key")
    assert [stranger.get("/v2/incidents").status_code for _ in range(2)] == [401, 401]
