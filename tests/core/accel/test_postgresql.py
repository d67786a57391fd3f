"""With acceleration, the PostgreSQL backend's health check polls the connection's socket
(core/accel/postgresql), on the real server."""

import time

import pytest
from django.db import connection, connections

from tests.clients import accelerated

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_connection(settings):
    """A second connection to the test database, through the accelerated backend, which
    the test may see killed."""
    from core.accel.postgresql.base import DatabaseWrapper

    # Its own wrapper under the default alias: django.contrib.postgres looks the alias up
    # in ``connections`` when a connection opens.
    wrapper = DatabaseWrapper({**connection.settings_dict}, alias=connection.alias)
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_the_accelerated_backend_is_the_engine_with_acceleration():
    engine = connections["default"].settings_dict["ENGINE"]
    assert engine == ("core.accel.postgresql" if accelerated() else "django.db.backends.postgresql")


def test_a_live_idle_connection_is_usable_without_a_round_trip(other_connection, monkeypatch):
    def no_queries(*args, **kwargs):
        raise AssertionError("the health check asked the server")

    monkeypatch.setattr(other_connection.connection, "execute", no_queries)
    monkeypatch.setattr(other_connection.connection, "cursor", no_queries)
    assert other_connection.is_usable()


def test_a_connection_inside_a_transaction_is_asked_as_django_asks(other_connection):
    other_connection.set_autocommit(False)
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the transaction has begun
    assert other_connection.is_usable()
    other_connection.rollback()
    other_connection.set_autocommit(True)


def test_a_connection_the_server_closed_is_not_usable(other_connection):
    pid = other_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while other_connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's goodbye takes a moment to arrive
    assert not other_connection.is_usable()
    # Django then replaces it, as with its own check.
    other_connection.health_check_enabled, other_connection.health_check_done = True, False
    other_connection.close_if_health_check_failed()
    assert other_connection.connection is None
    other_connection.ensure_connection()
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_closed_connection_is_not_usable(other_connection):
    other_connection.connection.close()
    assert not other_connection.is_usable()


def test_a_socket_that_cannot_be_polled_is_not_usable(other_connection, monkeypatch):
    import select

    def broken(*args, **kwargs):
        raise OSError("Bad file descriptor")

    monkeypatch.setattr(select, "select", broken)
    assert not other_connection.is_usable()


def test_a_connection_libpq_is_still_opening_is_not_usable(other_connection, monkeypatch):
    from psycopg import pq

    class Resetting:  # libpq is connecting it again, as after PQresetStart
        status = pq.ConnStatus.STARTED

    with monkeypatch.context() as patched:  # undone before the connection is closed
        patched.setattr(other_connection.connection, "pgconn", Resetting())
        assert not other_connection.is_usable()
