"""The Redis cache backend we swap in for Django's (config/cache.py), on the real Redis."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache

from config.cache import ReusingRedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)")


@pytest.fixture
def redis_cache():
    cache = ReusingRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "cache-backend-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_incr_adds_to_an_existing_key(redis_cache):
    redis_cache.set("n", 40)
    assert redis_cache.incr("n", 2) == 42
    assert redis_cache.get("n") == 42


def test_incr_of_a_missing_key_raises_like_djangos(redis_cache):
    django_cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "cache-backend-test"})
    for cache in (redis_cache, django_cache):
        with pytest.raises(ValueError):
            cache.incr("missing")
    assert redis_cache.get("missing") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is client
    redis_cache.set_many({"a": 1, "b": 2})
    assert redis_cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
