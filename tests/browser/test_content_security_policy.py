"""The Content-Security-Policy fits the pages we serve: in a real browser, the admin, the API
docs and a public status page render with no violation reported."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the page reports (the event fires for blocked elements and attributes
# alike), recorded before any of the page's own scripts run.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser, live_server):
    """A tab whose CSP violations, as events and console errors, are collected."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(LISTEN)
    tab = context.new_page()
    console = []
    tab.on("console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None)

    def violations() -> list[str]:
        return [*tab.evaluate("window.__violations"), *console]

    tab.violations = violations
    yield tab
    context.close()


def _visit(tab, url: str, ready: str) -> list[str]:
    response = tab.goto(url)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    tab.wait_for_selector(ready)
    tab.wait_for_load_state("networkidle")
    return tab.violations()


def test_the_admin_runs_under_the_policy(watched, live_server, staff):
    incident = declare("Checkout errors")
    page = status_page(components=["API"])
    log_in(watched, live_server, "staff", "pw-staff-123")
    for path, ready in [
        ("/admin/", "#content-main"),
        ("/admin/incidents/incident/", "#changelist"),
        (f"/admin/incidents/incident/{incident.pk}/change/", "#content-main form"),
        ("/admin/incidents/severity/", "#changelist"),
        (f"/admin/statuspages/statuspage/{page.pk}/change/", "#content-main form"),
        ("/admin/statuspages/component/add/", "#content-main form"),
    ]:
        assert _visit(watched, f"{live_server.url}{path}", ready) == [], path


def test_swagger_ui_runs_under_the_policy(watched, live_server):
    assert _visit(watched, f"{live_server.url}/api/docs/", ".swagger-ui .opblock") == []


def test_redoc_runs_under_the_policy_its_external_logo_blocked(watched, live_server):
    violations = _visit(watched, f"{live_server.url}/api/docs/redoc/", ".menu-content")
    assert [v for v in violations if "cdn.redoc.ly" not in v] == []
    assert watched.locator(".api-info h1").inner_text().startswith("Incident Tracker API")


def test_a_public_status_page_runs_under_the_policy(watched, live_server):
    status_page(name="Acme", slug="acme", components=["API"], brand_colour="#ffd33d")
    for _ in range(2):  # rendered, then its kept body
        assert _visit(watched, f"{live_server.url}/status/acme/", ".masthead") == []
    assert _visit(watched, f"{live_server.url}/status/acme/subscribe/", "form") == []  # rendered for each reader
    # the brand colour's <style> applied
    assert watched.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgb(255, 211, 61)"
