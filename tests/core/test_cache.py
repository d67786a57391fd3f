"""The circuit breaker in front of the cache's Redis (core/cache.py), on a clock of
the test's own. The backend it guards is tested against a real, failing Redis in
test_cache_faults.py."""

import logging
import threading
from types import SimpleNamespace

import pytest

from core.cache import CircuitBreaker

CLOSED, OPEN, HALF_OPEN = CircuitBreaker.CLOSED, CircuitBreaker.OPEN, CircuitBreaker.HALF_OPEN


@pytest.fixture
def clock():
    return SimpleNamespace(now=1000.0)


@pytest.fixture
def breaker(clock):
    return CircuitBreaker("Test Redis", failures=3, reset_seconds=5, clock=lambda: clock.now)


def fail(breaker, times=1):
    for _ in range(times):
        assert breaker.allow()
        breaker.failed(TimeoutError("Timeout reading from socket"))


def test_the_breaker_goes_closed_open_half_open_closed(breaker, clock):
    assert breaker.state == CLOSED
    fail(breaker, 2)
    assert breaker.state == CLOSED and breaker.allow()
    fail(breaker)  # the third in a row
    assert breaker.state == OPEN and not breaker.allow()
    clock.now += 4.9
    assert breaker.state == OPEN and not breaker.allow()
    clock.now += 0.1
    assert breaker.state == HALF_OPEN and breaker.allow()  # the probe
    breaker.succeeded()
    assert breaker.state == CLOSED and breaker.allow()


def test_a_success_between_failures_starts_the_count_again(breaker):
    fail(breaker, 2)
    breaker.succeeded()
    fail(breaker, 2)
    assert breaker.state == CLOSED


def test_a_failed_probe_opens_the_breaker_for_another_pause(breaker, clock):
    fail(breaker, 3)
    clock.now += 5
    fail(breaker)  # the probe
    assert breaker.state == OPEN and not breaker.allow()
    clock.now += 5
    assert breaker.state == HALF_OPEN


def test_while_half_open_only_the_probes_thread_calls(breaker, clock):
    fail(breaker, 3)
    clock.now += 5
    assert breaker.allow()
    assert breaker.allow()  # the probe's thread, making the calls of one request
    others = []
    thread = threading.Thread(target=lambda: others.append(breaker.allow()))
    thread.start()
    thread.join()
    assert others == [False]


def test_a_probe_that_never_reports_is_replaced_after_a_pause(breaker, clock):
    fail(breaker, 3)
    clock.now += 5
    assert breaker.allow()  # a probe whose thread dies before it reports
    others = []

    def another_thread():
        others.append(breaker.allow())
        clock.now += 5
        others.append(breaker.allow())

    thread = threading.Thread(target=another_thread)
    thread.start()
    thread.join()
    assert others == [False, True]


def test_an_outage_is_logged_when_it_starts_and_when_it_ends_not_per_call(breaker, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="core.cache")
    fail(breaker, 3)
    for _ in range(3):  # probes failing through a long outage
        clock.now += 5
        fail(breaker)
    clock.now += 5
    assert breaker.allow()
    breaker.succeeded()
    loud = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.levelname for record in loud] == ["ERROR", "WARNING"]
    assert "Test Redis is unreachable (TimeoutError: Timeout reading from socket)" in loud[0].getMessage()
    assert "Test Redis is reachable again, after 20.0 s" in loud[1].getMessage()


def test_failed_tells_whether_it_opened_the_breaker(breaker, clock):
    assert [breaker.failed(OSError()) for _ in range(3)] == [False, False, True]
    clock.now += 5
    assert breaker.allow() and breaker.failed(OSError()) is True
