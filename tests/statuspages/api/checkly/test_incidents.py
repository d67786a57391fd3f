"""Status Page Incidents: severities set the status of the services an incident names,
updates move it on, and it shows on the page that shows its services."""

import pytest

from statuspages import selectors, services
from statuspages.api.checkly.ids import guid
from statuspages.models import PageIncident, PageIncidentUpdate, Visibility
from tests.factories import status_page

from .conftest import checkly

pytestmark = pytest.mark.django_db

CREATE = "postV1StatuspagesIncidents"


def ref(component):
    return {"id": guid(component.pk), "name": component.name, "accountId": "00000000-0000-0000-0000-000000000000"}


def incident_body(*components, severity="MAJOR", name="Checkout is failing", **update):
    return {
        "name": name,
        "severity": severity,
        "services": [ref(component) for component in components],
        "incidentUpdates": [{"description": "We are looking into it", "notifySubscribers": False, **update}],
    }


def statuses(page):
    return {c.name: s for c, s in ((c, selectors.component_statuses([c.pk])[c.pk]) for c in page.test_components.values())}


@pytest.fixture
def api_c(page):
    return page.test_components["API"]


@pytest.fixture
def cards(page):
    return page.test_components["Cards"]


def create(client, *components, **kwargs):
    return checkly(client.post("/v1/status-pages/incidents", incident_body(*components, **kwargs)), CREATE, 201)


# --- publishing -------------------------------------------------------------------------------


def test_creating_an_incident_answers_201_and_moves_its_services_at_once(publisher, page, api_c, cards):
    body = create(publisher, api_c, cards, severity="MAJOR")
    incident = PageIncident.objects.get()
    assert body["id"] == guid(incident.pk) and incident.status_page == page
    assert (body["severity"], body["lastUpdateStatus"], body["duration"]) == ("MAJOR", "INVESTIGATING", None)
    assert [s["name"] for s in body["services"]] == ["API", "Cards"]
    assert [(u["description"], u["status"]) for u in body["incidentUpdates"]] == [("We are looking into it", "INVESTIGATING")]
    assert incident.severity == "major"
    assert statuses(page) == {"API": "partial_outage", "Dashboard": "operational", "Cards": "partial_outage"}
    overview = selectors.page_overview(page)
    assert [i.name for i in overview.incidents] == ["Checkout is failing"] and overview.banner.level == "outage"


@pytest.mark.parametrize(
    "severity, status",
    [("CRITICAL", "full_outage"), ("MAJOR", "partial_outage"), ("MEDIUM", "degraded_performance"), ("MINOR", "degraded_performance")],
)
def test_each_severity_sets_its_component_status(publisher, page, api_c, severity, status):
    body = create(publisher, api_c, severity=severity)
    assert body["severity"] == severity
    assert statuses(page)["API"] == status


def test_the_first_update_says_when_it_was_published_and_whether_to_notify(publisher, page, api_c):
    body = create(publisher, api_c, publicIncidentUpdateDate="2026-03-01T10:00:00.000Z", notifySubscribers=True, status="IDENTIFIED")
    update = PageIncidentUpdate.objects.get()
    assert update.published_at.isoformat() == "2026-03-01T10:00:00+00:00" and update.notify_subscribers
    assert body["incidentUpdates"][0]["publicIncidentUpdateDate"] == "2026-03-01T10:00:00Z"
    assert body["lastUpdateStatus"] == "IDENTIFIED"


def test_an_incident_goes_on_the_first_page_by_name_showing_all_its_services_when_the_default_does_not(publisher, page, api_c):
    search = services.create_component(actor=None, name="Search")
    # Aardvark shows the first service named, not the second: not a candidate.
    services.place_component(actor=None, component=search, status_page=services.save_status_page(actor=None, name="Aardvark", slug="aardvark"))
    for name, slug in (("Beta", "beta"), ("Alpha", "alpha")):
        shows_both = services.save_status_page(actor=None, name=name, slug=slug)
        services.place_component(actor=None, component=search, status_page=shows_both)
        services.place_component(actor=None, component=api_c, status_page=shows_both)
    create(publisher, search, api_c)
    assert PageIncident.objects.get().status_page.name == "Alpha"


def test_an_incident_goes_on_the_default_page_when_it_shows_all_its_services(publisher, page, api_c):
    services.place_component(actor=None, component=api_c, status_page=services.save_status_page(actor=None, name="Aaa", slug="aaa"))
    create(publisher, api_c)
    assert PageIncident.objects.get().status_page == page


def test_an_incident_whose_services_no_page_shows_together_is_refused_naming_services(publisher, page, api_c):
    lonely = services.create_component(actor=None, name="Lonely")
    body = checkly(publisher.post("/v1/status-pages/incidents", incident_body(api_c, lonely)), CREATE, 422)
    assert body["message"] == "services: No status page shows all of these services: API, Lonely"
    assert not PageIncident.objects.exists()


def test_an_unknown_service_is_refused_naming_services(publisher, page):
    body = incident_body()
    body["services"] = [{"id": "2b6e8f2a-47d5-4a4c-9a46-2f7c1e0c6d11", "name": "Ghost", "accountId": "x"}]
    response = checkly(publisher.post("/v1/status-pages/incidents", body), CREATE, 422)
    assert response["message"].startswith("services: No service with id")


@pytest.mark.parametrize("updates", [0, 2])
def test_an_incident_starts_with_exactly_one_update(publisher, page, api_c, updates):
    body = incident_body(api_c)
    body["incidentUpdates"] = body["incidentUpdates"] * updates
    response = checkly(publisher.post("/v1/status-pages/incidents", body), CREATE, 422)
    assert response["message"].startswith("incidentUpdates:")


def test_an_unknown_severity_is_refused(publisher, page, api_c):
    response = checkly(publisher.post("/v1/status-pages/incidents", incident_body(api_c, severity="SEVERE")), CREATE, 422)
    assert response["message"].startswith("severity:")


def test_an_incident_published_resolved_names_its_services_without_hurting_them(publisher, page, api_c):
    body = create(publisher, api_c, status="RESOLVED")
    assert [s["name"] for s in body["services"]] == ["API"] and body["lastUpdateStatus"] == "RESOLVED"
    assert body["duration"] == 0
    assert statuses(page)["API"] == "operational"


def test_the_checkly_account_header_is_accepted_and_ignored(publisher, page, api_c):
    response = publisher.post(
        "/v1/status-pages/incidents", incident_body(api_c), headers={"X-Checkly-Account": "4e2c3b8e-50e4-4e0e-9a46-2f7c1e0c6d11"}
    )
    checkly(response, CREATE, 201)


# --- reading ----------------------------------------------------------------------------------


def test_incidents_are_listed_latest_first_across_pages(reader, page, api_c):
    other = status_page("Other", "other", components=["Mail"])
    for n, (p, component) in enumerate([(page, api_c), (other, other.test_components["Mail"]), (page, api_c)]):
        services.publish_incident(actor=None, status_page=p, name=f"Incident {n}", message="m", component_statuses={component: "degraded_performance"})
    body = checkly(reader.get("/v1/status-pages/incidents", {"limit": 2}), "getV1StatuspagesIncidents")
    assert [e["name"] for e in body["entries"]] == ["Incident 2", "Incident 1"] and body["length"] == 2
    rest = checkly(reader.get("/v1/status-pages/incidents", {"nextId": body["nextId"]}), "getV1StatuspagesIncidents")
    assert [e["name"] for e in rest["entries"]] == ["Incident 0"] and rest["nextId"] is None


@pytest.mark.parametrize("n", [1, 20])
def test_incident_list_query_count_is_constant(reader, page, api_c, cards, n, django_assert_num_queries):
    for i in range(n):
        incident = services.publish_incident(
            actor=None, status_page=page, name=f"Incident {i}", message="m", severity="major",
            component_statuses={api_c: "partial_outage", cards: "partial_outage"},
        )
        services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved")
    # key, incidents, their updates, the updates' component statuses with their components
    with django_assert_num_queries(4):
        response = reader.get("/v1/status-pages/incidents", {"limit": 100})
    assert response.json()["length"] == n


def test_an_incident_published_elsewhere_shows_the_severity_its_worst_status_stands_for(reader, page, api_c, cards):
    incident = services.publish_incident(
        actor=None, status_page=page, name="Slow checkout", message="m",
        component_statuses={api_c: "degraded_performance", cards: "full_outage"},
    )
    body = checkly(reader.get(f"/v1/status-pages/incidents/{guid(incident.pk)}"), "getV1StatuspagesIncidentsIncidentid")
    assert body["severity"] == "CRITICAL" and [s["name"] for s in body["services"]] == ["API", "Cards"]


def test_an_incident_hidden_from_everyone_is_a_404(reader, page, api_c):
    incident = services.publish_incident(actor=None, status_page=page, name="Old", message="m", visibility=Visibility.HIDDEN)
    checkly(reader.get(f"/v1/status-pages/incidents/{guid(incident.pk)}"), "getV1StatuspagesIncidentsIncidentid", 404)


# --- updating ---------------------------------------------------------------------------------


def test_a_resolved_update_resolves_and_the_duration_is_counted_from_the_first_publication(publisher, reader, page, api_c):
    incident = create(publisher, api_c, publicIncidentUpdateDate="2026-03-01T10:00:00.000Z")
    url = f"/v1/status-pages/incidents/{incident['id']}/incident-updates"
    update = {"description": "Fixed", "status": "RESOLVED", "publicIncidentUpdateDate": "2026-03-01T11:30:00.000Z"}
    body = checkly(publisher.post(url, update), "postV1StatuspagesIncidentsIncidentidIncidentupdates", 200)
    assert (body["status"], body["description"]) == ("RESOLVED", "Fixed")
    shown = checkly(reader.get(f"/v1/status-pages/incidents/{incident['id']}"), "getV1StatuspagesIncidentsIncidentid")
    assert (shown["lastUpdateStatus"], shown["duration"]) == ("RESOLVED", 5400)
    assert [s["name"] for s in shown["services"]] == ["API"]
    assert statuses(page)["API"] == "operational"
    assert selectors.page_overview(page).incidents == []


def test_reopening_a_resolved_incident_gives_its_services_its_severity_again(publisher, page, api_c):
    incident = create(publisher, api_c, severity="CRITICAL")
    url = f"/v1/status-pages/incidents/{incident['id']}/incident-updates"
    checkly(publisher.post(url, {"description": "Fixed", "status": "RESOLVED"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates")
    assert statuses(page)["API"] == "operational"
    checkly(publisher.post(url, {"description": "It is back", "status": "INVESTIGATING"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates")
    assert statuses(page)["API"] == "full_outage"


def test_an_update_without_a_status_keeps_the_incidents(publisher, page, api_c):
    incident = create(publisher, api_c, status="IDENTIFIED")
    url = f"/v1/status-pages/incidents/{incident['id']}/incident-updates"
    body = checkly(publisher.post(url, {"description": "Still on it"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates")
    assert body["status"] == "IDENTIFIED" and statuses(page)["API"] == "partial_outage"


def test_an_update_needs_a_description(publisher, page, api_c):
    incident = create(publisher, api_c)
    url = f"/v1/status-pages/incidents/{incident['id']}/incident-updates"
    body = checkly(publisher.post(url, {"status": "MONITORING"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates", 422)
    assert body["message"].startswith("description:")


def test_updating_an_incident_renames_it_and_moves_its_services_to_the_new_severity(publisher, page, api_c, cards):
    incident = create(publisher, api_c, cards, severity="MINOR")
    payload = {"name": "Payments are failing", "severity": "CRITICAL", "services": [ref(cards)]}
    body = checkly(publisher.put(f"/v1/status-pages/incidents/{incident['id']}", payload), "putV1StatuspagesIncidentsIncidentid")
    assert (body["name"], body["severity"]) == ("Payments are failing", "CRITICAL")
    assert [s["name"] for s in body["services"]] == ["Cards"]
    assert statuses(page) == {"API": "operational", "Dashboard": "operational", "Cards": "full_outage"}
    # The timeline records when the components moved, in an update of no message.
    assert [(u["description"], u["status"]) for u in body["incidentUpdates"]][0] == ("", "INVESTIGATING")


def test_updating_only_the_name_posts_no_update(publisher, page, api_c):
    incident = create(publisher, api_c)
    payload = {"name": "Renamed", "severity": "MAJOR", "services": [ref(api_c)]}
    body = checkly(publisher.put(f"/v1/status-pages/incidents/{incident['id']}", payload), "putV1StatuspagesIncidentsIncidentid")
    assert body["name"] == "Renamed" and len(body["incidentUpdates"]) == 1


def test_an_incident_cannot_name_a_service_its_page_does_not_show(publisher, page, api_c):
    incident = create(publisher, api_c)
    elsewhere = status_page("Other", "other", components=["Mail"]).test_components["Mail"]
    payload = {"name": "x", "severity": "MAJOR", "services": [ref(elsewhere)]}
    body = checkly(publisher.put(f"/v1/status-pages/incidents/{incident['id']}", payload), "putV1StatuspagesIncidentsIncidentid", 422)
    assert body["message"] == "services: Not on the incident's page (Acme status): Mail"
    assert PageIncident.objects.get().name == "Checkout is failing"


def test_a_resolved_incidents_services_cannot_change_but_its_severity_can(publisher, page, api_c, cards):
    incident = create(publisher, api_c, status="RESOLVED")
    url = f"/v1/status-pages/incidents/{incident['id']}"
    refused = checkly(publisher.put(url, {"name": "x", "severity": "MAJOR", "services": [ref(cards)]}), "putV1StatuspagesIncidentsIncidentid", 422)
    assert refused["message"].startswith("services: A resolved incident's services cannot change")
    body = checkly(publisher.put(url, {"name": "x", "severity": "MINOR", "services": [ref(api_c)]}), "putV1StatuspagesIncidentsIncidentid")
    assert body["severity"] == "MINOR" and statuses(page)["API"] == "operational"


def test_deleting_an_incident_answers_204_and_frees_its_services(publisher, page, api_c):
    incident = create(publisher, api_c)
    checkly(publisher.delete(f"/v1/status-pages/incidents/{incident['id']}"), "deleteV1StatuspagesIncidentsIncidentid", 204)
    assert not PageIncident.objects.exists() and statuses(page)["API"] == "operational"


# --- incident updates -------------------------------------------------------------------------


@pytest.fixture
def incident(publisher, page, api_c):
    body = create(publisher, api_c, publicIncidentUpdateDate="2026-03-01T10:00:00.000Z")
    url = f"/v1/status-pages/incidents/{body['id']}/incident-updates"
    checkly(publisher.post(url, {"description": "Found it", "status": "IDENTIFIED", "publicIncidentUpdateDate": "2026-03-01T10:10:00.000Z"}),
            "postV1StatuspagesIncidentsIncidentidIncidentupdates")
    return body["id"]


def updates_url(incident, update=None):
    return f"/v1/status-pages/incidents/{incident}/incident-updates" + (f"/{update}" if update else "")


def test_an_incidents_updates_are_listed_latest_first(reader, incident):
    body = checkly(reader.get(updates_url(incident)), "getV1StatuspagesIncidentsIncidentidIncidentupdates")
    assert [u["description"] for u in body] == ["Found it", "We are looking into it"]


def test_one_update_is_shown_by_its_id(reader, incident):
    update = PageIncidentUpdate.objects.get(message="Found it")
    body = checkly(reader.get(updates_url(incident, guid(update.pk))), "getV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid")
    assert (body["id"], body["status"]) == (guid(update.pk), "IDENTIFIED")


def test_another_incidents_update_is_a_404(reader, publisher, page, api_c, incident):
    other = create(publisher, api_c, name="Another")
    update = PageIncidentUpdate.objects.get(message="Found it")
    checkly(reader.get(updates_url(other["id"], guid(update.pk))), "getV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid", 404)


def test_correcting_an_update_changes_its_message_and_status(publisher, incident):
    update = PageIncidentUpdate.objects.get(message="Found it")
    op = "putV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid"
    body = checkly(publisher.put(updates_url(incident, guid(update.pk)), {"description": "Found the cause", "status": "MONITORING"}), op)
    assert (body["description"], body["status"]) == ("Found the cause", "MONITORING")
    assert PageIncident.objects.get().status == "monitoring"


def test_correcting_an_update_cannot_resolve_the_incident(publisher, page, incident):
    update = PageIncidentUpdate.objects.get(message="Found it")
    op = "putV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid"
    body = checkly(publisher.put(updates_url(incident, guid(update.pk)), {"description": "Fixed", "status": "RESOLVED"}), op, 422)
    assert body["message"] == "status: To resolve or reopen an incident, post a new update"
    assert statuses(page)["API"] == "partial_outage"


def test_deleting_an_update_answers_204_but_an_incident_keeps_one(publisher, incident):
    op = "deleteV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid"
    found_it, first = (PageIncidentUpdate.objects.get(message=m) for m in ("Found it", "We are looking into it"))
    checkly(publisher.delete(updates_url(incident, guid(found_it.pk))), op, 204)
    assert PageIncident.objects.get().status == "investigating"
    body = checkly(publisher.delete(updates_url(incident, guid(first.pk))), op, 422)
    assert "keeps at least one update" in body["message"]


def test_a_reader_cannot_post_an_update(reader, incident):
    checkly(reader.post(updates_url(incident), {"description": "x"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates", 403)


@pytest.mark.parametrize("n", [1, 30])
def test_incident_update_list_query_count_is_constant(reader, publisher, page, api_c, n, django_assert_num_queries):
    incident = create(publisher, api_c)
    for i in range(n):
        services.post_incident_update(actor=None, page_incident=PageIncident.objects.get(), message=f"Update {i}")
    # key, incident, its updates
    with django_assert_num_queries(3):
        response = reader.get(updates_url(incident["id"]))
    assert len(response.json()) == n + 1
