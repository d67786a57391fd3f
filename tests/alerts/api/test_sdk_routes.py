"""incident.io's SDK against a live server of ours: alert routes (create, list, show,
update, delete) and the incident alerts an event makes through a route, parsed into
the SDK's success models."""

import pytest
from incident_io import AuthenticatedClient
from incident_io.api.alert_routes_v2 import (
    alert_routes_v2_create,
    alert_routes_v2_delete,
    alert_routes_v2_list,
    alert_routes_v2_show,
    alert_routes_v2_update,
)
from incident_io.api.alerts_v2 import alerts_v2_list_incident_alerts
from incident_io.models import (
    AlertRoutesCreatePayloadV2,
    AlertRoutesCreateResultV2,
    AlertRoutesListResultV2,
    AlertRoutesShowResultV2,
    AlertRoutesUpdatePayloadV2,
    AlertRoutesUpdateResultV2,
    AlertsListIncidentAlertsResultV2,
)

from alerts import services
from alerts.services import Event
from core import services as core_services
from tests.alerts.api.test_routes import payload
from tests.alerts.factories import make_source

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server):
    _, token = core_services.create_api_key(actor=None, name="SDK key", roles=["manage_settings", "viewer"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


def parsed(response, model):
    assert response.status_code < 300, response.content
    assert isinstance(response.parsed, model), (type(response.parsed), response.content)
    return response.parsed


def test_routes_made_with_the_sdk_group_events_and_their_incident_alerts_read_back(sdk):
    source = make_source()
    body = payload(source)
    created = parsed(
        alert_routes_v2_create.sync_detailed(client=sdk, body=AlertRoutesCreatePayloadV2.from_dict(body)),
        AlertRoutesCreateResultV2,
    ).alert_route
    assert created.incident_config.grouping_window_seconds == 1800 and created.version == 1
    listed = parsed(alert_routes_v2_list.sync_detailed(client=sdk, page_size=25), AlertRoutesListResultV2)
    assert [r.id for r in listed.alert_routes] == [created.id]
    shown = parsed(alert_routes_v2_show.sync_detailed(created.id, client=sdk), AlertRoutesShowResultV2).alert_route
    assert shown.alert_sources[0].alert_source_id == source.pk

    event = Event(status="firing", dedup_key="k", title="k", metadata={"team": "payments", "service": "api"}, body="{}")
    (alert,) = services.record_events(source=source, events=[event])
    links = parsed(
        alerts_v2_list_incident_alerts.sync_detailed(client=sdk, page_size=25, alert_id=alert.pk),
        AlertsListIncidentAlertsResultV2,
    ).incident_alerts
    assert [(link.alert.id, link.alert_route_id) for link in links] == [(alert.pk, created.id)]
    assert links[0].incident.name == "api alerts"

    updated = parsed(
        alert_routes_v2_update.sync_detailed(
            created.id, client=sdk, body=AlertRoutesUpdatePayloadV2.from_dict({**body, "name": "Renamed", "version": 2})
        ),
        AlertRoutesUpdateResultV2,
    ).alert_route
    assert (updated.name, updated.version) == ("Renamed", 2)
    assert alert_routes_v2_delete.sync_detailed(created.id, client=sdk).status_code == 204
