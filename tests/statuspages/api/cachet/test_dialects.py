"""Writing through Cachet shows at once on the page and through the other dialects,
which read the same rows through the same services and selectors."""

import pytest
from django.urls import Resolver404, resolve

from statuspages import selectors, services
from statuspages.models import PageIncident
from tests.clients import make_client

from .conftest import cachet

pytestmark = pytest.mark.django_db


def routed(path: str) -> bool:
    try:
        return not resolve(path).url_name.startswith("cachet-")
    except Resolver404:
        return False


@pytest.fixture
def published(publisher, site):
    """An incident created through Cachet on the site: API in a major outage."""
    api = site.test_components["API"]
    body = {"name": "API is down", "status": 1, "message": "We are looking into it", "visible": True, "components": [{"id": api.number, "status": 4}]}
    cachet(publisher.post("/api/incidents", body), "cachet.api.incidents.store")
    return PageIncident.objects.get()


def test_an_incident_created_through_cachet_shows_on_its_page_at_once(published, site):
    overview = selectors.page_overview(site)
    assert [(i.name, i.timeline[0].message) for i in overview.incidents] == [("API is down", "We are looking into it")]
    assert {view.component.name: view.status for view in overview.components} == {
        "API": "full_outage", "Dashboard": "operational", "Checkout": "operational",
    }  # fmt: skip
    assert overview.banner.sentence == "Major outage"


def test_fixing_it_through_cachet_clears_the_page(publisher, published, site):
    cachet(publisher.post(f"/api/incidents/{published.number}/updates", {"status": 4, "message": "Fixed"}), "cachet.api.incidents.updates.store")
    overview = selectors.page_overview(site)
    assert overview.incidents == [] and overview.banner.level == "operational"


def test_an_incident_published_through_the_services_shows_through_cachet(guest, site):
    # What the admin, incident.io's and Checkly's dialects all call.
    incident = services.publish_incident(
        actor=None, status_page=site, name="Slow dashboard", message="Looking",
        component_statuses={site.test_components["Dashboard"]: "degraded_performance"},
    )  # fmt: skip
    body = cachet(guest.get("/api/incidents", {"include": "components"}), "cachet.api.incidents.index")
    assert [(item["id"], item["attributes"]["name"], item["attributes"]["message"]) for item in body["data"]] == [
        (str(incident.number), "Slow dashboard", "Looking"),
    ]
    assert [item["attributes"]["name"] for item in body["included"]] == ["Dashboard"]


def test_an_incident_created_through_cachet_shows_through_incident_ios_api(published):
    if not routed(f"/v2/status_page_incidents/{published.pk}"):
        pytest.skip("incident.io's status page API is not routed yet")
    response = make_client("status_page_viewer").get(f"/v2/status_page_incidents/{published.pk}")
    assert response.status_code == 200, response.content
    shown = response.json()["status_page_incident"]
    assert (shown["id"], shown["name"], shown["incident_status"]) == (published.pk, "API is down", "investigating")


def test_an_incident_created_through_cachet_shows_through_checklys_api(published):
    if not routed("/v1/status-pages/incidents"):
        pytest.skip("Checkly's status page API is not routed yet")
    from statuspages.api.checkly.ids import guid

    response = make_client("status_page_viewer").get("/v1/status-pages/incidents")
    assert response.status_code == 200, response.content
    entries = response.json()["entries"]
    assert [(entry["id"], entry["name"]) for entry in entries] == [(guid(published.pk), "API is down")]
