"""Routes in the admin (saved through the services, help in plain words) and the incident
page's card of the alerts attached to the incident, registered from the alerts app."""

import pytest
from django.urls import reverse

from alerts import services
from alerts.models import AlertRoute
from alerts.services import Event
from incidents.models import Incident
from tests.alerts.factories import make_route, make_source

pytestmark = pytest.mark.django_db


def form(source, **overrides):
    body = {
        "name": "Payments",
        "enabled": "on",
        "sources": [source.pk],
        "condition_groups": "[]",
        "grouping_keys": '["alert.metadata.service"]',
        "grouping_window_seconds": "900",
        "window_type": "fixed",
        "incident_enabled": "on",
        "incident_condition_groups": "[]",
        "name_template": "{{ alert.metadata.service }} is failing",
        "summary_template": "",
        "severity_merge": "first-wins",
        "start_in_triage": "on",
        "when_resolved": "resolve",
        # the page's fields, as the add page fills them in
        "component_status": "partial_outage",
        "public_name": "Service disruption",
        "public_message": "We are investigating.",
        "public_resolved_message": "Resolved.",
    }
    return {**body, **overrides}


def test_adding_a_route_in_the_admin_saves_it_with_its_sources(staff_client):
    source = make_source()
    page = staff_client.get(reverse("admin:alerts_alertroute_add"))
    assert b"Rolling: each new alert keeps the group open" in page.content
    response = staff_client.post(reverse("admin:alerts_alertroute_add"), form(source), follow=True)
    assert response.status_code == 200
    route = AlertRoute.objects.get()
    assert (route.grouping_keys, route.window_type, route.when_resolved) == (["alert.metadata.service"], "fixed", "resolve")
    assert [rs.source_id for rs in route.route_sources.all()] == [source.pk]
    response = staff_client.post(
        reverse("admin:alerts_alertroute_change", args=[route.pk]), form(source, name="Renamed"), follow=True
    )
    route.refresh_from_db()
    assert (route.name, route.version) == ("Renamed", 2)


def test_a_bad_condition_is_shown_as_a_message_not_a_server_error(staff_client):
    source = make_source()
    bad = '[{"conditions": [{"subject": "alert.title", "operation": "resembles"}]}]'
    response = staff_client.post(reverse("admin:alerts_alertroute_add"), form(source, condition_groups=bad), follow=True)
    assert response.status_code == 200 and b"Operations are" in response.content
    assert not AlertRoute.objects.exists()


def test_the_incident_page_lists_its_alerts_firing_first(staff_client):
    source = make_source(name="Prometheus")
    make_route(source, grouping_window_seconds=600)
    for key in ("disk", "cpu"):
        services.record_events(source=source, events=[Event(status="firing", dedup_key=key, title=f"{key} alarm", body="{}")])
    services.record_events(source=source, events=[Event(status="resolved", dedup_key="disk", title="", body="{}")])
    incident = Incident.objects.get()
    html = staff_client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    card = html[html.index('id="alerts"') :]
    assert "1 firing of 2" in card and "Prometheus" in card
    assert card.index("cpu alarm") < card.index("disk alarm")


def test_an_incident_without_alerts_has_no_alerts_card(staff_client):
    from tests.factories import declare

    incident = declare("Typed by a person")
    html = staff_client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert 'id="alerts"' not in html
