import os

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from incidents import services


class ApiClient(Client):
    """A Django test client that sends a Bearer token and JSON bodies."""

    def __init__(self, token=None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._headers(headers), **extra)

    def delete(self, path, data=None, headers=None, **extra):
        return super().delete(path, data, headers=self._headers(headers), **extra)

    def post(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().post(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().put(path, data, content_type=content_type, headers=self._headers(headers), **extra)


def make_client(*roles, name="Test key"):
    key, token = services.create_api_key(actor=None, name=name, roles=list(roles))
    # Mark the key as just used, so the once-a-minute last_used_at write does not show up
    # in query counts.
    key.last_used_at = timezone.now()
    key.save(update_fields=["last_used_at"])
    client = ApiClient(token)
    client.key = key
    return client


@pytest.fixture
def api_as(db):
    """api_as("viewer", "incident_creator") -> a client holding a key with those roles."""
    return make_client


@pytest.fixture
def api(db):
    """A client whose key can do everything (global_access)."""
    return make_client("global_access", name="Global key")


@pytest.fixture
def viewer(db):
    return make_client("viewer", name="Viewer key")


@pytest.fixture
def anonymous(db):
    return ApiClient()


def redis_cache(settings) -> str:
    """Point the default cache at the real Redis (REDIS_URL; skipped without it) under a
    prefix of the test's own, with the backend the settings would pick; returns the prefix."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set (CI sets it)")
    prefix = f"api-test-{get_random_string(8)}"
    backend = (
        "incidents.api.accel.redis.AcceleratedRedisCache"
        if settings.API_ACCELERATION
        else "django.core.cache.backends.redis.RedisCache"
    )
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": prefix}}
    return prefix


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """Every behaviour twice: on the tests' local-memory cache and on Redis (with
    acceleration, the gate spends in the same Lua call that reads the key), when
    REDIS_URL is set."""
    if request.param == "redis":
        prefix = redis_cache(settings)
        yield request.param
        from django.core.cache import cache

        client = cache._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        return
    yield request.param
