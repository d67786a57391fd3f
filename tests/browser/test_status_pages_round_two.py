"""Status pages, second round, in a real browser at 375 and 1366 px: the past incidents
under the components, a tap on a day bar that tells its day, the public 404 page, and an
update from the incident console that turns a component green. No horizontal scroll;
screenshots under test-artifacts/screenshots/."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1366]


@pytest.fixture
def page():
    page = status_page(name="Acme status", slug="acme", time_zone="Europe/London", components=["API", "Dashboard"],
                       groups={"Payments": ["Card payments", "Invoices"]})
    api = page.test_components["API"]
    # 10:00 to 12:00 in the page's zone two days ago: one day's bar, whatever the hour the test runs.
    london = timezone.localtime(timezone.now(), ZoneInfo("Europe/London"))
    began = (london - timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    services.publish_retrospective_incident(actor=None, status_page=page, name="Elevated API error rates after a deploy", updates=[
        services.PastUpdate("investigating", "Errors on **POST /v1/charges**.", began, {api: "partial_outage"}),
        services.PastUpdate("resolved", "Rolled back; errors are back to normal.", began + timedelta(hours=2)),
    ])
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_past_incidents_by_day_link_to_their_pages(open_page, page, width):
    tab = open_page("/status/acme/", width=width)
    past = tab.locator("section.past")
    assert past.locator(".past-day").count() == 14
    assert past.locator("text=No incidents reported.").count() == 13
    past.scroll_into_view_if_needed()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-past-incidents-{width}")
    past.locator("text=Elevated API error rates after a deploy").click()
    assert "Rolled back; errors are back to normal." in tab.content()
    assert horizontal_overflow(tab) == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tap_on_a_day_bar_tells_its_day(browser, live_server, page, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=True, is_mobile=width < 800)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server.url}/status/acme/")
        api = tab.locator("li.component", has=tab.locator(".component-name", has_text="API")).first
        days = api.locator("ol.bars li.day")
        assert days.count() == 90
        hurt = api.locator("ol.bars li.day.partial_outage")
        assert hurt.count() == 1
        tip = hurt.locator(".tip")
        assert tip.bounding_box()["width"] <= 1  # hidden until asked for
        hurt.tap()
        assert hurt.evaluate("node => node === document.activeElement")
        box = tip.bounding_box()
        assert box["width"] > 40 and "partial outage" in tip.inner_text() and "uptime" in tip.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the tip stays in the window
        assert horizontal_overflow(tab) == 0
        screenshot(tab, f"status-day-bar-tap-{width}")
        # The edges' tips open inwards.
        for edge in (days.first, days.last):
            edge.tap()
            edge_box = edge.locator(".tip").bounding_box()
            assert edge_box["x"] >= 0 and edge_box["x"] + edge_box["width"] <= width
        assert horizontal_overflow(tab) == 0
        # Screen readers: the list is labelled with the period, each day holds its text.
        assert "uptime over the last 90 days" in api.locator("ol.bars").get_attribute("aria-label")
        assert days.first.get_attribute("tabindex") == "0"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_404_page_leads_back(open_page, page, width):
    tab = open_page("/status/acme/incidents/no-such-incident/", width=width)
    assert tab.locator("h1").inner_text() == "Page not found"
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-404-{width}")
    tab.locator("main a", has_text="Current status of Acme status").click()
    assert tab.locator(".banner-sentence").is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_console_update_turns_a_component_green(open_page, live_server, staff, statuses, width):
    page = status_page(name="Acme status", slug="acme", components=["API", "Dashboard"])
    dashboard = page.test_components["Dashboard"]
    internal = declare("Dashboard p99 above 5 s in eu-west-1")
    services.publish_incident(
        actor=None, status_page=page, name="Slow dashboard", message="Investigating.", incident=internal,
        component_statuses={dashboard: "degraded_performance"},
    )
    tab = open_page("/admin/login/", width=width)
    log_in(tab, live_server, "staff", "pw-staff-123")
    tab.goto(f"{live_server.url}/admin/incidents/incident/{internal.pk}/change/")
    select = tab.locator(f"#id_statuspage_component_{dashboard.pk}")
    assert select.input_value() == "degraded_performance"  # where the incident stands
    tab.fill("#id_message", "All fixed: the slow query has an index now.")
    tab.select_option("#id_statuspage_incident", index=1)
    tab.select_option("#id_statuspage_status", "resolved")
    select.select_option("operational")
    select.scroll_into_view_if_needed()
    screenshot(tab, f"admin-console-components-{width}")
    tab.click("#post-update input[type=submit]")
    tab.wait_for_load_state()
    assert "Published on Acme status" in tab.content()
    tab.goto(f"{live_server.url}/status/acme/")
    row = tab.locator("li.component", has=tab.locator(".component-name", has_text="Dashboard")).first
    assert row.locator(".status").inner_text().strip() == "Operational"
    assert "All systems operational" in tab.locator(".banner-sentence").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"status-after-console-update-{width}")
