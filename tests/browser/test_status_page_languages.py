"""The public site in the reader's language, time zone and colour scheme, in a real
browser: a reader in Tokyo with a Japanese phone, the language switcher, dark mode at 375
and 1366 px, and the admin naming its zone. No horizontal scroll; screenshots under
test-artifacts/screenshots/."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import status_page

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1366]


@pytest.fixture
def page():
    page = status_page(name="Acme status", slug="acme", time_zone="Europe/London", components=["API", "Dashboard"],
                       groups={"Payments": ["Card payments", "Invoices"]})
    cards = page.test_components["Card payments"]
    london = timezone.localtime(timezone.now(), ZoneInfo("Europe/London"))
    began = (london - timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    services.publish_retrospective_incident(actor=None, status_page=page, name="Elevated API error rates", updates=[
        services.PastUpdate("investigating", "Errors on the API.", began, {page.test_components["API"]: "partial_outage"}),
        services.PastUpdate("resolved", "Rolled back.", began + timedelta(hours=2)),
    ])
    services.publish_incident(actor=None, status_page=page, name="Card payments failing", message="Some cards are declined.",
                              component_statuses={cards: "partial_outage"})
    return page


def reader(browser, live_server, path, *, width, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto(f"{live_server.url}{path}")
    return context, tab, errors


def test_a_reader_in_tokyo_sees_japanese_and_tokyo_times(browser, live_server, page):
    context, tab, errors = reader(browser, live_server, "/status/acme/", width=375, locale="ja-JP", timezone_id="Asia/Tokyo",
                                  is_mobile=True, has_touch=True)
    try:
        assert tab.locator("html").get_attribute("lang") == "ja"
        assert tab.locator("#components-heading").inner_text() == "コンポーネント"
        assert "発生中の障害" in tab.locator("#incidents-heading").inner_text()
        note = tab.locator("#time-zone")
        assert note.get_attribute("data-converted") == "Asia/Tokyo"  # the script ran, under the CSP
        assert "Asia/Tokyo" in note.inner_text() and "タイムゾーン" in note.inner_text()
        times = tab.locator("time[datetime*='T']")
        assert times.count() >= 3
        for n in range(times.count()):
            shown, stamp = times.nth(n).inner_text(), times.nth(n).get_attribute("datetime")
            tokyo = datetime.fromisoformat(stamp).astimezone(ZoneInfo("Asia/Tokyo"))
            assert f"{tokyo.year}/{tokyo.month:02d}/{tokyo.day:02d}" in shown or f"{tokyo.year}年{tokyo.month}月{tokyo.day}日" in shown, shown
            assert f"{tokyo:%H:%M}" in shown and "JST" in shown, shown
        assert horizontal_overflow(tab) == 0
        assert not errors, errors
        screenshot(tab, "status-tokyo-ja-375")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_switcher_changes_the_language_without_scripts(browser, live_server, page, width):
    context, tab, _ = reader(browser, live_server, "/status/acme/history/", width=width, java_script_enabled=False)
    try:
        assert tab.locator("html").get_attribute("lang") == "en"
        tab.locator("nav.languages a[lang=de]").click()
        tab.wait_for_url(f"{live_server.url}/status/acme/history/")
        assert tab.locator("html").get_attribute("lang") == "de"
        assert tab.locator("h1").inner_text() == "Störungsverlauf"
        assert tab.locator("nav.languages a[aria-current]").inner_text() == "Deutsch"
        # The choice stays while the reader browses.
        tab.locator("footer a", has_text="Aktueller Status").click()
        assert tab.locator("#components-heading").inner_text() == "Komponenten"
        assert horizontal_overflow(tab) == 0
        screenshot(tab, f"status-switched-de-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_dark_mode_follows_the_system(browser, live_server, page, width):
    context, tab, errors = reader(browser, live_server, "/status/acme/", width=width, color_scheme="dark")
    try:
        background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        text = tab.evaluate("getComputedStyle(document.body).color")
        assert background == "rgb(13, 17, 23)" and text == "rgb(230, 237, 243)"
        pill = tab.locator(".card-incident .pill").first
        assert pill.evaluate("node => getComputedStyle(node).color") == "rgb(13, 17, 23)"
        assert horizontal_overflow(tab) == 0
        assert not errors, errors
        screenshot(tab, f"status-dark-{width}")
    finally:
        context.close()
    light, tab, _ = reader(browser, live_server, "/status/acme/", width=width, color_scheme="light")
    try:
        assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    finally:
        light.close()


def test_the_admin_names_its_time_zone(browser, live_server, staff, settings):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        tab = context.new_page()
        log_in(tab, live_server, "staff", "pw-staff-123")
        assert tab.locator("#admin-time-zone").inner_text() == f"Times in {settings.TIME_ZONE}"
        screenshot(tab, "admin-time-zone-1366")
    finally:
        context.close()
