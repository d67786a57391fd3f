"""Cachet's schedules: the site page's maintenance, moved along its window by itself."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from statuspages import selectors, services
from statuspages.models import Maintenance, MaintenanceStatus

from ..conftest import cachet

pytestmark = pytest.mark.django_db


def schedule(site, name="Database upgrade", starts_in=timedelta(days=1), hours=2, components=(), **fields):
    starts_at = timezone.now() + starts_in
    return services.schedule_maintenance(
        actor=None, status_page=site, name=name, message="We will upgrade the database", starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours), components=components, **fields,
    )  # fmt: skip


def stamp(moment: datetime) -> str:
    """As Cachet shows a time."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def iso(moment: datetime) -> str:
    """As the document asks for one (RFC 3339)."""
    return moment.astimezone(UTC).isoformat()


def test_schedules_list_in_cachets_shape(guest, site):
    maintenance = schedule(site)
    body = cachet(guest.get("/api/schedules"), "cachet.api.schedules.index")
    attributes = body["data"][0]["attributes"]
    assert body["data"][0]["id"] == str(maintenance.number) and body["data"][0]["type"] == "schedules"
    assert attributes["scheduled"]["human"] in ("23 hours from now", "1 day from now")
    assert attributes | {"created": None, "updated": None} == {
        "id": maintenance.number,
        "name": "Database upgrade",
        "message": "We will upgrade the database",
        "status": {"human": "Upcoming", "value": "0"},
        "scheduled": {"human": attributes["scheduled"]["human"], "string": stamp(maintenance.starts_at)},
        "completed": {"human": attributes["completed"]["human"], "string": stamp(maintenance.ends_at)},
        "created": None,
        "updated": None,
    }


def test_schedules_filter_sort_and_include(guest, site):
    api = site.test_components["API"]
    later = schedule(site, "Later", starts_in=timedelta(days=3), components=[api])
    schedule(site, "Sooner", starts_in=timedelta(days=1))
    update = services.post_maintenance_update(actor=None, maintenance=later, message="Still on")
    names = lambda body: [item["attributes"]["name"] for item in body["data"]]  # noqa: E731
    assert names(cachet(guest.get("/api/schedules", {"sort": "scheduled_at"}), "cachet.api.schedules.index")) == ["Sooner", "Later"]
    assert names(cachet(guest.get("/api/schedules", {"filter[name]": "late"}), "cachet.api.schedules.index")) == ["Later"]
    assert names(cachet(guest.get("/api/schedules", {"filter[status]": "1"}), "cachet.api.schedules.index")) == []
    body = cachet(guest.get("/api/schedules", {"include": "components,updates", "sort": "-scheduled_at"}), "cachet.api.schedules.index")
    assert body["data"][0]["relationships"] == {
        "components": {"data": [{"type": "components", "id": str(api.number)}]},
        "updates": {"data": [{"type": "updates", "id": str(update.number)}]},
    }
    assert {(item["type"], item["id"]) for item in body["included"]} == {("components", str(api.number)), ("updates", str(update.number))}


def test_creating_a_schedule_announces_it_on_the_site(publisher, site):
    api = site.test_components["API"]
    body = {
        "name": "Database upgrade", "message": "Expect a short outage", "scheduled_at": "2030-01-05T22:00:00Z",
        "completed_at": "2030-01-05T23:30:00Z", "components": [{"id": api.number, "status": 6}],
    }  # fmt: skip
    created = cachet(publisher.post("/api/schedules", body), "cachet.api.schedules.store")["data"]["attributes"]
    assert (created["scheduled"]["string"], created["completed"]["string"]) == ("2030-01-05 22:00:00", "2030-01-05 23:30:00")
    assert created["status"]["value"] == "0" and created["message"] == "Expect a short outage"
    maintenance = Maintenance.objects.get()
    assert (maintenance.status_page, list(maintenance.components.all()), maintenance.automate) == (site, [api], True)


def test_a_window_already_open_is_in_progress_and_shows_on_the_page(publisher, site):
    api = site.test_components["API"]
    now = timezone.now()
    body = {"name": "Now", "message": "Working", "scheduled_at": iso(now - timedelta(minutes=5)), "completed_at": iso(now + timedelta(hours=1)), "components": [{"id": api.number, "status": 6}]}
    created = cachet(publisher.post("/api/schedules", body), "cachet.api.schedules.store")["data"]["attributes"]
    assert created["status"] == {"human": "In progress", "value": "1"}
    overview = selectors.page_overview(site)
    assert {view.component.name: view.status for view in overview.components}["API"] == "under_maintenance"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"message": "x", "scheduled_at": "2030-01-01", "completed_at": "2030-01-02"}, "name"),
        ({"name": "X", "scheduled_at": "2030-01-01", "completed_at": "2030-01-02"}, "message"),
        ({"name": "X", "message": "x", "completed_at": "2030-01-02"}, "scheduled_at"),
        ({"name": "X", "message": "x", "scheduled_at": "2030-01-01"}, "completed_at"),
        ({"name": "X", "message": "x", "scheduled_at": "2030-01-02", "completed_at": "2030-01-01"}, "completed_at"),
        ({"name": "X", "message": "x", "scheduled_at": "2030-01-01", "completed_at": "2030-01-02", "components": [{"id": 999, "status": 6}]}, "components"),
    ],
)
def test_invalid_schedules_are_refused(publisher, site, body, field):
    answer = cachet(publisher.post("/api/schedules", body), "cachet.api.schedules.store", 422)
    assert list(answer["errors"]) == [field]
    assert not Maintenance.objects.exists()


def test_updating_a_schedule(publisher, site):
    maintenance = schedule(site)
    body = {"name": "Bigger upgrade", "message": "Longer than planned", "completed_at": iso(maintenance.ends_at + timedelta(hours=1))}
    updated = cachet(publisher.put(f"/api/schedules/{maintenance.number}", body), "cachet.api.schedules.update")["data"]["attributes"]
    assert (updated["name"], updated["message"]) == ("Bigger upgrade", "Longer than planned")
    maintenance.refresh_from_db()
    assert updated["completed"]["string"] == stamp(maintenance.ends_at)
    assert maintenance.updates.count() == 1  # the message is the first update's


def test_a_window_moved_into_the_past_completes_on_the_next_beat(publisher, site):
    maintenance = schedule(site, starts_in=timedelta(minutes=-30), status=MaintenanceStatus.IN_PROGRESS)
    cachet(publisher.put(f"/api/schedules/{maintenance.number}", {"completed_at": iso(timezone.now() - timedelta(minutes=1))}), "cachet.api.schedules.update")
    services.advance_due_maintenance()
    maintenance.refresh_from_db()
    assert maintenance.status == MaintenanceStatus.COMPLETE


def test_deleting_a_schedule(publisher, reader, site):
    maintenance = schedule(site)
    cachet(reader.delete(f"/api/schedules/{maintenance.number}"), "cachet.api.schedules.destroy", 403)
    cachet(publisher.delete(f"/api/schedules/{maintenance.number}"), "cachet.api.schedules.destroy", 204)
    cachet(publisher.delete(f"/api/schedules/{maintenance.number}"), "cachet.api.schedules.destroy", 404)


def test_schedule_updates(publisher, guest, site):
    maintenance = schedule(site)
    url = f"/api/schedules/{maintenance.number}/updates"
    assert cachet(guest.get(url), "cachet.api.schedules.updates.index")["data"] == []
    created = cachet(publisher.post(url, {"message": "Still on for tomorrow"}), "cachet.api.schedules.updates.store")["data"]
    assert created["attributes"] | {"created": None, "updated": None} == {
        "id": created["attributes"]["id"], "updateable_id": maintenance.number, "updateable_type": "schedule",
        "message": "Still on for tomorrow", "created": None, "updated": None,
    }  # fmt: skip
    number = created["attributes"]["id"]
    shown = cachet(guest.get(f"{url}/{number}", {"include": "schedule"}), "cachet.api.schedules.updates.show")
    assert shown["data"]["relationships"] == {"schedule": {"data": {"type": "schedules", "id": str(maintenance.number)}}}
    edited = cachet(publisher.put(f"{url}/{number}", {"message": "Moved to Friday"}), "cachet.api.schedules.updates.update")
    assert edited["data"]["attributes"]["message"] == "Moved to Friday"
    cachet(publisher.delete(f"{url}/{number}"), "cachet.api.schedules.updates.destroy", 204)
    cachet(guest.get(f"{url}/{number}"), "cachet.api.schedules.updates.show", 404)
    assert maintenance.updates.count() == 1
    cachet(publisher.post(url, {}), "cachet.api.schedules.updates.store", 422)
    cachet(guest.post(url, {"message": "x"}), "cachet.api.schedules.updates.store", 401)


def test_schedules_of_a_private_site_are_for_keys_only(guest, reader):
    from tests.factories import status_page

    page = status_page("Internal", "internal", is_default=True, is_public=False)
    schedule(page)
    assert cachet(guest.get("/api/schedules"), "cachet.api.schedules.index")["data"] == []
    assert len(cachet(reader.get("/api/schedules"), "cachet.api.schedules.index")["data"]) == 1


@pytest.mark.parametrize("n", [1, 15])
def test_schedule_list_query_count_is_constant(guest, site, n, django_assert_num_queries):
    api = site.test_components["API"]
    for index in range(n):
        maintenance = schedule(site, f"Window {index}", starts_in=timedelta(days=index + 1), components=[api])
        services.post_maintenance_update(actor=None, maintenance=maintenance, message="Still on")
    # site, schedules
    with django_assert_num_queries(2):
        cachet(guest.get("/api/schedules", {"per_page": 50}), "cachet.api.schedules.index")
    # ...and which components they affect, those components, open impacts, maintenance under
    # way, the updates
    with django_assert_num_queries(7):
        cachet(guest.get("/api/schedules", {"per_page": 50, "include": "components,updates"}), "cachet.api.schedules.index")
    # ...and the updates' list of one schedule: site, schedule, updates
    with django_assert_num_queries(3):
        cachet(guest.get(f"/api/schedules/{maintenance.number}/updates"), "cachet.api.schedules.updates.index")
