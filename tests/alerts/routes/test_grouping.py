"""Routes into incidents: matching, grouping within a window, declaring and attaching,
and what happens when every alert of an incident has resolved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import AlertGroup, IncidentAlert
from alerts.services import Event
from incidents.models import Incident, IncidentUpdate
from tests.alerts.factories import make_route, make_source

pytestmark = pytest.mark.django_db
#: an anchor far from midnight: nothing here depends on the day
T0 = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
SERVICE = "alert.metadata.labels.service"


def send(source, status, key, *, at=T0, service="api", severity="", title=None):
    event = Event(
        status=status,
        dedup_key=key,
        title=title or f"{key} on {service}",
        severity=severity,
        metadata={"labels": {"service": service}},
        body="{}",
    )
    return services.record_events(source=source, events=[event], now=at)[0]


def incidents_of(*alerts):
    return [IncidentAlert.objects.get(alert=a).incident for a in alerts]


def test_alerts_with_the_same_grouping_values_share_one_incident_and_others_get_their_own():
    source = make_source()
    make_route(source, grouping_keys=[SERVICE], grouping_window_seconds=600, name_template="{{ alert.metadata.labels.service }} is failing")
    a = send(source, "firing", "cpu", service="api")
    b = send(source, "firing", "mem", service="api", at=T0 + timedelta(seconds=30))
    c = send(source, "firing", "cpu-db", service="db", at=T0 + timedelta(seconds=40))
    first, second, third = incidents_of(a, b, c)
    assert first == second != third
    assert {i.name for i in Incident.objects.all()} == {"api is failing", "db is failing"}
    assert first.status.category == "triage" and first.visibility == "public"


def test_a_repeat_of_a_firing_alert_attaches_nothing_new():
    source = make_source()
    make_route(source, grouping_window_seconds=600)
    send(source, "firing", "cpu")
    send(source, "firing", "cpu", at=T0 + timedelta(seconds=5))
    assert IncidentAlert.objects.count() == 1 and Incident.objects.count() == 1


def test_a_rolling_window_stays_open_while_alerts_keep_coming():
    source = make_source()
    make_route(source, grouping_window_seconds=60, window_type="rolling")
    alerts = [send(source, "firing", f"k{i}", at=T0 + timedelta(seconds=50 * i)) for i in range(4)]
    assert len(set(incidents_of(*alerts))) == 1


def test_a_fixed_window_closes_a_window_after_its_first_alert():
    source = make_source()
    make_route(source, grouping_window_seconds=60, window_type="fixed")
    alerts = [send(source, "firing", f"k{i}", at=T0 + timedelta(seconds=50 * i)) for i in range(4)]
    first, second, third, fourth = incidents_of(*alerts)
    assert first == second != third == fourth
    assert AlertGroup.objects.filter(is_open=True).count() == 1


def test_a_window_of_zero_makes_each_alert_its_own_incident():
    source = make_source()
    make_route(source, grouping_window_seconds=0)
    alerts = [send(source, "firing", f"k{i}") for i in range(3)]
    assert len(set(incidents_of(*alerts))) == 3


def test_an_alert_after_its_groups_incident_closed_declares_a_new_one(statuses):
    source = make_source()
    make_route(source, grouping_window_seconds=3600)
    (first,) = incidents_of(send(source, "firing", "a"))
    from incidents import services as incident_services

    incident_services.close_incident(incident=first, actor=None, message="Done")
    (second,) = incidents_of(send(source, "firing", "b", at=T0 + timedelta(seconds=10)))
    assert second != first


def test_conditions_pick_which_alerts_a_route_takes():
    source = make_source()
    payments = {
        "conditions": [
            {"subject": SERVICE, "operation": "one_of", "param_bindings": [{"array_value": [{"literal": "payments"}]}]}
        ]
    }
    services.create_alert_route(name="Payments", sources=[(source, [payments])], grouping_window_seconds=60)
    send(source, "firing", "x", service="web")
    taken = send(source, "firing", "y", service="payments")
    assert [link.alert for link in IncidentAlert.objects.all()] == [taken]


def test_incident_conditions_let_a_route_group_without_declaring():
    source = make_source()
    critical = {"conditions": [{"subject": "alert.severity", "operation": "is", "param_bindings": [{"value": {"literal": "critical"}}]}]}
    make_route(source, grouping_window_seconds=600, incident_condition_groups=[critical])
    send(source, "firing", "warn", severity="warning")
    assert Incident.objects.count() == 0
    crit = send(source, "firing", "crit", severity="critical", at=T0 + timedelta(seconds=1))
    assert incidents_of(crit)[0].severity.name == "Critical"


def test_severity_comes_from_the_alert_and_max_raises_it(severities):
    source = make_source()
    make_route(source, grouping_window_seconds=600, severity_merge="max")
    (incident,) = incidents_of(send(source, "firing", "a", severity="minor"))
    assert incident.severity == severities["Minor"]
    send(source, "firing", "b", severity="critical", at=T0 + timedelta(seconds=1))
    incident.refresh_from_db()
    assert incident.severity == severities["Critical"]
    send(source, "firing", "c", severity="major", at=T0 + timedelta(seconds=2))
    incident.refresh_from_db()
    assert incident.severity == severities["Critical"]


def test_a_private_route_declares_private_live_incidents_with_a_fixed_severity(severities):
    source = make_source()
    make_route(source, is_private=True, start_in_triage=False, severity=severities["Major"])
    (incident,) = incidents_of(send(source, "firing", "a", severity="critical"))
    assert incident.visibility == "private" and incident.status.category == "live" and incident.severity.name == "Major"


def test_a_triage_incident_is_declined_when_every_alert_resolves():
    source = make_source()
    make_route(source, grouping_window_seconds=600, auto_decline_enabled=True)
    (incident,) = incidents_of(send(source, "firing", "a"), send(source, "firing", "b"))[:1]
    send(source, "resolved", "a", at=T0 + timedelta(seconds=5))
    incident.refresh_from_db()
    assert incident.status.category == "triage"
    send(source, "resolved", "b", at=T0 + timedelta(seconds=6))
    incident.refresh_from_db()
    assert incident.status.category == "declined"


@pytest.mark.parametrize(("when_resolved", "category", "updates"), [("resolve", "closed", 2), ("post_update", "live", 2), ("nothing", "live", 1)])
def test_what_a_route_does_when_every_alert_resolves(when_resolved, category, updates):
    source = make_source()
    make_route(source, start_in_triage=False, auto_decline_enabled=True, when_resolved=when_resolved)
    (incident,) = incidents_of(send(source, "firing", "a"))
    send(source, "resolved", "a", at=T0 + timedelta(seconds=5))
    incident.refresh_from_db()
    assert incident.status.category == category
    assert IncidentUpdate.objects.filter(incident=incident).count() == updates


def test_resolving_an_alert_by_hand_settles_its_incident_too():
    source = make_source()
    make_route(source, start_in_triage=False, when_resolved="resolve")
    alert = send(source, "firing", "a")
    services.resolve_alert(alert=alert)
    assert Incident.objects.get().status.category == "closed"


def test_a_disabled_route_takes_nothing():
    source = make_source()
    make_route(source, enabled=False)
    send(source, "firing", "a")
    assert Incident.objects.count() == 0


def test_an_alert_is_kept_when_its_route_cannot_declare(caplog):
    from incidents.models import IncidentStatus

    IncidentStatus.objects.filter(category="triage").delete()
    source = make_source()
    make_route(source)
    alert = send(source, "firing", "a")
    assert alert.pk and Incident.objects.count() == 0
    assert "could not take alert" in caplog.text
