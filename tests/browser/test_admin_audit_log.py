"""The audit log in a real browser: a manager filters it by actor (API keys), opens an
entry's before and after, at 1366 and 768 px. Screenshots under test-artifacts/screenshots/."""

import pytest
from django.contrib.auth.models import Group

from incidents.models import Severity, Visibility
from incidents.services.groups import MANAGERS
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.clients import make_client
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-browser-123"


@pytest.mark.parametrize("width", [1366, 768])
def test_a_manager_filters_the_audit_log_by_actor_and_reads_an_entry(open_page, live_server, width):
    manager = UserFactory(username="mae", first_name="Mae", last_name="Jemison", is_staff=True)
    manager.set_password(PASSWORD)
    manager.save()
    manager.groups.add(Group.objects.get(name=MANAGERS))
    declare("Checkout is down")
    declare("Suspicious logins", visibility=Visibility.PRIVATE)
    key = make_client("manage_settings", name="Terraform")
    minor = Severity.objects.get(name="Minor")
    assert key.put(f"/v1/severities/{minor.pk}", {"name": "Low", "description": "Small", "rank": minor.rank}).status_code == 200

    tab = open_page("/admin/login/", width=width)
    log_in(tab, live_server, "mae", PASSWORD)
    tab.goto(f"{live_server.url}/admin/audit/auditentry/")
    rows = tab.locator("#result_list tbody tr")
    assert rows.count() >= 3
    assert "Suspicious logins" in tab.content()  # managers see every incident
    screenshot(tab, f"admin-audit-log-{width}")
    assert horizontal_overflow(tab) == 0

    if width >= 1024:
        tab.click("#changelist-filter a:text('API keys')")
    else:  # the sidebar sits under the list on a narrow window; the same filter by link
        tab.goto(f"{live_server.url}/admin/audit/auditentry/?actor_kind=api_key")
    tab.wait_for_url("**actor_kind=api_key**")
    assert tab.locator("#result_list tbody tr").count() == 1
    row = tab.locator("#result_list tbody tr").first
    assert "Terraform" in row.inner_text() and "severity.updated" in row.inner_text()
    assert "name: Minor → Low" in row.inner_text()
    screenshot(tab, f"admin-audit-log-api-keys-{width}")

    row.locator("th a, td a").first.click()
    tab.wait_for_selector("text=Before and after")
    table = tab.locator("table:has(th:text('Before'))")
    assert "Minor" in table.inner_text() and "Low" in table.inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-audit-entry-{width}")
