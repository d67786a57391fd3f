"""Dedup and grouping, as properties: however the events of different keys interleave
(each key's own events in their order: repeats, resolves, re-fires), the alerts and the
incidents come out the same."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts import services
from alerts.models import Alert, IncidentAlert
from alerts.services import Event
from tests.alerts.factories import make_route, make_source

pytestmark = pytest.mark.django_db
KEYS = ("k0", "k1", "k2")
T0 = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)

per_key = st.fixed_dictionaries({key: st.lists(st.sampled_from(["firing", "resolved"]), max_size=6) for key in KEYS})


@st.composite
def two_interleavings(draw):
    events = draw(per_key)
    slots = [key for key, statuses in events.items() for _ in statuses]
    return events, draw(st.permutations(slots)), draw(st.permutations(slots))


def replay(source, events, slots):
    """Send the events in the order ``slots`` names keys; the outcome per key, and the
    incidents' status categories."""
    position = dict.fromkeys(KEYS, 0)
    for second, key in enumerate(slots):
        status = events[key][position[key]]
        position[key] += 1
        event = Event(status=status, dedup_key=key, title=f"{key} failing", metadata={"service": "api"}, body="{}")
        services.record_events(source=source, events=[event], now=T0 + timedelta(seconds=second))
    outcome = {}
    for key in KEYS:
        alerts = list(Alert.objects.filter(dedup_key=key).order_by("created_at"))
        links = {link.alert_id: link.incident for link in IncidentAlert.objects.filter(alert__in=alerts).select_related("incident__status")}
        local: dict[str, int] = {}
        outcome[key] = [
            (
                a.status,
                a.event_count,
                local.setdefault(links[a.pk].pk, len(local)) if a.pk in links else None,
                links[a.pk].status.category if a.pk in links else None,
            )
            for a in alerts
        ]
    return outcome


class Rollback(Exception):
    pass


def outcome_of(route_fields, events, slots):
    result = {}
    try:
        with transaction.atomic():
            source = make_source()
            make_route(source, **route_fields)
            result = replay(source, events, slots)
            result["incidents"] = len({link.incident_id for link in IncidentAlert.objects.all()})
            raise Rollback
    except Rollback:
        pass
    return result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=two_interleavings())
def test_alerts_and_incidents_per_key_do_not_depend_on_how_keys_interleave(case):
    # Grouped by key, closed when their alerts resolve: each key's incidents follow its
    # own events only.
    events, first, second = case
    fields = {"grouping_keys": ["alert.deduplication_key"], "grouping_window_seconds": 86400, "start_in_triage": False, "when_resolved": "resolve"}
    assert outcome_of(fields, events, first) == outcome_of(fields, events, second)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=two_interleavings())
def test_one_group_that_stays_open_gathers_every_alert_into_one_incident_whatever_the_order(case):
    events, first, second = case
    fields = {"grouping_keys": ["alert.metadata.service"], "grouping_window_seconds": 86400, "when_resolved": "nothing"}
    a, b = outcome_of(fields, events, first), outcome_of(fields, events, second)
    assert a == b
    fired = any("firing" in statuses for statuses in events.values())
    assert a["incidents"] == (1 if fired else 0)
