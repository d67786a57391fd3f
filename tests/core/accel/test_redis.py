"""The Redis cache backend acceleration swaps in for Django's (core/accel/redis.py),
on the real Redis."""

import os

import pytest
from redis.exceptions import ConnectionError

from core.accel.redis import AcceleratedRedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)")


CAPACITY = 60_000_000  # a minute's worth of microseconds


@pytest.fixture
def redis_cache():
    cache = AcceleratedRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "cache-backend-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is client
    redis_cache.set_many({"a": 1, "b": 2})
    assert redis_cache.get_many(["a", "b"]) == {"a": 1, "b": 2}


def test_admit_reads_the_entry_and_the_tokens_and_spends_from_the_bucket(redis_cache):
    redis_cache.set_many({"entry": {"name": "A key"}, "token:a": "01A", "token:c": "01C"})
    now, interval = 5_000_000, 1_000_000
    entry, spent, tokens = redis_cache.admit("entry", "bucket", ["token:a", "token:b", "token:c"], now=now, interval=interval, capacity=2 * interval)
    assert entry == {"name": "A key"} and spent == (True, now + interval) and tokens == ["01A", None, "01C"]
    assert redis_cache.admit("entry", "bucket", [], now=now, interval=interval, capacity=2 * interval)[1] == (True, now + 2 * interval)
    # Full: refused, and the refusal spends nothing.
    assert redis_cache.admit("entry", "bucket", [], now=now, interval=interval, capacity=2 * interval)[1] == (False, now + 2 * interval)
    # The bucket's entry lapses a window (here 2 s) after the bucket is full again (2 s).
    ttl = redis_cache._cache.get_client().pttl(redis_cache.make_and_validate_key("bucket"))
    assert 3_000 < ttl <= 4_000


def test_admit_spends_nothing_for_an_unknown_key_or_without_a_limit(redis_cache):
    entry, spent, tokens = redis_cache.admit("nobody", "bucket", ["token"], now=1_000, interval=10, capacity=30)
    assert (entry, spent, tokens) == (None, None, [None])
    redis_cache.set("entry", "a key")
    assert redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=0)[:2] == ("a key", None)
    assert redis_cache.get("bucket") is None


def test_admit_loads_its_script_when_redis_has_forgotten_it(redis_cache):
    # A bucket lapses a window after it is full again: a minute's, so it outlives the test.
    redis_cache.set("entry", "a key")
    assert redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=CAPACITY)[0] == "a key"
    redis_cache._cache.get_client().script_flush()  # as after a Redis restart
    assert redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=CAPACITY)[:2] == ("a key", (True, 1_020))


def test_admit_survives_a_connection_the_server_closed(redis_cache):
    import redis

    redis_cache.set("entry", "a key")
    assert redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=30)[0] == "a key"
    connection = redis_cache._cache._connection()
    connection.send_command("CLIENT", "ID")
    stale = connection.read_response()
    # The server closes it (a restart, an idle timeout), unknown to the client.
    redis.Redis.from_url(os.environ["REDIS_URL"]).client_kill_filter(_id=stale)
    assert redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=30)[0] == "a key"
    connection.send_command("CLIENT", "ID")
    assert connection.read_response() != stale


def test_each_thread_and_each_forked_process_has_its_own_connection(redis_cache, monkeypatch):
    import threading

    here = redis_cache._cache._connection()
    assert redis_cache._cache._connection() is here
    other = []
    thread = threading.Thread(target=lambda: other.append(redis_cache._cache._connection()))
    thread.start()
    thread.join()
    assert other[0] is not here
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a child after fork()
    assert redis_cache._cache._connection() is not here


def test_an_interrupted_call_does_not_leave_its_reply_for_the_next(redis_cache, monkeypatch):
    redis_cache.set("entry", "a key")
    connection = redis_cache._cache._connection()
    read = connection.read_response

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(connection, "read_response", interrupted)
    with pytest.raises(KeyboardInterrupt):
        redis_cache.admit("entry", "bucket", [], now=1_000, interval=10, capacity=30)
    monkeypatch.setattr(connection, "read_response", read)
    # The reply that was not read went with the connection.
    assert redis_cache.admit("other", "bucket", ["entry"], now=1_000, interval=10, capacity=30)[::2] == (None, ["a key"])


def test_a_call_whose_reply_was_lost_is_repeated_without_spending_again(redis_cache, monkeypatch):
    redis_cache.set("entry", "a key")
    redis_cache.admit("entry", "another bucket", [], now=1_000, interval=10, capacity=30)  # the script is loaded
    connection = redis_cache._cache._connection()
    read = connection.read_response
    lost = []

    def losing_the_first_reply(*args, **kwargs):
        reply = read(*args, **kwargs)  # the script ran and spent...
        if not lost:
            lost.append(reply)
            raise ConnectionError("Connection reset by peer")  # ...but its reply never came
        return reply

    monkeypatch.setattr(connection, "read_response", losing_the_first_reply)
    # A second's interval and a minute's capacity: the bucket outlives the test.
    now, interval = 1_000_000, 1_000_000
    entry, spent, _ = redis_cache.admit("entry", "bucket", [], now=now, interval=interval, capacity=CAPACITY)
    # Answered by the repeat, which only looked: the request was charged once.
    assert lost and entry == "a key" and spent == (True, now + interval)
    monkeypatch.setattr(connection, "read_response", read)
    assert redis_cache.admit("entry", "bucket", [], now=now, interval=interval, capacity=CAPACITY)[1] == (True, now + 2 * interval)


def test_a_second_failure_in_a_row_is_raised_to_the_breaker_which_answers_a_miss(redis_cache, monkeypatch):
    redis_cache.set("entry", "a key")
    connection = redis_cache._cache._connection()

    def failing(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(connection, "send_command", failing)
    with pytest.raises(ConnectionError):
        redis_cache._cache.admit(["entry", "bucket"], 1_000, 10, 30)
    assert redis_cache.admit("entry", "bucket", ["entry"], now=1_000, interval=10, capacity=30) == (None, None, [None])


def test_a_call_that_timed_out_is_not_repeated(redis_cache, monkeypatch):
    from redis.exceptions import TimeoutError

    connection = redis_cache._cache._connection()
    calls = []

    def hung(*args, **kwargs):
        calls.append(args)
        raise TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(connection, "send_command", hung)
    with pytest.raises(TimeoutError):
        redis_cache._cache.admit(["entry", "bucket"], 1_000, 10, 30)
    assert len(calls) == 1


def test_values_written_by_djangos_serializer_read_back(redis_cache):
    redis_cache.set_many({"number": 42, "text": "forty-two", "object": {"n": 42}})
    assert redis_cache.get_many(["number", "text", "object"]) == {"number": 42, "text": "forty-two", "object": {"n": 42}}
