"""The PostgreSQL backend's health check (config/postgresql), on the real server."""

import time

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_connection():
    """A second connection to the test database, which the test may see killed."""
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_a_live_idle_connection_is_usable_without_a_round_trip(other_connection, monkeypatch):
    def no_queries(*args, **kwargs):
        raise AssertionError("the health check asked the server")

    monkeypatch.setattr(other_connection.connection, "cursor", no_queries)
    assert other_connection.is_usable()


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


# --- send(): a query sent now, its answer read later -------------------------------------------


def _in_flight() -> bool:
    from psycopg import pq

    return connection.connection.pgconn.transaction_status == pq.TransactionStatus.ACTIVE


def test_a_sent_query_answers_with_its_rows_as_a_cursor_would():
    sql, params = "SELECT %s::int + 1, %s::text, NULL, true, %s::timestamptz", [41, "x", "2026-11-23T10:00:00Z"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchall()
    with connection.send(sql, params) as pending:
        assert _in_flight()
        assert pending.rows() == expected
        assert not _in_flight()
        assert expected[0][:4] == (42, "x", None, True)
    with connection.cursor() as cursor:  # the connection is free again
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_query_runs_while_the_caller_does_something_else():
    with connection.send("SELECT pg_sleep(0.05), 1", []) as pending:
        pgconn = connection.connection.pgconn
        assert _in_flight() and pgconn.is_busy()
        deadline = time.monotonic() + 5
        while pgconn.is_busy() and time.monotonic() < deadline:
            time.sleep(0.01)  # the caller, busy elsewhere
            pgconn.consume_input()
        # The server answered meanwhile: the answer is there to be read.
        assert not pgconn.is_busy()
        assert pending.rows() == [("", 1)]


def test_an_answer_nobody_read_is_drained_on_leaving():
    with connection.send("SELECT 1", []):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


def test_a_failing_query_raises_djangos_error_and_leaves_the_connection_usable():
    from django.db import ProgrammingError

    with pytest.raises(ProgrammingError, match="no_such_table"):
        with connection.send("SELECT * FROM no_such_table WHERE id = %s", [1]) as pending:
            pending.rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)


def test_a_sent_query_is_counted_and_logged_like_any_other(django_assert_num_queries):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with django_assert_num_queries(1) as captured, connection.execute_wrapper(wrapper):
        with connection.send("SELECT %s::int", [7]) as pending:
            assert pending.rows() == [(7,)]
    assert seen == [("SELECT %s::int", [7])]
    assert captured.captured_queries[0]["sql"] == "SELECT 7::int"


def _prepared(statement: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = %s", [statement])
        return cursor.fetchone()[0] == 1


def test_a_query_run_often_on_a_connection_is_prepared_once():
    from config.postgresql.base import PREPARE_THRESHOLD

    for n in range(PREPARE_THRESHOLD + 3):
        with connection.send("SELECT %s::int * 2", [n]) as pending:
            assert pending.rows() == [(n * 2,)]
        # Not before its PREPARE_THRESHOLD-th run: a connection that lives for one
        # request does not pay a round trip to prepare.
        assert _prepared("SELECT $1::int * 2") is (n + 1 >= PREPARE_THRESHOLD)


def test_prepared_statements_are_off_behind_a_transaction_pooler():
    # DISABLE_SERVER_SIDE_CURSORS is Django's setting for PgBouncer's transaction pooling.
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        for _ in range(10):
            with connection.send("SELECT %s::int * 3", [2]) as pending:
                assert pending.rows() == [(6,)]
        assert not _prepared("SELECT $1::int * 3")
    finally:
        del connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]


def test_in_a_transaction_psycopg_has_not_begun_the_query_runs_inside_it():
    from django.db import transaction

    with transaction.atomic():
        # Nothing has run in the transaction yet, so psycopg's BEGIN is still to come: the
        # query waits for rows() and runs the ordinary way, inside the transaction.
        with connection.send("SELECT pg_current_xact_id()", []) as pending:
            assert not _in_flight()
            (first,) = pending.rows()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")
            assert cursor.fetchone() == first
        # Once it has begun, a query goes out at once, still inside it.
        with connection.send("SELECT pg_current_xact_id()", []) as pending:
            assert _in_flight()
            assert pending.rows() == [first]
