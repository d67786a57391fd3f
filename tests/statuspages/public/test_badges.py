"""SVG status badges of a page and of a component (statuspages/views/badges.py)."""

import xml.etree.ElementTree as ET

import pytest

from statuspages import services
from statuspages.models import MaintenanceStatus
from tests.factories import status_page

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def badge(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = ET.fromstring(response.content)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    colour = next(rect.get("fill") for rect in svg.iter(f"{SVG}rect") if rect.get("x"))  # the message's
    return svg.find(f"{SVG}title").text, svg.get("aria-label"), texts, colour


@pytest.mark.parametrize(
    "statuses, message, colour",
    [
        ({}, "operational", "#1a7f37"),
        ({"API": "degraded_performance"}, "degraded performance", "#9a6700"),
        ({"API": "partial_outage"}, "partial outage", "#bc4c00"),
        ({"Cards": "full_outage"}, "major outage", "#cf222e"),
    ],
)
def test_a_page_badge_says_the_worst_a_component_shows(client, page, statuses, message, colour):
    if statuses:
        incident(page, statuses=statuses)
    title, label, texts, fill = badge(client, "/status/acme/badge.svg")
    assert texts == ["Acme status", message] and fill == colour
    assert title == label and title.startswith("Acme status: ")


def test_a_page_badge_says_under_maintenance(client, page):
    maintenance(page, hours_from_now=-1, hours=2, status=MaintenanceStatus.IN_PROGRESS)
    assert badge(client, "/status/acme/badge.svg")[2] == ["Acme status", "under maintenance"]


def test_a_component_badge_says_its_status(client, page):
    incident(page, statuses={"Cards": "partial_outage"})
    title, _, texts, fill = badge(client, f"/status/acme/components/{component(page, 'Cards').pk}/badge.svg")
    assert texts == ["Cards", "partial outage"] and title == "Cards: partial outage" and fill == "#bc4c00"


def test_a_badge_is_as_wide_as_its_words(client, page):
    svg = ET.fromstring(client.get("/status/acme/badge.svg").content)
    incident(page, statuses={"API": "degraded_performance"})
    wider = ET.fromstring(client.get("/status/acme/badge.svg").content)
    assert int(wider.get("width")) > int(svg.get("width"))


def test_a_component_the_page_does_not_show_has_no_badge(client, page):
    other = status_page(name="Other", slug="other", components=["Search"])
    services.place_component(actor=None, component=component(page, "Dashboard"), status_page=page, hidden=True)
    assert client.get(f"/status/acme/components/{component(other, 'Search').pk}/badge.svg").status_code == 404
    assert client.get(f"/status/acme/components/{component(page, 'Dashboard').pk}/badge.svg").status_code == 404
    assert client.get("/status/acme/components/nothing/badge.svg").status_code == 404


def test_a_private_page_badge_is_404_to_anonymous_readers(client, db):
    status_page(name="Internal", slug="internal", is_public=False)
    assert client.get("/status/internal/badge.svg").status_code == 404
