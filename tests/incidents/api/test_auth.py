"""API key authentication (incidents/api/auth.py): revoking a key takes effect for every
request that starts after the answer, whatever else is in flight (with acceleration on,
where keys are cached, and off: CI runs both)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from incidents.services import api_keys
from tests.factories import ApiKeyFactory, declare
from tests.incidents.api.conftest import ApiClient

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
def manager(db):
    return ApiClient(ApiKeyFactory(roles=["global_access"], name="Key manager").token)


def target_paths():
    """Identity (DRF), a show (the accelerated fast path) and a list."""
    incident = declare("Watched")
    return ["/v1/identity", f"/v2/incidents/{incident.pk}", "/v2/incidents"]



@pytest.mark.usefixtures("refresh_every_request")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_deleted_key_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer"])
        after = race(key.token, paths, lambda: manager.delete(f"/v1/api_keys/{key.pk}"))
        assert set(after) == {401}, f"{len(after) - after.count(401)} of {len(after)} admitted"


@pytest.mark.usefixtures("refresh_every_request")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_rotated_without_grace_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer"])
        rotate = lambda: manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 0})  # noqa: E731
        after = race(key.token, paths, rotate)
        assert set(after) == {401}, f"{len(after) - after.count(401)} of {len(after)} admitted"


@pytest.mark.usefixtures("refresh_every_request")
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


@pytest.mark.usefixtures("refresh_every_request")
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_removed_role_is_refused_for_every_request_after_the_answer(cache_backend, manager):
    paths = target_paths()[1:]  # the reads need viewer; identity needs none
    for _ in range(TRIALS):
        key = ApiKeyFactory(roles=["viewer", "incident_creator"])
        payload = {"name": key.name, "role_names": ["incident_creator"], "team_ids": [], "team_role_names": []}
        after = race(key.token, paths, lambda: manager.put(f"/v1/api_keys/{key.pk}", payload))
        assert set(after) == {403}, f"{len(after) - after.count(403)} of {len(after)} allowed"
