"""A component's page and the history's search in a real browser at 375 and 1366 px:
reached from the front page by the component's name and from the history's search box;
no horizontal scroll; screenshots under test-artifacts/screenshots/."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from tests.browser.conftest import horizontal_overflow, screenshot
from tests.factories import status_page

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1366]


@pytest.fixture
def page():
    page = status_page(name="Acme status", slug="acme", time_zone="Europe/London", components=["API", "Dashboard"],
                       groups={"Payments": ["Card payments", "Invoices"]})
    cards = page.test_components["Card payments"]
    london = timezone.localtime(timezone.now(), ZoneInfo("Europe/London"))
    # 10:00 to 13:00 in the page's zone, days ago: one day's bar whatever the hour the test runs.
    for days, name in ((3, "Card payments declined by one acquirer"), (40, "Card payments slow at checkout")):
        began = (london - timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        services.publish_retrospective_incident(actor=None, status_page=page, name=name, updates=[
            services.PastUpdate("investigating", "Some card payments fail with **acquirer timeout**.", began,
                                {cards: "partial_outage"}),
            services.PastUpdate("resolved", "The acquirer fixed its gateway.", began + timedelta(hours=3)),
        ])
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_a_component_s_name_leads_to_its_page(open_page, page, width):
    tab = open_page("/status/acme/", width=width)
    tab.locator(".component-name a", has_text="Card payments").click()
    tab.wait_for_url("**/components/**")
    assert tab.locator("h1").inner_text() == "Card payments"
    assert tab.locator("ol.bars li.day").count() == 90
    assert tab.locator("ol.bars li.day.partial_outage").count() == 2
    assert tab.locator("table.months tbody tr").count() == 12
    assert tab.locator(".card-incident").count() == 2
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-component-page-{width}")
    tab.locator(".card-incident a", has_text="declined").click()
    assert "The acquirer fixed its gateway." in tab.content()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_history_s_search_finds_incidents_by_words_of_their_updates(open_page, page, width):
    tab = open_page("/status/acme/history/", width=width)
    tab.fill("input[name=q]", "Acquirer gateway")
    tab.locator("form.search button").click()
    tab.wait_for_url("**/history/?q=**")
    assert tab.locator(".card-incident").count() == 2
    assert "Incidents matching" in tab.locator("h1").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-history-search-{width}")
    tab.fill("input[name=q]", "declined acquirer")
    tab.locator("form.search button").click()
    tab.wait_for_url("**q=declined**")
    assert tab.locator(".card-incident").count() == 1
