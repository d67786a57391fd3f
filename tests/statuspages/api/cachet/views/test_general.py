"""Ping, version, the system status, and Cachet's document served under its paths."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.api.v1.views.utilities import openapi_document as our_document
from statuspages import services
from statuspages.api.cachet.views.general import _document as served_document
from tests.contract import _document
from tests.factories import status_page

from ..conftest import DOCUMENT, cachet

pytestmark = pytest.mark.django_db


def test_ping_pongs(guest):
    assert cachet(guest.get("/api/ping"), "cachet.api.ping") == {"data": "Pong!"}


def test_version_is_the_one_cachets_document_allows(guest):
    # Cachet's own code answers 3.x-dev; its published document quotes it, and we follow
    # the document (docs/dialects/cachet.md).
    assert cachet(guest.get("/api/version"), "cachet.api.version") == {"data": {"version": "'3.x-dev'"}}


def test_status_is_operational_when_every_component_is(guest, site):
    body = cachet(guest.get("/api/status"), "cachet.api.status")
    assert body == {"data": {"status": "operational", "message": "All systems are operational."}}


def test_status_is_operational_without_any_page(guest):
    assert cachet(guest.get("/api/status"), "cachet.api.status")["data"]["status"] == "operational"


def test_an_unresolved_incident_makes_a_partial_outage(guest, site):
    services.publish_incident(actor=None, status_page=site, name="Slow", message="Looking")
    body = cachet(guest.get("/api/status"), "cachet.api.status")
    assert body == {"data": {"status": "partial_outage", "message": "Some systems are experiencing issues."}}


def test_a_quarter_of_components_down_is_a_major_outage(guest, site):
    services.set_component_status(actor=None, component=site.test_components["API"], status="full_outage")
    body = cachet(guest.get("/api/status"), "cachet.api.status")
    assert body["data"] == {"status": "major_outage", "message": "Some systems are experiencing major issues."}


def test_maintenance_in_progress_shows(guest, site):
    now = timezone.now()
    services.schedule_maintenance(
        actor=None, status_page=site, name="Upgrade", message="", starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1), components=[site.test_components["API"]], status="maintenance_in_progress",
    )
    assert cachet(guest.get("/api/status"), "cachet.api.status")["data"]["status"] == "under_maintenance"


def test_a_guest_learns_nothing_of_a_private_site(guest, reader):
    page = status_page("Internal", "internal", is_default=True, is_public=False, components=["API"])
    services.set_component_status(actor=None, component=page.test_components["API"], status="full_outage")
    assert cachet(guest.get("/api/status"), "cachet.api.status")["data"]["status"] == "operational"
    assert cachet(reader.get("/api/status"), "cachet.api.status")["data"]["status"] == "major_outage"


def test_the_served_document_is_cachets_without_the_metrics(guest, settings):
    served_document.cache_clear()
    response = guest.get("/api/openapi.json")
    assert response.status_code == 200
    served = response.json()
    reference = _document(DOCUMENT)
    assert served["servers"] == [{"url": f"{settings.SITE_URL}/api"}]
    assert served["paths"] == {path: methods for path, methods in reference["paths"].items() if not path.startswith("/metrics")}
    assert served["components"]["schemas"] == {
        name: schema for name, schema in reference["components"]["schemas"].items() if "Metric" not in name
    }
    assert served["components"]["responses"] == reference["components"]["responses"]
    assert served["components"]["securitySchemes"] == reference["components"]["securitySchemes"]
    assert [tag["name"] for tag in served["tags"]] == [
        tag["name"] for tag in reference["tags"] if tag["name"] not in ("Metrics", "Metric Points")
    ]


def test_none_of_the_dialects_views_is_in_our_incident_io_document():
    our_document.cache_clear()
    assert not [path for path in our_document()["paths"] if path.startswith("/api/")]
