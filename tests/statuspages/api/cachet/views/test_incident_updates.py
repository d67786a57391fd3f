"""Cachet's incident updates: the updates after an incident's first, whose message is the
incident's own."""

import pytest

from statuspages import services
from statuspages.models import ComponentImpact, Visibility

from ..conftest import cachet

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(site):
    return services.publish_incident(actor=None, status_page=site, name="Checkout is failing", message="We are looking into it")


def test_the_updates_are_the_ones_after_the_first(guest, incident):
    update = services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified")
    body = cachet(guest.get(f"/api/incidents/{incident.number}/updates"), "cachet.api.incidents.updates.index")
    assert body["data"] == [
        {
            "id": str(update.number),
            "type": "updates",
            "attributes": {
                "id": update.number,
                "updateable_id": incident.number,
                "updateable_type": "incident",
                "message": "Found it",
                "status": {"human": "Identified", "value": "2"},
                "created": body["data"][0]["attributes"]["created"],
                "updated": body["data"][0]["attributes"]["updated"],
            },
        }
    ]


def test_updates_sort_filter_and_include_their_incident(guest, incident):
    services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified")
    services.post_incident_update(actor=None, page_incident=incident, message="Watching", status="monitoring")
    url = f"/api/incidents/{incident.number}/updates"
    messages = lambda body: [item["attributes"]["message"] for item in body["data"]]  # noqa: E731
    assert messages(cachet(guest.get(url, {"sort": "-created_at"}), "cachet.api.incidents.updates.index")) == ["Watching", "Found it"]
    assert messages(cachet(guest.get(url, {"sort": "-status"}), "cachet.api.incidents.updates.index")) == ["Watching", "Found it"]
    assert messages(cachet(guest.get(url, {"filter[status]": "3"}), "cachet.api.incidents.updates.index")) == ["Watching"]
    body = cachet(guest.get(url, {"include": "incident"}), "cachet.api.incidents.updates.index")
    assert body["data"][0]["relationships"] == {"incident": {"data": {"type": "incidents", "id": str(incident.number)}}}
    assert [(item["type"], item["attributes"]["message"]) for item in body["included"]] == [("incidents", "We are looking into it")]


def test_updates_of_an_incident_a_guest_may_not_see_are_404(guest, reader, site):
    quiet = services.publish_incident(actor=None, status_page=site, name="Quiet", message="", visibility=Visibility.STAFF)
    cachet(guest.get(f"/api/incidents/{quiet.number}/updates"), "cachet.api.incidents.updates.index", 404)
    cachet(reader.get(f"/api/incidents/{quiet.number}/updates"), "cachet.api.incidents.updates.index")


def test_show_an_update_and_404s(guest, incident):
    update = services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified")
    first = incident.updates.order_by("published_at").first()
    cachet(guest.get(f"/api/incidents/{incident.number}/updates/{update.number}"), "cachet.api.incidents.updates.show")
    # The first update is the incident's message, not one of its updates.
    body = cachet(guest.get(f"/api/incidents/{incident.number}/updates/{first.number}"), "cachet.api.incidents.updates.show", 404)
    assert body == {"message": f"No query results for model [Cachet\\Models\\Update] {first.number}"}
    cachet(guest.get(f"/api/incidents/999/updates/{update.number}"), "cachet.api.incidents.updates.show", 404)


def test_posting_an_update_moves_the_incident_and_its_components(publisher, guest, site, incident):
    api = site.test_components["API"]
    url = f"/api/incidents/{incident.number}/updates"
    # Beyond Cachet's document: an update names the components it moves, as incidents do.
    response = publisher.post(url, {"status": 2, "message": "Found it", "components": [{"id": api.number, "status": 4}]})
    created = cachet(response, "cachet.api.incidents.updates.store")["data"]
    assert created["attributes"]["status"] == {"human": "Identified", "value": "2"}
    incident.refresh_from_db()
    assert incident.status == "identified"
    shown = cachet(guest.get(f"/api/components/{api.number}"), "cachet.api.components.show")
    assert shown["data"]["attributes"]["status"]["value"] == "4"
    # Fixed: what the incident held is operational again.
    cachet(publisher.post(url, {"status": 4, "message": "Fixed"}), "cachet.api.incidents.updates.store")
    assert not ComponentImpact.objects.filter(end_at__isnull=True).exists()
    shown = cachet(guest.get(f"/api/incidents/{incident.number}"), "cachet.api.incidents.show")
    assert shown["data"]["attributes"]["status"]["value"] == "4"


@pytest.mark.parametrize("body, field", [({"message": "x"}, "status"), ({"status": 2}, "message"), ({"status": 0, "message": "x"}, "status")])
def test_invalid_updates_are_refused(publisher, incident, body, field):
    answer = cachet(publisher.post(f"/api/incidents/{incident.number}/updates", body), "cachet.api.incidents.updates.store", 422)
    assert list(answer["errors"]) == [field]


def test_posting_needs_a_publishing_key_and_a_known_incident(guest, reader, publisher, incident):
    url = f"/api/incidents/{incident.number}/updates"
    cachet(guest.post(url, {"status": 2, "message": "x"}), "cachet.api.incidents.updates.store", 401)
    cachet(reader.post(url, {"status": 2, "message": "x"}), "cachet.api.incidents.updates.store", 403)
    cachet(publisher.post("/api/incidents/999/updates", {"status": 2, "message": "x"}), "cachet.api.incidents.updates.store", 404)


def test_correcting_and_deleting_an_update(publisher, incident):
    update = services.post_incident_update(actor=None, page_incident=incident, message="Fonud it", status="identified")
    url = f"/api/incidents/{incident.number}/updates/{update.number}"
    corrected = cachet(publisher.put(url, {"message": "Found it", "status": 3}), "cachet.api.incidents.updates.update")["data"]
    assert (corrected["attributes"]["message"], corrected["attributes"]["status"]["value"]) == ("Found it", "3")
    incident.refresh_from_db()
    assert incident.status == "monitoring"  # it was the latest update
    cachet(publisher.delete(url), "cachet.api.incidents.updates.destroy", 204)
    assert incident.updates.count() == 1
    cachet(publisher.delete(url), "cachet.api.incidents.updates.destroy", 404)


@pytest.mark.parametrize("n", [1, 20])
def test_update_list_query_count_is_constant(guest, incident, n, django_assert_num_queries):
    for index in range(n):
        services.post_incident_update(actor=None, page_incident=incident, message=f"Update {index}")
    # site, incident, updates
    with django_assert_num_queries(3):
        cachet(guest.get(f"/api/incidents/{incident.number}/updates", {"per_page": 50, "include": "incident"}), "cachet.api.incidents.updates.index")


@pytest.mark.parametrize("first, correction", [("identified", 4), ("resolved", 2)])
def test_a_correction_cannot_resolve_or_reopen_the_incident(publisher, incident, first, correction):
    # Only a new update ends or restarts what the incident holds on its components.
    update = services.post_incident_update(actor=None, page_incident=incident, message="Said", status=first)
    url = f"/api/incidents/{incident.number}/updates/{update.number}"
    answer = cachet(publisher.put(url, {"status": correction}), "cachet.api.incidents.updates.update", 422)
    assert answer == {"message": "To resolve or reopen an incident, post a new update", "errors": {"status": ["To resolve or reopen an incident, post a new update"]}}
    incident.refresh_from_db()
    assert incident.status == first
