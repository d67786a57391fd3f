"""Scheduled maintenance and its updates, through the same services as the admin's and the
beat task that moves it at its window's edges."""

from datetime import datetime, timedelta, timezone as tz

import pytest
from django.utils import timezone

from statuspages import selectors, services
from statuspages.models import Maintenance, MaintenanceStatus, MaintenanceUpdate
from tests.contract import assert_matches_contract
from tests.factories import status_page

from .conftest import UNKNOWN

pytestmark = pytest.mark.django_db


def iso(moment: datetime) -> str:
    return moment.astimezone(tz.utc).isoformat().replace("+00:00", "Z")


def schedule_body(page, **fields):
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    return {
        "status_page_id": page.pk,
        "name": "Routine infrastructure upgrade",
        "maintenance_status": "maintenance_scheduled",
        "idempotency_key": "maintenance-1",
        "affected_component_ids": [page.test_components["API"].pk, page.test_components["Cards"].pk],
        "start_at": iso(start),
        "end_at": iso(start + timedelta(hours=2)),
        "message": "We will upgrade the database.",
        "notify_subscribers": True,
        **fields,
    }


def schedule(page, name="Database upgrade", *, starts_in=timedelta(days=1), components=("API",), **fields):
    start = timezone.now() + starts_in
    return services.schedule_maintenance(
        actor=None, status_page=page, name=name, message="Planned", starts_at=start, ends_at=start + timedelta(hours=2),
        components=[page.test_components[c] for c in components], **fields,
    )


# --- schedule ---------------------------------------------------------------------------------


def test_schedule_maintenance_answers_201_with_its_window(publisher, page):
    body = schedule_body(page)
    response = publisher.post("/v2/status_page_maintenances", body)
    maintenance = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenance")["status_page_maintenance"]
    assert response.status_code == 201
    assert maintenance["name"] == "Routine infrastructure upgrade" and maintenance["maintenance_status"] == "maintenance_scheduled"
    # incident.io's default: you publish the updates yourself.
    assert maintenance["automate_maintenance_status"] is False
    periods = {(p["component_id"], p["start_at"], p["end_at"]) for p in maintenance["component_maintenance_periods"]}
    assert periods == {(component_id, body["start_at"], body["end_at"]) for component_id in body["affected_component_ids"]}
    (update,) = maintenance["updates"]
    assert update["message"] == "We will upgrade the database." and update["maintenance_status"] == "maintenance_scheduled"
    assert {s["component_status"] for s in update["component_statuses"]} == {"operational"}
    assert MaintenanceUpdate.objects.get(pk=update["id"]).notify_subscribers is True
    # On the page: maintenance to come.
    assert [m.pk for m in selectors.page_overview(page).maintenances] == [maintenance["id"]]


def test_schedule_maintenance_under_way_puts_its_components_under_maintenance(publisher, page):
    now = timezone.now()
    body = schedule_body(page, maintenance_status="maintenance_in_progress", automate_maintenance_status=True, start_at=iso(now - timedelta(minutes=5)), end_at=iso(now + timedelta(hours=1)))
    response = publisher.post("/v2/status_page_maintenances", body)
    maintenance = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenance")["status_page_maintenance"]
    assert maintenance["automate_maintenance_status"] is True
    assert {s["component_status"] for s in maintenance["updates"][0]["component_statuses"]} == {"under_maintenance"}
    statuses = selectors.component_statuses(body["affected_component_ids"])
    assert set(statuses.values()) == {"under_maintenance"}
    # The period starts when it really started, not when the window opened.
    started = Maintenance.objects.get(pk=maintenance["id"]).started_at
    assert {p["start_at"] for p in maintenance["component_maintenance_periods"]} == {iso(started)}


def test_scheduling_twice_with_one_idempotency_key_answers_with_the_first(publisher, page):
    first = publisher.post("/v2/status_page_maintenances", schedule_body(page)).json()
    again = publisher.post("/v2/status_page_maintenances", schedule_body(page, name="Another"))
    assert assert_matches_contract(again, "Status Pages V2#CreateStatusPageMaintenance") == first
    assert Maintenance.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"affected_component_ids": [UNKNOWN]}, "affected_component_ids[0]"),
        ({"status_page_id": UNKNOWN}, "status_page_id"),
        ({"end_at": "2020-01-01T00:00:00Z"}, "end_at"),
        ({"maintenance_status": "maintenance_postponed"}, "maintenance_status"),
        ({"idempotency_key": None}, "idempotency_key"),
        ({"affected_component_ids": None}, "affected_component_ids"),
    ],
)
def test_scheduling_refuses_a_bad_body(publisher, page, change, field):
    body = {k: v for k, v in {**schedule_body(page), **change}.items() if v is not None}
    response = publisher.post("/v2/status_page_maintenances", body)
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenance")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == field
    assert not Maintenance.objects.exists()


def test_scheduling_refuses_a_component_the_page_does_not_show(publisher, page):
    elsewhere = status_page("Other", "other", components=["Elsewhere"]).test_components["Elsewhere"]
    response = publisher.post("/v2/status_page_maintenances", schedule_body(page, affected_component_ids=[elsewhere.pk]))
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenance")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == "affected_component_ids"


@pytest.mark.parametrize("client_name, status", [("reader", 403), ("stranger", 403), ("anonymous", 401)])
def test_only_publishers_schedule(request, page, client_name, status):
    response = request.getfixturevalue(client_name).post("/v2/status_page_maintenances", schedule_body(page))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenance")
    assert response.status_code == status and not Maintenance.objects.exists()


# --- list and show ----------------------------------------------------------------------------


def test_list_maintenance_of_a_page(reader, page):
    first, second = schedule(page, "First"), schedule(page, "Second", components=("Cards",))
    schedule(status_page("Other", "other", components=["Elsewhere"]), "Elsewhere", components=("Elsewhere",))
    response = reader.get("/v2/status_page_maintenances", {"status_page_id": page.pk})
    body = assert_matches_contract(response, "Status Pages V2#ListStatusPageMaintenances")
    assert [m["id"] for m in body["status_page_maintenances"]] == [second.pk, first.pk]
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_maintenance_by_component_group_and_window(reader, page):
    on_api = schedule(page, "API", starts_in=timedelta(days=1))
    on_cards = schedule(page, "Cards", starts_in=timedelta(days=10), components=("Cards",))
    query = {"status_page_id": page.pk}

    def listed(**filters):
        response = reader.get("/v2/status_page_maintenances", {**query, **filters})
        return {m["id"] for m in assert_matches_contract(response, "Status Pages V2#ListStatusPageMaintenances")["status_page_maintenances"]}

    assert listed(component_id=page.test_components["API"].pk) == {on_api.pk}
    assert listed(group_id=page.test_components["Cards"].placements.get().group_id) == {on_cards.pk}
    assert listed(sub_page_id=UNKNOWN) == set()
    assert listed(start_at=iso(timezone.now() + timedelta(days=5))) == {on_cards.pk}
    assert listed(end_at=iso(timezone.now() + timedelta(days=5))) == {on_api.pk}


def test_list_maintenance_needs_a_known_status_page(reader):
    response = reader.get("/v2/status_page_maintenances")
    assert_matches_contract(response, "Status Pages V2#ListStatusPageMaintenances")
    assert response.status_code == 422
    response = reader.get("/v2/status_page_maintenances", {"status_page_id": UNKNOWN})
    assert_matches_contract(response, "Status Pages V2#ListStatusPageMaintenances")
    assert response.status_code == 404


def test_show_maintenance_after_it_moved_by_itself(reader, page):
    maintenance = schedule(page, starts_in=timedelta(hours=-1), automate=True)
    services.advance_due_maintenance()
    services.advance_due_maintenance(now=timezone.now() + timedelta(hours=3))
    response = reader.get(f"/v2/status_page_maintenances/{maintenance.pk}")
    shown = assert_matches_contract(response, "Status Pages V2#ShowStatusPageMaintenance")["status_page_maintenance"]
    assert shown["maintenance_status"] == "maintenance_complete"
    assert [u["maintenance_status"] for u in shown["updates"]] == ["maintenance_complete", "maintenance_in_progress", "maintenance_scheduled"]
    assert [s["component_status"] for s in shown["updates"][1]["component_statuses"]] == ["under_maintenance"]
    maintenance.refresh_from_db()
    (period,) = shown["component_maintenance_periods"]
    assert (period["start_at"], period["end_at"]) == (iso(maintenance.started_at), iso(maintenance.completed_at))


def test_show_unknown_maintenance_is_404(reader):
    response = reader.get(f"/v2/status_page_maintenances/{UNKNOWN}")
    assert_matches_contract(response, "Status Pages V2#ShowStatusPageMaintenance")
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_maintenance_list_query_count_is_constant(reader, page, n, django_assert_num_queries):
    for i in range(n):
        maintenance = schedule(page, f"Maintenance {i}", components=("API", "Cards"))
        services.post_maintenance_update(actor=None, maintenance=maintenance, message="Still planned")
    # key lookup, page, maintenance, the components each affects, their updates
    with django_assert_num_queries(5):
        response = reader.get("/v2/status_page_maintenances", {"status_page_id": page.pk, "page_size": 250})
    assert response.status_code == 200 and len(response.json()["status_page_maintenances"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_maintenance_show_query_count_is_constant(reader, page, n, django_assert_num_queries):
    maintenance = schedule(page, components=("API", "Cards", "Invoices"))
    for i in range(n):
        services.post_maintenance_update(actor=None, maintenance=maintenance, message=f"Update {i}")
    # key lookup, maintenance, the components it affects, its updates
    with django_assert_num_queries(4):
        response = reader.get(f"/v2/status_page_maintenances/{maintenance.pk}")
    assert response.status_code == 200 and len(response.json()["status_page_maintenance"]["updates"]) == n + 1


# --- reschedule and delete --------------------------------------------------------------------


def test_update_maintenance_moves_its_window_without_an_update(publisher, page):
    maintenance = schedule(page)
    start = timezone.now().replace(microsecond=0) + timedelta(days=7)
    body = {"name": "Moved upgrade", "start_at": iso(start), "end_at": iso(start + timedelta(hours=4))}
    response = publisher.put(f"/v2/status_page_maintenances/{maintenance.pk}", body)
    shown = assert_matches_contract(response, "Status Pages V2#UpdateStatusPageMaintenance")["status_page_maintenance"]
    assert shown["name"] == "Moved upgrade" and len(shown["updates"]) == 1
    assert {(p["start_at"], p["end_at"]) for p in shown["component_maintenance_periods"]} == {(body["start_at"], body["end_at"])}


def test_update_maintenance_refuses_a_window_ending_before_it_starts(publisher, page):
    maintenance = schedule(page)
    body = {"name": "Backwards", "start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00Z"}
    response = publisher.put(f"/v2/status_page_maintenances/{maintenance.pk}", body)
    errors = assert_matches_contract(response, "Status Pages V2#UpdateStatusPageMaintenance")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == "end_at"


def test_delete_maintenance_answers_204(publisher, page):
    maintenance = schedule(page)
    response = publisher.delete(f"/v2/status_page_maintenances/{maintenance.pk}")
    assert_matches_contract(response, "Status Pages V2#DeleteStatusPageMaintenance")
    assert response.status_code == 204 and not Maintenance.objects.exists()
    response = publisher.delete(f"/v2/status_page_maintenances/{maintenance.pk}")
    assert_matches_contract(response, "Status Pages V2#DeleteStatusPageMaintenance")
    assert response.status_code == 404


def test_a_viewer_key_cannot_reschedule_or_delete(reader, page):
    maintenance = schedule(page)
    response = reader.delete(f"/v2/status_page_maintenances/{maintenance.pk}")
    assert_matches_contract(response, "Status Pages V2#DeleteStatusPageMaintenance")
    assert response.status_code == 403
    response = reader.put(f"/v2/status_page_maintenances/{maintenance.pk}", {"name": "x", "start_at": "2030-01-01T00:00:00Z", "end_at": "2030-01-02T00:00:00Z"})
    assert_matches_contract(response, "Status Pages V2#UpdateStatusPageMaintenance")
    assert response.status_code == 403 and Maintenance.objects.get().name == "Database upgrade"


# --- updates ----------------------------------------------------------------------------------


def update_body(maintenance, **fields):
    return {"status_page_maintenance_id": maintenance.pk, "message": "Work has started.", "notify_subscribers": True, **fields}


def test_an_update_that_starts_the_maintenance_turns_automation_off(publisher, page):
    maintenance = schedule(page, components=("API", "Cards"), automate=True)
    body = update_body(maintenance, maintenance_status="maintenance_in_progress", component_statuses=[{"component_id": page.test_components["API"].pk, "component_status": "under_maintenance"}])
    response = publisher.post("/v2/status_page_maintenance_updates", body)
    update = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenanceUpdate")["status_page_maintenance_update"]
    assert response.status_code == 201
    assert update["status_page_maintenance_id"] == maintenance.pk and update["maintenance_status"] == "maintenance_in_progress"
    assert {s["component_status"] for s in update["component_statuses"]} == {"under_maintenance"}
    maintenance.refresh_from_db()
    assert maintenance.status == MaintenanceStatus.IN_PROGRESS and maintenance.automate is False
    assert selectors.component_statuses([page.test_components["Cards"].pk])[page.test_components["Cards"].pk] == "under_maintenance"
    assert MaintenanceUpdate.objects.get(pk=update["id"]).notify_subscribers is True


def test_an_update_without_a_status_keeps_automation(publisher, page):
    maintenance = schedule(page, automate=True)
    response = publisher.post("/v2/status_page_maintenance_updates", update_body(maintenance, message="Still on for tomorrow"))
    update = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenanceUpdate")["status_page_maintenance_update"]
    assert update["maintenance_status"] == "maintenance_scheduled"
    maintenance.refresh_from_db()
    assert maintenance.automate is True


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"maintenance_status": "maintenance_complete", "component_statuses": [{"component_id": "{api}", "component_status": "operational"}]}, "component_statuses"),
        ({"status_page_maintenance_id": UNKNOWN}, "status_page_maintenance_id"),
        ({"component_statuses": [{"component_id": UNKNOWN, "component_status": "under_maintenance"}]}, "component_statuses[0].component_id"),
        ({"component_statuses": [{"component_id": "{api}", "component_status": "full_outage"}]}, "component_statuses[0].component_status"),
        ({"maintenance_status": "maintenance_scheduled"}, "maintenance_status"),  # never back
    ],
)
def test_maintenance_update_refuses_a_bad_body(publisher, page, fields, field):
    maintenance = schedule(page, status=MaintenanceStatus.IN_PROGRESS, starts_in=timedelta(minutes=-5))
    for status in fields.get("component_statuses", []):
        status["component_id"] = status["component_id"].format(api=page.test_components["API"].pk)
    response = publisher.post("/v2/status_page_maintenance_updates", update_body(maintenance, **fields))
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenanceUpdate")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == field
    assert maintenance.updates.count() == 1


def test_a_viewer_key_cannot_post_maintenance_updates(reader, page):
    maintenance = schedule(page)
    response = reader.post("/v2/status_page_maintenance_updates", update_body(maintenance))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageMaintenanceUpdate")
    assert response.status_code == 403 and maintenance.updates.count() == 1
