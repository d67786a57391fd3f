"""Two events for one group at the same moment, on PostgreSQL with a connection per
thread: one incident, every alert attached to it; and concurrent resolutions of an
incident's last alerts settle it once."""

import threading

import pytest
from django.db import connection, connections

from alerts.models import Alert, AlertGroup, IncidentAlert
from alerts.services import Event, record_events
from incidents.models import Incident, IncidentUpdate
from tests.alerts.factories import make_route, make_source

THREADS = 8


def in_parallel(work):
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            work(n)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def event(status, key):
    return Event(status=status, dedup_key=key, title=f"{key} failing", metadata={"labels": {"service": "api"}}, body="{}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_alerts_of_one_group_declare_one_incident():
    source = make_source()
    make_route(source, grouping_keys=["alert.metadata.labels.service"], grouping_window_seconds=600)
    in_parallel(lambda n: record_events(source=source, events=[event("firing", f"key-{n}")]))
    assert Alert.objects.count() == THREADS
    incident = Incident.objects.get()
    assert IncidentAlert.objects.filter(incident=incident).count() == THREADS
    assert AlertGroup.objects.filter(is_open=True).count() == 1
    assert connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_resolutions_of_an_incidents_last_alerts_close_it_once():
    source = make_source()
    make_route(source, grouping_window_seconds=600, start_in_triage=False, when_resolved="post_update")
    record_events(source=source, events=[event("firing", f"key-{n}") for n in range(THREADS)])
    incident = Incident.objects.get()
    in_parallel(lambda n: record_events(source=source, events=[event("resolved", f"key-{n}")]))
    # The declaration's first update, and one "every alert has resolved".
    assert IncidentUpdate.objects.filter(incident=incident).count() == 2
    assert connection.vendor == "postgresql"
