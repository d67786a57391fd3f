"""incident.io's official Python SDK (``incident-io``) pointed at a live server of ours:
every alert operation here comes back parsed into the SDK's success models."""

import pytest
from incident_io import AuthenticatedClient
from incident_io.api.alert_events_v2 import alert_events_v2_create_http
from incident_io.api.alert_sources_v2 import (
    alert_sources_v2_create,
    alert_sources_v2_delete,
    alert_sources_v2_list,
    alert_sources_v2_show,
    alert_sources_v2_update,
)
from incident_io.api.alerts_v2 import alerts_v2_list, alerts_v2_resolve, alerts_v2_show
from incident_io.models import (
    AlertEventsCreateHTTPPayloadV2,
    AlertEventsCreateHTTPResultV2,
    AlertsListResultV2,
    AlertSourcesCreatePayloadV2,
    AlertSourcesCreateResultV2,
    AlertSourcesListResultV2,
    AlertSourcesShowResultV2,
    AlertSourcesUpdatePayloadV2,
    AlertSourcesUpdateResultV2,
    AlertsResolveResultV2,
    AlertsShowResultV2,
    AlertsV2ListStatus,
)

from core import services as core_services

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server):
    _, token = core_services.create_api_key(actor=None, name="SDK key", roles=["manage_settings", "viewer", "incident_editor"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


def parsed(response, model):
    assert response.status_code < 300, response.content
    assert isinstance(response.parsed, model), (type(response.parsed), response.content)
    return response.parsed


TEMPLATE = {"title": {"reference": "title"}, "description": {"reference": "description"}, "expressions": [], "attributes": []}


def test_a_source_made_with_the_sdk_takes_events_and_its_alerts_are_read_back(sdk, live_server):
    created = parsed(
        alert_sources_v2_create.sync_detailed(
            client=sdk,
            body=AlertSourcesCreatePayloadV2.from_dict({"name": "Script", "source_type": "http", "template": TEMPLATE}),
        ),
        AlertSourcesCreateResultV2,
    ).alert_source
    assert created.secret_token and created.source_type == "http"
    listed = parsed(alert_sources_v2_list.sync_detailed(client=sdk), AlertSourcesListResultV2)
    assert [s.id for s in listed.alert_sources] == [created.id]
    parsed(alert_sources_v2_show.sync_detailed(created.id, client=sdk), AlertSourcesShowResultV2)

    # The sender authenticates with the source's secret, not an API key.
    with AuthenticatedClient(base_url=live_server.url, token=created.secret_token, raise_on_unexpected_status=True) as sender:
        accepted = parsed(
            alert_events_v2_create_http.sync_detailed(
                created.id,
                client=sender,
                body=AlertEventsCreateHTTPPayloadV2.from_dict(
                    {"title": "Disk full", "status": "firing", "deduplication_key": "disk-1", "metadata": {"host": "db-1"}}
                ),
            ),
            AlertEventsCreateHTTPResultV2,
        )
    assert accepted.deduplication_key == "disk-1" and accepted.status == "success"

    alerts = parsed(
        alerts_v2_list.sync_detailed(client=sdk, page_size=25, status=AlertsV2ListStatus.from_dict({"one_of": ["firing"]})),
        AlertsListResultV2,
    )
    assert [a.deduplication_key for a in alerts.alerts] == ["disk-1"]
    alert = alerts.alerts[0]
    shown = parsed(alerts_v2_show.sync_detailed(alert.id, client=sdk), AlertsShowResultV2)
    assert shown.alert.title == "Disk full" and shown.alert.alert_source_id == created.id
    resolved = parsed(alerts_v2_resolve.sync_detailed(alert.id, client=sdk), AlertsResolveResultV2)
    assert resolved.alert.status == "resolved" and resolved.alert.resolved_at is not None

    updated = parsed(
        alert_sources_v2_update.sync_detailed(
            created.id, client=sdk, body=AlertSourcesUpdatePayloadV2.from_dict({"name": "Renamed", "template": TEMPLATE})
        ),
        AlertSourcesUpdateResultV2,
    )
    assert updated.alert_source.name == "Renamed"
    assert alert_sources_v2_delete.sync_detailed(created.id, client=sdk).status_code == 204
