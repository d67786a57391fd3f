"""Status page incidents, their updates and retrospective incidents: published through the
same services as the admin's, so a write shows at once on the page and through every read."""

from datetime import datetime, timedelta
from datetime import timezone as tz

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from statuspages import selectors, services
from statuspages.models import ComponentImpact, PageIncident, PageIncidentUpdate, Visibility
from tests.clients import make_client
from tests.contract import assert_matches_contract
from tests.factories import status_page

from .conftest import UNKNOWN

pytestmark = pytest.mark.django_db


def publication(page, **fields):
    return {
        "status_page_id": page.pk,
        "name": "Elevated API errors",
        "incident_status": "investigating",
        "idempotency_key": "alert-1",
        "message": "We are looking into elevated error rates.",
        "notify_subscribers": True,
        **fields,
    }


def statuses_of(page, **components):
    return [{"component_id": page.test_components[name].pk, "component_status": status} for name, status in components.items()]


def publish(page, name="Checkout is failing", **components):
    return services.publish_incident(
        actor=None, status_page=page, name=name, message="Investigating",
        component_statuses={page.test_components[c]: s for c, s in components.items()},
    )


# --- publishing -------------------------------------------------------------------------------


def test_an_incident_published_through_the_api_shows_at_once_in_every_read(publisher, page):
    body = publication(page, component_statuses=statuses_of(page, API="partial_outage", Cards="degraded_performance"))
    response = publisher.post("/v2/status_page_incidents", body)
    created = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncident")["status_page_incident"]
    assert response.status_code == 201
    assert created["name"] == "Elevated API errors" and created["incident_status"] == "investigating"
    assert created["status_page_id"] == page.pk
    (update,) = created["updates"]
    assert update["message"] == "We are looking into elevated error rates." and update["status_page_incident_id"] == created["id"]
    assert {(s["component_id"], s["component_status"]) for s in update["component_statuses"]} == {
        (page.test_components["API"].pk, "partial_outage"),
        (page.test_components["Cards"].pk, "degraded_performance"),
    }
    assert {(i["component_id"], i["component_status"]) for i in created["component_impacts"]} == {
        (page.test_components["API"].pk, "partial_outage"),
        (page.test_components["Cards"].pk, "degraded_performance"),
    }
    assert all("end_at" not in impact for impact in created["component_impacts"])
    # The same incident through the show endpoint...
    shown = publisher.get(f"/v2/status_page_incidents/{created['id']}")
    assert assert_matches_contract(shown, "Status Pages V2#ShowStatusPageIncident")["status_page_incident"] == created
    # ...and on the page: its components moved, the banner says so, the incident is listed.
    overview = selectors.page_overview(page)
    moved = {view.component.name: view.status for view in overview.components}
    assert moved == {"API": "partial_outage", "Dashboard": "operational", "Cards": "degraded_performance", "Invoices": "operational"}
    assert overview.banner.level == "outage" and [i.pk for i in overview.incidents] == [created["id"]]
    # notify_subscribers is kept on the update for the notifications to pick up.
    assert PageIncidentUpdate.objects.get(pk=update["id"]).notify_subscribers is True


def test_publishing_twice_with_one_idempotency_key_answers_with_the_first(publisher, page):
    first = publisher.post("/v2/status_page_incidents", publication(page)).json()["status_page_incident"]
    again = publisher.post("/v2/status_page_incidents", publication(page, name="Something else"))
    body = assert_matches_contract(again, "Status Pages V2#CreateStatusPageIncident")
    assert again.status_code == 201 and body["status_page_incident"] == first
    assert PageIncident.objects.count() == 1


def test_the_same_idempotency_key_from_another_key_publishes_again(publisher, api, page):
    publisher.post("/v2/status_page_incidents", publication(page))
    response = api.post("/v2/status_page_incidents", publication(page))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncident")
    assert response.status_code == 201 and PageIncident.objects.count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status_page_id": UNKNOWN}, "status_page_id"),
        ({"component_statuses": [{"component_id": UNKNOWN, "component_status": "full_outage"}]}, "component_statuses[0].component_id"),
        ({"incident_status": "on_fire"}, "incident_status"),
        ({"idempotency_key": None}, "idempotency_key"),
        ({"notify_subscribers": None}, "notify_subscribers"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_publishing_refuses_a_bad_body(publisher, page, change, field):
    body = {k: v for k, v in {**publication(page), **change}.items() if v is not None}
    response = publisher.post("/v2/status_page_incidents", body)
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncident")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == field
    assert not PageIncident.objects.exists()


def test_publishing_refuses_a_component_the_page_does_not_show(publisher, page):
    elsewhere = status_page("Other", "other", components=["Elsewhere"]).test_components["Elsewhere"]
    body = publication(page, component_statuses=[{"component_id": elsewhere.pk, "component_status": "full_outage"}])
    response = publisher.post("/v2/status_page_incidents", body)
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncident")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == "component_statuses"


@pytest.mark.parametrize("client_name, status", [("reader", 403), ("stranger", 403), ("anonymous", 401)])
def test_only_publishers_publish(request, page, client_name, status):
    response = request.getfixturevalue(client_name).post("/v2/status_page_incidents", publication(page))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncident")
    assert response.status_code == status and not PageIncident.objects.exists()


def test_publishing_costs_the_same_whatever_the_number_of_components(page, django_assert_num_queries):
    publish(page, "An earlier one")  # the first publication ever creates the counters
    # A key each, so each request looks its key up (with acceleration, a second request
    # would find it in the cache).
    first, second = make_client("status_page_publisher"), make_client("status_page_publisher")
    one = publication(page, component_statuses=statuses_of(page, API="full_outage"))
    with CaptureQueriesContext(connection) as publishing_one:
        assert first.post("/v2/status_page_incidents", one).status_code == 201
    every = dict.fromkeys(["API", "Dashboard", "Cards", "Invoices"], "full_outage")
    four = publication(page, component_statuses=statuses_of(page, **every))
    # key lookup, page, components, the page's placements, SAVEPOINT, counter (UPDATE,
    # SELECT), incident, impacts held, new impacts, counter (UPDATE, SELECT), update, its
    # component statuses, the incident's status, RELEASE; re-read: incident, updates,
    # their component statuses, impacts. The audit log: one insert each for the incident,
    # its impacts, its update and the update's component statuses, whatever their number,
    # and django-auditlog's read of the incident before its status is saved (unchanged
    # here: no entry).
    assert len(publishing_one.captured_queries) == 20 + 5
    with django_assert_num_queries(20 + 5):
        assert second.post("/v2/status_page_incidents", four).status_code == 201


# --- list and show ----------------------------------------------------------------------------


def test_list_incidents_of_a_page_newest_first(reader, page):
    older, newer = publish(page, "Older", API="full_outage"), publish(page, "Newer")
    publish(status_page("Other", "other"), "On another page")
    response = reader.get("/v2/status_page_incidents", {"status_page_id": page.pk})
    body = assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")
    assert [i["id"] for i in body["status_page_incidents"]] == [newer.pk, older.pk]
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_incidents_pages_with_after(reader, page):
    incidents = [publish(page, f"Incident {n}") for n in range(3)]
    first = reader.get("/v2/status_page_incidents", {"status_page_id": page.pk, "page_size": 2}).json()
    assert [i["id"] for i in first["status_page_incidents"]] == [incidents[2].pk, incidents[1].pk]
    response = reader.get("/v2/status_page_incidents", {"status_page_id": page.pk, "page_size": 2, "after": first["pagination_meta"]["after"]})
    body = assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")
    assert [i["id"] for i in body["status_page_incidents"]] == [incidents[0].pk]


def test_list_incidents_needs_a_status_page(reader, page):
    response = reader.get("/v2/status_page_incidents")
    errors = assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == "status_page_id"
    response = reader.get("/v2/status_page_incidents", {"status_page_id": UNKNOWN})
    assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")
    assert response.status_code == 404


def test_list_incidents_that_impacted_a_component_or_a_group(reader, page):
    on_api, on_cards = publish(page, "API down", API="full_outage"), publish(page, "Cards down", Cards="partial_outage")
    publish(page, "Nothing down")
    query = {"status_page_id": page.pk}

    def listed(**filters):
        response = reader.get("/v2/status_page_incidents", {**query, **filters})
        return [i["id"] for i in assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")["status_page_incidents"]]

    assert listed(component_id=page.test_components["API"].pk) == [on_api.pk]
    group = page.test_components["Cards"].placements.get().group
    assert listed(group_id=group.pk) == [on_cards.pk]
    assert listed(sub_page_id=UNKNOWN) == []  # we have no sub-pages
    assert len(listed(component_id="")) == 3  # an empty filter is no filter


def test_list_incidents_under_way_in_a_time_window(reader, page):
    def past(day):
        return datetime(2026, 1, day, tzinfo=tz.utc)

    def retrospective(name, start, end):
        return services.publish_retrospective_incident(
            actor=None, status_page=page, name=name,
            updates=[services.PastUpdate("investigating", "Down", start), services.PastUpdate("resolved", "Up", end)],
        )

    early, late = retrospective("Early", past(1), past(2)), retrospective("Late", past(10), past(11))
    ongoing = publish(page, "Ongoing")
    query = {"status_page_id": page.pk}

    def listed(**window):
        response = reader.get("/v2/status_page_incidents", {**query, **window})
        return {i["id"] for i in assert_matches_contract(response, "Status Pages V2#ListStatusPageIncidents")["status_page_incidents"]}

    assert listed(start_at="2026-01-05T00:00:00Z") == {late.pk, ongoing.pk}
    assert listed(end_at="2026-01-05T00:00:00Z") == {early.pk}
    assert listed(start_at="2026-01-01T12:00:00Z", end_at="2026-01-10T12:00:00Z") == {early.pk, late.pk}


def test_show_incident_with_its_timeline_newest_first(reader, page):
    incident = publish(page, API="full_outage")
    services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified", component_statuses={page.test_components["API"]: "partial_outage"})
    response = reader.get(f"/v2/status_page_incidents/{incident.pk}")
    shown = assert_matches_contract(response, "Status Pages V2#ShowStatusPageIncident")["status_page_incident"]
    assert shown["incident_status"] == "identified"
    assert [u["message"] for u in shown["updates"]] == ["Found it", "Investigating"]
    full, partial = shown["component_impacts"]
    assert (full["component_status"], partial["component_status"]) == ("full_outage", "partial_outage")
    assert full["end_at"] == partial["start_at"] and "end_at" not in partial


def test_an_incident_hidden_from_everyone_is_404(reader, page):
    incident = publish(page)
    services.edit_page_incident(actor=None, page_incident=incident, visibility=Visibility.HIDDEN)
    response = reader.get(f"/v2/status_page_incidents/{incident.pk}")
    assert_matches_contract(response, "Status Pages V2#ShowStatusPageIncident")
    assert response.status_code == 404
    assert reader.get("/v2/status_page_incidents", {"status_page_id": page.pk}).json()["status_page_incidents"] == []


def test_show_incident_of_a_private_page(reader):
    private = status_page("Staff", "staff", is_public=False, components=["VPN"])
    incident = publish(private, VPN="full_outage")
    response = reader.get(f"/v2/status_page_incidents/{incident.pk}")
    assert_matches_contract(response, "Status Pages V2#ShowStatusPageIncident")
    assert response.status_code == 200


def add_history(page, n):
    api, cards = page.test_components["API"], page.test_components["Cards"]
    for i in range(n):
        incident = publish(page, f"Incident {i}", API="full_outage", Cards="degraded_performance")
        services.post_incident_update(actor=None, page_incident=incident, message="Better", status="monitoring", component_statuses={api: "partial_outage"})
        services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved", component_statuses={cards: "operational"})


@pytest.mark.parametrize("n", [1, 20])
def test_incident_list_query_count_is_constant(reader, page, n, django_assert_num_queries):
    add_history(page, n)
    # key lookup, page, incidents, their updates, the updates' component statuses, impacts
    with django_assert_num_queries(6):
        response = reader.get("/v2/status_page_incidents", {"status_page_id": page.pk, "page_size": 250})
    assert response.status_code == 200 and len(response.json()["status_page_incidents"]) == n


@pytest.mark.parametrize("n", [1, 20])
def test_incident_show_query_count_is_constant(reader, page, n, django_assert_num_queries):
    incident = publish(page, API="full_outage")
    for i in range(n):
        services.post_incident_update(actor=None, page_incident=incident, message=f"Update {i}", component_statuses={page.test_components["API"]: ["partial_outage", "full_outage"][i % 2]})
    # key lookup, incident, its updates, their component statuses, its impacts
    with django_assert_num_queries(5):
        response = reader.get(f"/v2/status_page_incidents/{incident.pk}")
    assert response.status_code == 200 and len(response.json()["status_page_incident"]["updates"]) == n + 1


# --- rename -----------------------------------------------------------------------------------


def test_update_incident_renames_it(publisher, page):
    incident = publish(page, API="full_outage")
    response = publisher.put(f"/v2/status_page_incidents/{incident.pk}", {"name": "Elevated API latency"})
    body = assert_matches_contract(response, "Status Pages V2#UpdateStatusPageIncident")
    assert body["status_page_incident"]["name"] == "Elevated API latency" and len(body["status_page_incident"]["updates"]) == 1
    incident.refresh_from_db()
    assert incident.name == "Elevated API latency"


def test_update_incident_refuses_a_blank_name_and_unknown_ids(publisher, page):
    incident = publish(page)
    response = publisher.put(f"/v2/status_page_incidents/{incident.pk}", {"name": ""})
    errors = assert_matches_contract(response, "Status Pages V2#UpdateStatusPageIncident")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == "name"
    response = publisher.put(f"/v2/status_page_incidents/{UNKNOWN}", {"name": "Renamed"})
    assert_matches_contract(response, "Status Pages V2#UpdateStatusPageIncident")
    assert response.status_code == 404


def test_a_viewer_key_cannot_rename(reader, page):
    incident = publish(page)
    response = reader.put(f"/v2/status_page_incidents/{incident.pk}", {"name": "Renamed"})
    assert_matches_contract(response, "Status Pages V2#UpdateStatusPageIncident")
    assert response.status_code == 403


# --- updates ----------------------------------------------------------------------------------


def update_body(incident, **fields):
    return {"status_page_incident_id": incident.pk, "message": "We found the cause.", "notify_subscribers": False, **fields}


def test_post_an_update_moves_the_incident_and_its_components(publisher, page):
    incident = publish(page, API="full_outage")
    body = update_body(incident, incident_status="identified", component_statuses=statuses_of(page, API="degraded_performance"))
    response = publisher.post("/v2/status_page_incident_updates", body)
    update = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncidentUpdate")["status_page_incident_update"]
    assert response.status_code == 201
    assert update["status_page_incident_id"] == incident.pk and update["incident_status"] == "identified"
    assert update["component_statuses"] == statuses_of(page, API="degraded_performance")
    assert selectors.component_statuses([page.test_components["API"].pk])[page.test_components["API"].pk] == "degraded_performance"
    shown = publisher.get(f"/v2/status_page_incidents/{incident.pk}").json()["status_page_incident"]
    assert shown["incident_status"] == "identified" and shown["updates"][0]["id"] == update["id"]


def test_post_an_update_without_a_status_keeps_it(publisher, page):
    incident = publish(page)
    response = publisher.post("/v2/status_page_incident_updates", update_body(incident, notify_subscribers=True))
    update = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncidentUpdate")["status_page_incident_update"]
    assert update["incident_status"] == "investigating" and update["component_statuses"] == []
    assert PageIncidentUpdate.objects.get(pk=update["id"]).notify_subscribers is True


def test_resolving_sets_every_component_operational(publisher, page):
    incident = publish(page, API="full_outage", Cards="partial_outage")
    response = publisher.post("/v2/status_page_incident_updates", update_body(incident, incident_status="resolved", message="Fixed"))
    update = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncidentUpdate")["status_page_incident_update"]
    assert {s["component_status"] for s in update["component_statuses"]} == {"operational"} and len(update["component_statuses"]) == 2
    assert not ComponentImpact.objects.filter(end_at__isnull=True).exists()
    assert selectors.page_overview(page).banner.level == "operational"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"incident_status": "resolved", "component_statuses": [{"component_id": "{api}", "component_status": "operational"}]}, "component_statuses"),
        ({"status_page_incident_id": UNKNOWN}, "status_page_incident_id"),
        ({"component_statuses": [{"component_id": UNKNOWN, "component_status": "full_outage"}]}, "component_statuses[0].component_id"),
        ({"notify_subscribers": None}, "notify_subscribers"),
        ({"message": "x" * 4097}, "message"),
    ],
)
def test_post_an_update_refuses_a_bad_body(publisher, page, fields, field):
    incident = publish(page, API="full_outage")
    for status in fields.get("component_statuses", []):
        status["component_id"] = status["component_id"].format(api=page.test_components["API"].pk)
    body = {k: v for k, v in update_body(incident, **fields).items() if v is not None}
    response = publisher.post("/v2/status_page_incident_updates", body)
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncidentUpdate")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == field
    assert incident.updates.count() == 1


def test_a_viewer_key_cannot_post_updates(reader, page):
    incident = publish(page)
    response = reader.post("/v2/status_page_incident_updates", update_body(incident))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageIncidentUpdate")
    assert response.status_code == 403 and incident.updates.count() == 1


# --- retrospective incidents ------------------------------------------------------------------


def retrospective_body(page, **fields):
    api = page.test_components["API"].pk
    return {
        "status_page_id": page.pk,
        "name": "Elevated API latency",
        "idempotency_key": "historical-1",
        "updates": [
            {"incident_status": "investigating", "message": "Slow", "published_at": "2026-01-05T10:00:00Z", "component_statuses": [{"component_id": api, "component_status": "degraded_performance"}]},
            {"incident_status": "identified", "message": "Found", "published_at": "2026-01-05T10:30:00Z", "component_statuses": [{"component_id": api, "component_status": "partial_outage"}]},
            {"incident_status": "resolved", "message": "Fixed", "published_at": "2026-01-05T11:00:00Z"},
        ],
        **fields,
    }


def test_a_retrospective_incident_keeps_its_times_and_notifies_nobody(publisher, page):
    response = publisher.post("/v2/status_page_retrospective_incidents", retrospective_body(page))
    incident = assert_matches_contract(response, "Status Pages V2#CreateStatusPageRetrospectiveIncident")["status_page_incident"]
    assert response.status_code == 201
    assert incident["incident_status"] == "resolved" and incident["published_at"] == "2026-01-05T10:00:00Z"
    assert [u["published_at"] for u in incident["updates"]] == ["2026-01-05T11:00:00Z", "2026-01-05T10:30:00Z", "2026-01-05T10:00:00Z"]
    assert [(i["component_status"], i["start_at"], i["end_at"]) for i in incident["component_impacts"]] == [
        ("degraded_performance", "2026-01-05T10:00:00Z", "2026-01-05T10:30:00Z"),
        ("partial_outage", "2026-01-05T10:30:00Z", "2026-01-05T11:00:00Z"),
    ]
    assert not PageIncidentUpdate.objects.filter(notify_subscribers=True).exists()
    assert selectors.page_overview(page).banner.level == "operational"


def test_a_retrospective_incident_is_published_once_per_idempotency_key(publisher, page):
    first = publisher.post("/v2/status_page_retrospective_incidents", retrospective_body(page)).json()
    again = publisher.post("/v2/status_page_retrospective_incidents", retrospective_body(page))
    assert assert_matches_contract(again, "Status Pages V2#CreateStatusPageRetrospectiveIncident") == first
    assert PageIncident.objects.count() == 1


def tomorrow() -> str:
    return (timezone.now() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda updates: updates[2].update(published_at=tomorrow()), "updates[2].published_at"),
        (lambda updates: updates[1].update(published_at="2026-01-05T09:00:00Z"), "updates[1].published_at"),
        (lambda updates: updates[2].update(incident_status="monitoring"), "updates[2].incident_status"),
        (lambda updates: updates[0]["component_statuses"][0].update(component_id=UNKNOWN), "updates[0].component_statuses[0].component_id"),
        (lambda updates: updates.clear(), "updates"),
    ],
)
def test_a_retrospective_incident_refuses_a_bad_timeline(publisher, page, change, field):
    body = retrospective_body(page)
    change(body["updates"])
    response = publisher.post("/v2/status_page_retrospective_incidents", body)
    errors = assert_matches_contract(response, "Status Pages V2#CreateStatusPageRetrospectiveIncident")["errors"]
    assert response.status_code == 422 and errors[0]["source"]["field"] == field
    assert not PageIncident.objects.exists()


def test_a_viewer_key_cannot_publish_a_retrospective_incident(reader, page):
    response = reader.post("/v2/status_page_retrospective_incidents", retrospective_body(page))
    assert_matches_contract(response, "Status Pages V2#CreateStatusPageRetrospectiveIncident")
    assert response.status_code == 403
