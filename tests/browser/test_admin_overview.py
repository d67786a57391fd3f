"""The admin's front page, the API key form and the API docs in a real browser: no
horizontal scroll, the charts' numbers on screen, and nothing loaded from outside."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from core import services as core_services
from core.models import ApiKey
from incidents import services
from incidents.models import IncidentStatus, Severity
from incidents.services import PastUpdate
from tests.browser.conftest import SCREENSHOTS, horizontal_overflow, log_in, screenshot
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _history():
    severities = {s.name: s for s in Severity.objects.all()}
    closed = IncidentStatus.objects.get(name="Closed")
    IncidentFactory(name="Checkout failing", severity=severities["Critical"])
    IncidentFactory(name="Dashboard slow", severity=severities["Major"])
    for n, (severity, hours) in enumerate([("Critical", 3), ("Major", 5), ("Major", 9), ("Minor", 20)]):
        declared = timezone.now() - timedelta(weeks=n * 2 + 1)
        services.record_past_incident(
            actor=None, declared_at=declared, name=f"Past {n}", severity=severities[severity],
            updates=[PastUpdate(declared + timedelta(hours=hours), "Over", closed)],
        )


def _inside_the_window(tab, selector) -> bool:
    """Every element matching ``selector`` is shown and ends within the window's width."""
    width = tab.viewport_size["width"]
    elements = tab.locator(selector).all()
    assert elements, selector
    for element in elements:
        box = element.bounding_box()
        if not element.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > width:
            return False
    return True


@pytest.mark.parametrize("width, height", [(1366, 768), (768, 1024)])
def test_front_page_overview_fits_the_window_with_its_numbers_visible(open_page, live_server, staff, width, height):
    _history()
    tab = open_page("/admin/login/", width=width, height=height)
    log_in(tab, live_server, "staff", "pw-staff-123")
    assert horizontal_overflow(tab) == 0
    for chart in ("#overview-active", "#overview-time-to-resolve", "#overview-declared"):
        assert tab.locator(f"{chart} svg.overview-svg").is_visible(), chart  # not the legend's swatches
    assert _inside_the_window(tab, "#overview-active .bar-value")
    assert _inside_the_window(tab, "#overview-time-to-resolve .bar-value")
    assert _inside_the_window(tab, "#overview-declared .column-total")
    assert tab.locator("#overview-time-to-resolve .bar-value", has_text="3 h · 1 resolved").is_visible()
    assert tab.locator("#overview-active .bar-value").all_text_contents() == ["1", "1", "0"]
    assert tab.locator("#overview-declared table").is_visible()
    screenshot(tab, f"admin-overview-{width}")


def test_staff_create_an_api_key_from_grouped_roles_and_see_its_token_once(open_page, live_server, staff):
    tab = open_page("/admin/login/")
    log_in(tab, live_server, "staff", "pw-staff-123")
    tab.goto(f"{live_server.url}/admin/core/apikey/add/")
    for legend in ("Incidents", "Configuration", "API keys", "Status pages"):
        assert tab.locator("legend", has_text=legend).is_visible()
    # incident.io's other role names are folded away until asked for.
    assert not tab.locator("input[value=catalog_viewer]").is_visible()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-api-key-form-1366")
    tab.fill("#id_name", "Deploy bot")
    tab.check("input[value=viewer]")
    tab.check("input[value=incident_creator]")
    tab.click(".api-role-others summary")
    assert tab.locator("input[value=catalog_viewer]").is_visible()
    tab.click("input[name=_save]")
    message = tab.locator(".messagelist .warning")
    token = message.locator("code").inner_text()
    assert token.startswith(ApiKey.TOKEN_PREFIX)
    screenshot(tab, "admin-api-key-token-once-1366")
    key = ApiKey.objects.get(name="Deploy bot")
    assert key.roles == ["viewer", "incident_creator"] and core_services.authenticate_token(token) == key
    tab.goto(f"{live_server.url}/admin/core/apikey/{key.pk}/change/")
    assert token not in tab.content()


@pytest.mark.parametrize(
    "path, ready, name",
    [("/api/docs/", ".swagger-ui .info .title", "api-docs-swagger"), ("/api/docs/redoc/", "h1", "api-docs-redoc")],
)
def test_api_docs_load_nothing_from_outside_the_server(browser, live_server, path, ready, name):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    outside, local = [], []

    def only_local(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            local.append(url)
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_local)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server.url}{path}")
        tab.wait_for_selector(ready, timeout=60_000)
        tab.wait_for_load_state("networkidle")
        assert "Incident Tracker API" in tab.locator(ready).first.inner_text()
        assert outside == []
        assert any(url.endswith("/static/incidents/favicon.svg") for url in local), local
        # The window only: the full pages are tens of thousands of pixels long.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    finally:
        context.close()
