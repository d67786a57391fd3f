"""Rate limiting: incident.io's token bucket per API key (a burst of the per-minute limit,
then a continuous refill), its headers and its 429 body; and the one rule every named
bucket follows, on every store. The clock is frozen by replacing ``time`` in
core.ratelimit, so no test sleeps."""

import math
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
def frozen(monkeypatch):
    """A frozen clock for the rate limiter: ``frozen.now`` is the time; move it by hand."""
    clock = SimpleNamespace(now=NOW)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


@pytest.fixture
def clock(frozen, cache_backend):
    """The frozen clock, on each cache (the tests' local memory, then Redis)."""
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
from core import acceleration
from core.api import throttling
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
    outcome = throttling.check(request, key)
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
        redis.delete_many([ratelimit.API_KEY.key(token_hash), *entries])
    # Ten attempts on one key across two processes: the bucket of six is spent once, not twice.
    assert outcomes.count(200) == 6 and outcomes.count(429) == 4


# --- one rule: every bucket, every store --------------------------------------------------------
#
# Every named bucket follows one rule, spent through Django's cache (the tests' local
# memory, and Redis when REDIS_URL is set); the accelerated gate spends the API key's
# bucket by the same rule in one Lua call on Redis. All of them answer this table, at a
# limit of three requests a window. Times and TATs are in the bucket's intervals
# (its window / 3) after T0.

RULE = [
    # (intervals after T0, fits, the TAT after, remaining after, intervals until one more fits)
    (0, True, 1, 2, None),  # a full bucket: the first request starts it from now
    (0, True, 2, 1, None),
    (0, True, 3, 0, None),  # the burst is spent
    (0, False, 3, 0, 1),  # refused, and the refusal spends nothing
    (0.5, False, 3, 0, 0.5),  # half an interval later: still nothing back
    (1, True, 4, 0, None),  # one interval later, one request's worth is back
    (1, False, 4, 0, 1),
    (100, True, 101, 2, None),  # idle long enough: full again, starting from now
]
S = 1_000_000
T0 = int(NOW * S)
#: a subject of each bucket (its key's parts)
SUBJECTS = {
    "api-key": ("0f" * 32,),
    "auth-failures": ("2001:db8::7",),
    "subscribe-requests": ("192.0.2.7",),
    "subscribe-emails": ("01J0000000000000000000PAGE", "ann@example.com"),
}


def follow_the_rule(bucket, subject, clock, spend):
    """Walk RULE through ``spend`` (the bucket's, or the gate's Lua call), looking at the
    bucket before each request; the outcomes, in the table's terms."""
    interval = bucket.plan().interval
    walked = []
    for at, _, _, _, _ in RULE:
        clock.now = NOW + at * interval / S
        seen = bucket.peek(*subject)
        spent = spend()
        assert seen.allowed == spent.allowed, f"a look at {at} intervals foretold {seen.allowed}"
        wait = None if spent.allowed else (spent.tat + interval - spent.plan.capacity - spent.plan.now) / interval
        if not spent.allowed:
            assert spent.retry_after == math.ceil(wait * interval / S)  # whole seconds, rounded up
        walked.append((at, spent.allowed, (spent.tat - T0) / interval, spent.remaining, wait))
    return walked


@pytest.mark.parametrize("name", list(ratelimit.BUCKETS))
def test_every_bucket_follows_the_one_rule_on_every_cache(name, clock, settings):
    bucket = ratelimit.BUCKETS[name]
    setattr(settings, bucket.limit_setting, 3)
    subject = SUBJECTS[name]
    walked = follow_the_rule(bucket, subject, clock, lambda: bucket.spend(*subject))
    assert walked == RULE


def test_the_gates_lua_call_spends_the_api_key_bucket_by_the_same_rule(frozen, settings):
    from django.core.cache import cache

    from tests.clients import ACCELERATED, redis_cache

    settings.ACCELERATION_BACKEND = ACCELERATED
    redis_cache(settings)
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    bucket, token_hash = ratelimit.API_KEY, get_random_string(20)
    cache.set(f"entry:{token_hash}", "a key")

    def lua_spend():
        planned = bucket.plan()
        _, spent, _ = cache.admit(
            f"entry:{token_hash}",
            bucket.key(token_hash),
            [],
            now=planned.now,
            interval=planned.interval,
            capacity=planned.capacity,
        )
        return ratelimit.RateLimit(allowed=spent[0], tat=spent[1], plan=planned)

    try:
        assert follow_the_rule(bucket, (token_hash,), frozen, lua_spend) == RULE
    finally:
        cache.delete_many([f"entry:{token_hash}", bucket.key(token_hash)])


def test_each_bucket_keeps_its_state_under_a_key_of_its_own():
    keys = {name: bucket.key(*SUBJECTS[name]) for name, bucket in ratelimit.BUCKETS.items()}
    # Kept across deploys (no per-deploy prefix), one prefix per bucket.
    assert keys["api-key"] == "rate:api-key:" + "0f" * 32
    assert keys["auth-failures"] == "rate:auth-failures:2001:db8::7"
    assert all(key.startswith(f"rate:{name}:") for name, key in keys.items())
    # Email and client addresses of the public form are not kept in clear.
    assert "ann@example.com" not in keys["subscribe-emails"] and "192.0.2.7" not in keys["subscribe-requests"]


@pytest.mark.parametrize("name", list(ratelimit.BUCKETS))
def test_a_limit_of_zero_turns_its_bucket_off(name, settings):
    bucket = ratelimit.BUCKETS[name]
    setattr(settings, bucket.limit_setting, 0)
    assert bucket.plan() is None
    assert bucket.spend(*SUBJECTS[name]) is None and bucket.peek(*SUBJECTS[name]) is None


# The rule's corners, on the cache's own calls.
INTERVAL, CAPACITY = S, 3 * S


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
