"""A responder runs an incident from its page in a real browser: the page and the list
fit 1366 px and 768 px with no horizontal scroll, an update posted from the page changes
status and severity, reopening asks first. Screenshots under test-artifacts/screenshots/."""

import pytest

from incidents import services
from incidents.models import FieldType, Incident, IncidentRole
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare, set_field_values

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(1366, 768), (768, 1024)]


def _incident(staff):
    impact = CustomFieldFactory(name="Customer impact", field_type=FieldType.SINGLE_SELECT, required="always")
    degraded = CustomFieldOptionFactory(custom_field=impact, value="Degraded")
    CustomFieldOptionFactory(custom_field=impact, value="Full outage")
    services_field = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    api = CustomFieldOptionFactory(custom_field=services_field, value="API")
    CustomFieldOptionFactory(custom_field=services_field, value="Dashboard")
    CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT, required="before_closure")
    CustomFieldFactory(name="Runbook", field_type=FieldType.LINK)
    CustomFieldFactory(name="Customers affected", field_type=FieldType.NUMERIC)
    incident = declare("Checkout requests failing for EU customers after the 14:05 deploy", summary="Card payments fail with **502** at the gateway.")
    set_field_values(incident, impact, [services.FieldValue(option=degraded)])
    set_field_values(incident, services_field, [services.FieldValue(option=api)])
    lead = IncidentRole.objects.get(role_type="lead")
    services.assign_role(incident=incident, role=lead, assignee=UserFactory(first_name="Grace", last_name="Hopper"), actor=None)
    services.post_incident_update(incident=incident, actor=staff, message="Rolled back the deploy; error rate falling.\n\n- gateway: ok\n- `payments-api`: restarting")
    return incident


def _logged_in(open_page, live_server, width, height):
    tab = open_page("/admin/login/", width=width, height=height)
    log_in(tab, live_server, "staff", "pw-staff-123")
    return tab


@pytest.mark.parametrize("width,height", SIZES)
def test_the_incident_page_and_list_fit_the_window(open_page, live_server, staff, width, height):
    incident = _incident(staff)
    declare("Search is slow")
    tab = _logged_in(open_page, live_server, width, height)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    assert tab.locator(".inc-header").is_visible() and tab.locator("#post-update").is_visible()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-incident-page-{width}")
    tab.goto(f"{live_server.url}/admin/incidents/incident/")
    assert tab.locator("#result_list .inc-status").count() == 2
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-incident-list-{width}")


@pytest.mark.parametrize("width", [1366, 1280])
def test_every_column_of_the_incident_list_shows_whole(open_page, live_server, staff, width):
    _incident(staff)
    declare("Search is slow for customers with very long names in their workspace settings")
    tab = _logged_in(open_page, live_server, width, 768)
    tab.goto(f"{live_server.url}/admin/incidents/incident/")
    results = tab.locator("#changelist .results").bounding_box()
    last = tab.locator("#result_list thead th").last
    assert last.inner_text().strip().lower() == "last activity"
    assert last.bounding_box()["x"] + last.bounding_box()["width"] <= results["x"] + results["width"] + 0.5
    assert tab.evaluate("(() => { const r = document.querySelector('#changelist .results'); return r.scrollWidth - r.clientWidth; })()") <= 0
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-incident-list-columns-{width}")


def test_a_responder_posts_an_update_that_changes_status_and_severity(open_page, live_server, staff, statuses, severities):
    incident = _incident(staff)
    tab = _logged_in(open_page, live_server, 1366, 768)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    tab.fill("#post-update textarea[name=message]", "Fix deployed, **monitoring** error rates.")
    tab.select_option("#post-update select[name=new_status]", label="Monitoring")
    tab.select_option("#post-update select[name=new_severity]", label="Critical")
    tab.click("#post-update input[type=submit]")
    tab.wait_for_selector("text=Update posted.")
    assert tab.locator(".inc-header .inc-status").inner_text() == "Monitoring"
    newest = tab.locator(".inc-timeline .inc-entry").first
    assert newest.locator(".inc-md strong").inner_text() == "monitoring"  # markdown rendered
    assert "Investigating → Monitoring" in newest.locator(".inc-changes").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-incident-update-posted-1366")
    incident.refresh_from_db()
    assert (incident.status, incident.severity) == (statuses["Monitoring"], severities["Critical"])


def test_reopening_a_closed_incident_asks_for_confirmation(open_page, live_server, staff, statuses):
    incident = _incident(staff)
    services.close_incident(incident=incident, actor=staff, message="Resolved: the gateway is healthy.")
    tab = _logged_in(open_page, live_server, 1366, 768)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    tab.fill("#post-update textarea[name=message]", "Errors are back.")
    tab.select_option("#post-update select[name=new_status]", label="Investigating")
    tab.click("#post-update input[type=submit]")
    tab.wait_for_selector(f"text=Yes, reopen {incident.reference}")
    screenshot(tab, "admin-incident-reopen-confirm-1366")
    incident.refresh_from_db()
    assert incident.status == statuses["Closed"]
    tab.click(f"input[value='Yes, reopen {incident.reference}']")
    tab.wait_for_selector("text=Update posted.")
    incident.refresh_from_db()
    assert incident.status == statuses["Investigating"]


def test_custom_fields_are_edited_with_their_widgets(open_page, live_server, staff):
    incident = _incident(staff)
    tab = _logged_in(open_page, live_server, 1366, 768)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    tab.get_by_label("Customer impact").select_option(label="Full outage")
    tab.get_by_label("Affected services").select_option(label=["API", "Dashboard"])
    tab.get_by_label("Root cause").fill("A config flag flipped by the deploy")
    tab.get_by_label("Runbook").fill("https://runbooks.example.com/checkout")
    tab.get_by_label("Customers affected").fill("1200")
    tab.click("input[name=_continue]")
    tab.wait_for_selector("text=was changed successfully")
    values = {v.custom_field.name: v.display_value for v in incident.custom_field_values.select_related("custom_field", "value_option")}
    assert values["Customer impact"] == "Full outage" and values["Customers affected"] == "1200"
    assert values["Runbook"] == "https://runbooks.example.com/checkout"
    assert sorted(v.value_option.value for v in incident.custom_field_values.filter(custom_field__name="Affected services")) == ["API", "Dashboard"]


def test_a_responder_declares_an_incident_and_lands_on_its_console(open_page, live_server, staff, severities):
    tab = _logged_in(open_page, live_server, 1366, 768)
    tab.goto(f"{live_server.url}/admin/incidents/incident/add/")
    tab.fill("#id_name", "Login page times out for SSO customers")
    tab.fill("#id_summary", "Okta callbacks time out after **30 s**.")
    tab.select_option("#id_severity", label="Major")
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-incident-declare-1366")
    tab.click("input[name=_continue]")
    tab.wait_for_selector(".inc-header")
    assert "Login page times out for SSO customers" in tab.locator(".inc-header").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, "admin-incident-declared-1366")
    declared = Incident.objects.get(name="Login page times out for SSO customers")
    assert declared.severity == severities["Major"] and declared.updates.count() == 1
