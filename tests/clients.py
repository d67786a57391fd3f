"""Clients of the API in tests: a keyed test client, a cache pointed at the real Redis,
and which acceleration backend serves them."""

import os

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from tests.factories import ApiKeyFactory


#: the two backends ACCELERATION_BACKEND may name (config/settings.py)
ACCELERATED = "core.accel.backend.Accelerated"
PLAIN = "core.acceleration.Acceleration"


def accelerated() -> bool:
    """Whether the accelerated backend serves (query counts differ by backend)."""
    return django_settings.ACCELERATION_BACKEND == ACCELERATED


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

    def patch(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().patch(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().put(path, data, content_type=content_type, headers=self._headers(headers), **extra)


def make_client(*roles, name="Test key"):
    key = ApiKeyFactory(roles=roles, name=name)
    # Mark the key as just used, so the once-a-minute last_used_at write does not show up
    # in query counts.
    key.last_used_at = timezone.now()
    key.save(update_fields=["last_used_at"])
    client = ApiClient(key.token)
    client.key = key
    return client


def redis_cache(settings) -> str:
    """Point the default cache at the real Redis (REDIS_URL; skipped without it) under a
    prefix of the test's own, with the backend the settings would pick; returns the prefix."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set (CI sets it)")
    prefix = f"api-test-{get_random_string(8)}"
    backend = "core.accel.redis.AcceleratedRedisCache" if accelerated() else "core.cache.ResilientRedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": prefix}}
    return prefix
