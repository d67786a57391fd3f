"""incident.io's official Python SDK (``incident-io``) covers the status page API: pointed
at a live server of ours, each call must come back parsed into the SDK's success models,
which is what tooling written for incident.io sees when it is pointed here."""

from datetime import datetime, timedelta
from datetime import timezone as tz

import pytest
from incident_io import AuthenticatedClient
from incident_io.api.status_page_components_v2 import (
    status_page_components_v2_create,
    status_page_components_v2_destroy,
    status_page_components_v2_list,
    status_page_components_v2_show,
    status_page_components_v2_update,
)
from incident_io.api.status_pages_v2 import (
    status_pages_v2_create_status_page_incident,
    status_pages_v2_create_status_page_incident_update,
    status_pages_v2_create_status_page_maintenance,
    status_pages_v2_create_status_page_maintenance_update,
    status_pages_v2_create_status_page_retrospective_incident,
    status_pages_v2_delete_status_page_maintenance,
    status_pages_v2_list_status_page_incidents,
    status_pages_v2_list_status_page_maintenances,
    status_pages_v2_list_status_pages,
    status_pages_v2_show_status_page,
    status_pages_v2_show_status_page_component_availability,
    status_pages_v2_show_status_page_incident,
    status_pages_v2_show_status_page_maintenance,
    status_pages_v2_show_status_page_structure,
    status_pages_v2_update_status_page_incident,
    status_pages_v2_update_status_page_maintenance,
)
from incident_io.models import (
    StatusPageComponentsCreatePayloadV2,
    StatusPageComponentsCreateResultV2,
    StatusPageComponentsListResultV2,
    StatusPageComponentsShowResultV2,
    StatusPageComponentsUpdatePayloadV2,
    StatusPageComponentsUpdateResultV2,
    StatusPagesCreateStatusPageIncidentPayloadV2,
    StatusPagesCreateStatusPageIncidentResultV2,
    StatusPagesCreateStatusPageIncidentUpdatePayloadV2,
    StatusPagesCreateStatusPageIncidentUpdateResultV2,
    StatusPagesCreateStatusPageMaintenancePayloadV2,
    StatusPagesCreateStatusPageMaintenanceResultV2,
    StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2,
    StatusPagesCreateStatusPageMaintenanceUpdateResultV2,
    StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2,
    StatusPagesCreateStatusPageRetrospectiveIncidentResultV2,
    StatusPagesListStatusPageIncidentsResultV2,
    StatusPagesListStatusPageMaintenancesResultV2,
    StatusPagesListStatusPagesResultV2,
    StatusPagesShowStatusPageComponentAvailabilityResultV2,
    StatusPagesShowStatusPageIncidentResultV2,
    StatusPagesShowStatusPageMaintenanceResultV2,
    StatusPagesShowStatusPageResultV2,
    StatusPagesShowStatusPageStructureResultV2,
    StatusPagesUpdateStatusPageIncidentPayloadV2,
    StatusPagesUpdateStatusPageIncidentResultV2,
    StatusPagesUpdateStatusPageMaintenancePayloadV2,
    StatusPagesUpdateStatusPageMaintenanceResultV2,
)

from core import services as core_services
from statuspages import selectors
from tests.factories import status_page

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server):
    """An SDK client holding a status_page_publisher key, talking to our live server."""
    _, token = core_services.create_api_key(actor=None, name="SDK key", roles=["status_page_publisher"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


@pytest.fixture
def page():
    return status_page(components=["API"], groups={"Payments": ["Cards"]})


def parsed(response, model):
    """The SDK's parsed result, which must be the success model (not an ErrorResponse)."""
    assert response.status_code < 300, response.content
    assert isinstance(response.parsed, model), (type(response.parsed), response.content)
    return response.parsed


def test_pages_structure_and_availability(sdk, page):
    pages = parsed(status_pages_v2_list_status_pages.sync_detailed(client=sdk), StatusPagesListStatusPagesResultV2)
    assert [p.id for p in pages.status_pages] == [page.pk]
    shown = parsed(status_pages_v2_show_status_page.sync_detailed(page.pk, client=sdk), StatusPagesShowStatusPageResultV2)
    assert shown.status_page.public_url.endswith(f"/status/{page.slug}/")
    structure = parsed(status_pages_v2_show_status_page_structure.sync_detailed(page.pk, client=sdk), StatusPagesShowStatusPageStructureResultV2)
    api, payments = structure.current_structure.items
    assert api.component.name == "API" and [c.name for c in payments.group.components] == ["Cards"]
    now = datetime.now(tz.utc)
    availability = parsed(
        status_pages_v2_show_status_page_component_availability.sync_detailed(
            page.pk, page.test_components["API"].pk, client=sdk, start_at=now - timedelta(days=30), end_at=now
        ),
        StatusPagesShowStatusPageComponentAvailabilityResultV2,
    )
    assert availability.availability.availability_percent == "100.00"


def test_components(sdk):
    body = StatusPageComponentsCreatePayloadV2(name="App", description="Our iOS app")
    created = parsed(status_page_components_v2_create.sync_detailed(client=sdk, body=body), StatusPageComponentsCreateResultV2)
    component_id = created.status_page_component.id
    assert str(created.status_page_component.management_meta.managed_by) == "dashboard"
    listed = parsed(status_page_components_v2_list.sync_detailed(client=sdk), StatusPageComponentsListResultV2)
    assert [c.id for c in listed.status_page_components] == [component_id]
    parsed(status_page_components_v2_show.sync_detailed(component_id, client=sdk), StatusPageComponentsShowResultV2)
    update = StatusPageComponentsUpdatePayloadV2(name="iOS app")
    updated = parsed(status_page_components_v2_update.sync_detailed(component_id, client=sdk, body=update), StatusPageComponentsUpdateResultV2)
    assert updated.status_page_component.name == "iOS app"
    assert status_page_components_v2_destroy.sync_detailed(component_id, client=sdk).status_code == 204


def test_an_incident_from_first_post_to_resolution(sdk, page):
    api = page.test_components["API"].pk
    body = StatusPagesCreateStatusPageIncidentPayloadV2.from_dict({
        "status_page_id": page.pk, "name": "Elevated API errors", "incident_status": "investigating",
        "idempotency_key": "sdk-1", "message": "Looking into it", "notify_subscribers": False,
        "component_statuses": [{"component_id": api, "component_status": "full_outage"}],
    })
    created = parsed(status_pages_v2_create_status_page_incident.sync_detailed(client=sdk, body=body), StatusPagesCreateStatusPageIncidentResultV2)
    incident_id = created.status_page_incident.id
    assert selectors.page_overview(page).banner.level == "outage"
    again = parsed(status_pages_v2_create_status_page_incident.sync_detailed(client=sdk, body=body), StatusPagesCreateStatusPageIncidentResultV2)
    assert again.status_page_incident.id == incident_id  # the idempotency key holds

    rename = StatusPagesUpdateStatusPageIncidentPayloadV2(name="Elevated API latency")
    parsed(status_pages_v2_update_status_page_incident.sync_detailed(incident_id, client=sdk, body=rename), StatusPagesUpdateStatusPageIncidentResultV2)
    update = StatusPagesCreateStatusPageIncidentUpdatePayloadV2.from_dict(
        {"status_page_incident_id": incident_id, "message": "Fixed", "notify_subscribers": True, "incident_status": "resolved"}
    )
    posted = parsed(status_pages_v2_create_status_page_incident_update.sync_detailed(client=sdk, body=update), StatusPagesCreateStatusPageIncidentUpdateResultV2)
    assert [str(s.component_status) for s in posted.status_page_incident_update.component_statuses] == ["operational"]

    shown = parsed(status_pages_v2_show_status_page_incident.sync_detailed(incident_id, client=sdk), StatusPagesShowStatusPageIncidentResultV2)
    assert shown.status_page_incident.name == "Elevated API latency" and str(shown.status_page_incident.incident_status) == "resolved"
    (impact,) = shown.status_page_incident.component_impacts
    assert impact.end_at is not None
    listed = parsed(
        status_pages_v2_list_status_page_incidents.sync_detailed(client=sdk, status_page_id=page.pk, component_id=api),
        StatusPagesListStatusPageIncidentsResultV2,
    )
    assert [i.id for i in listed.status_page_incidents] == [incident_id]
    assert selectors.page_overview(page).banner.level == "operational"


def test_a_retrospective_incident(sdk, page):
    body = StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2.from_dict({
        "status_page_id": page.pk, "name": "Last year's outage", "idempotency_key": "history-1",
        "updates": [
            {"incident_status": "investigating", "message": "Down", "published_at": "2025-06-01T10:00:00Z",
             "component_statuses": [{"component_id": page.test_components["Cards"].pk, "component_status": "partial_outage"}]},
            {"incident_status": "resolved", "message": "Up", "published_at": "2025-06-01T11:00:00Z"},
        ],
    })
    created = parsed(
        status_pages_v2_create_status_page_retrospective_incident.sync_detailed(client=sdk, body=body),
        StatusPagesCreateStatusPageRetrospectiveIncidentResultV2,
    )
    assert created.status_page_incident.published_at == datetime(2025, 6, 1, 10, tzinfo=tz.utc)


def test_a_maintenance_from_schedule_to_deletion(sdk, page):
    start = datetime.now(tz.utc).replace(microsecond=0) + timedelta(days=1)
    body = StatusPagesCreateStatusPageMaintenancePayloadV2.from_dict({
        "status_page_id": page.pk, "name": "Database upgrade", "maintenance_status": "maintenance_scheduled",
        "idempotency_key": "sdk-maintenance-1", "affected_component_ids": [page.test_components["API"].pk],
        "start_at": start.isoformat(), "end_at": (start + timedelta(hours=2)).isoformat(),
        "message": "Planned", "notify_subscribers": False, "automate_maintenance_status": True,
    })
    created = parsed(status_pages_v2_create_status_page_maintenance.sync_detailed(client=sdk, body=body), StatusPagesCreateStatusPageMaintenanceResultV2)
    maintenance_id = created.status_page_maintenance.id
    assert created.status_page_maintenance.component_maintenance_periods[0].start_at == start

    move = StatusPagesUpdateStatusPageMaintenancePayloadV2(name="Database upgrade", start_at=start + timedelta(days=1), end_at=start + timedelta(days=1, hours=2))
    moved = parsed(status_pages_v2_update_status_page_maintenance.sync_detailed(maintenance_id, client=sdk, body=move), StatusPagesUpdateStatusPageMaintenanceResultV2)
    assert moved.status_page_maintenance.component_maintenance_periods[0].start_at == start + timedelta(days=1)
    update = StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2.from_dict(
        {"status_page_maintenance_id": maintenance_id, "message": "Starting early", "notify_subscribers": False, "maintenance_status": "maintenance_in_progress"}
    )
    posted = parsed(status_pages_v2_create_status_page_maintenance_update.sync_detailed(client=sdk, body=update), StatusPagesCreateStatusPageMaintenanceUpdateResultV2)
    assert [str(s.component_status) for s in posted.status_page_maintenance_update.component_statuses] == ["under_maintenance"]

    shown = parsed(status_pages_v2_show_status_page_maintenance.sync_detailed(maintenance_id, client=sdk), StatusPagesShowStatusPageMaintenanceResultV2)
    assert shown.status_page_maintenance.automate_maintenance_status is False
    listed = parsed(
        status_pages_v2_list_status_page_maintenances.sync_detailed(client=sdk, status_page_id=page.pk),
        StatusPagesListStatusPageMaintenancesResultV2,
    )
    assert [m.id for m in listed.status_page_maintenances] == [maintenance_id]
    assert status_pages_v2_delete_status_page_maintenance.sync_detailed(maintenance_id, client=sdk).status_code == 204
