"""incident.io's SDK against a live server: a heartbeat source made with
``alert_sources_v2`` and pinged with ``heartbeat_v2`` (both its POST and GET calls)."""

import pytest
from incident_io import AuthenticatedClient, Client
from incident_io.api.alert_sources_v2 import alert_sources_v2_create, alert_sources_v2_show
from incident_io.api.heartbeat_v2 import heartbeat_v2_ping, heartbeat_v2_ping_1
from incident_io.models import AlertSourcesCreatePayloadV2, AlertSourcesCreateResultV2, AlertSourcesShowResultV2

from alerts.models import Heartbeat
from core import services as core_services

pytestmark = pytest.mark.django_db(transaction=True)
TEMPLATE = {"title": {"literal": "Backup"}, "description": {"literal": ""}, "expressions": [], "attributes": []}


def test_a_heartbeat_made_and_pinged_with_the_sdk(live_server):
    _, token = core_services.create_api_key(actor=None, name="SDK key", roles=["manage_settings"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as sdk:
        payload = {"name": "Backup", "source_type": "heartbeat", "template": TEMPLATE,
                   "heartbeat_options": {"interval_seconds": 300, "grace_period_seconds": 30}}
        created = alert_sources_v2_create.sync_detailed(client=sdk, body=AlertSourcesCreatePayloadV2.from_dict(payload))
        assert isinstance(created.parsed, AlertSourcesCreateResultV2), created.content
        source = created.parsed.alert_source
        options = source.heartbeat_options
        assert (options.interval_seconds, options.grace_period_seconds, options.failure_threshold) == (300, 30, 1)
        assert options.ping_url.endswith(f"/v2/heartbeat/{source.id}/ping")
        shown = alert_sources_v2_show.sync_detailed(source.id, client=sdk)
        assert isinstance(shown.parsed, AlertSourcesShowResultV2)

    # The pinger needs only the source's secret: the SDK's header parameter, or ?token=.
    with Client(base_url=live_server.url, raise_on_unexpected_status=True) as pinger:
        posted = heartbeat_v2_ping.sync_detailed(source.id, client=pinger, authorization=f"Bearer {source.secret_token}")
        assert posted.status_code == 204
        first = Heartbeat.objects.get(source_id=source.id).last_ping_at
        got = heartbeat_v2_ping_1.sync_detailed(source.id, client=pinger, token=source.secret_token)
        assert got.status_code == 204
    assert Heartbeat.objects.get(source_id=source.id).last_ping_at > first
