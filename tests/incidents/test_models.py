import threading
import time

import pytest
from django.db import connection, connections
from ulid import ULID

from core.models import new_ulid
from incidents.models import Incident
from tests.factories import declare


def test_ulid_ids_are_26_chars_and_time_ordered():
    first = new_ulid()
    time.sleep(0.002)
    second = new_ulid()
    assert len(first) == len(second) == 26
    assert first < second
    assert ULID.from_str(first).timestamp <= ULID.from_str(second).timestamp


@pytest.mark.django_db
def test_incidents_get_sequential_references():
    a = declare("First")
    b = declare("Second")
    assert b.reference_number == a.reference_number + 1
    assert b.reference == f"INC-{b.reference_number}"


@pytest.mark.django_db
def test_incident_ids_sort_in_declaration_order():
    incidents = []
    for n in range(5):
        incidents.append(declare(f"Incident {n}"))
        time.sleep(0.002)
    assert [i.pk for i in incidents] == sorted(i.pk for i in incidents)
    assert list(Incident.objects.values_list("pk", flat=True)) == sorted((i.pk for i in incidents), reverse=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_declarations_never_share_a_reference():
    # Eight threads, each with its own connection, declaring at the same moment.
    barrier = threading.Barrier(8)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            for m in range(5):
                declare(f"Concurrent {n}-{m}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(Incident.objects.values_list("reference_number", flat=True))
    assert numbers == list(range(numbers[0], numbers[0] + 40))
    assert connection.vendor == "postgresql"
