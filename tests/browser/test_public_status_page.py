"""A customer follows an incident on the public status page, in a real browser: the banner
and the components move after an API call, the incident, maintenance and history pages
navigate, and nothing scrolls sideways on a phone (375 px) or a laptop (1366 px)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from statuspages import services
from statuspages.models import Maintenance, StatusPage
from tests.browser.conftest import horizontal_overflow, screenshot
from tests.clients import make_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    """The demo page (/status/acme/): two years of history, an incident under way, a
    maintenance to come."""
    from io import StringIO

    call_command("loaddemo", stdout=StringIO())
    return StatusPage.objects.get(slug="acme")


def component_status(tab, name: str) -> str:
    row = tab.locator("li.component", has=tab.locator(".component-name", has_text=name)).first
    return row.locator(".status").inner_text().strip()


@pytest.mark.parametrize("width", [375, 1366])
def test_the_page_fits_the_window_and_its_pages_navigate(open_page, demo, width):
    tab = open_page("/status/acme/", width=width)
    assert "Degraded performance" in tab.locator(".banner-sentence").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-page-{width}")
    # The incident under way, with its timeline.
    tab.click("text=Slow dashboard for some European customers")
    assert "We've found the cause" in tab.content()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-incident-{width}")
    # The maintenance to come.
    tab.go_back()
    upcoming = Maintenance.objects.get(status_page=demo, name="Network upgrade")
    tab.click(f"a[href$='/maintenance/{upcoming.pk}/']")
    assert "load balancers" in tab.content()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-maintenance-{width}")
    # The history, by month.
    tab.go_back()
    tab.click("text=Incident history")
    assert tab.locator("h2, h3").filter(has_text=str(timezone.now().year)).count() >= 1
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-history-{width}")


def test_the_banner_and_components_move_after_an_api_call(open_page, demo):
    tab = open_page("/status/acme/")
    assert component_status(tab, "Card payments") == "Operational"
    publisher = make_client("status_page_publisher", name="Alerting")
    cards = demo.placements.get(component__name="Card payments").component
    response = publisher.post("/v2/status_page_incidents", {
        "status_page_id": demo.pk, "name": "Card payments failing", "incident_status": "investigating",
        "idempotency_key": "alert-1", "message": "Card payments are failing.", "notify_subscribers": False,
        "component_statuses": [{"component_id": cards.pk, "component_status": "full_outage"}],
    })
    assert response.status_code == 201, response.content
    tab.reload()
    assert "Major outage" in tab.locator(".banner-sentence").inner_text()
    assert component_status(tab, "Card payments") == "Major outage"  # the page's word for a full outage
    assert tab.locator("text=Card payments failing").count() >= 1
    screenshot(tab, "status-page-outage-1366")
    incident_id = response.json()["status_page_incident"]["id"]
    publisher.post("/v2/status_page_incident_updates", {
        "status_page_incident_id": incident_id, "message": "Fixed.", "incident_status": "resolved", "notify_subscribers": False,
    })
    tab.reload()
    assert component_status(tab, "Card payments") == "Operational"
    under_way = tab.locator("section[aria-labelledby=incidents-heading]")
    assert under_way.count() == 0 or "Card payments failing" not in under_way.inner_text()


def test_maintenance_started_by_beat_shows_on_the_page(open_page, demo):
    upcoming = Maintenance.objects.get(status_page=demo, name="Network upgrade")
    services.advance_due_maintenance(now=upcoming.starts_at + timedelta(minutes=1))
    tab = open_page("/status/acme/")
    assert component_status(tab, "API") == "Under maintenance"
    assert "Maintenance in progress" in tab.content()
