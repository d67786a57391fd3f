"""Per-key rate limiting: incident.io's token bucket (a burst of the per-minute limit, then a
continuous refill), its headers and its 429 body. The clock is frozen by replacing
``time`` in core.ratelimit, so no test sleeps."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils.crypto import get_random_string

from core import ratelimit
from core.models import ApiKey
from tests.clients import accelerated
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
NOW = 1_785_173_140.25


@pytest.fixture
def clock(monkeypatch, cache_backend):
    """A frozen clock for the rate limiter: ``clock.now`` is the time; move it by hand."""
    frozen = SimpleNamespace(now=NOW)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: frozen.now))
    return frozen


@pytest.fixture
def limit(settings):
    """Set the per-minute limit (the default is incident.io's 1200)."""

    def set_limit(n):
        settings.API_RATE_LIMIT_PER_MINUTE = n

    return set_limit


def spend(client, n) -> list[int]:
    return [client.get("/v1/identity").status_code for _ in range(n)]


def test_the_1201st_request_in_a_minute_is_429(viewer, clock, settings):
    assert settings.API_RATE_LIMIT_PER_MINUTE == 1200
    assert set(spend(viewer, 1200)) == {200}
    response = viewer.get("/v1/identity")
    assert response.status_code == 429


def test_429_carries_the_documented_body_and_headers(api_as, clock, limit):
    limit(5)
    client = api_as("viewer", name="Deploy bot")
    spend(client, 5)
    response = client.get("/v1/identity")
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 429
    assert body["type"] == "too_many_requests" and body["errors"][0]["code"] == "too_many_requests"
    # One request's worth refills in 60 s / 5 = 12 s.
    assert response["Retry-After"] == "12"
    assert body["rate_limit"] == {
        "name": "Deploy bot",
        "limit": 5,
        "remaining": 0,
        "retry_after": datetime.fromtimestamp(NOW + 12, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert response["X-RateLimit-Limit"] == "5, 5;window=60"
    assert response["X-RateLimit-Remaining"] == "0" and response["X-RateLimit-Used"] == "5"
    assert response["X-RateLimit-Reset"] == str(int(NOW) + 61)  # full again a minute after the burst
    assert response["X-Request-Id"] == body["request_id"]


def test_successful_responses_carry_the_allowance(viewer, clock, limit):
    limit(5)
    first = viewer.get("/v1/identity")
    assert first["X-RateLimit-Limit"] == "5, 5;window=60"
    assert (first["X-RateLimit-Remaining"], first["X-RateLimit-Used"]) == ("4", "1")
    second = viewer.get("/v1/identity")
    assert (second["X-RateLimit-Remaining"], second["X-RateLimit-Used"]) == ("3", "2")
    # Full again once the two spent requests have refilled: 2 x 12 s from now.
    assert second["X-RateLimit-Reset"] == str(int(NOW + 24) + 1)


def test_the_limit_is_per_key(api_as, clock, limit):
    limit(3)
    busy, quiet = api_as("viewer", name="Busy"), api_as("viewer", name="Quiet")
    assert spend(busy, 4) == [200, 200, 200, 429]
    assert spend(quiet, 3) == [200, 200, 200]


def test_the_bucket_refills_continuously(viewer, clock, limit):
    limit(5)
    assert spend(viewer, 6)[-1] == 429
    clock.now += 11.9
    assert viewer.get("/v1/identity").status_code == 429
    clock.now += 0.1  # 12 s after the burst: one request's worth is back, not the whole minute
    assert spend(viewer, 2) == [200, 429]
    clock.now += 60
    assert spend(viewer, 6) == [200] * 5 + [429]


def test_refused_requests_spend_nothing(viewer, clock, limit):
    limit(5)
    spend(viewer, 5)
    assert set(spend(viewer, 10)) == {429}
    clock.now += 12
    assert viewer.get("/v1/identity").status_code == 200


def test_no_window_boundary_gives_the_whole_allowance_back(viewer, clock, limit):
    # A fixed window would reset at the minute's boundary; a token bucket does not.
    limit(5)
    clock.now = 1_785_173_159.5  # half a second before a minute boundary
    assert spend(viewer, 6)[-1] == 429
    clock.now += 1
    assert viewer.get("/v1/identity").status_code == 429


def test_a_zero_limit_turns_rate_limiting_off(viewer, clock, limit):
    limit(0)
    assert set(spend(viewer, 30)) == {200}
    assert "X-RateLimit-Limit" not in viewer.get("/v1/identity")


def test_rate_limited_list_answers_429_in_the_contract_shape(viewer, clock, limit):
    limit(1)
    viewer.get("/v1/severities")
    response = viewer.get("/v1/severities")
    body = assert_matches_contract(response, "Severities V1#List")
    assert response.status_code == 429 and body["rate_limit"]["limit"] == 1


def test_public_endpoint_without_key_is_not_limited(anonymous, clock, limit):
    limit(1)
    assert {anonymous.get("/v1/ip_ranges").status_code for _ in range(3)} == {200}


CONSUMER = """
import json, sys
import django
django.setup()
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.conf import settings
from core import acceleration, ratelimit
from core.models import ApiKey

token = sys.argv[1]
key = ApiKey(pk=token[:26], name="Shared key", token_hash=ApiKey.hash_token(token), last_used_at=timezone.now())
entry = acceleration.api_key_cache_key(key.token_hash)
cache.set(entry, (acceleration.current()["api_keys"], key), timeout=60)  # as an earlier request left it
print(entry, flush=True)
sys.stdin.readline()  # both processes start spending together
outcomes = []
for _ in range(int(sys.argv[2])):
    request = HttpRequest()
    if settings.ACCELERATION_BACKEND == "core.accel.backend.Accelerated":
        acceleration.backend().admit(request, token)  # on Redis, spends in the Lua call that finds the key
    outcome = ratelimit.check(request, key)
    outcomes.append(200 if outcome.allowed else 429)
print(json.dumps(outcomes), flush=True)
"""


def test_the_limit_is_shared_across_processes_through_the_cache(tmp_path):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: sharing the limit between processes needs a shared cache (Redis)")
    import json

    from django.core.cache.backends.redis import RedisCache

    # A fresh token per run, so earlier runs leave nothing in this key's bucket.
    token = get_random_string(40)
    token_hash = ApiKey.hash_token(token)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CACHE_URL": redis_url,
        "API_RATE_LIMIT_PER_MINUTE": "6",
        "API_ACCELERATION": "true" if accelerated() else "false",
        "VAR_DIR": str(tmp_path / "var"),
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CONSUMER, token, "5"], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    try:
        entries = []  # each process prints the key's cache entry when it is ready
        for process in processes:
            entries.append(process.stdout.readline().strip())
            assert entries[-1], process.stderr.read()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = []
        for process in processes:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            outcomes += json.loads(out.strip().splitlines()[-1])
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        redis = RedisCache(redis_url, {})
        redis.delete_many([f"api-rate:{token_hash}", *entries])
    # Ten attempts on one key across two processes: the bucket of six is spent once, not twice.
    assert outcomes.count(200) == 6 and outcomes.count(429) == 4


# --- one rule, two implementations --------------------------------------------------------------
#
# The bucket's rule is written twice: ratelimit.spend() on any Django cache, and the Lua
# call of the accelerated gate on Redis. Both answer this table.

# A second's interval, three requests' worth: Redis keeps a bucket a window after it is
# full again, so the table's times must be real ones (microseconds would let it lapse).
S = 1_000_000
INTERVAL, CAPACITY = S, 3 * S
T0 = 1_000 * S
RULE = [
    # (microseconds after T0, fits, the bucket's TAT after)
    (0, True, T0 + S),  # a full bucket: the first request starts it from now
    (0, True, T0 + 2 * S),
    (0, True, T0 + 3 * S),  # the burst is spent
    (0, False, T0 + 3 * S),  # refused, and the refusal spends nothing
    (S // 2, False, T0 + 3 * S),  # half an interval later: still nothing back
    (S, True, T0 + 4 * S),  # one interval later, one request's worth is back
    (S, False, T0 + 4 * S),
    (100 * S, True, T0 + 101 * S),  # idle long enough: full again, starting from now
]


def _python_spend(token_hash, planned):
    return ratelimit.spend(token_hash, planned)


def _lua_spend(token_hash, planned):
    from django.core.cache import cache

    cache.set(f"entry:{token_hash}", "a key")
    _, spent, _ = cache.admit(
        f"entry:{token_hash}", ratelimit.bucket_key(token_hash), [], now=planned.now, interval=planned.interval, capacity=planned.capacity
    )
    return ratelimit.RateLimit(allowed=spent[0], tat=spent[1], plan=planned)


@pytest.mark.parametrize(
    "implementation, backend",
    [(_python_spend, "locmem"), (_python_spend, "django redis"), (_lua_spend, "accelerated redis")],
    ids=["python-locmem", "python-redis", "lua-redis"],
)
def test_both_implementations_of_the_bucket_follow_one_rule(implementation, backend, settings):
    from tests.clients import ACCELERATED, PLAIN, redis_cache

    if backend != "locmem":
        settings.ACCELERATION_BACKEND = ACCELERATED if backend == "accelerated redis" else PLAIN
        redis_cache(settings)
    token_hash = get_random_string(20)
    outcomes = [
        implementation(token_hash, ratelimit.Plan(now=T0 + at, interval=INTERVAL, capacity=CAPACITY))
        for at, _, _ in RULE
    ]
    assert [(o.allowed, o.tat) for o in outcomes] == [(fits, tat) for _, fits, tat in RULE]


def test_a_bucket_that_lapses_while_a_refusal_is_given_back_spends_nothing(monkeypatch):
    from django.core.cache import caches

    cache = caches["default"]

    planned = ratelimit.Plan(now=T0, interval=INTERVAL, capacity=CAPACITY)
    for _ in range(3):
        ratelimit.spend("lapsing", planned)

    def lapsed(key, delta=1, version=None):
        raise ValueError(f"Key '{key}' not found.")  # the entry expired in between

    monkeypatch.setattr(cache, "decr", lapsed)
    refused = ratelimit.spend("lapsing", planned)
    assert (refused.allowed, refused.tat) == (False, T0 + 3 * S)


def test_two_first_requests_racing_both_count(monkeypatch):
    from django.core.cache import caches

    cache = caches["default"]

    planned = ratelimit.Plan(now=T0, interval=INTERVAL, capacity=CAPACITY)
    add = cache.add

    def raced(key, value, timeout=None, version=None):
        add(key, value, timeout)  # another request created the bucket first...
        return False  # ...so this one's add finds it there

    monkeypatch.setattr(cache, "add", raced)
    # Both requests counted: the other's interval, then this one's.
    assert ratelimit.spend("racing", planned).tat == T0 + 2 * S
