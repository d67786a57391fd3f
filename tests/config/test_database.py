"""On PostgreSQL, parameters are bound by the server and hot statements prepared, through
the options Django and psycopg document (config/settings.py), not code of ours."""

import pytest
from django.db import connection

from incidents.models import Incident
from tests.factories import declare

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
