"""Follow-ups from the incident console in a real browser: a responder adds one for a
colleague and ticks it done, at 1366 and 768 px. Screenshots under test-artifacts/screenshots/."""

import pytest
from django.contrib.auth.models import Group

from incidents.models import FollowUp
from incidents.services.groups import RESPONDERS
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-browser-123"


@pytest.mark.parametrize("width", [1366, 768])
def test_a_responder_adds_a_follow_up_and_ticks_it_done(open_page, live_server, width):
    responder = UserFactory(username="grace", first_name="Grace", last_name="Hopper")
    responder.set_password(PASSWORD)
    responder.save()
    responder.groups.add(Group.objects.get(name=RESPONDERS))
    UserFactory(first_name="Ada", last_name="Byron")
    incident = declare("Checkout fails for card payments")

    tab = open_page("/admin/login/", width=width)
    log_in(tab, live_server, "grace", PASSWORD)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    card = tab.locator("#follow-ups")
    assert "No follow-ups yet." in card.inner_text()
    tab.fill("#follow-ups input[name=title]", "Alert on card payment failures")
    tab.select_option("#follow-ups select[name=assignee]", label="Ada Byron")
    tab.click("#follow-ups input[type=submit]")
    tab.wait_for_selector("text=Follow-up added.")
    assert "Alert on card payment failures · Ada Byron · Outstanding" in tab.locator("#follow-ups").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-follow-ups-added-{width}")

    tab.click("#follow-ups button[aria-label='Mark Alert on card payment failures completed']")
    tab.wait_for_selector("text=is completed.")
    ticked = tab.locator("#follow-ups").inner_text()
    assert "Completed" in ticked and "0 outstanding of 1" in ticked
    screenshot(tab, f"admin-follow-ups-ticked-{width}")
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.actor) == ("completed", responder)
