"""Issue 17, item 2: the public status (the banner, a component's status, the badges,
status.json and summary.json, availability) moves only with what the public may read. A
hidden or staff-only incident, or an incident on a private page naming a shared
component, leaves it operational for the public; logged-in staff, who can read those
incidents (but a hidden one), see them count (``statuspages.selectors.visibility``)."""

import pytest

from statuspages import selectors, services
from statuspages.models import Visibility
from tests.factories import status_page

from .conftest import component, incident

pytestmark = pytest.mark.django_db

FRONT, BADGE, SUMMARY = "/status/acme/", "/status/acme/badge.svg", "/status/acme/api/v2/summary.json"


def public_status(reader, page) -> dict:
    """What a reader is told of the page: its banner, badges, status.json, summary.json."""
    api = component(page, "API")
    summary = reader.get(SUMMARY).json()
    return {
        "banner": "Major outage" in reader.get(FRONT).content.decode(),
        "badge": b"major outage" in reader.get(BADGE).content,
        "component badge": b"major outage" in reader.get(f"/status/acme/components/{api.pk}/badge.svg").content,
        "status.json": reader.get("/status/acme/api/v2/status.json").json()["status"]["indicator"],
        "summary.json": (summary["status"]["indicator"], next(c["status"] for c in summary["components"] if c["id"] == api.pk)),
    }


OPERATIONAL = {"banner": False, "badge": False, "component badge": False, "status.json": "none", "summary.json": ("none", "operational")}
OUTAGE = {"banner": True, "badge": True, "component badge": True, "status.json": "critical", "summary.json": ("critical", "major_outage")}


def test_a_staff_only_incident_does_not_move_the_public_status(client, staff_reader, page):
    incident(page, name="Quiet", statuses={"API": "full_outage"}, visibility=Visibility.STAFF)
    assert public_status(client, page) == OPERATIONAL
    assert public_status(staff_reader, page) == OUTAGE


def test_an_incident_set_to_hidden_no_longer_moves_any_status(client, staff_reader, page):
    found = incident(page, name="Mistake", statuses={"API": "full_outage"})
    assert public_status(client, page) == OUTAGE
    services.edit_page_incident(actor=None, page_incident=found, visibility=Visibility.HIDDEN)
    assert public_status(client, page) == OPERATIONAL
    assert public_status(staff_reader, page) == OPERATIONAL


def test_an_incident_on_a_private_page_does_not_move_a_shared_component_publicly(client, staff_reader, page):
    internal = status_page(name="Internal", slug="internal", is_public=False)
    services.place_component(actor=None, component=component(page, "API"), status_page=internal)
    services.publish_incident(
        actor=None, status_page=internal, name="VPN trouble", message="m", component_statuses={component(page, "API"): "full_outage"}
    )
    assert public_status(client, page) == OPERATIONAL
    assert public_status(staff_reader, page) == OUTAGE


def test_a_public_incident_on_another_public_page_moves_a_shared_component(client, page):
    other = status_page(name="Acme EU", slug="acme-eu")
    services.place_component(actor=None, component=component(page, "API"), status_page=other)
    services.publish_incident(actor=None, status_page=other, name="EU outage", message="m", component_statuses={component(page, "API"): "full_outage"})
    assert public_status(client, page) == OUTAGE


def test_availability_counts_only_what_the_audience_may_read(page):
    api = component(page, "API")
    incident(page, name="Quiet", statuses={"API": "full_outage"}, visibility=Visibility.STAFF)
    public = {view.component.pk: view.availability for view in selectors.page_overview(page, staff=False).components}
    staff = {view.component.pk: view.availability for view in selectors.page_overview(page, staff=True).components}
    assert public[api.pk].percent == 100.0 and not public[api.pk].days[-1].seconds
    assert staff[api.pk].days[-1].seconds


def test_a_status_set_by_hand_counts_for_everyone(client, staff_reader, page):
    services.set_component_status(actor=None, component=component(page, "API"), status="full_outage")
    assert public_status(client, page) == OUTAGE
    assert public_status(staff_reader, page) == OUTAGE
