"""Staff publish and update a status page incident in the admin, in a real browser, at
1366 px with no horizontal scroll."""

import pytest

from statuspages import selectors
from statuspages.models import PageIncident
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_publish_an_incident_about_an_internal_one_and_resolve_it(open_page, live_server, staff):
    page = status_page(components=["API"], groups={"Payments": ["Cards"]})
    api = page.test_components["API"]
    internal = declare("Primary database disk full on db-eu-1", visibility="private")
    tab = open_page("/admin/login/")
    log_in(tab, live_server, "staff", "pw-staff-123")
    tab.goto(f"{live_server.url}/admin/incidents/incident/{internal.pk}/change/")
    tab.click("text=Publish an incident on a status page about this one")
    tab.fill("#id_name", "Slow API responses")
    tab.fill("#id_message", "Some API requests are slow. We're investigating.")
    tab.select_option(f"#id_component_{api.pk}", "partial_outage")
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-publish-incident-1366")
    tab.click("input[value=Publish]")
    tab.wait_for_selector("text=Published on")
    published = PageIncident.objects.get()
    assert published.incident == internal and published.name == "Slow API responses"
    assert selectors.component_statuses([api.pk])[api.pk] == "partial_outage"
    # Resolve it from the incident's page, under its timeline.
    tab.fill("#timeline textarea[name=message]", "Fixed: the disk was cleaned up.")
    tab.select_option("#timeline select[name=status]", "resolved")
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-incident-timeline-1366")
    tab.click("input[value='Post update']")
    tab.wait_for_selector("text=Update posted.")
    published.refresh_from_db()
    assert published.status == "resolved" and selectors.component_statuses([api.pk])[api.pk] == "operational"
