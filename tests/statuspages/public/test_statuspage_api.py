"""Atlassian Statuspage's JSON per page (statuspages/views/statuspage_api.py), checked
against the fields and enums of docs/dialects/statuspage-json.md."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from statuspages.models import MaintenanceStatus
from tests.factories import status_page

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db

PAGE = {"id", "name", "url", "time_zone", "updated_at"}
STATUS = {"indicator", "description"}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
COMPONENT = {
    "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date",
    "group_id", "page_id", "group", "only_show_if_degraded",
}
COMPONENT_STATUSES = {"operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"}
INCIDENT = {
    "id", "name", "status", "impact", "created_at", "updated_at", "started_at", "monitoring_at", "resolved_at",
    "shortlink", "page_id", "incident_updates", "components",
}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
IMPACTS = {"none", "minor", "major", "critical"}
UPDATE = {"id", "status", "body", "incident_id", "created_at", "updated_at", "display_at", "affected_components"}
AFFECTED = {"code", "name", "old_status", "new_status"}
MAINTENANCE = INCIDENT | {"scheduled_for", "scheduled_until"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}


def get(client, document, slug="acme"):
    response = client.get(f"/status/{slug}/api/v2/{document}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def is_time(value):
    return value is None or datetime.fromisoformat(value).tzinfo is not None


def check_page(body, page):
    assert set(body["page"]) == PAGE
    assert body["page"]["id"] == page.pk and body["page"]["url"] == "http://localhost:8000/status/acme/"
    assert body["page"]["time_zone"] == "Europe/Paris" and is_time(body["page"]["updated_at"])


def check_component(entry):
    expected = COMPONENT | ({"components"} if entry["group"] else set())
    assert set(entry) == expected and entry["status"] in COMPONENT_STATUSES
    assert is_time(entry["created_at"]) and is_time(entry["updated_at"])


def check_incident(entry, fields=INCIDENT, statuses=INCIDENT_STATUSES, impacts=IMPACTS):
    assert set(entry) == fields and entry["status"] in statuses and entry["impact"] in impacts
    for name in ("created_at", "updated_at", "started_at", "monitoring_at", "resolved_at"):
        assert is_time(entry[name]), name
    for update in entry["incident_updates"]:
        assert set(update) == UPDATE and update["incident_id"] == entry["id"]
        for affected in update["affected_components"]:
            assert set(affected) == AFFECTED
            assert {affected["old_status"], affected["new_status"]} <= COMPONENT_STATUSES
    for shown in entry["components"]:
        check_component(shown)


@pytest.mark.parametrize(
    "statuses, indicator, description",
    [
        ({}, "none", "All systems operational"),
        ({"API": "degraded_performance"}, "minor", "Degraded performance"),
        ({"API": "partial_outage"}, "major", "Partial outage"),
        ({"API": "degraded_performance", "Cards": "full_outage"}, "critical", "Major outage"),
    ],
)
def test_status_json_says_the_worst_a_component_shows(client, page, statuses, indicator, description):
    if statuses:
        incident(page, statuses=statuses)
    body = get(client, "status.json")
    assert set(body) == {"page", "status"} and set(body["status"]) == STATUS
    check_page(body, page)
    assert body["status"] == {"indicator": indicator, "description": description}


def test_status_json_says_maintenance_while_maintenance_is_under_way(client, page):
    maintenance(page, hours_from_now=-1, hours=2, status=MaintenanceStatus.IN_PROGRESS)
    assert get(client, "status.json")["status"] == {"indicator": "maintenance", "description": "Maintenance in progress"}
    assert body_status(client, "summary.json")["API"] == "under_maintenance"


def body_status(client, document):
    return {c["name"]: c["status"] for c in get(client, document)["components"]}


def test_summary_json_has_the_documented_shape(client, page):
    incident(page, statuses={"API": "partial_outage", "Cards": "full_outage"})
    maintenance(page, components=("Invoices",))
    body = get(client, "summary.json")
    assert set(body) == {"page", "status", "components", "incidents", "scheduled_maintenances"}
    check_page(body, page)
    for entry in body["components"]:
        check_component(entry)
    for entry in body["incidents"]:
        check_incident(entry)
    for entry in body["scheduled_maintenances"]:
        check_incident(entry, MAINTENANCE, MAINTENANCE_STATUSES, IMPACTS | {"maintenance"})


def test_components_are_listed_in_page_order_with_groups_as_components(client, page):
    incident(page, statuses={"Cards": "full_outage"})
    components = get(client, "summary.json")["components"]
    assert [c["name"] for c in components] == ["API", "Dashboard", "Payments", "Cards", "Invoices"]
    assert [c["position"] for c in components] == [1, 2, 3, 4, 5]
    group = components[2]
    assert group["group"] is True and group["components"] == [components[3]["id"], components[4]["id"]]
    assert group["status"] == "major_outage" and components[3]["status"] == "major_outage"  # full_outage
    assert components[3]["group_id"] == group["id"] and components[0]["group_id"] is None
    assert all(c["page_id"] == page.pk for c in components)


def test_an_incident_shows_its_updates_and_what_each_moved(client, page):
    found = incident(page, name="Checkout failing", message="Looking", statuses={"Cards": "full_outage"})
    services.post_incident_update(actor=None, page_incident=found, message="Better", status="monitoring",
                                  component_statuses={component(page, "Cards"): "degraded_performance"})
    (entry,) = get(client, "summary.json")["incidents"]
    assert entry["name"] == "Checkout failing" and entry["status"] == "monitoring"
    assert entry["impact"] == "critical"  # the worst it ever set
    assert entry["shortlink"] == f"http://localhost:8000/status/acme/incidents/{found.pk}/"
    assert entry["monitoring_at"] is not None and entry["resolved_at"] is None
    latest, first = entry["incident_updates"]
    assert (latest["body"], first["body"]) == ("Better", "Looking")
    cards = component(page, "Cards").pk
    assert first["affected_components"] == [{"code": cards, "name": "Cards", "old_status": "operational", "new_status": "major_outage"}]
    assert latest["affected_components"] == [
        {"code": cards, "name": "Cards", "old_status": "major_outage", "new_status": "degraded_performance"}
    ]
    assert [c["name"] for c in entry["components"]] == ["Cards"]
    assert entry["components"][0]["status"] == "degraded_performance"


def test_an_incident_that_set_no_component_has_no_impact(client, page):
    incident(page)
    assert get(client, "incidents/unresolved.json")["incidents"][0]["impact"] == "none"


def test_incidents_json_lists_resolved_incidents_too_and_unresolved_json_does_not(client, page):
    over = incident(page, name="Over")
    services.post_incident_update(actor=None, page_incident=over, message="Fixed", status="resolved")
    incident(page, name="Ongoing")
    everything, unresolved = get(client, "incidents.json"), get(client, "incidents/unresolved.json")
    assert set(everything) == {"page", "incidents"} and set(unresolved) == {"page", "incidents"}
    assert [i["name"] for i in everything["incidents"]] == ["Ongoing", "Over"]
    assert [i["name"] for i in unresolved["incidents"]] == ["Ongoing"]
    assert everything["incidents"][1]["resolved_at"] is not None
    for entry in everything["incidents"]:
        check_incident(entry)


def test_scheduled_maintenance_documents(client, page):
    now = timezone.now()
    upcoming = maintenance(page, name="Upcoming", components=("API",))
    maintenance(page, name="Active", hours_from_now=-1, hours=2, status=MaintenanceStatus.IN_PROGRESS)
    services.schedule_maintenance(
        actor=None, status_page=page, name="Done", message="", starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1), status=MaintenanceStatus.COMPLETE,
    )
    everything = get(client, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert {m["name"]: m["status"] for m in everything} == {"Upcoming": "scheduled", "Active": "in_progress", "Done": "completed"}
    for entry in everything:
        check_incident(entry, MAINTENANCE, MAINTENANCE_STATUSES, {"maintenance"})
    assert [m["name"] for m in get(client, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]] == ["Upcoming"]
    assert [m["name"] for m in get(client, "scheduled-maintenances/active.json")["scheduled_maintenances"]] == ["Active"]
    shown = next(m for m in everything if m["name"] == "Upcoming")
    to_the_millisecond = upcoming.starts_at.replace(microsecond=upcoming.starts_at.microsecond // 1000 * 1000)
    assert datetime.fromisoformat(shown["scheduled_for"]) == to_the_millisecond
    assert [c["name"] for c in shown["components"]] == ["API"]
    assert shown["shortlink"].endswith(f"/status/acme/maintenance/{upcoming.pk}/")


def test_times_are_in_the_page_time_zone(client, page):
    incident(page)
    offset = datetime.now(tz=ZoneInfo("Europe/Paris")).strftime("%z")
    expected = f"{offset[:3]}:{offset[3:]}"
    entry = get(client, "incidents.json")["incidents"][0]
    assert entry["created_at"].endswith(expected) and get(client, "status.json")["page"]["updated_at"].endswith(expected)


def test_a_private_page_json_is_404_to_anonymous_readers(client, staff_reader, db):
    status_page(name="Internal", slug="internal", is_public=False)
    assert client.get("/status/internal/api/v2/summary.json").status_code == 404
    assert staff_reader.get("/status/internal/api/v2/summary.json").status_code == 200
