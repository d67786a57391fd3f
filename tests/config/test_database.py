"""On PostgreSQL, parameters are bound by the server and hot statements prepared, through
the options Django and psycopg document (config/settings.py), not code of ours; and a
kept connection (CONN_MAX_AGE) that the server closed is replaced before a request uses
it (CONN_HEALTH_CHECKS)."""

import json

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from incidents.models import Incident
from tests.factories import ApiKeyFactory, declare

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_statement_run_five_times_is_prepared_on_its_connection():
    incident = declare("Prepared")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        before = cursor.fetchone()[0]
    for _ in range(6):
        assert Incident.objects.filter(pk=incident.pk).values_list("name", flat=True).get() == "Prepared"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] > before
    assert connection.connection.prepare_threshold == 5


def test_prepared_statements_can_be_turned_off():
    # What DATABASE_URL=...?prepare_threshold=none hands psycopg (behind PgBouncer).
    probe = connection.get_new_connection({**connection.get_connection_params(), "prepare_threshold": None})
    try:
        assert probe.prepare_threshold is None
        with probe.cursor() as cursor:
            for _ in range(6):
                cursor.execute("SELECT %s::int", [1])
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone()[0] == 0
    finally:
        probe.close()


# --- a connection the server closed between requests -------------------------------------


def serve(request) -> tuple[int, bytes]:
    """Serve ``request`` (a RequestFactory request) through Django's WSGI handler, as a
    gunicorn worker does: unlike the test client, which turns them off, the per-request
    connection checks run (request_started, request_finished)."""
    status = []
    response = WSGIHandler()(request.environ, lambda line, headers, exc_info=None: status.append(int(line.split()[0])))
    try:
        return status[0], b"".join(response)
    finally:
        response.close()


def terminate_backend_of(wrapper) -> None:
    """End ``wrapper``'s server process from another connection, as an administrator, a
    failover or an idle timeout would, and wait until it is gone."""
    pid = wrapper.connection.info.backend_pid
    with psycopg.connect(**{k: v for k, v in wrapper.get_connection_params().items() if k in ("host", "port", "user", "password", "dbname")}, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
        while other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            pass


@pytest.mark.django_db(transaction=True)
def test_requests_after_the_server_closed_the_idle_connection_succeed():
    key = ApiKeyFactory(roles=["global_access"])
    incident = declare("Still there")
    auth = {"Authorization": f"Bearer {key.token}"}
    factory = RequestFactory()
    assert serve(factory.get("/v2/incidents", headers=auth))[0] == 200
    kept = connection.connection
    assert kept is not None  # CONN_MAX_AGE keeps it for the next request

    terminate_backend_of(connection)
    assert serve(factory.get("/v2/incidents", headers=auth))[0] == 200
    terminate_backend_of(connection)
    assert serve(factory.get(f"/v2/incidents/{incident.pk}", headers=auth))[0] == 200
    terminate_backend_of(connection)
    body = {"idempotency_key": "after-a-restart", "visibility": "public", "name": "Declared"}
    status, content = serve(factory.post("/v2/incidents", json.dumps(body), content_type="application/json", headers=auth))
    assert status == 200, content  # incident.io answers a declaration 200
    assert connection.connection is not kept
