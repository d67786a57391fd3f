"""The accelerated gate caches keys (core/accel/gate.py): no interleaving of a
request with a change to its key lets the cache bring back the key as it was, on the
tests' local memory and on Redis."""

import pytest
from django.core.cache import cache

from core import acceleration
from core import services as core_services
from core.accel import gate
from core.models import ApiKey
from tests.clients import ApiClient, make_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("accelerated")]


@pytest.fixture
def client(cache_backend):
    client = make_client("viewer")
    assert client.get("/v1/identity").status_code == 200  # now cached
    return client


def change_midway(monkeypatch, step: str, change, *, before=False):
    """Make ``change()`` happen (committed, its on-commit work done) inside the gate's
    ``step`` (``find_api_key`` or ``record_use``), after the step itself ran (or just
    before it): as when a request read the row just before the change and writes the
    cache just after it."""
    original = getattr(core_services, step)

    def interleaved(*args, **kwargs):
        if before:
            change()
        result = original(*args, **kwargs)
        if not before:
            change()
        return result

    monkeypatch.setattr(gate.services, step, interleaved)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(change):
        def inner():
            with django_capture_on_commit_callbacks(execute=True):
                change()

        return inner

    return run


def test_a_key_read_before_its_deletion_is_not_cached_after_it(client, monkeypatch, committed):
    cache.delete(acceleration.api_key_cache_key(client.key.token_hash))  # the next request reads the row
    change_midway(monkeypatch, "find_api_key", committed(lambda: core_services.delete_api_key(key=client.key, actor=None)))
    assert client.get("/v1/identity").status_code == 200  # it began before the change
    monkeypatch.undo()
    assert client.get("/v1/identity").status_code == 401


def test_a_key_read_before_a_role_was_removed_is_not_cached_after_it(client, monkeypatch, committed):
    cache.delete(acceleration.api_key_cache_key(client.key.token_hash))

    def remove_viewer():
        core_services.update_api_key(key=ApiKey.objects.get(pk=client.key.pk), actor=None, name="Narrowed", roles=["incident_creator"])

    change_midway(monkeypatch, "find_api_key", committed(remove_viewer))
    assert client.get("/v2/incidents").status_code == 200
    monkeypatch.undo()
    assert client.get("/v2/incidents").status_code == 403


@pytest.fixture
def refresh_every_request(monkeypatch):
    monkeypatch.setattr(core_services.api_keys, "LAST_USED_RESOLUTION", core_services.api_keys.LAST_USED_RESOLUTION * 0)


@pytest.mark.parametrize("before", [True, False], ids=["row-gone-at-refresh", "row-gone-after-refresh"])
@pytest.mark.usefixtures("refresh_every_request")
def test_the_last_used_refresh_never_caches_a_key_deleted_meanwhile(client, monkeypatch, committed, before):
    change_midway(monkeypatch, "record_use", committed(lambda: core_services.delete_api_key(key=client.key, actor=None)), before=before)
    assert client.get("/v1/identity").status_code == 200  # it began before the change
    monkeypatch.undo()
    assert client.get("/v1/identity").status_code == 401


@pytest.mark.usefixtures("refresh_every_request")
def test_the_last_used_refresh_never_caches_a_key_rotated_meanwhile(client, monkeypatch, committed):
    change_midway(
        monkeypatch, "record_use", committed(lambda: core_services.rotate_api_key(key=ApiKey.objects.get(pk=client.key.pk), actor=None))
    )
    assert client.get("/v1/identity").status_code == 200
    monkeypatch.undo()
    assert client.get("/v1/identity").status_code == 401


def test_an_entry_cached_before_the_version_token_was_lost_is_not_trusted(client):
    # Evicted (or Redis restarted without its data): a new generation starts, and nothing
    # cached under an earlier one is used, here a key deleted behind the services' back.
    cache.delete(acceleration.token_key("api_keys"))
    ApiKey.objects.filter(pk=client.key.pk).delete()
    assert client.get("/v1/identity").status_code == 401


def test_a_key_is_served_from_the_cache_while_nothing_changes(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/v1/identity").status_code == 200


def test_a_cached_key_is_served_while_its_address_is_past_its_failed_authentications(client, settings):
    settings.API_AUTH_FAILURES_PER_MINUTE = 1
    wrong = ApiClient("inc_not-a-key")
    assert [wrong.get("/v1/identity").status_code for _ in range(2)] == [401, 429]
    assert client.get("/v1/identity").status_code == 200
