"""Cachet's incidents: the site page's, published with their first update, which moving
components and statuses go through the same services as every other caller's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from ulid import ULID

from statuspages import selectors, services
from statuspages.models import ComponentImpact, PageIncident, PageIncidentUpdate, Visibility
from tests.clients import make_client
from tests.factories import status_page

from ..conftest import assert_cachet_error, cachet

pytestmark = pytest.mark.django_db


def publish(site, name="Checkout is failing", message="We are looking into it", **fields):
    return services.publish_incident(actor=None, status_page=site, name=name, message=message, **fields)


def names(body) -> list[str]:
    return [item["attributes"]["name"] for item in body["data"]]


# --- creating ---------------------------------------------------------------------------------


def test_creating_an_incident_publishes_it_on_the_site_in_cachets_shape(publisher, site):
    body = {"name": "Checkout is failing", "status": 2, "message": "Card payments fail", "visible": True, "stickied": True}
    created = cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")["data"]
    incident = PageIncident.objects.get()
    assert created == {
        "id": str(incident.number),
        "type": "incidents",
        "attributes": {
            "id": incident.number,
            "guid": str(ULID.from_str(incident.pk).to_uuid()),
            "name": "Checkout is failing",
            "message": "Card payments fail",
            "visible": 1,
            "stickied": True,
            "notifications": 0,
            "status": {"human": "Identified", "value": "2"},
            "occurred": created["attributes"]["occurred"],
            "created": created["attributes"]["created"],
            "updated": created["attributes"]["updated"],
        },
    }
    assert (incident.status_page, incident.status, incident.visibility, incident.stickied) == (site, "identified", Visibility.PUBLIC, True)
    assert incident.actor_api_key == publisher.key
    assert created["attributes"]["occurred"]["string"] == incident.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def test_an_incident_is_for_signed_in_readers_unless_visible(publisher, guest, reader, site):
    created = cachet(publisher.post("/api/incidents", {"name": "Quiet", "status": 1, "message": "Hush"}), "cachet.api.incidents.store")
    number = created["data"]["attributes"]["id"]
    assert created["data"]["attributes"]["visible"] == 0
    cachet(guest.get(f"/api/incidents/{number}"), "cachet.api.incidents.show", 404)
    assert names(cachet(guest.get("/api/incidents"), "cachet.api.incidents.index")) == []
    assert names(cachet(reader.get("/api/incidents"), "cachet.api.incidents.index")) == ["Quiet"]


def test_an_incidents_components_move_at_once(publisher, guest, site):
    api, checkout = site.test_components["API"], site.test_components["Checkout"]
    body = {
        "name": "Outage", "status": 1, "message": "Down", "visible": True,
        "components": [{"id": api.number, "status": 4}], "component_id": checkout.number, "component_status": 2,
    }  # fmt: skip
    created = cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")["data"]
    statuses = {
        item["attributes"]["name"]: item["attributes"]["status"]["value"]
        for item in cachet(guest.get("/api/components"), "cachet.api.components.index")["data"]
    }
    assert statuses == {"API": "4", "Dashboard": "1", "Checkout": "2"}
    shown = cachet(guest.get(f"/api/incidents/{created['id']}", {"include": "components"}), "cachet.api.incidents.show")
    assert [c["id"] for c in shown["data"]["relationships"]["components"]["data"]] == [str(api.number), str(checkout.number)]


def test_an_incident_created_through_cachet_shows_on_the_page(publisher, site):
    api = site.test_components["API"]
    body = {"name": "Outage", "status": 1, "message": "Down", "visible": True, "components": [{"id": api.number, "status": 3}]}
    cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")
    overview = selectors.page_overview(site)
    assert [(incident.name, incident.timeline[0].message) for incident in overview.incidents] == [("Outage", "Down")]
    assert {view.component.name: view.status for view in overview.components}["API"] == "partial_outage"
    assert overview.banner.sentence == "Partial outage"


def test_notifications_ask_to_tell_subscribers(publisher, site):
    created = cachet(publisher.post("/api/incidents", {"name": "Loud", "status": 1, "message": "Hey", "notifications": True}), "cachet.api.incidents.store")
    assert created["data"]["attributes"]["notifications"] == 1
    assert PageIncidentUpdate.objects.get().notify_subscribers is True


def test_an_incident_may_be_back_dated(publisher, site):
    api = site.test_components["API"]
    body = {"name": "Last night", "status": 4, "message": "It was down", "occurred_at": "2024-05-01 22:15:00", "components": [{"id": api.number, "status": 4}]}
    created = cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")["data"]
    assert created["attributes"]["occurred"]["string"] == "2024-05-01 22:15:00"
    assert created["attributes"]["status"] == {"human": "Fixed", "value": "4"}
    incident = PageIncident.objects.get()
    assert incident.published_at == datetime(2024, 5, 1, 22, 15, tzinfo=UTC)
    # Fixed when it was published: the outage it reports holds no component now.
    assert not ComponentImpact.objects.filter(end_at__isnull=True).exists()


def test_a_template_writes_the_message(publisher, site):
    services.save_incident_template(actor=None, name="Outage", slug="outage", template="{{ service }} is down: {{ incident.name }} ({{ incident.status }}, {{ incident.component.name }})")
    api = site.test_components["API"]
    body = {"name": "Checkout", "status": 1, "template": "outage", "template_vars": ["unused"], "component_id": api.number, "component_status": 4}
    # The document types template_vars as a list; Cachet's code (and its users) send a map.
    response = publisher.post("/api/incidents", {**body, "template_vars": {"service": "Payments"}})
    created = cachet(response, "cachet.api.incidents.store", request=False)["data"]
    assert created["attributes"]["message"] == "Payments is down: Checkout (Investigating, API)"


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"status": 1, "message": "x"}, "name", "The name field is required."),
        ({"name": "X", "message": "x"}, "status", "The status field is required."),
        ({"name": "X", "status": 0, "message": "x"}, "status", "The selected status is invalid."),
        ({"name": "X", "status": 1}, "message", "The message field is required when template is not present."),
        ({"name": "X", "status": 1, "template": "nope"}, "template", "The selected template is invalid."),
        ({"name": "X", "status": 1, "message": "x", "component_id": 999, "component_status": 2}, "component_id", "The selected component id is invalid."),
        ({"name": "X", "status": 1, "message": "x", "component_id": 1}, "component_status", "The component status field is required when component id is present."),
        ({"name": "X", "status": 1, "message": "x", "components": [{"id": 1, "status": 6}]}, "components.0.status", "The selected components.0.status is invalid."),
        ({"name": "X", "status": 1, "message": "x", "occurred_at": "yesterday-ish"}, "occurred_at", "The occurred at field must be a valid date."),
        ({"name": "X", "status": 1, "message": "x", "occurred_at": "2999-01-01"}, "occurred_at", "The occurred at field must be a date before or equal to now."),
    ],
)
def test_invalid_incidents_are_refused_with_laravels_422(publisher, site, body, field, message):
    answer = cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store", 422)
    assert answer["errors"] == {field: [message]} and answer["message"] == message
    assert not PageIncident.objects.exists()


def test_an_incident_names_only_components_the_site_shows(publisher, site):
    other = status_page("Other", "other", components=["Elsewhere"])
    body = {"name": "X", "status": 1, "message": "x", "components": [{"id": other.test_components["Elsewhere"].number, "status": 3}]}
    answer = cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store", 422)
    assert answer["errors"] == {"components": ["Not on Acme status: Elsewhere"]}


def test_creating_needs_a_status_page(publisher):
    answer = cachet(publisher.post("/api/incidents", {"name": "X", "status": 1, "message": "x"}), "cachet.api.incidents.store", 422)
    assert answer["errors"] == {"status_page": [answer["message"]]}


def test_the_site_is_the_default_page_or_else_the_first_by_name(publisher, site):
    status_page("Aardvark", "aardvark")
    cachet(publisher.post("/api/incidents", {"name": "X", "status": 1, "message": "x"}), "cachet.api.incidents.store")
    assert PageIncident.objects.get().status_page == site
    services.save_status_page(page=site, actor=None, is_default=False)
    cachet(publisher.post("/api/incidents", {"name": "Y", "status": 1, "message": "y"}), "cachet.api.incidents.store")
    assert PageIncident.objects.get(name="Y").status_page.name == "Aardvark"


def test_writing_needs_a_publishing_key(guest, reader, site):
    cachet(guest.post("/api/incidents", {"name": "X", "status": 1, "message": "x"}), "cachet.api.incidents.store", 401)
    cachet(reader.post("/api/incidents", {"name": "X", "status": 1, "message": "x"}), "cachet.api.incidents.store", 403)


# --- reading ----------------------------------------------------------------------------------


def test_incidents_list_newest_first_and_sort_and_filter(guest, site):
    older = publish(site, "Older", published_at=timezone.now() - timedelta(days=3))
    newer = publish(site, "Newer")
    services.post_incident_update(actor=None, page_incident=older, message="Fixed", status="resolved")
    assert names(cachet(guest.get("/api/incidents"), "cachet.api.incidents.index")) == ["Newer", "Older"]
    assert names(cachet(guest.get("/api/incidents", {"sort": "id"}), "cachet.api.incidents.index")) == ["Older", "Newer"]
    assert names(cachet(guest.get("/api/incidents", {"sort": "-status"}), "cachet.api.incidents.index")) == ["Older", "Newer"]
    assert names(cachet(guest.get("/api/incidents", {"filter[status]": "4"}), "cachet.api.incidents.index")) == ["Older"]
    assert names(cachet(guest.get("/api/incidents", {"filter[name]": "new"}), "cachet.api.incidents.index")) == ["Newer"]
    day = older.published_at.date().isoformat()
    assert names(cachet(guest.get("/api/incidents", {"filter[occurred_at]": day}), "cachet.api.incidents.index")) == ["Older"]
    assert newer.number > older.number


def test_incidents_of_other_pages_are_not_cachets(guest, site):
    publish(status_page("Other", "other"), "Elsewhere")
    assert names(cachet(guest.get("/api/incidents"), "cachet.api.incidents.index")) == []


def test_an_incident_includes_its_components_updates_author_and_count(guest, site):
    checkout = site.test_components["Checkout"]
    incident = publish(site, component_statuses={checkout: "full_outage"})
    update = services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified")
    include = "components,components.group,updates,user,componentsCount"
    body = cachet(guest.get(f"/api/incidents/{incident.number}", {"include": include}), "cachet.api.incidents.show")
    assert body["data"]["attributes"]["components_count"] == "1"
    assert body["data"]["relationships"] == {
        "components": {"data": [{"type": "components", "id": str(checkout.number)}]},
        "updates": {"data": [{"type": "updates", "id": str(update.number)}]},
        "user": {"data": None},
    }
    group = site.groups.get()
    # The group is named, not included: the document's included has no room for groups.
    assert {(item["type"], item["id"]) for item in body["included"]} == {("components", str(checkout.number)), ("updates", str(update.number))}
    component = next(item for item in body["included"] if item["type"] == "components")
    assert component["relationships"] == {"group": {"data": {"type": "componentGroups", "id": str(group.number)}}}


def test_an_incident_includes_the_staff_user_who_published_it(guest, site, staff):
    incident = services.publish_incident(actor=staff, status_page=site, name="By hand", message="x")
    body = cachet(guest.get(f"/api/incidents/{incident.number}", {"include": "user"}), "cachet.api.incidents.show")
    assert body["data"]["relationships"]["user"] == {"data": {"type": "users", "id": str(staff.pk)}}
    assert body["included"] == [{"id": str(staff.pk), "type": "users", "attributes": {"id": str(staff.pk)}}]


def test_show_answers_404_for_an_unknown_incident(guest, site):
    body = cachet(guest.get("/api/incidents/42"), "cachet.api.incidents.show", 404)
    assert body == {"message": "No query results for model [Cachet\\Models\\Incident] 42"}


@pytest.mark.parametrize("n", [1, 20])
def test_incident_list_query_count_is_constant(guest, site, n, django_assert_num_queries):
    checkout = site.test_components["Checkout"]
    for index in range(n):
        incident = publish(site, f"Incident {index}", component_statuses={checkout: "partial_outage"})
        services.post_incident_update(actor=None, page_incident=incident, message="More", status="identified")
    # site, incidents
    with django_assert_num_queries(2):
        cachet(guest.get("/api/incidents", {"per_page": 50}), "cachet.api.incidents.index")
    # ...and which components they name, those components, their open impacts, maintenance
    # under way, their groups, the updates
    include = "components,components.group,updates,user,componentsCount"
    with django_assert_num_queries(8):
        cachet(guest.get("/api/incidents", {"per_page": 50, "include": include}), "cachet.api.incidents.index")


# --- updating and deleting --------------------------------------------------------------------


def test_updating_an_incident(publisher, site):
    api = site.test_components["API"]
    incident = publish(site, component_statuses={api: "full_outage"}, visibility=Visibility.STAFF)
    body = {"name": "Checkout was failing", "message": "Card payments failed", "status": 4, "visible": True, "stickied": True, "notifications": True}
    updated = cachet(publisher.put(f"/api/incidents/{incident.number}", body), "cachet.api.incidents.update")["data"]["attributes"]
    assert (updated["name"], updated["message"], updated["status"]["value"], updated["visible"], updated["stickied"]) == (
        "Checkout was failing", "Card payments failed", "4", 1, True,
    )  # fmt: skip
    # The new status is an update of its own, which resolved the outage.
    assert [u.status for u in incident.updates.order_by("published_at", "id")] == ["investigating", "resolved"]
    assert not ComponentImpact.objects.filter(end_at__isnull=True).exists()


def test_updating_with_the_same_status_posts_nothing(publisher, site):
    incident = publish(site)
    occurred = incident.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    cachet(publisher.put(f"/api/incidents/{incident.number}", {"status": 1, "occurred_at": occurred}), "cachet.api.incidents.update")
    assert incident.updates.count() == 1


def test_an_incidents_time_cannot_be_moved(publisher, site):
    incident = publish(site)
    answer = cachet(publisher.put(f"/api/incidents/{incident.number}", {"occurred_at": "2020-01-01 00:00:00"}), "cachet.api.incidents.update", 422)
    assert answer == {
        "message": "The occurred at of a published incident cannot be changed.",
        "errors": {"occurred_at": ["The occurred at of a published incident cannot be changed."]},
    }


def test_updating_or_deleting_an_unknown_incident_is_404(publisher, site):
    cachet(publisher.put("/api/incidents/42", {"name": "X"}), "cachet.api.incidents.update", 404)
    cachet(publisher.delete("/api/incidents/42"), "cachet.api.incidents.destroy", 404)


def test_deleting_an_incident(publisher, guest, site):
    incident = publish(site, component_statuses={site.test_components["API"]: "full_outage"})
    cachet(guest.delete(f"/api/incidents/{incident.number}"), "cachet.api.incidents.destroy", 401)
    cachet(publisher.delete(f"/api/incidents/{incident.number}"), "cachet.api.incidents.destroy", 204)
    assert not PageIncident.objects.exists() and not ComponentImpact.objects.exists()


def test_a_hidden_incident_is_read_by_nobody_and_written_by_publishers(publisher, site):
    incident = publish(site, visibility=Visibility.HIDDEN)
    cachet(make_client("global_access").get(f"/api/incidents/{incident.number}"), "cachet.api.incidents.show", 404)
    updated = cachet(publisher.put(f"/api/incidents/{incident.number}", {"name": "Renamed"}), "cachet.api.incidents.update")
    assert updated["data"]["attributes"]["visible"] == 2


def test_a_filter_on_several_statuses_is_beyond_the_document(guest, site):
    publish(site)
    body = cachet(guest.get("/api/incidents", {"filter[status]": "1,2"}), "cachet.api.incidents.index")
    assert names(body) == ["Checkout is failing"]
    assert_cachet_error(guest.get("/api/incidents", {"filter[severity]": "major"}), 400)


def test_an_incident_not_visible_to_guests_does_not_move_what_guests_are_told(publisher, guest, reader, client, site):
    # Issue 17, item 2: "visible": 0 naming a component turned the public page to a major outage.
    api = site.test_components["API"]
    body = {"name": "Quiet", "status": 1, "message": "Hush", "visible": False, "component_id": api.number, "component_status": 4}
    cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")
    status = lambda who: cachet(who.get(f"/api/components/{api.number}"), "cachet.api.components.show")["data"]["attributes"]["status"]  # noqa: E731
    assert status(guest)["value"] == "1" and status(reader)["value"] == "4"
    system = lambda who: cachet(who.get("/api/status"), "cachet.api.status")["data"]["status"]  # noqa: E731
    assert (system(guest), system(reader)) == ("operational", "major_outage")
    assert client.get("/status/acme/api/v2/summary.json").json()["status"]["indicator"] == "none"
