"""Atom and RSS feeds of a page's incidents and maintenance (statuspages/feeds.py)."""

import xml.etree.ElementTree as ET

import pytest

from statuspages import services
from tests.factories import status_page

from .conftest import incident, maintenance

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def history(page):
    found = incident(page, name="Checkout failing", message="Cards **fail**.")
    services.post_incident_update(actor=None, page_incident=found, message="Fixed.", status="resolved")
    planned = maintenance(page, name="Database upgrade")
    return found, planned


def test_the_atom_feed_has_an_entry_per_incident_and_maintenance_linking_to_its_page(client, history):
    found, planned = history
    response = client.get("/status/acme/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}title").text == "Acme status: incidents and maintenance"
    entries = {e.find(f"{ATOM}title").text: e for e in feed.findall(f"{ATOM}entry")}
    assert set(entries) == {"Checkout failing", "Maintenance: Database upgrade"}
    link = entries["Checkout failing"].find(f"{ATOM}link").get("href")
    assert link == f"http://localhost:8000/status/acme/incidents/{found.pk}/"
    assert entries["Maintenance: Database upgrade"].find(f"{ATOM}link").get("href").endswith(f"/maintenance/{planned.pk}/")
    summary = entries["Checkout failing"].find(f"{ATOM}summary").text
    assert "Cards <strong>fail</strong>." in summary and "Resolved" in summary and "Fixed." in summary


def test_the_rss_feed_has_the_same_entries(client, history):
    response = client.get("/status/acme/feed.rss")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert {item.find("title").text for item in items} == {"Checkout failing", "Maintenance: Database upgrade"}
    assert all(item.find("link").text.startswith("http://localhost:8000/status/acme/") for item in items)
    assert all(item.find("pubDate").text for item in items)


def test_entries_come_latest_update_first(client, page):
    first = incident(page, name="First")
    incident(page, name="Second")
    services.post_incident_update(actor=None, page_incident=first, message="Still on it", status="identified")
    feed = ET.fromstring(client.get("/status/acme/feed.atom").content)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["First", "Second"]


def test_a_private_page_feed_is_404_to_anonymous_readers(client, db):
    status_page(name="Internal", slug="internal", is_public=False)
    assert client.get("/status/internal/feed.atom").status_code == 404
    assert client.get("/status/internal/feed.rss").status_code == 404
