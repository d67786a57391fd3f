"""API key authentication (core/api/auth.py): revoking a key takes effect for every
request that starts after the answer, whatever else is in flight (with acceleration on,
where keys are cached, and off: CI runs both); tokens that open no key are limited per
client address."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection

from core import ratelimit
from core.services import api_keys
from tests.clients import ApiClient
from tests.contract import assert_matches_contract
from tests.factories import ApiKeyFactory, declare

#: how many times each race is run per test (on one database: a transactional test's
#: flush costs more than a race), and what it asks of each run
TRIALS = 3
THREADS = 6
#: requests each thread makes before the change (so the key is cached and its last_used_at
#: refreshes are under way) and after the answer
BEFORE, AFTER = 3, 8


def hammer(token: str, paths: list[str], started: threading.Barrier, answered: threading.Event, after: list[int]):
    """Request ``paths`` in turn with ``token`` until ``AFTER`` requests started after the
    change was answered; record those requests' statuses."""
    client = ApiClient(token)
    try:
        for n in range(BEFORE):
            client.get(paths[n % len(paths)])
        started.wait()
        n = 0
        while n < AFTER:
            begun_after = answered.is_set()
            status = client.get(paths[n % len(paths)]).status_code
            if begun_after:
                after.append(status)
                n += 1
    finally:
        connection.close()  # this thread's own connection


def race(token: str, paths: list[str], change) -> list[int]:
    """Hammer ``paths`` from ``THREADS`` threads while ``change()`` (a request through the
    API, which must succeed) is made; the statuses of the requests begun after its answer."""
    started, answered, after = threading.Barrier(THREADS + 1), threading.Event(), []
    threads = [threading.Thread(target=hammer, args=(token, paths, started, answered, after)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait()
    response = change()
    assert response.status_code in (200, 201, 204), response.content
    answered.set()
    for thread in threads:
        thread.join()
    assert len(after) == THREADS * AFTER
    return after


@pytest.fixture
def refresh_every_request(monkeypatch):
    """last_used_at written (and the key cached again) on every request rather than once a
    minute: the refresh races every change."""
    monkeypatch.setattr(api_keys, "LAST_USED_RESOLUTION", timedelta(0))


@pytest.fixture
def failures_unlimited(settings):
    """The refused requests' 401s are what is counted, not the failure limit's 429s."""
    settings.API_AUTH_FAILURES_PER_MINUTE = 0


@pytest.fixture
def manager(db):
    return ApiClient(ApiKeyFactory(roles=["global_access"], name="Key manager").token)


def target_paths():
    """Identity (DRF), a show (the accelerated fast path) and a list."""
    incident = declare("Watched")
    return ["/v1/identity", f"/v2/incidents/{incident.pk}", "/v2/incidents"]



@pytest.mark.usefixtures("refresh_every_request", "failures_unlimited")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deleted_key_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer"])
        after = race(key.token, paths, lambda: manager.delete(f"/v1/api_keys/{key.pk}"))
        assert set(after) == {401}, f"{len(after) - after.count(401)} of {len(after)} admitted"


@pytest.mark.usefixtures("refresh_every_request", "failures_unlimited")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_rotated_without_grace_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer"])
        rotate = lambda: manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 0})  # noqa: E731
        after = race(key.token, paths, rotate)
        assert set(after) == {401}, f"{len(after) - after.count(401)} of {len(after)} admitted"


@pytest.mark.usefixtures("refresh_every_request", "failures_unlimited")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_whose_grace_a_second_rotation_ends_is_refused_after_the_answer(cache_backend, manager):
    paths = target_paths()
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer"])
        replaced = key.token
        first = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 30})
        assert first.status_code == 201 and ApiClient(replaced).get("/v1/identity").status_code == 200
        rotate = lambda: manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 30})  # noqa: E731
        after = race(replaced, paths, rotate)
        assert set(after) == {401}, f"{len(after) - after.count(401)} of {len(after)} admitted"


@pytest.mark.usefixtures("refresh_every_request", "failures_unlimited")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_removed_role_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()[1:]  # the reads need viewer; identity needs none
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer", "incident_creator"])
        payload = {"name": key.name, "role_names": ["incident_creator"], "team_ids": [], "team_role_names": []}
        after = race(key.token, paths, lambda: manager.put(f"/v1/api_keys/{key.pk}", payload))
        assert set(after) == {403}, f"{len(after) - after.count(403)} of {len(after)} allowed"


# --- failed authentications, per client address ----------------------------------------


@pytest.fixture
def failures(settings, monkeypatch, cache_backend):
    """Three failed authentications a minute per address, on a frozen clock (moved by
    hand: ``failures.now``)."""
    settings.API_AUTH_FAILURES_PER_MINUTE = 3
    clock = SimpleNamespace(now=1_785_173_140.25)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def wrong(address="192.0.2.7", path="/v1/identity"):
    return ApiClient("inc_not-a-key").get(path, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_an_address_past_its_failed_authentications_is_answered_429(failures):
    assert [wrong().status_code for _ in range(3)] == [401, 401, 401]
    response = wrong()
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 429 and body["type"] == "too_many_requests"
    assert body["errors"][0]["code"] == "too_many_requests"
    assert body["rate_limit"]["name"] == "failed_authentications" and body["rate_limit"]["limit"] == 3
    assert response["Retry-After"] == "20"  # one failure's worth refills in 60 s / 3


@pytest.mark.django_db
def test_a_refused_address_costs_no_database_lookup(failures, django_assert_num_queries):
    for _ in range(3):
        wrong()
    with django_assert_num_queries(0):
        assert wrong().status_code == 429


@pytest.mark.django_db
def test_failed_authentications_count_per_address(failures):
    for _ in range(4):
        wrong("192.0.2.7")
    assert wrong("192.0.2.8").status_code == 401


@pytest.mark.django_db
def test_failed_authentications_count_per_client_behind_our_proxy(failures, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def behind_proxy(forwarded):
        return ApiClient("inc_not-a-key").get("/v1/identity", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert [behind_proxy("203.0.113.5").status_code for _ in range(3)] == [401, 401, 401]
    assert behind_proxy("6.6.6.6, 203.0.113.5").status_code == 429  # what the client wrote changes nothing
    assert behind_proxy("203.0.113.6").status_code == 401  # another client behind the same proxy


@pytest.mark.django_db
def test_an_address_may_fail_again_once_its_allowance_refills(failures):
    for _ in range(4):
        wrong()
    failures.now += 20
    assert wrong().status_code == 401
    assert wrong().status_code == 429


@pytest.mark.django_db
def test_the_show_fast_path_refuses_a_failing_address_as_drf_does(failures):
    incident = declare("Watched")
    path = f"/v2/incidents/{incident.pk}"
    assert [wrong(path=path).status_code for _ in range(4)] == [401, 401, 401, 429]
    assert_matches_contract(wrong(path=path), "Incidents V2#Show")


@pytest.mark.django_db
def test_valid_keys_do_not_count_as_failures(failures):
    client = ApiClient(ApiKeyFactory(roles=["viewer"]).token)
    assert {client.get("/v1/identity", REMOTE_ADDR="192.0.2.7").status_code for _ in range(5)} == {200}
    assert wrong().status_code == 401


@pytest.mark.django_db
def test_failed_authentications_are_not_limited_with_the_setting_at_zero(failures, settings):
    settings.API_AUTH_FAILURES_PER_MINUTE = 0
    assert {wrong().status_code for _ in range(5)} == {401}
