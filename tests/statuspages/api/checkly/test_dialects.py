"""Writing through Checkly shows at once on the page and through the other dialects,
which read the same rows through the same services and selectors."""

import pytest
from django.urls import Resolver404, resolve

from statuspages import selectors, services
from statuspages.api.checkly.ids import guid
from statuspages.models import PageIncident
from tests.clients import make_client

from .conftest import checkly

pytestmark = pytest.mark.django_db


def routed(path: str) -> bool:
    try:
        return not resolve(path).url_name.startswith("checkly-")
    except Resolver404:
        return False


@pytest.fixture
def published(publisher, page):
    """An incident created through Checkly on the default page: MAJOR, on API and Cards."""
    api, cards = page.test_components["API"], page.test_components["Cards"]
    body = {
        "name": "Checkout is failing",
        "severity": "MAJOR",
        "services": [{"id": guid(c.pk), "name": c.name, "accountId": guid(c.pk)} for c in (api, cards)],
        "incidentUpdates": [{"description": "We are looking into it"}],
    }
    checkly(publisher.post("/v1/status-pages/incidents", body), "postV1StatuspagesIncidents", 201)
    return PageIncident.objects.get()


def test_an_incident_created_through_checkly_shows_on_its_page_at_once(published, page):
    overview = selectors.page_overview(page)
    assert [(i.name, i.timeline[0].message) for i in overview.incidents] == [("Checkout is failing", "We are looking into it")]
    assert {view.component.name: view.status for view in overview.components} == {
        "API": "partial_outage", "Dashboard": "operational", "Cards": "partial_outage",
    }
    assert overview.banner.sentence == "Partial outage"


def test_resolving_through_checkly_clears_the_page(publisher, published, page):
    url = f"/v1/status-pages/incidents/{guid(published.pk)}/incident-updates"
    checkly(publisher.post(url, {"description": "Fixed", "status": "RESOLVED"}), "postV1StatuspagesIncidentsIncidentidIncidentupdates")
    overview = selectors.page_overview(page)
    assert overview.incidents == [] and overview.banner.level == "operational"


def test_an_incident_published_through_the_services_shows_through_checkly(reader, page):
    # What the admin, incident.io's and Cachet's dialects all call.
    incident = services.publish_incident(
        actor=None, status_page=page, name="Slow dashboard", message="Looking",
        component_statuses={page.test_components["Dashboard"]: "degraded_performance"},
    )
    body = checkly(reader.get("/v1/status-pages/incidents"), "getV1StatuspagesIncidents")
    assert [(e["id"], e["name"], e["severity"]) for e in body["entries"]] == [(guid(incident.pk), "Slow dashboard", "MEDIUM")]
    assert [s["name"] for s in body["entries"][0]["services"]] == ["Dashboard"]


def test_an_incident_created_through_checkly_shows_through_incident_ios_api(published):
    if not routed(f"/v2/status_page_incidents/{published.pk}"):
        pytest.skip("incident.io's status page API is not routed yet")
    response = make_client("status_page_viewer").get(f"/v2/status_page_incidents/{published.pk}")
    assert response.status_code == 200, response.content
    shown = response.json()["status_page_incident"]
    assert (shown["id"], shown["name"], shown["incident_status"]) == (published.pk, "Checkout is failing", "investigating")
    assert shown["status_page_id"] == published.status_page_id


def test_an_incident_created_through_checkly_shows_through_cachets_api(published):
    if not routed(f"/api/incidents/{published.number}"):
        pytest.skip("Cachet's API is not routed yet")
    response = make_client("status_page_viewer").get(f"/api/incidents/{published.number}")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["attributes"]["name"] == "Checkout is failing"
